// WhatsApp chat exports ("Chat exporteren" / "Export chat", without media).
//
//   Android: 12-03-2026 21:40 - Sanne: Hoi!          (nl)
//            12/03/2026, 21:40 - Sanne: Hi            (en-GB)
//            3/12/26, 9:40 PM - Sanne: Hi             (en-US)
//   iOS:     [12-03-2026 21:40:12] Sanne: Hoi
//            [3/12/26, 9:40:12 PM] Sanne: Hi
//
// A line that does not start with a date continues the message before it.
// Lines without "Name:" are system lines; media placeholders and deleted
// messages are skipped. Times are the phone's wall clock: read in the time
// zone of the options.
#include <algorithm>
#include <cstdio>
#include <map>

#include "import/line_reader.h"
#include "import/readers.h"
#include "kalm/core/text.h"
#include "kalm/core/time.h"

namespace kalm::import {
namespace {

struct Header {
  int a = 0, b = 0, year = 0;  // the date's three fields as written
  int hour = 0, minute = 0, second = 0;
  size_t rest = 0;  // offset of what follows the header ("Sanne: Hoi")
  bool ios = false;
};

// Invisible marks WhatsApp puts before names and media lines.
size_t SkipMarks(std::string_view s, size_t i) {
  for (;;) {
    if (s.substr(i, 3) == "\xE2\x80\x8E" || s.substr(i, 3) == "\xE2\x80\x8F" ||
        s.substr(i, 3) == "\xEF\xBB\xBF" ||
        (s.substr(i, 2) == "\xE2\x80" && i + 2 < s.size() &&
         static_cast<unsigned char>(s[i + 2]) >= 0xAA &&
         static_cast<unsigned char>(s[i + 2]) <= 0xAE)) {
      i += 3;
    } else {
      return i;
    }
  }
}

bool Digits(std::string_view s, size_t& i, int min, int max, int* out) {
  int v = 0, n = 0;
  while (i < s.size() && n < max && s[i] >= '0' && s[i] <= '9') {
    v = v * 10 + (s[i] - '0');
    ++i;
    ++n;
  }
  if (n < min) return false;
  *out = v;
  return true;
}

// Parses the date and time at the start of a line; false when the line does
// not start with one.
bool ParseHeader(std::string_view s, Header* h) {
  size_t i = SkipMarks(s, 0);
  h->ios = i < s.size() && s[i] == '[';
  if (h->ios) ++i;
  if (!Digits(s, i, 1, 2, &h->a)) return false;
  if (i >= s.size() || (s[i] != '-' && s[i] != '/' && s[i] != '.'))
    return false;
  const char sep = s[i++];
  if (!Digits(s, i, 1, 2, &h->b)) return false;
  if (i >= s.size() || s[i] != sep) return false;
  ++i;
  if (!Digits(s, i, 2, 4, &h->year)) return false;
  if (h->year < 100) h->year += 2000;
  if (i < s.size() && s[i] == ',') ++i;
  if (i >= s.size() || s[i] != ' ') return false;
  ++i;
  if (!Digits(s, i, 1, 2, &h->hour)) return false;
  if (i >= s.size() || (s[i] != ':' && s[i] != '.')) return false;
  ++i;
  if (!Digits(s, i, 2, 2, &h->minute)) return false;
  h->second = 0;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!Digits(s, i, 2, 2, &h->second)) return false;
  }
  // " AM" / " PM", with a plain or narrow no-break space; "a.m." too.
  size_t j = i;
  if (s.substr(j, 3) == "\xE2\x80\xAF") {
    j += 3;
  } else if (s.substr(j, 2) == "\xC2\xA0") {
    j += 2;
  } else if (j < s.size() && s[j] == ' ') {
    ++j;
  }
  std::string ampm;
  while (j < s.size() && ampm.size() < 4 &&
         (std::isalpha(static_cast<unsigned char>(s[j])) || s[j] == '.'))
    ampm += static_cast<char>(std::tolower(static_cast<unsigned char>(s[j++])));
  if (ampm == "am" || ampm == "a.m." || ampm == "pm" || ampm == "p.m.") {
    if (h->hour < 1 || h->hour > 12) return false;
    const bool pm = ampm[0] == 'p';
    h->hour = h->hour % 12 + (pm ? 12 : 0);
    i = j;
  }
  if (h->hour > 23 || h->minute > 59 || h->second > 59) return false;
  if (h->ios) {
    if (i >= s.size() || s[i] != ']') return false;
    ++i;
    if (i < s.size() && s[i] == ' ') ++i;
  } else {
    if (s.substr(i, 3) != " - ") return false;
    i += 3;
  }
  h->rest = i;
  return true;
}

bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(0, p.size()) == p;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Media placeholders and deleted messages, in the languages WhatsApp writes
// them.
bool IsPlaceholder(std::string_view text) {
  const std::string t = Lower(text);
  static const char* kExact[] = {
      "<media weggelaten>",
      "<media omitted>",
      "dit bericht is verwijderd",
      "this message was deleted",
      "je hebt dit bericht verwijderd",
      "you deleted this message",
      "null",
      "<bijlage weggelaten>",
      "dit bericht is verwijderd door een beheerder"};
  for (const char* e : kExact)
    if (t == e) return true;
  // iOS: "‎image omitted", "‎afbeelding weggelaten", "‎<attached: ...>".
  if (t.size() < 80 &&
      (t.find(" omitted") != std::string::npos ||
       t.find(" weggelaten") != std::string::npos ||
       StartsWith(t, "<attached:") || StartsWith(t, "<bijlage:") ||
       StartsWith(t, "<bijgevoegd:")))
    return true;
  return false;
}

class WhatsAppReader final : public Reader {
 public:
  WhatsAppReader(const Options& o, core::Zone zone, bool dmy,
                 std::vector<std::string> warnings)
      : options_(o), zone_(std::move(zone)), dmy_(dmy) {
    warnings_ = std::move(warnings);
  }

  Status Open(const std::string& path, int64_t start) {
    return lines_.Open(path, start);
  }

  StatusOr<std::optional<domain::Message>> Next() override {
    for (;;) {
      if (!pending_) {
        if (!ReadHeaderLine()) {
          if (lines_.error()) return UnavailableError("read error");
          return std::optional<domain::Message>();
        }
      }
      // Gather continuation lines until the next header.
      Current cur = std::move(*pending_);
      pending_.reset();
      position_ = cur.start;
      std::string line;
      while (lines_.Next(line)) {
        Header h;
        if (ParseHeader(line, &h)) {
          pending_ = Make(line, h);
          break;
        }
        if (lines_.cut())
          rejected_.push_back(
              {lines_.line_start(), Line(), "line longer than 1 MB, cut"});
        cur.text += '\n';
        cur.text += line;
      }
      position_ = pending_ ? pending_->start : lines_.offset();
      if (cur.invalid) continue;
      if (cur.system) {
        ++skipped_;
        continue;
      }
      if (IsPlaceholder(Trimmed(cur.text))) {
        ++skipped_;
        continue;
      }
      // "<Dit bericht is bewerkt>" / "<This message was edited>" at the end.
      for (std::string_view tail :
           {"<Dit bericht is bewerkt>", "<This message was edited>"}) {
        const size_t at = cur.text.rfind(tail);
        if (at != std::string::npos && at + tail.size() == cur.text.size())
          cur.text.erase(at);
      }
      std::string body(Trimmed(cur.text));
      if (body.empty()) {
        ++skipped_;
        continue;
      }
      if (core::FindInvalidUtf8(body)) {
        warnings_.push_back("line " + std::to_string(cur.line) +
                            ": not valid UTF-8; unreadable bytes replaced");
        body = core::ReplaceInvalidUtf8(body);
      }
      if (body.size() > domain::kMaxBodyBytes) {
        rejected_.push_back({cur.start, cur.line, "message longer than 1 MB"});
        continue;
      }
      domain::Message m;
      m.direction = IsMe(cur.author) ? domain::Direction::kOutgoing
                                     : domain::Direction::kIncoming;
      m.channel = "whatsapp";
      m.sent_at = cur.utc;
      m.utc_offset_minutes = zone_.OffsetMinutes(cur.utc);
      m.author = cur.author;
      m.body = std::move(body);
      m.source_position = cur.start;
      m.dedup_key = Key(m);
      return std::optional<domain::Message>(std::move(m));
    }
  }

  int64_t Position() const override { return position_; }

 private:
  struct Current {
    int64_t start = 0, line = 0;
    int64_t utc = 0;
    std::string author, text;
    bool system = false;
    bool invalid = false;  // reported in rejected_ already
  };

  int64_t Line() const {
    return lines_.line_number() + (start_line_ > 0 ? start_line_ : 0);
  }

  // Skips to the first header line (an export starts with one; text before
  // it is reported).
  bool ReadHeaderLine() {
    std::string line;
    while (lines_.Next(line)) {
      Header h;
      if (ParseHeader(line, &h)) {
        pending_ = Make(line, h);
        return true;
      }
      if (line.find_first_not_of(" \t") != std::string::npos)
        rejected_.push_back({lines_.line_start(), Line(),
                             "not a WhatsApp message line (no date at the "
                             "start)"});
    }
    return false;
  }

