// The kalm binary, run as a user runs it.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

struct Result {
  int code;
  std::string out;
  std::string err;
};

std::string Temp(const std::string& name, const std::string& content) {
  const auto p = std::filesystem::temp_directory_path() /
                 ("kalm_cli_test_" + std::to_string(getpid()) + "_" + name);
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

Result Kalm(const std::string& args) {
  const std::string err_file = Temp("stderr", "");
  const std::string cmd =
      std::string(KALM_BINARY) + " " + args + " 2>" + err_file;
  Result r{};
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_file);
  r.err.assign(std::istreambuf_iterator<char>(e), {});
  return r;
}

TEST(Cli, AnalyzeJson) {
  const auto f = Temp("msg", "Waarom is dit NOG steeds niet af?! Belachelijk.");
  const Result r = Kalm("analyze --json " + f);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["language"], "nl");
  EXPECT_GE(j["escalation_level"].get<int>(), 1);
}

TEST(Cli, AnalyzeReportIsReadable) {
  const auto f =
      Temp("msg2", "Ben je al begonnen? Laat je weten als je halverwege bent?");
  const Result r = Kalm("analyze --color never " + f);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Escalatie"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos);
}

TEST(Cli, BadInputGivesClearErrorAndNonZeroExit) {
  struct Case {
    std::string name, content, message;
  };
  const std::vector<Case> cases = {
      {"empty", "", "empty"},
      {"blank", "  \n\t\n", "whitespace"},
      {"huge", std::string(10 * 1024 * 1024, 'a'), "too large"},
      {"binary",
       std::string("\x7f"
                   "ELF\0\0\0\x01\x02",
                   9),
       "binary"},
      {"malformed", "Hallo \xC3\x28 daar", "offset 6"},
  };
  for (const Case& c : cases) {
    const Result r = Kalm("analyze " + Temp(c.name, c.content));
    EXPECT_NE(r.code, 0) << c.name;
    EXPECT_NE(r.err.find(c.message), std::string::npos)
        << c.name << ": " << r.err;
    EXPECT_GE(r.code, 0) << c.name << " killed by a signal";
    EXPECT_LT(r.code, 128) << c.name << " crashed";
  }
  const Result missing = Kalm("analyze /nonexistent/file.txt");
  EXPECT_NE(missing.code, 0);
  EXPECT_NE(missing.err.find("cannot open"), std::string::npos);
}

TEST(Cli, LossyRepairsMalformedInput) {
  const Result r = Kalm("analyze --json --lossy " +
                        Temp("lossy", "Top \xC3\x28 gedaan, dank je!"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_GT(nlohmann::json::parse(r.out)["valence"].get<double>(), 0);
}

TEST(Cli, BatchStreamsOneObjectPerLine) {
  const auto f =
      Temp("batch", "Dank je wel!\n\nThis is ridiculous!!\nbad \xFF line\n");
  const Result r = Kalm("analyze --batch " + f);
  EXPECT_EQ(r.code, 65);  // some lines failed
  std::istringstream in(r.out);
  std::string line;
  std::vector<nlohmann::json> rows;
  while (std::getline(in, line)) rows.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0]["language"], "nl");
  EXPECT_TRUE(rows[1].contains("error"));
  EXPECT_EQ(rows[1]["line"], 2);
  EXPECT_EQ(rows[2]["language"], "en");
  EXPECT_TRUE(rows[3].contains("error"));
}

TEST(Cli, FallbackLanguageDecidesOnlyWhenTheTextDoesNot) {
  const auto thumbs = Temp("thumbs", "ok \xf0\x9f\x91\x8d");
  auto j = nlohmann::json::parse(
      Kalm("analyze --json --fallback-lang en " + thumbs).out);
  EXPECT_EQ(j["language"], "und");
  EXPECT_EQ(j["advice_language"], "en");
  j = nlohmann::json::parse(Kalm("analyze --json " + thumbs).out);
  EXPECT_EQ(j["advice_language"], "nl");
  // A Dutch message stays Dutch whatever the fallback.
  const auto dutch =
      Temp("dutch", "Waarom is de factuur nog steeds niet betaald?");
  j = nlohmann::json::parse(
      Kalm("analyze --json --fallback-lang en " + dutch).out);
  EXPECT_EQ(j["advice_language"], "nl");
  EXPECT_EQ(Kalm("analyze --fallback-lang fr " + thumbs).code, 65);
}

