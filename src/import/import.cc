#include "kalm/import/import.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "import/readers.h"
#include "kalm/core/analysis_json.h"
#include "kalm/core/text.h"

namespace kalm::import {
namespace {

// Plain text: the whole file is one message of the client.
class TextReader final : public Reader {
 public:
  TextReader(std::string path, const Options& o, int64_t start)
      : path_(std::move(path)), options_(o), position_(start) {}

  StatusOr<std::optional<domain::Message>> Next() override {
    if (position_ > 0) return std::optional<domain::Message>();
    struct stat st {};
    if (stat(path_.c_str(), &st) != 0)
      return UnavailableError("cannot read " + path_);
    if (static_cast<size_t>(st.st_size) > domain::kMaxBodyBytes) {
      rejected_.push_back({0, 0, "text longer than 1 MB"});
      position_ = st.st_size;
      return std::optional<domain::Message>();
    }
    std::ifstream in(path_, std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), {});
    position_ = static_cast<int64_t>(body.size());
    if (core::FindInvalidUtf8(body)) {
      warnings_.push_back("not valid UTF-8; unreadable bytes replaced");
      body = core::ReplaceInvalidUtf8(body);
    }
    const size_t a = body.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) {
      rejected_.push_back({0, 1, "empty file"});
      return std::optional<domain::Message>();
    }
    const size_t b = body.find_last_not_of(" \t\r\n");
    domain::Message m;
    m.channel = "text";
    m.body = body.substr(a, b - a + 1);
    m.sent_at = options_.text_time > 0 ? options_.text_time : st.st_mtime;
    return std::optional<domain::Message>(std::move(m));
  }
  int64_t Position() const override { return position_; }

 private:
  std::string path_;
  Options options_;
  int64_t position_;
};

bool EndsWith(const std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(
            s[s.size() - suffix.size() + i])) != suffix[i])
      return false;
  return true;
}

}  // namespace

std::string_view FormatName(Format f) {
  switch (f) {
    case Format::kEml:
      return "eml";
    case Format::kMbox:
      return "mbox";
    case Format::kWhatsApp:
      return "whatsapp";
    case Format::kText:
      return "text";
  }
  return "text";
}

StatusOr<Format> ParseFormat(std::string_view name) {
  for (Format f :
       {Format::kEml, Format::kMbox, Format::kWhatsApp, Format::kText})
    if (FormatName(f) == name) return f;
  return InvalidArgumentError("unknown format '" + std::string(name) +
                              "' (eml, mbox, whatsapp, text)");
}

StatusOr<std::unique_ptr<Reader>> OpenText(const std::string& path,
                                           const Options& o, int64_t start) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    return NotFoundError("no such file: " + path);
  return std::unique_ptr<Reader>(std::make_unique<TextReader>(path, o, start));
}

StatusOr<Format> DetectFormat(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0)
      return NotFoundError("no such file: " + path);
    return UnavailableError("cannot read " + path);
  }
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  if (head.find_first_not_of(" \t\r\n") == std::string::npos)
    return InvalidArgumentError(path + " is empty");
  if (head.find('\0') != std::string::npos)
    return InvalidArgumentError(path + " is a binary file, not text or mail");
  if (EndsWith(path, ".mbox") || head.rfind("From ", 0) == 0)
    return Format::kMbox;
  if (EndsWith(path, ".eml")) return Format::kEml;
  // A WhatsApp export: one of the first lines starts with its date (text
  // pasted above the export does not hide it).
  size_t at = 0;
  for (int k = 0; k < 10 && at < head.size(); ++k) {
    const size_t nl = head.find('\n', at);
    if (LooksLikeWhatsApp(std::string_view(head).substr(
            at, nl == std::string::npos ? std::string::npos : nl - at)))
      return Format::kWhatsApp;
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  // Headers such as "Received:", "From:", "Message-ID:" at the top: mail.
  for (std::string_view h :
       {"Return-Path:", "Received:", "From:", "Message-ID:", "Message-Id:",
        "MIME-Version:", "Delivered-To:", "Date:", "Subject:"})
    if (head.rfind(h, 0) == 0) return Format::kEml;
  return Format::kText;
}

