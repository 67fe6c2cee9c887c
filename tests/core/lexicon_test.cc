#include "kalm/core/lexicon.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace kalm::core {
namespace {

std::vector<Token> Toks(std::string_view s) {
  Tokenizer t({});
  return t.Tokenize(s, {{0, static_cast<uint32_t>(s.size())}}).tokens;
}

StatusOr<std::unique_ptr<Lexicon>> Build(std::string_view content) {
  return Lexicon::Build(Language::kDutch, {{"nl/test.tsv", content}});
}

TEST(Lexicon, ReportsFileAndLineOfErrors) {
  auto a = Build(
      "# comment\nboos\temotion.anger\t0.5\tok\nfoo\tnot.a.category\t1\t\n");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("nl/test.tsv:3"), std::string::npos);
  EXPECT_NE(a.status().message().find("not.a.category"), std::string::npos);
  auto b = Build("boos\tvalence\t-9\t\n");
  EXPECT_NE(b.status().message().find("out of range"), std::string::npos);
  auto c = Build("boos\tvalence\t-2\t\nboos\tvalence\t-1\t\n");
  EXPECT_NE(c.status().message().find("duplicate"), std::string::npos);
  // Every duplicate is reported, with the line it repeats.
  // ("teleurgesteld"/"teleurgestelde" share a Snowball stem.)
  auto many = Build(
      "teleurgesteld\tvalence\t-2\t\nteleurgestelde\tvalence\t-2\t\n"
      "blij\tvalence\t2\t\nblij\tvalence\t1\t\n");
  ASSERT_FALSE(many.ok());
  EXPECT_NE(many.status().message().find("nl/test.tsv:2"), std::string::npos)
      << many.status().message();
  EXPECT_NE(many.status().message().find("nl/test.tsv:4"), std::string::npos);
  EXPECT_NE(many.status().message().find("as nl/test.tsv:3"),
            std::string::npos);
  EXPECT_TRUE(Build("blij\tvalence\t+1.5\tnote\n").ok());
  EXPECT_NE(Build("blij\tvalence\t1.5\tnote\textra\n")
                .status()
                .message()
                .find("expected 4"),
            std::string::npos);
  auto d = Build("boos\tvalence\tveel\t\n");
  EXPECT_NE(d.status().message().find("not a number"), std::string::npos);
  EXPECT_FALSE(Build("... boos\tvalence\t-1\t\n").ok());
}

TEST(Lexicon, StemsPrefixesExactAndGaps) {
  auto lex = Build(
      "teleurgesteld\temotion.disappointment\t0.8\t\n"
      "belachelijk*\tvalence\t-2.5\t\n"
      "=top\tvalence\t2\t\n"
      "zeg ... op\trelation.exit\t0.9\t\n");
  ASSERT_TRUE(lex.ok()) << lex.status().ToString();
  auto count = [&](std::string_view s) {
    return (*lex)->Match(Toks(s)).size();
  };
  EXPECT_EQ(count("Ik ben TELEURGESTELD"), 1u);
  EXPECT_EQ(count("wat belachelijkerwijs duur"), 1u);
  EXPECT_EQ(count("top"), 1u);
  EXPECT_EQ(count("toppen"), 0u);  // exact only
  EXPECT_EQ(count("ik zeg de samenwerking per direct op"), 1u);
  EXPECT_EQ(count("ik zeg dat het af moet zijn en dan gaan we op vakantie"),
            0u);
  // Phrases stay within a sentence.
  EXPECT_EQ(count("Ik zeg niks. Op naar morgen"), 0u);
}

TEST(Lexicon, SuperlativesReadAsTheirAdjective) {
  auto lex = Build("slordig\tcomplaint.label\t0.7\t\n");
  ASSERT_TRUE(lex.ok());
  EXPECT_EQ((*lex)->Match(Toks("de slordigste assistent")).size(), 1u);
  auto en =
      Lexicon::Build(Language::kEnglish,
                     {{"en/test.tsv", "sloppy\tcomplaint.label\t0.7\t\n"}});
  ASSERT_TRUE(en.ok());
  EXPECT_EQ((*en)->Match(Toks("the sloppiest work")).size(), 1u);
}

TEST(Lexicon, FuzzyFindsOneEditVariants) {
  auto lex = Build("idioot\tinsult\t0.9\t\nklootzak\tinsult\t1\t\n");
  ASSERT_TRUE(lex.ok());
  EXPECT_FALSE((*lex)->Fuzzy("idoiot").empty());  // inserted letter
  EXPECT_FALSE((*lex)->Fuzzy("idiot").empty());   // dropped letter
  EXPECT_FALSE((*lex)->Fuzzy("kloozak").empty());
  EXPECT_FALSE((*lex)->Fuzzy("kolotzak").empty());  // swapped
  EXPECT_TRUE((*lex)->Fuzzy("idee").empty());
}

TEST(Lexicon, ShippedLexiconsAreLargeAndCoverEveryCategory) {
  const Analyzer& a = kalm::testing::TestAnalyzer();
  for (Language l : {Language::kDutch, Language::kEnglish}) {
    ASSERT_NE(a.lexicon(l), nullptr);
    const Lexicon& lex = *a.lexicon(l);
    EXPECT_GE(lex.entry_count(), 2500u) << LanguageCode(l);
    const Lexicon& coach = kalm::testing::TestReviewer().coach_lexicon(l);
    for (int c = 0; c < kCategoryCount; ++c) {
      const auto cat = static_cast<Category>(c);
      // draft.* categories belong to the reply coach's own lexicon.
      const bool draft = CategoryName(cat).rfind("draft.", 0) == 0;
      EXPECT_GE((draft ? coach : lex).CountEntries(cat), 5u)
          << LanguageCode(l) << " " << CategoryName(cat);
      if (draft) {
        EXPECT_EQ(lex.CountEntries(cat), 0u) << CategoryName(cat);
      }
    }
  }
}

}  // namespace
}  // namespace kalm::core
