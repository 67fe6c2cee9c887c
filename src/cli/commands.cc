// Command-line front end: parses arguments (CLI11), wires the analyzer, maps
// errors to exit codes.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <tuple>

#include "cli/cli.h"
#include "kalm/core/analysis_json.h"

namespace kalm::cli {

int Fail(const Status& s) {
  std::cerr << "kalm: " << s.message() << "\n";
  return ExitCode(s);
}

// Reads all of `path` ("-" or empty: standard input), refusing more than
// `limit` bytes without reading further.
StatusOr<std::string> ReadInput(const std::string& path, size_t limit) {
  std::FILE* f = stdin;
  if (!path.empty() && path != "-") {
    f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return NotFoundError("cannot open '" + path + "'");
  }
  std::string data;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    data.append(buf, n);
    if (data.size() > limit) {
      if (f != stdin) std::fclose(f);
      return ResourceExhaustedError("message is too large: more than " +
                                    std::to_string(limit) + " bytes");
    }
  }
  const bool error = std::ferror(f) != 0;
  if (f != stdin) std::fclose(f);
  if (error) return UnavailableError("error while reading '" + path + "'");
  return data;
}

namespace {}  // namespace

StatusOr<core::AnalysisContext> MakeContext(const AnalyzeFlags& f) {
  core::AnalysisContext ctx;
  if (f.lang == "nl")
    ctx.language = core::Language::kDutch;
  else if (f.lang == "en")
    ctx.language = core::Language::kEnglish;
  else if (f.lang != "auto")
    return InvalidArgumentError("--lang must be auto, nl or en");
  if (f.fallback_lang == "nl")
    ctx.fallback_language = core::Language::kDutch;
  else if (f.fallback_lang == "en")
    ctx.fallback_language = core::Language::kEnglish;
  else if (!f.fallback_lang.empty())
    return InvalidArgumentError("--fallback-lang must be nl or en");
  if (!f.at.empty()) {
    auto t = core::ParseTimestamp(f.at);
    if (!t.ok()) return t.status();
    ctx.at = *t;
  }
  if (!f.availability.empty()) {
    auto w = core::ParseAvailability(f.availability);
    if (!w.ok()) return w.status();
    ctx.availability = *w;
  }
  ctx.timezone = f.tz;
  ctx.trace = f.explain;
  if (ctx.at && !ctx.timezone.empty()) {
    auto check = core::ToLocal(*ctx.at, ctx.timezone);
    if (!check.ok()) return check.status();
  }
  if (!f.scope.empty()) {
    size_t pos = 0;
    while (pos <= f.scope.size()) {
      size_t semi = f.scope.find(';', pos);
      if (semi == std::string::npos) semi = f.scope.size();
      std::string item = f.scope.substr(pos, semi - pos);
      while (!item.empty() && item.front() == ' ') item.erase(0, 1);
      while (!item.empty() && item.back() == ' ') item.pop_back();
      if (!item.empty()) ctx.scope.push_back(item);
      pos = semi + 1;
    }
  }
  return ctx;
}

namespace {

nlohmann::json ErrorJson(const Status& s) {
  return {{"error",
           {{"code", std::string(StatusCodeName(s.code()))},
            {"message", s.message()}}}};
}

int RunBatch(const core::Analyzer& analyzer, const AnalyzeFlags& f,
             const core::AnalysisContext& ctx) {
  std::FILE* in = stdin;
  if (f.batch != "-") {
    in = std::fopen(f.batch.c_str(), "rb");
    if (in == nullptr)
      return Fail(NotFoundError("cannot open '" + f.batch + "'"));
  }
  std::string line, out;
  size_t line_no = 0, failed = 0;
  bool too_long = false;
  auto flush = [&] {
    ++line_no;
    nlohmann::json j;
    if (too_long) {
      j = ErrorJson(ResourceExhaustedError(
          "line is too large (the limit is " +
          std::to_string(core::kMaxMessageBytes) + " bytes)"));
    } else {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::string text = f.lossy ? core::ReplaceInvalidUtf8(line) : line;
      auto a = analyzer.Analyze(text, ctx);
      if (a.ok()) {
        out.clear();
        core::AppendJson(*a, &out);
        out += '\n';
        std::fwrite(out.data(), 1, out.size(), stdout);
        line.clear();
        return;
      }
      j = ErrorJson(a.status());
    }
    ++failed;
    j["line"] = line_no;
    std::string s =
        j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    s += '\n';
    std::fwrite(s.data(), 1, s.size(), stdout);
    line.clear();
    too_long = false;
  };
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) {
    size_t start = 0;
    for (size_t i = 0; i < n; ++i) {
      if (buf[i] != '\n') continue;
      if (!too_long) line.append(buf + start, i - start);
      flush();
      start = i + 1;
    }
    if (!too_long) {
      line.append(buf + start, n - start);
      if (line.size() > core::kMaxMessageBytes) {
        too_long = true;
        line.clear();
      }
    }
  }
  if (!line.empty() || too_long) flush();
  if (in != stdin) std::fclose(in);
  std::fflush(stdout);
  if (failed > 0) {
    std::cerr << "kalm: " << failed << " of " << line_no
              << " lines could not be analysed (see their \"error\" objects)\n";
    return 65;
  }
  return 0;
}