TEST(Cli, ReviewJsonHasTheDocumentedShape) {
  const auto draft =
      Temp("draft",
           "Zoals ik al zei wacht ik nog op jouw teksten!! Ik kijk er "
           "binnenkort naar.");
  const auto client =
      Temp("client", "Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?!");
  const Result r =
      Kalm("review --json --rewrite --reply-to " + client + " " + draft);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"verdict", "wait_minutes", "politeness", "findings",
                          "good", "rewrite", "language", "register"})
    EXPECT_TRUE(j.contains(key)) << key;
  ASSERT_FALSE(j["findings"].empty());
  for (const auto& f : j["findings"])
    for (const char* key :
         {"id", "severity", "start", "end", "text", "why", "replacement"})
      EXPECT_TRUE(f.contains(key)) << key;
  EXPECT_TRUE(j["rewrite"].contains("text"));
  ASSERT_FALSE(j["rewrite"]["edits"].empty());
  for (const char* key : {"start", "end", "before", "after", "why"})
    EXPECT_TRUE(j["rewrite"]["edits"][0].contains(key)) << key;
  EXPECT_EQ(j["rewrite"]["text"].get<std::string>().find("!!"),
            std::string::npos);
  // The readable report speaks the draft's language.
  const Result text = Kalm("review --reply-to " + client + " " + draft);
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("Oordeel"), std::string::npos) << text.out;
}

TEST(Cli, ReviewBadInput) {
  EXPECT_EQ(Kalm("review " + Temp("empty", "  \n")).code, 65);
  EXPECT_EQ(
      Kalm("review --reply-to /nonexistent/x " + Temp("ok", "Prima!")).code,
      66);
  const Result bad = Kalm("review --reply-to " + Temp("bad", "\xff\xfe") + " " +
                          Temp("ok2", "Prima, morgen om 9:00."));
  EXPECT_EQ(bad.code, 65);
  EXPECT_NE(bad.err.find("reply-to"), std::string::npos) << bad.err;
  EXPECT_EQ(Kalm("review --register jij " + Temp("ok3", "Prima.")).code, 65);
  const Result empty_client =
      Kalm("review --reply-to " + Temp("empty2", " \n") + " " +
           Temp("ok4", "Prima, morgen om 9:00."));
  EXPECT_EQ(empty_client.code, 65);
  EXPECT_NE(empty_client.err.find("reply-to"), std::string::npos)
      << empty_client.err;
}

TEST(Cli, ReplySuggestsVariantsAndAReceipt) {
  const auto msg = Temp("angry",
                        "Waarom is de nieuwsbrief NOG STEEDS niet "
                        "verstuurd?! Dit kan echt niet.");
  const Result r = Kalm(
      "reply --json --client Sanne --day vrijdag --time "
      "12:00 " +
      msg);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["language"], "nl");
  EXPECT_TRUE(j["cool_down"].get<bool>());
  EXPECT_FALSE(j["receipt"].get<std::string>().empty());
  ASSERT_GE(j["variants"].size(), 2u);
  ASSERT_LE(j["variants"].size(), 3u);
  for (const auto& v : j["variants"]) {
    EXPECT_NE(v["text"].get<std::string>().find("Sanne"), std::string::npos);
    EXPECT_FALSE(v["parts"].empty());
  }
  const Result text = Kalm("reply --client Sanne " + msg);
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("Eerst afkoelen"), std::string::npos) << text.out;
  EXPECT_EQ(Kalm("reply /nonexistent/msg").code, 66);
  EXPECT_EQ(Kalm("reply --register jij " + msg).code, 65);
  EXPECT_EQ(Kalm("reply --at gisteren " + msg).code, 65);
}

TEST(Cli, PhrasesFilterByStrategyLanguageAndRegister) {
  const Result r =
      Kalm("phrases --json --strategy boundary --lang nl --register u");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_GE(j.size(), 5u);
  for (const auto& p : j) {
    EXPECT_EQ(p["strategy"], "boundary");
    EXPECT_EQ(p["language"], "nl");
    EXPECT_NE(p["register"], "je");
  }
  const Result unknown = Kalm("phrases --strategy cheer_up");
  EXPECT_EQ(unknown.code, 65);
  EXPECT_NE(unknown.err.find("acknowledge"), std::string::npos) << unknown.err;
}

