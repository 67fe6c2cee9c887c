// Internal interfaces of the kalm command-line program (src/cli). Not a public
// layer API: only main.cc and the CLI's own tests include this.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "kalm/core/analyzer.h"
#include "kalm/core/review.h"
#include "kalm/core/status.h"
#include "kalm/domain/case_texts.h"
#include "kalm/domain/store.h"

namespace kalm::cli {

// Process exit code for a status (the one place codes are mapped; sysexits.h).
int ExitCode(const Status& s);
inline constexpr int kExitUsage = 64;

// The analyzer's data files: from `dir` (a checkout's data/ folder, for lexicon
// work) or, when `dir` is empty, the copy compiled into the binary. `storage`
// keeps file contents alive. Errors: kNotFound / kUnavailable for a missing or
// unreadable directory.
StatusOr<std::vector<core::DataFile>> LoadDataFiles(
    const std::string& dir, std::deque<std::string>* storage,
    bool with_models = true);

// The analyzer and, from the same read of the data files, the reply coach's
// reviewer (with `with_reviewer`) or only its phrase library.
struct Coach {
  std::unique_ptr<core::Analyzer> analyzer;
  std::unique_ptr<core::Reviewer> reviewer;       // null without with_reviewer
  std::unique_ptr<core::PhraseLibrary> phrases_;  // set without with_reviewer
  const core::PhraseLibrary& phrases() const {
    return reviewer ? reviewer->phrases() : *phrases_;
  }
};
// Errors: those of LoadDataFiles, Analyzer::Build, Reviewer::Build and
// PhraseLibrary::Build.
StatusOr<Coach> MakeCoach(const std::string& dir, bool with_reviewer,
                          bool lazy = true);

// Builds the reviewer from LoadDataFiles(dir) on top of `analyzer` (for
// callers that already have an analyzer: tests, benchmarks).
StatusOr<std::unique_ptr<core::Reviewer>> MakeReviewer(
    const std::string& dir, const core::Analyzer& analyzer);

// Builds the analyzer from LoadDataFiles(dir).
StatusOr<std::unique_ptr<core::Analyzer>> MakeAnalyzer(const std::string& dir,
                                                       bool with_models = true,
                                                       bool lazy = false);

// Prints "kalm: <message>" to stderr and returns the exit code for `s`.
int Fail(const Status& s);

// Reads all of `path` ("-" or empty: standard input), refusing more than
// `limit` bytes without reading further. Errors: kNotFound (cannot open),
// kResourceExhausted (too large), kUnavailable (read error).
StatusOr<std::string> ReadInput(const std::string& path, size_t limit);

// `kalm review` and `kalm phrases` (src/cli/review_cmd.cc).
struct ReviewFlags {
  std::string file;
  std::string reply_to;
  std::string lang = "auto";
  std::string form;  // je | u | empty: detected
  bool json = false;
  bool rewrite = false;
  bool explain = false;
};
int RunReview(const ReviewFlags& f, const std::string& data_dir);
// `kalm analyze` flags, and the analysis context they describe. Errors:
// kInvalidArgument for a bad --lang, --at, --availability or --tz.
struct AnalyzeFlags {
  std::string file;
  std::string lang = "auto";
  std::string fallback_lang;
  std::string at;
  std::string availability;
  std::string tz;
  std::string scope;
  std::string batch;
  std::string color = "auto";
  bool json = false;
  bool lossy = false;
  bool explain = false;
};
StatusOr<core::AnalysisContext> MakeContext(const AnalyzeFlags& f);

struct ReplyFlags {
  std::string file;
  std::string lang = "auto";
  std::string at;            // as for analyze: when the message was sent
  std::string availability;  // the client's agreed availability
  std::string tz;
  std::string scope;
  std::string form;  // je | u | empty: as the client writes
  std::map<std::string, std::string> values;  // placeholder -> value
  bool json = false;
};
int RunReply(const ReplyFlags& f, const std::string& data_dir);
struct PhrasesFlags {
  std::string strategy;
  std::string trigger;
  std::string about;  // a situation ("late"); empty: any
  std::string lang;   // nl | en | empty: both
  std::string form;
  bool json = false;
};
int RunPhrases(const PhrasesFlags& f, const std::string& data_dir);

// Human-readable report of an analysis.
void PrintReport(std::ostream& out, std::string_view text,
                 const core::Analysis& a, bool color);

// `kalm eval TASK FILE`. Returns the exit code.
struct EvalOptions {
  std::string task;
  std::string file;
  std::string part =
      "all";         // all | fit | dev (rows split by a hash of their id)
  std::string lang;  // forced language; empty: the task's own
  bool json = false;
  double threshold = -1;  // decision threshold override (task-specific)
};
// `reviewer` (may be null) scores politeness as the reply coach does.
int RunEval(const core::Analyzer& analyzer, const EvalOptions& o,
            std::ostream& out, std::ostream& err,
            const core::Reviewer* reviewer = nullptr);

// `kalm fit MODEL FILE... -o OUT`. Returns the exit code.
struct FitOptions {
  std::string model;  // valence | complaint | politeness | emotion
  std::vector<std::string> files;
  std::string out_dir;  // writes <out_dir>/<name>.tsv
};
int RunFit(const core::Analyzer& analyzer, const FitOptions& o,
           std::ostream& out, std::ostream& err);

// Rows of a ../shared/data TSV file (header names the columns).
struct TsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int Column(std::string_view name) const;
};
StatusOr<TsvTable> ReadTsv(const std::string& path);

