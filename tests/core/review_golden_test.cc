// Runs every reply-coach golden draft (tests/core/review/{nl,en}/*.golden;
// format in tests/core/review/README.md), and the rewrite's properties over all
// of them: facts kept, idempotent, never empty, offsets on UTF-8 boundaries.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "golden_file.h"
#include "test_util.h"

namespace kalm::core {
namespace {

using testing::Words;
using DraftCase = testing::GoldenCase;  // text: the draft; quoted/reply-to: the
                                        // client message

const std::vector<DraftCase>& Cases() {
  static const std::vector<DraftCase> all = [] {
    auto cases = testing::LoadGoldenCases(KALM_REVIEW_DIR);
    for (auto& one : cases) {
      if (one.keys.count("reply-to")) one.quoted = one.keys.at("reply-to");
    }
    return cases;
  }();
  return all;
}

const std::set<std::string>& KnownFailures() {
  static const std::set<std::string> k =
      testing::LoadIdList(std::string(KALM_REVIEW_DIR) + "/known-failures.txt");
  return k;
}

StatusOr<Review> RunCase(const DraftCase& c, bool rewrite) {
  ReviewContext ctx;
  ctx.reply_to = c.quoted;
  ctx.rewrite = rewrite;
  return testing::TestReviewer().Run(c.text, ctx);
}

std::vector<std::string> Check(const DraftCase& c) {
  auto r = RunCase(c, true);
  if (!r.ok()) return {"review failed: " + r.status().message()};
  const auto& k = c.keys;
  std::vector<std::string> fail;
  std::string found;
  for (const auto& f : r->findings) found += f.id + " ";
  auto has = [&](const std::string& id) {
    for (const auto& f : r->findings)
      if (f.id == id) return true;
    return false;
  };
  if (r->language != c.folder_lang) fail.push_back("language " + r->language);
  auto get = [&](const char* key) {
    return k.count(key) ? k.at(key) : std::string();
  };
  for (const auto& id : Words(get("expect")))
    if (id != "-" && !has(id))
      fail.push_back("expected " + id + "; found: " + found);
  for (const auto& id : Words(get("reject"))) {
    if (id == "all") {
      if (!r->findings.empty())
        fail.push_back("expected no finding; found: " + found);
    } else if (has(id)) {
      fail.push_back("rejected " + id + " was found");
    }
  }
  if (k.count("verdict")) {
    std::stringstream ss(k.at("verdict"));
    std::string v;
    bool ok = false;
    while (std::getline(ss, v, '|')) ok = ok || v == r->verdict;
    if (!ok) fail.push_back("verdict " + r->verdict + "; found: " + found);
  }
  // The register the rewrite must keep: the reviewer must not read the other
  // form ("-": the draft addresses nobody), and no edit may bring in a word of
  // the other form.
  if (k.count("register")) {
    const std::string& want = k.at("register");
    if (r->form != "-" && r->form != want)
      fail.push_back("register " + r->form);
    static const std::set<std::string> kJe = {"je", "jij", "jou", "jouw"};
    static const std::set<std::string> kU = {"u", "uw"};
    const auto& other = want == "u" ? kJe : kU;
    for (const auto& e : r->rewrite->edits) {
      std::string after = e.after;
      for (char& ch : after)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      for (const std::string& w : Words(after)) {
        std::string bare = w;
        while (!bare.empty() &&
               !std::isalpha(static_cast<unsigned char>(bare.back())))
          bare.pop_back();
        if (other.count(bare))
          fail.push_back("rewrite brings in '" + bare + "' in a " + want +
                         " draft");
      }
    }
  }
  return fail;
}

class ReviewGolden : public ::testing::TestWithParam<size_t> {};

TEST_P(ReviewGolden, Case) {
  const DraftCase& c = Cases()[GetParam()];
  testing::ReportGoldenCase(c, Check(c), KnownFailures());
}

std::string CaseName(const ::testing::TestParamInfo<size_t>& info) {
  return testing::GoldenTestName(Cases()[info.param].id);
}

INSTANTIATE_TEST_SUITE_P(Reviewer, ReviewGolden,
                         ::testing::Range<size_t>(0, Cases().size()), CaseName);

TEST(ReviewGoldenFiles, EnoughReviewedDrafts) {
  int nl = 0, en = 0;
  for (const auto& c : Cases()) (c.folder_lang == "nl" ? nl : en)++;
  EXPECT_GE(nl, 200);
  EXPECT_GE(en, 150);
  std::set<std::string> ids;
  for (const auto& c : Cases()) {
    EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
    EXPECT_FALSE(c.text.empty()) << c.id << " has no draft";
  }
  for (const auto& id : KnownFailures())
    EXPECT_TRUE(ids.count(id))
        << "known-failures.txt names unknown case " << id;
}

// The facts of a text: numbers (with their separators), e-mail addresses, URLs,
// times and names (capitalised words that do not start a sentence or line).
std::multiset<std::string> Facts(const std::string& text) {
  static const std::regex kFact(
      R"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+|https?://\S+|www\.\S+|[€$]?\s?\d[\d.,:/-]*\d|\d)");
  std::multiset<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kFact);
       it != std::sregex_iterator(); ++it)
    out.insert(it->str());
  static const std::regex kName(R"([^.!?\n][ \t]+([A-Z][a-z]+))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kName);
       it != std::sregex_iterator(); ++it)
    out.insert((*it)[1].str());
  return out;
}

bool OnBoundary(const std::string& s, uint32_t at) {
  return at == s.size() ||
         (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) != 0x80);
}

TEST(ReviewProperties, RewriteKeepsFactsIsIdempotentAndNeverEmpty) {
  for (const DraftCase& c : Cases()) {
    auto r = RunCase(c, true);
    ASSERT_TRUE(r.ok()) << c.id << ": " << r.status().message();
    ASSERT_TRUE(r->rewrite.has_value()) << c.id;
    const std::string& text = r->rewrite->text;
    EXPECT_NE(text.find_first_not_of(" \n\t"), std::string::npos)
        << c.id << ": empty rewrite";
    // Every fact of the draft is still there, as often.
    const auto before = Facts(c.text);
    const auto after = Facts(text);
    for (const std::string& f :
         std::set<std::string>(before.begin(), before.end()))
      EXPECT_EQ(before.count(f), after.count(f))
          << c.id << ": fact '" << f << "' changed in\n"
          << text;
    // Rewriting the rewrite changes nothing more.
    DraftCase again = c;
    again.text = text;
    auto r2 = RunCase(again, true);
    ASSERT_TRUE(r2.ok()) << c.id;
    EXPECT_EQ(r2->rewrite->text, text) << c.id << ": not idempotent";
    // Offsets are on UTF-8 boundaries, in order, inside the draft.
    for (const auto& f : r->findings) {
      EXPECT_LE(f.start, f.end) << c.id;
      EXPECT_TRUE(OnBoundary(c.text, f.start) && OnBoundary(c.text, f.end))
          << c.id << " finding " << f.id;
      EXPECT_EQ(c.text.substr(f.start, f.end - f.start), f.text) << c.id;
    }
    uint32_t prev = 0;
    for (const auto& e : r->rewrite->edits) {
      EXPECT_GE(e.start, prev) << c.id;
      EXPECT_TRUE(OnBoundary(c.text, e.start) && OnBoundary(c.text, e.end))
          << c.id << " edit '" << e.before << "'";
      EXPECT_EQ(c.text.substr(e.start, e.end - e.start), e.before) << c.id;
      prev = e.end;
    }
  }
}

}  // namespace
}  // namespace kalm::core