TEST(Cli, UsageErrors) {
  EXPECT_EQ(Kalm("analyze --lang fr " + Temp("x", "hoi")).code, 65);
  EXPECT_EQ(Kalm("frobnicate").code, 64);
  EXPECT_NE(
      Kalm("analyze --at gisteren " + Temp("y", "hoi")).err.find("timestamp"),
      std::string::npos);
}

TEST(Cli, EvalAndFitOnASmallCorpus) {
  // A corpus written here, in the ../shared/data shape.
  std::string tsv = "id\tdomain\tcomplaint\ttext\n";
  const char* complaints[] = {
      "Why is my order STILL not here?? Terrible service.",
      "Third time asking, no reply at all. Ridiculous.",
      "I paid two weeks ago and still nothing."};
  const char* others[] = {"Thanks so much, the delivery was quick!",
                          "Can I change the colour of my order?",
                          "Lovely service, will order again."};
  int id = 0;
  for (int round = 0; round < 5; ++round) {
    for (const char* c : complaints)
      tsv += std::to_string(++id) + "\tx\t1\t" + c + "\n";
    for (const char* o : others)
      tsv += std::to_string(++id) + "\tx\t0\t" + o + "\n";
  }
  const std::string corpus = Temp("corpus.tsv", tsv);
  const Result eval = Kalm("eval complaint --json " + corpus);
  ASSERT_EQ(eval.code, 0) << eval.err;
  const auto m = nlohmann::json::parse(eval.out);
  EXPECT_EQ(m["rows"].get<double>(), 30);
  EXPECT_GT(m["f1"].get<double>(), 0.6);

  const auto out_dir = std::filesystem::temp_directory_path() /
                       ("kalm_fit_" + std::to_string(getpid()));
  std::filesystem::remove_all(out_dir);
  const Result fit =
      Kalm("fit complaint " + corpus + " -o " + out_dir.string());
  ASSERT_EQ(fit.code, 0) << fit.err;
  std::ifstream model(out_dir / "complaint.tsv");
  ASSERT_TRUE(model.good());
  std::string line;
  bool bias = false;
  int weights = 0;
  while (std::getline(model, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("bias\t", 0) == 0)
      bias = true;
    else
      ++weights;
    EXPECT_NE(line.find('\t'), std::string::npos) << line;
  }
  EXPECT_TRUE(bias);
  EXPECT_GT(weights, 0);
  // No text of the corpus leaves it: only feature names and numbers.
  std::ifstream again(out_dir / "complaint.tsv");
  const std::string all((std::istreambuf_iterator<char>(again)), {});
  EXPECT_EQ(all.find("Ridiculous"), std::string::npos);
  std::filesystem::remove_all(out_dir);

  const Result bad =
      Kalm("eval complaint " + Temp("bad.tsv", "id\ttext\n1\tx\tEXTRA\n"));
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.err.find("bad.tsv:2"), std::string::npos) << bad.err;
}

TEST(Cli, EvalHostilityOnTheHeldOutShape) {
  // The shape of the Dutch hostility test: id, hostile, text.
  const std::string tsv =
      "id\thostile\ttext\n"
      "1\t1\tJe bent een waardeloze idioot.\n"
      "2\t0\tIk vind je geen idioot, het was een vergissing.\n"
      "3\t1\tIk weet waar je woont.\n"
      "4\t0\tKut, de printer doet het weer niet.\n"
      "5\t0\tMijn vorige VA noemde me een klootzak, dat wil ik nooit meer.\n"
      "6\t1\tJij bent een kl00tzak.\n";
  const Result r = Kalm("eval hostility --json " + Temp("hostility.tsv", tsv));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto m = nlohmann::json::parse(r.out);
  EXPECT_EQ(m["rows"].get<double>(), 6);
  EXPECT_EQ(m["accuracy"].get<double>(), 1.0) << r.out;
}