// True when the row id falls in the development part (one in five, by hash).
bool InDevPart(std::string_view id);

// What only main.cc decides: which Store implementation backs a database
// URL, and where the default database lives.
struct Wiring {
  std::function<StatusOr<std::unique_ptr<domain::Store>>(std::string_view)>
      open_store;
  std::function<std::string()> default_db_url;
};

// Where the data lives: --db URL (else $KALM_DB, else the default SQLite
// file) and --workspace NAME (else $KALM_WORKSPACE, else "default").
struct StoreFlags {
  std::string db;
  std::string workspace;
};
// --db, else $KALM_DB, else the default SQLite file.
std::string DatabaseUrl(const Wiring& wiring, const StoreFlags& f);
struct WorkspaceStore {
  std::unique_ptr<domain::Store> store;
  domain::Id workspace = 0;
};
// Errors: those of opening the store; kNotFound for a missing workspace
// unless `create`.
StatusOr<WorkspaceStore> OpenWorkspace(const Wiring& wiring,
                                       const StoreFlags& f, bool create);

// The client named on the command line: by numeric id, else by name (see
// Store::FindClient). Errors: those of FindClient.
StatusOr<domain::Client> ClientNamed(domain::Store& s, domain::Id ws,
                                     const std::string& name);

// "2026-11-22 19:03 UTC": how the store commands print a moment.
std::string Date(domain::UnixTime t);

struct ClientFlags {
  StoreFlags store;
  std::string action;  // add | list | show
  std::string name;
  std::string company, lang, form, tz, channels, notes;
  bool json = false;
};
int RunClient(const Wiring& wiring, const ClientFlags& f);

struct AgreementFlags {
  StoreFlags store;
  std::string action;  // set | show | history | send | confirm
  std::string client;
  std::optional<std::string> rate, extra_rate, per, availability, updates,
      scope, channels, notes;
  std::optional<double> hours;
  std::optional<int> reaction_hours, due_days, deposit, instalments;
  bool no_shift = false;
  int version = 0;  // confirm/send this version (0: the open one)
  std::string by, how = "email";
  bool json = false;
};
int RunAgreement(const Wiring& wiring, const AgreementFlags& f);

struct ImportFlags {
  StoreFlags store;
  std::string file;
  std::string client;
  std::vector<std::string> me;
  std::string format;      // empty: detect
  std::string tz;          // empty: the client's
  std::string date_order;  // dmy | mdy | empty: detect
  int batch = 0;           // 0: the default
  bool no_analysis = false;
  bool json = false;
};
int RunImport(const Wiring& wiring, const ImportFlags& f,
              const std::string& data_dir);

struct TimelineFlags {
  StoreFlags store;
  std::string client;
  bool json = false;
  bool count = false;  // only the number of messages
};
int RunTimeline(const Wiring& wiring, const TimelineFlags& f);

// `kalm case ...` and `kalm journal` (src/cli/case_cmd.cc).
struct CaseFlags {
  StoreFlags store;
  std::string action;  // open | show | set | next | goto | script |
                       // confirm-mail | close | reopen | list
  std::string id;      // the case id (or, for open and list, the client)
  int64_t message = 0;
  std::string title, step, reason, eml, me, from;
  bool json = false;
  // Answers (set and next).
  std::string reaction, summary, proposal, maximum, notes, outcome, follow_up,
      next_time, trust, not_fit, sooner;
  std::vector<std::string> reflect;    // "N=text"
  std::vector<std::string> questions;  // added
  std::vector<std::string> facts;      // "text|clause|version"
  std::vector<std::string> actions;    // "what|owner|YYYY-MM-DD"
  std::vector<std::string> triggers;
  std::optional<double> proposal_eur, proposal_hours, max_eur, max_hours;
  bool receipt_sent = false;
};
int RunCase(const Wiring& wiring, const CaseFlags& f,
            const std::string& data_dir);
struct JournalFlags {
  StoreFlags store;
  std::string search;
  bool json = false;
};
int RunJournal(const Wiring& wiring, const JournalFlags& f);

// The complaint case's texts (data/case/), from `dir` or the embedded data.
StatusOr<domain::CaseTexts> MakeCaseTexts(const std::string& dir);

struct BackupFlags {
  StoreFlags store;
  std::string file;  // export: -o FILE (empty or -: standard output)
};
int RunExport(const Wiring& wiring, const BackupFlags& f);
int RunRestore(const Wiring& wiring, const BackupFlags& f);

struct ServeFlags {
  StoreFlags store;
  std::string bind = "127.0.0.1";
  int port = 8080;
  int threads = 2;
  bool secure_cookies = false;
};
int RunServe(const Wiring& wiring, const ServeFlags& f,
             const std::string& data_dir);

struct UserFlags {
  StoreFlags store;
  std::string email;
  std::string name;
  std::string role = "owner";
};
int RunUserAdd(const Wiring& wiring, const UserFlags& f);

int Run(int argc, char** argv, const Wiring& wiring);

}  // namespace kalm::cli