StatusOr<std::unique_ptr<Reader>> OpenReader(const std::string& path,
                                             Format format,
                                             const Options& options,
                                             int64_t start) {
  switch (format) {
    case Format::kWhatsApp:
      return OpenWhatsApp(path, options, start);
    case Format::kMbox:
      return OpenMail(path, /*mbox=*/true, options, start);
    case Format::kEml:
      return OpenMail(path, /*mbox=*/false, options, start);
    case Format::kText:
      return OpenText(path, options, start);
  }
  return InvalidArgumentError("unknown format");
}

StatusOr<Report> ImportFile(domain::Store& store, domain::Id workspace,
                            domain::Id client, const std::string& path,
                            Format format, const ImportOptions& o) {
  Report report;
  report.format = format;
  // The cursor is per file: its path and size, so a grown export (a newer
  // WhatsApp export of the same chat) is read again from the start and
  // only its new messages are added.
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    return NotFoundError("no such file: " + path);
  const std::string source = std::string(FormatName(format)) + ":" + path +
                             ":" + std::to_string(st.st_size);
  auto resume = store.ImportPosition(workspace, client, source);
  if (!resume.ok()) return resume.status();
  report.resumed_at = *resume;
  auto reader = OpenReader(path, format, o.read, *resume);
  if (!reader.ok()) return reader.status();
  Reader& r = **reader;

  std::vector<domain::Message> batch;
  batch.reserve(o.batch);
  auto flush = [&](int64_t position) -> Status {
    domain::ImportCursor cursor{source, position};
    auto added = store.AddMessages(workspace, client, batch, &cursor);
    if (!added.ok()) return added.status();
    report.imported += added->added;
    report.duplicates += added->duplicates;
    batch.clear();
    return Status::Ok();
  };
  for (;;) {
    auto next = r.Next();
    if (!next.ok()) return next.status();
    if (!next->has_value()) break;
    domain::Message m = std::move(**next);
    m.source = path;
    if (o.analyzer != nullptr && m.direction == domain::Direction::kIncoming) {
      core::AnalysisContext ctx = o.context;
      core::Timestamp at;
      at.unix_seconds = m.sent_at;
      at.offset_minutes = m.utc_offset_minutes;
      at.has_offset = true;
      ctx.at = at;
      // A message the analyzer refuses (binary junk in a mail) is stored
      // without an analysis; the timeline shows it as not analysed.
      auto a = o.analyzer->Analyze(m.body, ctx);
      if (a.ok()) {
        core::AppendJson(*a, &m.analysis_json);  // no DOM: the hot path
        m.analyzer_version = a->analyzer_version;
      }
    }
    // A batch ends between two times, never inside a minute of equal
    // timestamps (their keys count occurrences within it).
    if (batch.size() >= o.batch && batch.back().sent_at != m.sent_at)
      KALM_RETURN_IF_ERROR(flush(m.source_position));
    batch.push_back(std::move(m));
  }
  KALM_RETURN_IF_ERROR(flush(r.Position()));
  report.skipped = r.skipped();
  report.rejected = r.rejected();
  report.warnings = r.warnings();
  return report;
}

nlohmann::json ToJson(const Report& r) {
  nlohmann::json j = {{"format", std::string(FormatName(r.format))},
                      {"imported", r.imported},
                      {"duplicates", r.duplicates},
                      {"skipped", r.skipped},
                      {"resumed_at", r.resumed_at},
                      {"warnings", r.warnings}};
  nlohmann::json rej = nlohmann::json::array();
  for (const Problem& p : r.rejected)
    rej.push_back(
        {{"position", p.position}, {"line", p.line}, {"reason", p.reason}});
  j["rejected"] = rej;
  return j;
}

}  // namespace kalm::import