TEST(Cli, LexiconCheckFindsEveryLanguagesErrors) {
  const Result ok = Kalm(std::string("--data ") + KALM_DATA_DIR + " lexicon");
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("nl: "), std::string::npos);
  EXPECT_NE(ok.out.find("en: "), std::string::npos);
  // A copy of data/ with a duplicate in the English files: the check names it.
  const auto dir = std::filesystem::temp_directory_path() /
                   ("kalm_data_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::copy(KALM_DATA_DIR, dir,
                        std::filesystem::copy_options::recursive);
  std::ofstream(dir / "lexicon/en/zz-test.tsv") << "happy\tvalence\t2\t\n";
  const Result bad = Kalm("--data " + dir.string() + " lexicon");
  EXPECT_EQ(bad.code, 65);
  EXPECT_NE(bad.err.find("en/zz-test.tsv:1: duplicate entry"),
            std::string::npos)
      << bad.err;
  std::filesystem::remove_all(dir);
}

TEST(Cli, ExplainListsTheLexiconHits) {
  const Result r = Kalm("analyze --explain --color never " +
                        Temp("explain", "Ik ben niet blij met dit resultaat."));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("negated 'blij' nl/"), std::string::npos) << r.out;
}

TEST(Cli, EvalOnSharedData) {
  const std::string data = KALM_SHARED_DATA;
  if (!std::filesystem::exists(data + "/complaint/train.tsv")) {
    GTEST_SKIP() << "../shared/data is not present";
  }
  const Result r =
      Kalm("eval complaint --json --part dev " + data + "/complaint/train.tsv");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["rows"].get<double>(), 100);
  EXPECT_GT(j["f1"].get<double>(), 0.3);  // far above chance-level zero
}

}  // namespace

