// E-mail through GMime: a single .eml, or an mbox read message by message.
// The text is the first text/plain part that is no attachment, else the
// first text/html part turned into text; GMime decodes quoted-printable and
// base64 and converts the charset to UTF-8.
#include <fcntl.h>
#include <gmime/gmime.h>

#include <mutex>

#include "import/readers.h"
#include "kalm/core/text.h"

namespace kalm::import {
namespace {

void InitGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// HTML to plain text: tags dropped (block tags become line breaks), script
// and style left out, the common entities decoded.
std::string HtmlToText(std::string_view html) {
  std::string out;
  out.reserve(html.size() / 2);
  size_t i = 0;
  auto starts = [&](size_t at, std::string_view w) {
    if (at + w.size() > html.size()) return false;
    for (size_t k = 0; k < w.size(); ++k)
      if (std::tolower(static_cast<unsigned char>(html[at + k])) != w[k])
        return false;
    return true;
  };
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      const size_t end = html.find('>', i);
      if (end == std::string_view::npos) break;
      const bool closing = i + 1 < html.size() && html[i + 1] == '/';
      const size_t name_at = i + 1 + (closing ? 1 : 0);
      if (!closing && (starts(name_at, "script") || starts(name_at, "style"))) {
        const std::string_view tag =
            starts(name_at, "script") ? "</script" : "</style";
        size_t close = i;
        while (close < html.size() && !starts(close, tag)) ++close;
        const size_t gt = html.find('>', close);
        i = gt == std::string_view::npos ? html.size() : gt + 1;
        continue;
      }
      for (std::string_view block :
           {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "blockquote"})
        if (starts(name_at, block)) {
          const char after = name_at + block.size() < html.size()
                                 ? html[name_at + block.size()]
                                 : '>';
          if (after == '>' || after == ' ' || after == '/') {
            if (!out.empty() && out.back() != '\n') out += '\n';
            break;
          }
        }
      i = end + 1;
      continue;
    }
    if (c == '&') {
      static const std::pair<std::string_view, std::string_view> kEntities[] = {
          {"&nbsp;", " "}, {"&amp;", "&"},   {"&lt;", "<"},
          {"&gt;", ">"},   {"&quot;", "\""}, {"&#39;", "'"},
          {"&apos;", "'"}, {"&euro;", "€"},  {"&eacute;", "é"},
          {"&euml;", "ë"}, {"&iuml;", "ï"},  {"&egrave;", "è"}};
      bool done = false;
      for (const auto& [name, text] : kEntities)
        if (starts(i, name)) {
          out += text;
          i += name.size();
          done = true;
          break;
        }
      if (done) continue;
    }
    if (c == '\r') {
      ++i;
      continue;
    }
    if ((c == '\n' || c == '\t' || c == ' ') && !out.empty() &&
        (out.back() == ' ' || out.back() == '\n')) {
      ++i;
      continue;
    }
    out += c == '\n' || c == '\t' ? ' ' : c;
    ++i;
  }
  return out;
}

struct Found {
  GMimeTextPart* plain = nullptr;
  GMimeTextPart* html = nullptr;
};

void FindText(GMimeObject* /*parent*/, GMimeObject* part, gpointer data) {
  auto* f = static_cast<Found*>(data);
  if (!GMIME_IS_TEXT_PART(part)) return;
  if (g_mime_part_is_attachment(GMIME_PART(part))) return;
  GMimeContentType* ct = g_mime_object_get_content_type(part);
  if (f->plain == nullptr && g_mime_content_type_is_type(ct, "text", "plain"))
    f->plain = GMIME_TEXT_PART(part);
  if (f->html == nullptr && g_mime_content_type_is_type(ct, "text", "html"))
    f->html = GMIME_TEXT_PART(part);
}

class MailReader final : public Reader {
 public:
  MailReader(const Options& o, bool mbox) : options_(o), mbox_(mbox) {}
  ~MailReader() override {
    if (parser_ != nullptr) g_object_unref(parser_);
  }

