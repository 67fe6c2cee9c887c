// The kalm binary, run as a user runs it.
#include <gtest/gtest.h>
#include <sys/wait.h>

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

TEST(Cli, UsageErrors) {
  EXPECT_EQ(Kalm("analyze --lang fr " + Temp("x", "hoi")).code, 65);
  EXPECT_EQ(Kalm("frobnicate").code, 64);
  EXPECT_NE(
      Kalm("analyze --at gisteren " + Temp("y", "hoi")).err.find("timestamp"),
      std::string::npos);
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
