// Importing a client's messages from files: a single e-mail (.eml), an mbox
// (Gmail Takeout, Thunderbird), a WhatsApp chat export (Android and iOS, Dutch
// and English date formats) or plain text.
//
// A Reader streams one file with bounded memory (one message at a time) and
// can start at a position it reported earlier, so an interrupted import
// resumes where its last stored batch ended. ImportFile stores the messages in
// batches, each with its cursor in the same transaction: a kill leaves whole
// batches, and a rerun adds only what is missing (messages already stored are
// skipped by their key: the Message-ID, or a hash of time, author, text and
// its occurrence in that minute).
//
// Readers are not thread-safe; use one per thread. ImportFile is safe to call
// from several threads on different files.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kalm/core/analyzer.h"
#include "kalm/core/status.h"
#include "kalm/domain/model.h"
#include "kalm/domain/store.h"

namespace kalm::import {

enum class Format { kEml, kMbox, kWhatsApp, kText };
std::string_view FormatName(Format f);  // "eml", "mbox", "whatsapp", "text"
// Errors: kInvalidArgument for an unknown name.
StatusOr<Format> ParseFormat(std::string_view name);

struct Options {
  // The VA's own name (WhatsApp author) or name / e-mail address (mail):
  // their messages are outgoing, all others incoming. Empty: all incoming.
  std::vector<std::string> me;
  // Time zone for times written without an offset (WhatsApp, plain text).
  std::string tz = "Europe/Amsterdam";
  // WhatsApp dates such as 03/04/2026: "dmy", "mdy", or "" to tell from the
  // file (a day above 12 decides; when nothing decides, day first, with a
  // warning in the report).
  std::string date_order;
  // For plain text: when it was written (UTC seconds); 0: the file's time.
  int64_t text_time = 0;
};

// Something in the file that was not imported: where and why.
struct Problem {
  int64_t position = 0;  // byte offset in the file
  int64_t line = 0;      // 1-based line number, 0 when not line-based
  std::string reason;
};

class Reader {
 public:
  virtual ~Reader() = default;
  // The next message, or nullopt at the end of the file. A part that cannot
  // be read is added to rejected() and skipped. Errors: kUnavailable when
  // the file cannot be read any further.
  virtual StatusOr<std::optional<domain::Message>> Next() = 0;
  // Where the next message starts (a byte offset): pass it back to
  // OpenReader to resume.
  virtual int64_t Position() const = 0;
  const std::vector<Problem>& rejected() const { return rejected_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Lines that are no message of a person: system lines, deleted messages,
  // media without text.
  int64_t skipped() const { return skipped_; }

 protected:
  std::vector<Problem> rejected_;
  std::vector<std::string> warnings_;
  int64_t skipped_ = 0;
};

// Tells the format from the file's name and first bytes. Errors:
// kNotFound (no such file), kInvalidArgument (empty, or binary), kUnavailable.
StatusOr<Format> DetectFormat(const std::string& path);

// Errors: kNotFound, kUnavailable (cannot read), kInvalidArgument (an unknown
// time zone or date order; a WhatsApp export whose dates contradict each
// other).
StatusOr<std::unique_ptr<Reader>> OpenReader(const std::string& path,
                                             Format format,
                                             const Options& options,
                                             int64_t start = 0);

struct Report {
  Format format = Format::kText;
  int64_t imported = 0;
  int64_t duplicates = 0;  // already stored
  int64_t skipped = 0;     // system lines, deleted messages, media
  int64_t resumed_at = 0;  // > 0: an earlier run had stored up to here
  std::vector<Problem> rejected;
  std::vector<std::string> warnings;
};

struct ImportOptions {
  Options read;
  size_t batch = 2000;  // messages per transaction
  // When given, incoming messages are analysed and the analysis stored with
  // the analyzer's version, in `context` (the client's agreed availability,
  // time zone and scope) with each message's own time.
  const core::Analyzer* analyzer = nullptr;
  core::AnalysisContext context;
};

// Reads `path` and stores its messages for `client`. Errors: those of
// OpenReader and of the store; a problem with one message is in the report,
// not an error.
StatusOr<Report> ImportFile(domain::Store& store, domain::Id workspace,
                            domain::Id client, const std::string& path,
                            Format format, const ImportOptions& options);

// The report as `kalm import --json` prints it and the API answers it.
nlohmann::json ToJson(const Report& report);

}  // namespace kalm::import
