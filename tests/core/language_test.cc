#include "kalm/core/language.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace kalm::core {
namespace {

std::string Lang(std::string_view text) {
  auto a = kalm::testing::TestAnalyzer().Analyze(text);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return a.ok() ? a->language : "";
}

TEST(Language, DutchAndEnglishSentences) {
  EXPECT_EQ(Lang("Kun je de factuur van maart nog even sturen?"), "nl");
  EXPECT_EQ(Lang("Ik ben er niet blij mee, dit moet anders."), "nl");
  EXPECT_EQ(Lang("Ge moet dat direct aanpassen, allee."), "nl");  // Flemish
  EXPECT_EQ(Lang("Could you send me the March invoice again?"), "en");
  EXPECT_EQ(Lang("I'm not happy with this, it has to change."), "en");
  // Names and loan words do not flip the language.
  EXPECT_EQ(Lang("Kun je de invoice naar John Smith sturen?"), "nl");
  EXPECT_EQ(Lang("Can you send the invoice to Jan de Vries?"), "en");
}

TEST(Language, OneClearWordIsEnoughButNotNone) {
  EXPECT_EQ(Lang("Thanks!"), "en");
  EXPECT_EQ(Lang("Waarom?"), "nl");
  EXPECT_EQ(Lang("\xF0\x9F\x91\x8D"), "und");  // thumbs up
  EXPECT_EQ(Lang("12:30"), "und");
}

TEST(Language, ConfidenceGrowsWithEvidence) {
  auto one = kalm::testing::TestAnalyzer().Analyze("Thanks!");
  auto many = kalm::testing::TestAnalyzer().Analyze(
      "Thanks for the update, I will have a look at it this afternoon.");
  ASSERT_TRUE(one.ok() && many.ok());
  EXPECT_GT(many->language_confidence, one->language_confidence);
  EXPECT_LE(many->language_confidence, 1.0);
}

TEST(Language, ProfileErrorsNameTheLine) {
  auto bad = LanguageIdentifier::Build("de\t1.0\nhet\n", "the\t1.0\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("langid/nl.tsv:2"), std::string::npos);
}

}  // namespace
}  // namespace kalm::core