// Clients and agreements, kept in a database the test owns.
class CliStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kalm_cli_store_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    db_ = " --db sqlite:" + (dir_ / "kalm.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  Result Run(const std::string& args) { return Kalm(args + db_); }
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(CliStore, ClientAgreementConfirmAndHistory) {
  Result r =
      Run("client add 'Sanne de Vries' --company 'Bakkerij Sanne' "
          "--register je --channels 'email; whatsapp'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Run("client add 'Sanne de Vries'").code, 73) << "duplicate name";
  r =
      Run("agreement set Sanne --rate '€ 45' --extra-rate 60,00 --hours 20 "
          "--per month --availability 'ma-vr 09:00-17:00' --updates "
          "'maandag en donderdag' --scope 'inbox; agenda' --due-days 14");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("ma-vr 09:00-17:00"), std::string::npos) << r.out;
  r = Run("agreement confirm sanne --by Sanne --how whatsapp --json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["state"], "confirmed");
  EXPECT_EQ(j["confirmed_how"], "whatsapp");
  EXPECT_EQ(j["terms"]["rate"]["cents"], 4500);
  EXPECT_EQ(j["terms"]["out_of_scope_rate"]["cents"], 6000);
  EXPECT_EQ(j["terms"]["update_weekdays"], nlohmann::json::array({0, 3}));
  // A change is a new draft; the confirmed version stays what `show` gives.
  ASSERT_EQ(Run("agreement set Sanne --deposit 50").code, 0);
  r = Run("agreement show Sanne --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["version"], 1);
  r = Run("agreement history Sanne --json");
  ASSERT_EQ(r.code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["state"], "draft");
  EXPECT_EQ(j[0]["terms"]["deposit_percent"], 50);
  EXPECT_EQ(j[0]["terms"]["payment_due_days"], 14);  // kept from version 1
  ASSERT_EQ(Run("agreement confirm Sanne").code, 0);
  r = Run("client show Sanne --json");
  ASSERT_EQ(r.code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["company"], "Bakkerij Sanne");
  EXPECT_EQ(j["agreement"]["version"], 2);
  r = Run("client list");
  EXPECT_NE(r.out.find("Sanne de Vries (Bakkerij Sanne)"), std::string::npos);
}

TEST_F(CliStore, ClearErrorsAndExitCodes) {
  Result r = Run("client show Piet");
  EXPECT_EQ(r.code, 66);
  EXPECT_NE(r.err.find("no client named 'Piet'"), std::string::npos) << r.err;
  ASSERT_EQ(Run("client add Tom").code, 0);
  r = Run("agreement confirm Tom");
  EXPECT_EQ(r.code, 66);
  EXPECT_NE(r.err.find("no draft"), std::string::npos) << r.err;
  r = Run("agreement set Tom --availability 'someday 9-5'");
  EXPECT_EQ(r.code, 65) << r.err;
  r = Run("agreement set Tom --rate 'veel'");
  EXPECT_EQ(r.code, 65) << r.err;
  r = Run("agreement set Tom --updates 'soms'");
  EXPECT_EQ(r.code, 65);
  EXPECT_NE(r.err.find("not a weekday"), std::string::npos) << r.err;
  r = Run("client add Anna --tz Mars/Olympus");
  EXPECT_EQ(r.code, 65);
  EXPECT_NE(r.err.find("time zone"), std::string::npos) << r.err;
  // Another workspace does not see Tom.
  EXPECT_EQ(Kalm("client show Tom --workspace Bureau" + db_).code, 66);
  EXPECT_EQ(Kalm("client add Tom --workspace Bureau" + db_).code, 0);
  EXPECT_EQ(Kalm("client list --workspace Bureau --json" + db_).code, 0);
  // A database that is not one.
  const auto junk = Temp("junk.db", std::string(4096, 'x'));
  r = Kalm("client list --db sqlite:" + junk);
  EXPECT_EQ(r.code, 65) << r.err;  // kDataLoss
  EXPECT_NE(r.err.find("not a database"), std::string::npos) << r.err;
}

// A WhatsApp export of `n` messages, written by us: two people, several a
// minute, some multi-line.
std::string BigExport(int n) {
  std::string out;
  out.reserve(static_cast<size_t>(n) * 60);
  static const char* kTexts[] = {
      "Hoe staat het met de nieuwsbrief?",
      "Ok",
      "Ik kijk er vanmiddag naar.",
      "Waarom is dit NOG STEEDS niet af?!",
      "Dank je wel!",
      "Kun je ook even de agenda van volgende week bijwerken?"};
  for (int i = 0; i < n; ++i) {
    const int minute = i / 3;  // three messages a minute: equal times
    const int day = 1 + (minute / (24 * 60)) % 28;
    const int month = 1 + (minute / (24 * 60 * 28)) % 12;
    char head[64];
    std::snprintf(head, sizeof head, "%02d-%02d-2025 %02d:%02d - ", day, month,
                  (minute / 60) % 24, minute % 60);
    out += head;
    out += (i % 2 == 0) ? "Sanne: " : "Eva: ";
    out += kTexts[i % 6];
    if (i % 17 == 0) out += "\nEn nog een regel erbij.";
    out += "\n";
  }
  return out;
}

std::string MessagesOf(const std::string& db) {
  // Every stored message, without row ids, in order: what the timeline shows.
  const Result r = Kalm("timeline Sanne --json --db sqlite:" + db);
  EXPECT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  if (j.is_discarded()) return "";
  std::string out;
  for (auto& m : j["messages"]) {
    m.erase("id");
    out += m.dump() + "\n";
  }
  return out;
}

TEST_F(CliStore, KilledImportResumesToTheSameResultAsACleanOne) {
  const int n = 40000;
  const std::string file = Temp("big-whatsapp.txt", BigExport(n));
  ASSERT_EQ(Run("client add Sanne").code, 0);
  const std::string db = (dir_ / "kalm.db").string();
  // Start the import, wait until some batches are stored, then SIGKILL it.
  const std::string cmd = std::string(KALM_BINARY) + " import " + file +
                          " --client Sanne --me Eva --batch 200" + db_;
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", ("exec " + cmd + " >/dev/null 2>&1").c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int64_t stored = 0;
  for (int i = 0; i < 2000 && stored < 2000; ++i) {
    usleep(5000);
    const Result c = Kalm("timeline Sanne --count" + db_);
    if (c.code == 0) stored = std::atoll(c.out.c_str());
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the import ended before it was killed";
  const Result mid = Kalm("timeline Sanne --count" + db_);
  const int64_t at_kill = std::atoll(mid.out.c_str());
  EXPECT_GT(at_kill, 0);
  EXPECT_LT(at_kill, n);
  // The rerun finishes the job.
  Result again =
      Run("import " + file + " --client Sanne --me Eva --batch 200 --json");
  ASSERT_EQ(again.code, 0) << again.err;
  auto report = nlohmann::json::parse(again.out);
  EXPECT_GT(report["resumed_at"].get<int64_t>(), 0);
  // One clean import elsewhere.
  const auto clean_dir = dir_ / "clean";
  const std::string clean_db = (clean_dir / "kalm.db").string();
  ASSERT_EQ(Kalm("client add Sanne --db sqlite:" + clean_db).code, 0);
  ASSERT_EQ(Kalm("import " + file +
                 " --client Sanne --me Eva --db sqlite:" + clean_db)
                .code,
            0);
  const std::string resumed = MessagesOf(db), clean = MessagesOf(clean_db);
  EXPECT_FALSE(clean.empty());
  EXPECT_EQ(std::count(clean.begin(), clean.end(), '\n'), n);
  EXPECT_TRUE(resumed == clean)
      << "the resumed import differs from a clean one";
}

TEST_F(CliStore, BackupRestoredIntoAnEmptyDatabaseGivesTheSameTimeline) {
  ASSERT_EQ(Run("client add Sanne --register je").code, 0);
  ASSERT_EQ(Run("agreement set Sanne --availability 'ma-vr 09:00-17:00' "
                "--scope 'inbox; agenda'")
                .code,
            0);
  ASSERT_EQ(Run("agreement confirm Sanne").code, 0);
  ASSERT_EQ(Run("import " + std::string(KALM_IMPORT_FIXTURES) +
                "/whatsapp-android-nl.txt --client Sanne --me Eva")
                .code,
            0);
  ASSERT_EQ(Run("import " + std::string(KALM_IMPORT_FIXTURES) +
                "/mailbox.mbox --client Sanne --me eva@va.example")
                .code,
            0);
  const std::string backup = (dir_ / "backup.json").string();
  Result r = Run("export -o " + backup);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(std::filesystem::status(backup).permissions() &
                (std::filesystem::perms::group_all |
                 std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  const std::string empty = " --db sqlite:" + (dir_ / "empty.db").string();
  r = Kalm("restore " + backup + empty);
  ASSERT_EQ(r.code, 0) << r.err;
  const Result a = Run("timeline Sanne --json");
  const Result b = Kalm("timeline Sanne --json" + empty);
  ASSERT_EQ(a.code, 0);
  EXPECT_GT(a.out.size(), 1000u);
  EXPECT_TRUE(a.out == b.out) << "the restored timeline differs";
  // The timeline's patterns: Sanne wrote after 17:00 on weekdays and on a
  // Sunday night, against agreed hours of ma-vr 09:00-17:00.
  const auto tl = nlohmann::json::parse(a.out);
  bool after_hours_flagged = false;
  for (const auto& p : tl["patterns"]["patterns"])
    if (p["id"] == "after_hours")
      after_hours_flagged = p["flagged"].get<bool>();
  EXPECT_TRUE(after_hours_flagged) << tl["patterns"].dump();
  EXPECT_EQ(tl["patterns"]["step"], "boundaries");
  // Once more into the same database: refused, nothing doubled.
  r = Kalm("restore " + backup + empty);
  EXPECT_EQ(r.code, 73) << r.err;
  // Not a backup.
  const auto junk = Temp("notabackup.json", "{\"hello\": 1}");
  r = Kalm("restore " + junk + " --db sqlite:" + (dir_ / "x.db").string());
  EXPECT_EQ(r.code, 65);
  EXPECT_NE(r.err.find("not a kalm backup"), std::string::npos) << r.err;
}

// The complaint case on the command line: from a message to the journal.
TEST_F(CliStore, ACaseWalksFromTheMessageToTheJournal) {
  ASSERT_EQ(Run("client add 'Sanne de Vries' --lang nl --register je").code, 0);
  ASSERT_EQ(Run("agreement set Sanne --scope 'Maandverslag maken' "
                "--reaction-hours 24")
                .code,
            0);
  ASSERT_EQ(Run("agreement confirm Sanne").code, 0);
  const std::string msg =
      Temp("case-msg.txt",
           "Waarom is het maandverslag NOG steeds niet af?! Dit is echt "
           "onbetrouwbaar.\n");
  ASSERT_EQ(Run("import " + msg + " --client Sanne --format text").code, 0);
  // A message that is not the client's cannot start a case.
  EXPECT_EQ(Run("case open Sanne --message 999").code, 66);
  Result r = Run("case open Sanne --message 1 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto c = nlohmann::json::parse(r.out);
  EXPECT_EQ(c["step"], 1);
  EXPECT_FALSE(c["content"]["receipt"].get<std::string>().empty());
  EXPECT_TRUE(c["content"]["cool_down_until"].is_number()) << "heated";
  // Step 1 needs the reaction; the answer must be one of three.
  r = Run("case next 1");
  EXPECT_EQ(r.code, 78);
  EXPECT_NE(r.err.find("reaction"), std::string::npos) << r.err;
  EXPECT_EQ(Run("case next 1 --reaction furious").code, 65);
  ASSERT_EQ(Run("case next 1 --reaction defensive").code, 0);
  // The hints: facts and judgements of the message, the agreement clauses.
  r = Run("case show 1 --json");
  c = nlohmann::json::parse(r.out);
  EXPECT_EQ(c["step"], 2);
  EXPECT_EQ(c["hints"]["dominant_emotion"], "anger");
  EXPECT_FALSE(c["hints"]["judgements"].empty());
  EXPECT_EQ(c["hints"]["clauses"][0]["key"], "scope");
  ASSERT_EQ(Run("case next 1 --reflect '6=Het was een dag te laat.'").code, 0);
  // The proposal may not exceed the maximum: refused, nothing stored.
  r =
      Run("case next 1 --summary 'Het verslag was te laat.' --proposal "
          "'Korting' --proposal-eur 80 --max 'Korting' --max-eur 50");
  EXPECT_EQ(r.code, 65);
  EXPECT_NE(r.err.find("maximum"), std::string::npos) << r.err;
  EXPECT_EQ(nlohmann::json::parse(Run("case show 1 --json").out)["step"], 3);
  ASSERT_EQ(Run("case next 1 --summary 'Het verslag was te laat.' "
                "--proposal 'Een uur korting' --proposal-hours 1 --max "
                "'GEHEIMEGRENS twee uur' --max-hours 2")
                .code,
            0);
  r = Run("case script 1");
  ASSERT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("GEHEIMEGRENS"), std::string::npos)
      << "the script shows the user their own limit";
  // Going back and forward again.
  ASSERT_EQ(Run("case goto 1 reflect").code, 0);
  EXPECT_EQ(Run("case goto 1 5").code, 65);
  ASSERT_EQ(Run("case goto 1 4").code, 0);
  ASSERT_EQ(Run("case next 1 --outcome resolved --action "
                "'Verslag opleveren|me|2026-11-27' --follow-up 2026-12-04")
                .code,
            0);
  const std::string eml = (dir_ / "mail.eml").string();
  r = Run("case confirm-mail 1 --me Eva --from eva@example.nl --eml " + eml);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Hoi Sanne,"), std::string::npos);
  EXPECT_NE(r.out.find("vrijdag 27 november"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("GEHEIMEGRENS"), std::string::npos);
  std::ifstream in(eml);
  const std::string file((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  EXPECT_NE(file.find("From: Eva <eva@example.nl>"), std::string::npos);
  EXPECT_NE(file.find("Content-Type: text/plain; charset=utf-8"),
            std::string::npos);
  EXPECT_EQ(file.find("GEHEIMEGRENS"), std::string::npos);
  ASSERT_EQ(Run("case next 1 --trigger 'onbetrouwbaar genoemd' --next-time "
                "'Eerder melden dat het later wordt.'")
                .code,
            0);
  r = Run("journal --search onbetrouwbaar --json");
  ASSERT_EQ(r.code, 0);
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["entries"].size(), 1u);
  EXPECT_EQ(j["entries"][0]["client"], "Sanne de Vries");
  EXPECT_TRUE(nlohmann::json::parse(
                  Run("journal --search nergens --json").out)["entries"]
                  .empty());
  // Closed as done; reopen and close early with a reason.
  EXPECT_EQ(Run("case next 1").code, 78);
  ASSERT_EQ(Run("case reopen 1").code, 0);
  EXPECT_EQ(Run("case close 1 --reason ''").code, 65);
  ASSERT_EQ(Run("case close 1 --reason 'Opgelost aan de telefoon'").code, 0);
  r = Run("case list Sanne");
  EXPECT_NE(r.out.find("gesloten"), std::string::npos);
}
