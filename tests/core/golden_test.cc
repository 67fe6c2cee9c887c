// Runs every analyzer golden case (tests/core/golden/{nl,en}/*.golden; format
// in tests/core/golden/README.md).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "golden_file.h"
#include "test_util.h"

namespace kalm::core {
namespace {

using testing::GoldenCase;
using testing::Words;

const std::vector<GoldenCase>& Cases() {
  static const std::vector<GoldenCase> c =
      testing::LoadGoldenCases(KALM_GOLDEN_DIR);
  return c;
}

bool InSet(const std::string& value, const std::string& alternatives) {
  std::stringstream ss(alternatives);
  std::string a;
  while (std::getline(ss, a, '|'))
    if (a == value) return true;
  return false;
}

// Cases listed in known-failures.txt are the analyzer's open gaps: they are
// skipped while they fail and fail as soon as they pass, so the list only
// shrinks.
const std::set<std::string>& KnownFailures() {
  static const std::set<std::string> k =
      testing::LoadIdList(std::string(KALM_GOLDEN_DIR) + "/known-failures.txt");
  return k;
}

// Every expectation of the case that does not hold, as a sentence.
std::vector<std::string> Check(const GoldenCase& c) {
  std::vector<std::string> fail;
  AnalysisContext ctx;
  const auto& k = c.keys;
  // Like a user who reads kalm in the folder's language: it decides only when
  // the text itself does not.
  ctx.fallback_language =
      c.folder_lang == "en" ? Language::kEnglish : Language::kDutch;
  if (k.count("at")) {
    auto t = ParseTimestamp(k.at("at"));
    if (!t.ok()) return {"bad 'at': " + t.status().message()};
    ctx.at = *t;
  }
  if (k.count("availability")) {
    auto w = ParseAvailability(k.at("availability"));
    if (!w.ok()) return {"bad 'availability': " + w.status().message()};
    ctx.availability = *w;
  }
  if (k.count("scope")) {
    std::stringstream ss(k.at("scope"));
    std::string item;
    while (std::getline(ss, item, ';')) {
      while (!item.empty() && item.front() == ' ') item.erase(0, 1);
      if (!item.empty()) ctx.scope.push_back(item);
    }
  }
  auto r = kalm::testing::TestAnalyzer().Analyze(c.text, ctx);
  if (!r.ok()) return {"analysis failed: " + r.status().ToString()};
  const Analysis& a = *r;
  std::string found;
  for (const Signal& s : a.signals) found += s.id + " ";
  std::string strategies;
  for (const auto& s : a.strategies) strategies += s.id + " ";
  auto has = [&](const std::string& id) {
    for (const Signal& s : a.signals)
      if (s.id == id) return true;
    return false;
  };
  auto advised = [&](const std::string& id) {
    for (const auto& s : a.strategies)
      if (s.id == id) return true;
    return false;
  };
  auto get = [&](const char* key) {
    return k.count(key) ? k.at(key) : std::string();
  };
  const std::string lang = k.count("lang") ? k.at("lang") : c.folder_lang;
  if (a.advice_language != lang)
    fail.push_back("language " + a.advice_language);
  for (const auto& id : Words(get("expect")))
    if (!has(id)) fail.push_back("expected signal " + id + "; found: " + found);
  for (const auto& id : Words(get("reject")))
    if (has(id)) fail.push_back("rejected signal " + id + " was found");
  if (k.count("escalation")) {
    const std::string& e = k.at("escalation");
    const int lo = e[0] - '0';
    const int hi = e.size() >= 4 ? e[3] - '0' : lo;
    if (a.escalation_level < lo || a.escalation_level > hi)
      fail.push_back("escalation " + std::to_string(a.escalation_level) +
                     " not in " + e + "; found: " + found);
  }
  if (k.count("hostile") && a.hostile != (k.at("hostile") == "yes"))
    fail.push_back(std::string("hostile is ") + (a.hostile ? "yes" : "no") +
                   "; found: " + found);
  if (k.count("dominant") && !InSet(a.dominant_emotion, k.at("dominant")))
    fail.push_back("dominant " + a.dominant_emotion);
  if (k.count("valence")) {
    const std::string& v = k.at("valence");
    const double x = a.valence;
    const bool ok = (v == "neg" && x < -0.05) || (v == "pos" && x > 0.05) ||
                    (v == "neutral" && x >= -0.05 && x <= 0.05) ||
                    (v == "notpos" && x <= 0.05) ||
                    (v == "notneg" && x >= -0.05);
    if (!ok) fail.push_back("valence " + std::to_string(x) + " is not " + v);
  }
  if (k.count("issue") && !InSet(a.issue_kind, k.at("issue")))
    fail.push_back("issue " + a.issue_kind);
  if (k.count("complaint") &&
      (a.complaint >= 0.5) != (k.at("complaint") == "yes"))
    fail.push_back("complaint " + std::to_string(a.complaint));
  for (const auto& id : Words(get("strategies")))
    if (!advised(id))
      fail.push_back("expected strategy " + id + "; got: " + strategies);
  for (const auto& id : Words(get("avoid")))
    if (advised(id))
      fail.push_back("strategy " + id + " should not be advised");
  return fail;
}

class Golden : public ::testing::TestWithParam<size_t> {};

TEST_P(Golden, Case) {
  const GoldenCase& c = Cases()[GetParam()];
  testing::ReportGoldenCase(c, Check(c), KnownFailures());
}

std::string CaseName(const ::testing::TestParamInfo<size_t>& info) {
  return testing::GoldenTestName(Cases()[info.param].id);
}

INSTANTIATE_TEST_SUITE_P(Analyzer, Golden,
                         ::testing::Range<size_t>(0, Cases().size()), CaseName);

TEST(GoldenFiles, EnoughReviewedCases) {
  int nl = 0, en = 0;
  for (const auto& c : Cases()) (c.folder_lang == "nl" ? nl : en)++;
  EXPECT_GE(nl, 300);
  EXPECT_GE(en, 200);
  std::set<std::string> ids;
  for (const auto& c : Cases())
    EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
  for (const auto& id : KnownFailures())
    EXPECT_TRUE(ids.count(id))
        << "known-failures.txt names unknown case " << id;
}

}  // namespace
}  // namespace kalm::core