  std::optional<Current> Make(const std::string& line, const Header& h) {
    Current c;
    c.start = lines_.line_start();
    c.line = Line();
    const int day = dmy_ ? h.a : h.b, month = dmy_ ? h.b : h.a;
    static const int kDays[12] = {31, 29, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    const bool leap =
        (h.year % 4 == 0 && h.year % 100 != 0) || h.year % 400 == 0;
    if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] ||
        (month == 2 && day == 29 && !leap)) {
      rejected_.push_back({c.start, c.line,
                           "date " + std::to_string(h.a) + "/" +
                               std::to_string(h.b) + " is not a valid " +
                               (dmy_ ? "day/month" : "month/day")});
      c.invalid = true;
      return c;
    }
    c.utc = zone_.ToUtc(
        core::CivilSeconds(h.year, month, day, h.hour, h.minute, h.second));
    std::string_view rest = std::string_view(line).substr(h.rest);
    rest = rest.substr(SkipMarks(rest, 0));
    const size_t colon = rest.find(": ");
    if (colon == std::string_view::npos) {
      // "Berichten en oproepen worden end-to-end versleuteld", "Sanne heeft
      // je toegevoegd": no author.
      c.system = true;
      return c;
    }
    c.author = std::string(rest.substr(0, colon));
    std::string_view text = rest.substr(colon + 2);
    // iOS writes system notices as messages of the chat, marked invisibly.
    if (StartsWith(text, "\xE2\x80\x8E") &&
        !IsPlaceholder(Trimmed(text.substr(3))))
      c.system = Lower(text).find("end-to-end") != std::string::npos;
    c.text = std::string(text.substr(SkipMarks(text, 0)));
    return c;
  }

  static std::string_view Trimmed(std::string_view s) {
    const size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string_view::npos) return {};
    const size_t b = s.find_last_not_of(" \t\r\n");
    return s.substr(a, b - a + 1);
  }

  bool IsMe(const std::string& author) const {
    const std::string a = Lower(author);
    for (const std::string& m : options_.me)
      if (!m.empty() && Lower(m) == a) return true;
    return false;
  }

  // Time, author, text and how many times that same message came before in
  // that minute (two "Ok"s in one minute are two messages). A batch never
  // ends inside such a minute (ImportFile), so a resumed import counts the
  // same.
  std::string Key(const domain::Message& m) {
    if (m.sent_at != last_time_) {
      seen_.clear();
      last_time_ = m.sent_at;
    }
    // Time, author and text; the key's shape is domain::TimeKey's.
    std::string hex = domain::TimeKey("wa", m.sent_at, {m.author, m.body});
    const int n = seen_[hex]++;
    if (n > 0) hex += "#" + std::to_string(n);
    return hex;
  }

  Options options_;
  core::Zone zone_;
  bool dmy_;
  LineReader lines_;
  std::optional<Current> pending_;
  int64_t position_ = 0;
  int64_t start_line_ = 0;
  int64_t last_time_ = -1;
  std::map<std::string, int> seen_;
};

}  // namespace

StatusOr<DateOrder> SniffWhatsAppDateOrder(const std::string& path) {
  LineReader lines;
  KALM_RETURN_IF_ERROR(lines.Open(path, 0));
  // Votes: a first field above 12 is a day, a second one above 12 is a day.
  // A date with both above 12 is wrong either way and votes for neither.
  int64_t day_first = 0, month_first = 0;
  int64_t headers = 0;
  std::string line;
  while (lines.Next(line)) {
    Header h;
    if (!ParseHeader(line, &h)) continue;
    ++headers;
    if (h.a > 12 && h.b <= 12) ++day_first;
    if (h.b > 12 && h.a <= 12) ++month_first;
  }
  DateOrder out;
  out.headers = headers;
  // One stray line does not overturn a whole export; a real mix does.
  if (day_first > 0 && month_first > 0 &&
      std::max(day_first, month_first) < 4 * std::min(day_first, month_first)) {
    out.contradicts = true;
  } else {
    out.known = day_first > 0 || month_first > 0;
    out.dmy = day_first >= month_first;
  }
  return out;
}

StatusOr<std::unique_ptr<Reader>> OpenWhatsApp(const std::string& path,
                                               const Options& o,
                                               int64_t start) {
  auto zone = core::Zone::Find(o.tz);
  if (!zone.ok()) return zone.status();
  bool dmy = true;
  std::vector<std::string> warnings;
  if (o.date_order == "dmy" || o.date_order == "mdy") {
    dmy = o.date_order == "dmy";
  } else if (!o.date_order.empty()) {
    return InvalidArgumentError("date order must be dmy or mdy, not '" +
                                o.date_order + "'");
  } else {
    auto order = SniffWhatsAppDateOrder(path);
    if (!order.ok()) return order.status();
    if (order->contradicts)
      return InvalidArgumentError(
          path +
          ": the dates contradict each other (some have the day first, "
          "some the month); is this one export? Use --date-order dmy or mdy");
    dmy = order->dmy;
    if (!order->known && order->headers > 0)
      warnings.push_back(
          "no date in the file tells whether the day or the month comes "
          "first; read as day-month (use --date-order mdy for month-day)");
  }
  auto r = std::make_unique<WhatsAppReader>(o, std::move(*zone), dmy,
                                            std::move(warnings));
  KALM_RETURN_IF_ERROR(r->Open(path, start));
  return std::unique_ptr<Reader>(std::move(r));
}

bool LooksLikeWhatsApp(std::string_view first_line) {
  Header h;
  return ParseHeader(first_line, &h);
}

}  // namespace kalm::import