  Status Open(const std::string& path, int64_t start) {
    InitGMime();
    GError* err = nullptr;
    GMimeStream* stream =
        g_mime_stream_fs_open(path.c_str(), O_RDONLY, 0, &err);
    if (stream == nullptr) {
      std::string why = err != nullptr ? err->message : "cannot open";
      if (err != nullptr) g_error_free(err);
      return UnavailableError("cannot read " + path + ": " + why);
    }
    if (start > 0 &&
        g_mime_stream_seek(stream, start, GMIME_STREAM_SEEK_SET) != start) {
      g_object_unref(stream);
      return UnavailableError("cannot seek in " + path);
    }
    parser_ = g_mime_parser_new_with_stream(stream);
    g_object_unref(stream);
    g_mime_parser_set_format(parser_,
                             mbox_ ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
    position_ = start;
    return Status::Ok();
  }

  StatusOr<std::optional<domain::Message>> Next() override {
    for (;;) {
      if (done_ || g_mime_parser_eos(parser_))
        return std::optional<domain::Message>();
      const int64_t before = position_;
      GMimeMessage* msg = g_mime_parser_construct_message(parser_, nullptr);
      const int64_t after = g_mime_parser_tell(parser_);
      if (!mbox_) done_ = true;
      if (msg == nullptr) {
        if (!read_any_ && mbox_) {
          // Not even one message: this is no mbox (or it is broken from the
          // start).
          rejected_.push_back({before, 0,
                               "no mail message here: not an mbox, or broken "
                               "from the start"});
          done_ = true;
          return std::optional<domain::Message>();
        }
        if (after <= before) {
          // Nothing more can be read (a truncated or broken file).
          if (!g_mime_parser_eos(parser_) || before == 0)
            rejected_.push_back({before, 0,
                                 mbox_ ? "no mail message here (not an mbox, "
                                         "or the rest of the file is broken)"
                                       : "not an e-mail message"});
          done_ = true;
          return std::optional<domain::Message>();
        }
        rejected_.push_back({before, 0, "a mail message that cannot be read"});
        position_ = after;
        continue;
      }
      const int64_t start =
          mbox_ ? g_mime_parser_get_mbox_marker_offset(parser_) : 0;
      position_ = after;
      read_any_ = true;
      std::optional<domain::Message> m =
          Convert(msg, start >= 0 ? start : before);
      g_object_unref(msg);
      if (m) return m;
    }
  }

  int64_t Position() const override { return position_; }

 private:
  std::optional<domain::Message> Convert(GMimeMessage* msg, int64_t start) {
    domain::Message m;
    m.channel = "email";
    m.source_position = start;
    GDateTime* date = g_mime_message_get_date(msg);
    if (date == nullptr) {
      rejected_.push_back({start, 0, "no Date header"});
      return std::nullopt;
    }
    m.sent_at = g_date_time_to_unix(date);
    m.utc_offset_minutes =
        static_cast<int>(g_date_time_get_utc_offset(date) / G_TIME_SPAN_MINUTE);
    std::string from_addr;
    if (InternetAddressList* from = g_mime_message_get_from(msg);
        from != nullptr && internet_address_list_length(from) > 0) {
      InternetAddress* ia = internet_address_list_get_address(from, 0);
      const char* name = internet_address_get_name(ia);
      if (INTERNET_ADDRESS_IS_MAILBOX(ia))
        from_addr =
            internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
      m.author = name != nullptr && *name ? name : from_addr;
    }
    for (const std::string& me : options_.me) {
      if (me.empty()) continue;
      if (Lower(me) == Lower(m.author) || Lower(me) == Lower(from_addr))
        m.direction = domain::Direction::kOutgoing;
    }
    if (const char* subject = g_mime_message_get_subject(msg))
      m.thread = subject;
    if (const char* id = g_mime_message_get_message_id(msg);
        id != nullptr && *id)
      m.dedup_key = std::string("<") + id + ">";
    Found f;
    g_mime_message_foreach(msg, FindText, &f);
    if (f.plain == nullptr && f.html == nullptr) {
      GMimeObject* body = g_mime_message_get_mime_part(msg);
      if (body != nullptr && GMIME_IS_TEXT_PART(body)) {
        GMimeContentType* ct = g_mime_object_get_content_type(body);
        if (g_mime_content_type_is_type(ct, "text", "html"))
          f.html = GMIME_TEXT_PART(body);
        else
          f.plain = GMIME_TEXT_PART(body);
      }
    }
    GMimeTextPart* part = f.plain != nullptr ? f.plain : f.html;
    if (part == nullptr) {
      rejected_.push_back(
          {start, 0, "no text in the message (attachments only?)"});
      return std::nullopt;
    }
    char* text = g_mime_text_part_get_text(part);
    std::string body = text != nullptr ? text : "";
    g_free(text);
    if (part == f.html) body = HtmlToText(body);
    if (core::FindInvalidUtf8(body)) {
      const char* cs = g_mime_text_part_get_charset(part);
      warnings_.push_back("message at byte " + std::to_string(start) +
                          ": charset '" + (cs != nullptr ? cs : "?") +
                          "' could not be read fully; unreadable bytes "
                          "replaced");
      body = core::ReplaceInvalidUtf8(body);
    }
    // Normalise line ends; trim.
    std::string clean;
    clean.reserve(body.size());
    for (char c : body)
      if (c != '\r') clean += c;
    const size_t a = clean.find_first_not_of(" \t\n");
    const size_t b = clean.find_last_not_of(" \t\n");
    if (a == std::string::npos) {
      rejected_.push_back({start, 0, "empty message"});
      return std::nullopt;
    }
    m.body = clean.substr(a, b - a + 1);
    if (m.body.size() > domain::kMaxBodyBytes) {
      rejected_.push_back({start, 0, "message text longer than 1 MB"});
      return std::nullopt;
    }
    return m;
  }

  Options options_;
  bool mbox_;
  GMimeParser* parser_ = nullptr;
  int64_t position_ = 0;
  bool done_ = false;
  bool read_any_ = false;
};

}  // namespace

StatusOr<std::unique_ptr<Reader>> OpenMail(const std::string& path, bool mbox,
                                           const Options& o, int64_t start) {
  auto r = std::make_unique<MailReader>(o, mbox);
  KALM_RETURN_IF_ERROR(r->Open(path, start));
  return std::unique_ptr<Reader>(std::move(r));
}

}  // namespace kalm::import