int RunAnalyze(const AnalyzeFlags& f, const std::string& data_dir) {
  auto ctx = MakeContext(f);
  if (!ctx.ok()) return Fail(ctx.status());
  // One message needs one language's lexicon: compile lazily.
  auto analyzer = MakeAnalyzer(data_dir, /*with_models=*/true, /*lazy=*/true);
  if (!analyzer.ok()) return Fail(analyzer.status());
  if (!f.batch.empty()) {
    // The process ends right after: freeing the compiled lexicons node by node
    // would cost more than a thousand short messages. Kept reachable, so leak
    // checkers stay quiet.
    static auto* kept = new std::vector<std::unique_ptr<core::Analyzer>>();
    kept->push_back(std::move(*analyzer));
    return RunBatch(*kept->back(), f, *ctx);
  }
  auto input = ReadInput(f.file, core::kMaxMessageBytes);
  if (!input.ok()) return Fail(input.status());
  std::string text =
      f.lossy ? core::ReplaceInvalidUtf8(*input) : std::move(*input);
  auto a = (*analyzer)->Analyze(text, *ctx);
  if (!a.ok()) return Fail(a.status());
  if (f.json) {
    nlohmann::json j = core::ToJson(*a);
    if (f.explain) j["trace"] = a->trace;
    std::cout << j.dump(2) << "\n";
  } else {
    bool color = f.color == "always";
    if (f.color == "auto")
      color = isatty(1) && std::getenv("NO_COLOR") == nullptr;
    PrintReport(std::cout, text, *a, color);
    if (f.explain) {
      std::cout << "\n";
      for (const std::string& line : a->trace)
        std::cout << "  " << line << "\n";
    }
  }
  return 0;
}

}  // namespace

int Run(int argc, char** argv, const Wiring& wiring) {
  CLI::App app{"kalm: calm, fair client conversations for virtual assistants"};
  app.require_subcommand(1);
  std::string data_dir;
  app.add_option(
      "--data", data_dir,
      "read lexicons and models from this data/ folder instead of the "
      "built-in copy");

  AnalyzeFlags af;
  CLI::App* analyze = app.add_subcommand("analyze", "Analyse a client message");
  analyze->add_option("file", af.file, "message file, or - for standard input");
  analyze->add_option("--lang", af.lang, "auto, nl or en")
      ->capture_default_str();
  analyze->add_option("--fallback-lang", af.fallback_lang,
                      "advice language when the text does not tell (nl, en; "
                      "default nl)");
  analyze->add_option("--at", af.at, "when the message was sent (ISO-8601)");
  analyze->add_option(
      "--availability", af.availability,
      "agreed windows, e.g. 'mon-fri 09:00-17:30; sat 10:00-12:00'");
  analyze->add_option("--tz", af.tz,
                      "the client's time zone, e.g. Europe/Amsterdam");
  analyze->add_option("--scope", af.scope,
                      "agreed scope items, separated by ';'");
  analyze->add_option("--batch", af.batch,
                      "one message per line in, one JSON object per line out");
  analyze->add_option("--color", af.color, "auto, always or never")
      ->capture_default_str();
  analyze->add_flag("--json", af.json, "print one JSON object");
  analyze->add_flag("--lossy", af.lossy,
                    "replace malformed UTF-8 instead of failing");
  analyze->add_flag(
      "--explain", af.explain,
      "also list every lexicon hit with its weight after negation and context");

  EvalOptions eo;
  CLI::App* eval =
      app.add_subcommand("eval", "Measure the analyzer on a labelled corpus");
  eval->add_option(
          "task", eo.task,
          "valence, complaint, politeness, emotion, hostility, valence_nl, "
          "emotion_nl")
      ->required();
  eval->add_option("file", eo.file, "TSV file in the ../shared/data format")
      ->required();
  eval->add_option("--part", eo.part,
                   "all, fit or dev (one row in five, by id hash)")
      ->capture_default_str();
  eval->add_option("--lang", eo.lang,
                   "force nl or en (default: the corpus language)");
  eval->add_option("--threshold", eo.threshold, "decision threshold override");
  eval->add_flag("--json", eo.json, "print the metrics as one JSON object");

  ReviewFlags rf;
  CLI::App* review =
      app.add_subcommand("review", "Review a draft reply before you send it");
  review->add_option("file", rf.file, "draft file, or - for standard input");
  review->add_option("--reply-to", rf.reply_to,
                     "the client message the draft answers");
  review->add_option("--lang", rf.lang, "auto, nl or en")
      ->capture_default_str();
  review->add_option("--register", rf.form,
                     "je or u (Dutch form of address; default: detected)");
  review->add_flag("--json", rf.json, "print one JSON object");
  review->add_flag(
      "--explain", rf.explain,
      "also list every word-list hit and rewrite rule that matched");
  review->add_flag("--rewrite", rf.rewrite,
                   "also give a softer version with every edit listed");

  ReplyFlags yf;
  CLI::App* reply =
      app.add_subcommand("reply", "Suggest replies to a client message");
  reply->add_option("file", yf.file, "message file, or - for standard input");
  reply->add_option("--lang", yf.lang, "auto, nl or en")->capture_default_str();
  reply->add_option("--at", yf.at, "when the message was sent (ISO-8601)");
  reply->add_option("--availability", yf.availability,
                    "the agreed availability windows ('ma-vr 09:00-17:00'), "
                    "also used in the phrases");
  reply->add_option("--tz", yf.tz, "the client's time zone");
  reply->add_option("--scope", yf.scope,
                    "agreed scope items, separated by ';'");
  reply->add_option("--register", yf.form,
                    "je or u (default: as the client writes)");
  for (const auto& [flag, key, help] :
       std::initializer_list<std::tuple<const char*, const char*, const char*>>{
           {"--client", "client", "the client's name"},
           {"--me", "me", "your name, for the sign-off"},
           {"--date", "date",
            "a date for the next step (\"vrijdag 12 maart\")"},
           {"--day", "day", "a weekday for the next step"},
           {"--time", "time", "a time for the next step (\"10:00\")"},
           {"--rate", "rate", "the out-of-scope rate (\"€ 45 per uur\")"},
           {"--update-moments", "update_moments",
            "the agreed update moments (\"maandag en donderdag\")"},
           {"--task", "task", "the task or deliverable (\"de nieuwsbrief\")"},
           {"--hours", "hours", "an hour budget or estimate (\"20 uur\")"},
           {"--amount", "amount", "a sum of money (\"€ 120\")"},
           {"--deadline", "deadline", "a deadline"},
           {"--percent", "percent", "a deposit or share (\"50%\")"},
           {"--instalments", "instalments", "a number of instalments"}})
    reply->add_option(flag, yf.values[key], help);
  reply->add_flag("--json", yf.json, "print one JSON object");

  PhrasesFlags pf;
  CLI::App* phrases =
      app.add_subcommand("phrases", "Browse the phrase library");
  phrases->add_option("--strategy", pf.strategy,
                      "a strategy id (acknowledge, boundary, ...)");
  phrases->add_option(
      "--trigger", pf.trigger,
      "a situation of the strategy (after_hours, payment, ...)");
  phrases->add_option("--about", pf.about,
                      "what the client's message is about (late, refund, "
                      "checkin, ...): its own phrases and the general ones");
  phrases->add_option("--lang", pf.lang, "nl or en (default: both)");
  phrases->add_option("--register", pf.form, "je or u");
  phrases->add_flag("--json", pf.json, "print a JSON array");

  // Clients and agreements, kept in the database.
  StoreFlags sf;
  auto store_options = [&](CLI::App* cmd) {
    cmd->add_option("--db", sf.db,
                    "sqlite:PATH or postgresql://... (default: $KALM_DB, "
                    "else " +
                        wiring.default_db_url() + ")");
    cmd->add_option("--workspace", sf.workspace,
                    "workspace name (default: $KALM_WORKSPACE, else "
                    "\"default\")");
  };
  ClientFlags cf;
  CLI::App* client = app.add_subcommand("client", "Add, list and show clients");
  client->require_subcommand(1);
  CLI::App* client_add = client->add_subcommand("add", "Add a client");
  client_add->add_option("name", cf.name, "the client's name")->required();
  client_add->add_option("--company", cf.company, "company name");
  client_add->add_option("--lang", cf.lang, "nl or en (default: detect)");
  client_add->add_option("--register", cf.form,
                         "je or u (default: as the client writes)");
  client_add->add_option("--tz", cf.tz, "time zone (default Europe/Amsterdam)");
  client_add->add_option("--channels", cf.channels, "e.g. 'email; whatsapp'");
  client_add->add_option("--notes", cf.notes, "notes");
  CLI::App* client_list = client->add_subcommand("list", "List the clients");
  CLI::App* client_show =
      client->add_subcommand("show", "A client and the confirmed agreement");
  client_show->add_option("name", cf.name, "name or id")->required();
  for (CLI::App* c : {client_add, client_list, client_show}) {
    store_options(c);
    c->add_flag("--json", cf.json, "print JSON");
  }

  AgreementFlags gf;
  CLI::App* agreement = app.add_subcommand(
      "agreement", "Written agreements: set, show, history, send, confirm");
  agreement->require_subcommand(1);
  CLI::App* ag_set = agreement->add_subcommand(
      "set", "Save a draft: the newest version with the given changes");
  ag_set->add_option("--rate", gf.rate, "hourly rate, e.g. '€ 45'");
  ag_set->add_option("--extra-rate", gf.extra_rate,
                     "hourly rate for work outside the agreement");
  ag_set->add_option("--hours", gf.hours, "hours budget");
  ag_set->add_option("--per", gf.per, "budget period: week or month")
      ->check(CLI::IsMember({"week", "month"}));
  ag_set->add_option("--availability", gf.availability,
                     "e.g. 'ma-vr 09:00-17:00; za 10:00-12:00'");
  ag_set->add_option("--reaction-hours", gf.reaction_hours,
                     "promised reaction time in hours");
  ag_set->add_option("--updates", gf.updates,
                     "update moments: 'ma,do', 'mon and thu' or end-of-day");
  ag_set->add_option("--scope", gf.scope, "the agreed tasks, separated by ';'");
  ag_set->add_option("--channels", gf.channels, "e.g. 'email; whatsapp'");
  ag_set->add_option("--due-days", gf.due_days, "payment term in days");
  ag_set->add_option("--deposit", gf.deposit, "deposit in percent");
  ag_set->add_option("--instalments", gf.instalments, "number of instalments");
  ag_set->add_flag("--no-shift", gf.no_shift,
                   "a late client delivery does not move the planning");
  ag_set->add_option("--notes", gf.notes, "notes");
  CLI::App* ag_show = agreement->add_subcommand(
      "show", "The confirmed agreement (else the newest draft)");
  CLI::App* ag_history =
      agreement->add_subcommand("history", "Every version, newest first");
  CLI::App* ag_send =
      agreement->add_subcommand("send", "Mark the draft as sent to the client");
  CLI::App* ag_confirm = agreement->add_subcommand(
      "confirm", "Record that the client confirmed the draft");
  ag_confirm->add_option("--by", gf.by, "who confirmed (default: the client)");
  ag_confirm
      ->add_option("--how", gf.how, "email, whatsapp, portal, in person, ...")
      ->capture_default_str();
  for (CLI::App* c : {ag_send, ag_confirm})
    c->add_option("--version", gf.version,
                  "a version number (default: the "
                  "open draft)");
  for (CLI::App* c : {ag_set, ag_show, ag_history, ag_send, ag_confirm}) {
    c->add_option("client", gf.client, "client name or id")->required();
    store_options(c);
    c->add_flag("--json", gf.json, "print JSON");
  }

  ImportFlags imf;
  CLI::App* imp = app.add_subcommand(
      "import",
      "Import a client's messages: .eml, mbox, WhatsApp export, text");
  imp->add_option("file", imf.file, "the file to import")->required();
  imp->add_option("--client", imf.client, "client name or id")->required();
  imp->add_option("--me", imf.me,
                  "your own name or e-mail address as it appears in the file "
                  "(repeat for several): your messages are outgoing");
  imp->add_option("--format", imf.format,
                  "eml, mbox, whatsapp or text (default: detect)");
  imp->add_option("--tz", imf.tz,
                  "time zone of times without an offset (default: the "
                  "client's)");
  imp->add_option("--date-order", imf.date_order,
                  "WhatsApp dates: dmy or mdy (default: tell from the file)");
  imp->add_option("--batch", imf.batch, "messages per transaction (500)");
  imp->add_flag("--no-analysis", imf.no_analysis,
                "store the messages without analysing them");
  imp->add_flag("--json", imf.json, "print the report as JSON");
  store_options(imp);

  TimelineFlags tf;
  CLI::App* timeline = app.add_subcommand(
      "timeline", "A client's messages, oldest first, with their flags");
  timeline->add_option("client", tf.client, "client name or id")->required();
  timeline->add_flag("--json", tf.json, "print JSON");
  timeline->add_flag("--count", tf.count, "print only the number of messages");
  store_options(timeline);

  CaseFlags kf;
  CLI::App* kase = app.add_subcommand(
      "case", "The complaint case: five steps from the first shock to lessons");
  kase->require_subcommand(1);
  CLI::App* k_open = kase->add_subcommand(
      "open", "Open a case for a client (from one of their messages)");
  k_open->add_option("client", kf.id, "client name or id")->required();
  k_open->add_option("--message", kf.message, "the message's id");
  k_open->add_option("--title", kf.title, "a title (default: the message)");
  CLI::App* k_list = kase->add_subcommand("list", "The cases, newest first");
  k_list->add_option("client", kf.id, "only this client's");
  CLI::App* k_show = kase->add_subcommand(
      "show", "A case: its steps, what the next needs, the hints");
  CLI::App* k_set =
      kase->add_subcommand("set", "Record answers without moving on");
  CLI::App* k_next = kase->add_subcommand(
      "next", "Record answers and complete the current step");
  CLI::App* k_goto =
      kase->add_subcommand("goto", "Go back (or forward) to a step reached");
  k_goto->add_option("id", kf.id, "the case's id")->required();
  k_goto
      ->add_option("step", kf.step,
                   "1-5 or land, reflect, prepare, "
                   "conversation, evaluate")
      ->required();
  CLI::App* k_script = kase->add_subcommand(
      "script", "The conversation script, in the client's language");
  CLI::App* k_mail = kase->add_subcommand(
      "confirm-mail", "The confirmation mail of what was agreed");
  k_mail->add_option("--eml", kf.eml, "also write it as an .eml file");
  k_mail->add_option("--me", kf.me, "your name, to sign with");
  k_mail->add_option("--from", kf.from, "your e-mail address (for the .eml)");
  CLI::App* k_close =
      kase->add_subcommand("close", "Close a case early, with the reason");
  k_close->add_option("--reason", kf.reason, "why")->required();
  CLI::App* k_reopen = kase->add_subcommand("reopen", "Reopen a closed case");
  for (CLI::App* c :
       {k_show, k_set, k_next, k_script, k_mail, k_close, k_reopen})
    c->add_option("id", kf.id, "the case's id")->required();
  for (CLI::App* c : {k_set, k_next}) {
    c->add_option("--reaction", kf.reaction,
                  "1: how you reacted: defensive, pleasing or calm");
    c->add_flag("--receipt-sent", kf.receipt_sent, "1: the receipt is sent");
    c->add_option("--reflect", kf.reflect,
                  "2: N=answer to reflection question N (1-6; 6 is your "
                  "position)");
    c->add_option("--summary", kf.summary, "3: the complaint in neutral words");
    c->add_option("--question", kf.questions, "3: a clarifying question");
    c->add_option("--fact", kf.facts,
                  "3: a fact to explain: 'text|clause|version'");
    c->add_option("--proposal", kf.proposal, "3: your proposal");
    c->add_option("--proposal-eur", kf.proposal_eur, "3: what it is worth");
    c->add_option("--proposal-hours", kf.proposal_hours,
                  "3: its hours of work");
    c->add_option("--max", kf.maximum, "3: the most you will offer (private)");
    c->add_option("--max-eur", kf.max_eur, "3: the maximum in euros");
    c->add_option("--max-hours", kf.max_hours, "3: the maximum in hours");
    c->add_option("--notes", kf.notes, "4: notes of the conversation");
    c->add_option("--outcome", kf.outcome, "4: resolved, partly or not");
    c->add_option("--action", kf.actions,
                  "4: an agreed action: 'what|me/client/both|YYYY-MM-DD'");
    c->add_option("--follow-up", kf.follow_up, "4: when to check (YYYY-MM-DD)");
    c->add_option("--next-time", kf.next_time,
                  "5: what you will do differently next time");
    c->add_option("--trust", kf.trust, "5: where you may trust yourself more");
    c->add_option("--trigger", kf.triggers, "5: a trigger you noticed");
    c->add_option("--not-fit", kf.not_fit, "5: which clients do not fit you");
    c->add_option("--sooner", kf.sooner, "5: how to recognise this sooner");
  }
  for (CLI::App* c :
       {k_open, k_list, k_show, k_set, k_next, k_goto, k_close, k_reopen}) {
    c->add_flag("--json", kf.json, "print JSON");
    store_options(c);
  }
  for (CLI::App* c : {k_script, k_mail}) store_options(c);
  JournalFlags jf;
  CLI::App* journal = app.add_subcommand(
      "journal", "Lessons from evaluated cases, with recurring triggers");
  journal->add_option("--search", jf.search, "words that must all occur");
  journal->add_flag("--json", jf.json, "print JSON");
  store_options(journal);

  BackupFlags bf;
  CLI::App* exp = app.add_subcommand(
      "export",
      "Back up a workspace as one JSON file (clients, agreements, "
      "messages, tasks, invoices, users)");
  exp->add_option("-o,--out", bf.file,
                  "output file (default: standard output)");
  store_options(exp);
  CLI::App* restore = app.add_subcommand(
      "restore", "Restore a backup into a database without that workspace");
  restore->add_option("file", bf.file, "the backup (- for standard input)")
      ->required();
  store_options(restore);

  ServeFlags svf;
  CLI::App* serve =
      app.add_subcommand("serve", "Run the web app and its JSON API");
  serve->add_option("--bind", svf.bind, "address to listen on")
      ->capture_default_str();
  serve->add_option("--port", svf.port, "port (0: any free one)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve->add_option("--threads", svf.threads, "worker threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  serve->add_flag("--secure-cookies", svf.secure_cookies,
                  "mark cookies Secure (when served behind TLS)");
  store_options(serve);

  UserFlags uf;
  CLI::App* user = app.add_subcommand("user", "Accounts for the web app");
  user->require_subcommand(1);
  CLI::App* user_add = user->add_subcommand(
      "add", "Add an account; the password is read from standard input");
  user_add->add_option("email", uf.email, "e-mail address (the login)")
      ->required();
  user_add->add_option("--name", uf.name, "display name");
  user_add->add_option("--role", uf.role, "owner or member")
      ->check(CLI::IsMember({"owner", "member"}));
  store_options(user_add);

  CLI::App* lexicon = app.add_subcommand(
      "lexicon", "Check the lexicons (all languages) and count their entries");

  FitOptions fo;
  CLI::App* fit = app.add_subcommand(
      "fit",
      "Fit a model's weights on labelled corpora (writes data/model/*.tsv)");
  fit->add_option("model", fo.model,
                  "valence, complaint, politeness or emotion")
      ->required();
  fit->add_option("files", fo.files, "training TSV files")->required();
  fit->add_option("-o,--out", fo.out_dir, "output folder (data/model)")
      ->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }
  if (client->parsed()) {
    cf.store = sf;
    cf.action = client_add->parsed()    ? "add"
                : client_list->parsed() ? "list"
                                        : "show";
    return RunClient(wiring, cf);
  }
  if (agreement->parsed()) {
    gf.store = sf;
    for (const auto& [cmd, name] :
         std::initializer_list<std::pair<CLI::App*, const char*>>{
             {ag_set, "set"},
             {ag_show, "show"},
             {ag_history, "history"},
             {ag_send, "send"},
             {ag_confirm, "confirm"}})
      if (cmd->parsed()) gf.action = name;
    return RunAgreement(wiring, gf);
  }
  if (serve->parsed()) {
    svf.store = sf;
    return RunServe(wiring, svf, data_dir);
  }
  if (user_add->parsed()) {
    uf.store = sf;
    return RunUserAdd(wiring, uf);
  }
  if (kase->parsed()) {
    kf.store = sf;
    for (const auto& [cmd, name] :
         std::initializer_list<std::pair<CLI::App*, const char*>>{
             {k_open, "open"},
             {k_list, "list"},
             {k_show, "show"},
             {k_set, "set"},
             {k_next, "next"},
             {k_goto, "goto"},
             {k_script, "script"},
             {k_mail, "confirm-mail"},
             {k_close, "close"},
             {k_reopen, "reopen"}})
      if (cmd->parsed()) kf.action = name;
    return RunCase(wiring, kf, data_dir);
  }
  if (journal->parsed()) {
    jf.store = sf;
    return RunJournal(wiring, jf);
  }
  if (exp->parsed() || restore->parsed()) {
    bf.store = sf;
    return exp->parsed() ? RunExport(wiring, bf) : RunRestore(wiring, bf);
  }
  if (timeline->parsed()) {
    tf.store = sf;
    return RunTimeline(wiring, tf);
  }
  if (imp->parsed()) {
    imf.store = sf;
    return RunImport(wiring, imf, data_dir);
  }
  if (analyze->parsed()) return RunAnalyze(af, data_dir);
  if (review->parsed()) return RunReview(rf, data_dir);
  if (phrases->parsed()) return RunPhrases(pf, data_dir);
  if (reply->parsed()) return RunReply(yf, data_dir);
  if (eval->parsed()) {
    if (eo.task == "politeness") {  // scored as the reply coach scores
      auto coach = MakeCoach(data_dir, /*with_reviewer=*/true, /*lazy=*/false);
      if (!coach.ok()) return Fail(coach.status());
      return RunEval(*coach->analyzer, eo, std::cout, std::cerr,
                     coach->reviewer.get());
    }
    auto analyzer = MakeAnalyzer(data_dir);
    if (!analyzer.ok()) return Fail(analyzer.status());
    return RunEval(**analyzer, eo, std::cout, std::cerr);
  }
  if (fit->parsed()) {
    auto analyzer = MakeAnalyzer(data_dir, /*with_models=*/false);
    if (!analyzer.ok()) return Fail(analyzer.status());
    return RunFit(**analyzer, fo, std::cout, std::cerr);
  }
  if (lexicon->parsed()) {
    // Built eagerly: every file of every language is checked, which a lazy
    // one-message run would not do.
    // The reply coach's word lists, rewrites, texts and phrases too.
    auto coach = MakeCoach(data_dir, /*with_reviewer=*/true, /*lazy=*/false);
    if (!coach.ok()) return Fail(coach.status());
    const core::Analyzer* analyzer = coach->analyzer.get();
    const core::Reviewer* reviewer = coach->reviewer.get();
    auto is_draft = [](core::Category c) {
      return core::CategoryName(c).rfind("draft.", 0) == 0;
    };
    for (core::Language l :
         {core::Language::kDutch, core::Language::kEnglish}) {
      const core::Lexicon* lex = analyzer->lexicon(l);
      std::cout << core::LanguageCode(l) << ": " << lex->entry_count()
                << " entries\n";
      for (int c = 0; c < core::kCategoryCount; ++c) {
        const auto cat = static_cast<core::Category>(c);
        if (is_draft(cat)) continue;
        std::cout << "  " << core::CategoryName(cat) << " "
                  << lex->CountEntries(cat) << "\n";
      }
      const core::Lexicon& coach_lex = reviewer->coach_lexicon(l);
      std::cout << core::LanguageCode(l) << " reply coach:\n";
      for (int c = 0; c < core::kCategoryCount; ++c) {
        const auto cat = static_cast<core::Category>(c);
        if (!is_draft(cat) && cat != core::Category::kTimeRef) continue;
        std::cout << "  " << core::CategoryName(cat) << " "
                  << coach_lex.CountEntries(cat) << "\n";
      }
      std::cout << core::LanguageCode(l)
                << " phrases: " << reviewer->phrases().Find(l).size() << "\n";
    }
    return 0;
  }
  return kExitUsage;
}

}  // namespace kalm::cli
