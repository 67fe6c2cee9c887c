// Reply suggestions: structure in METHOD order, register, placeholders, the
// receipt for cooling down, determinism.
#include "kalm/core/reply.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace kalm::core {
namespace {

ReplySuggestions Suggest(std::string_view message, ReplyContext ctx = {}) {
  ReplyComposer c(testing::TestAnalyzer(), testing::TestReviewer().phrases());
  auto s = c.Suggest(message, ctx);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? *s : ReplySuggestions{};
}

size_t IndexOf(const ReplyVariant& v, std::string_view strategy) {
  for (size_t i = 0; i < v.parts.size(); ++i)
    if (v.parts[i].strategy == strategy) return i;
  return SIZE_MAX;
}

TEST(Reply, AngryMessageGetsReceiptAndVariantsInMethodOrder) {
  ReplyContext ctx;
  ctx.values = {{"client", "Sanne"}, {"day", "vrijdag"}, {"time", "10:00"}};
  const ReplySuggestions s = Suggest(
      "Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?! Dit is echt "
      "belachelijk.",
      ctx);
  EXPECT_EQ(s.language, "nl");
  EXPECT_GE(s.escalation_level, 2);
  EXPECT_TRUE(s.cool_down);
  EXPECT_FALSE(s.receipt.empty());
  ASSERT_GE(s.variants.size(), 2u);
  ASSERT_LE(s.variants.size(), 3u);
  for (const ReplyVariant& v : s.variants) {
    ASSERT_FALSE(v.parts.empty()) << v.id;
    EXPECT_EQ(v.parts.front().strategy, "greeting") << v.id;
    EXPECT_EQ(v.parts.back().strategy, "closing") << v.id;
    const size_t ack = IndexOf(v, "acknowledge");
    const size_t next = IndexOf(v, "agree_concretely");
    ASSERT_NE(ack, SIZE_MAX) << v.id << ": an upset client is acknowledged";
    ASSERT_NE(next, SIZE_MAX) << v.id << ": every reply ends concretely";
    EXPECT_LT(ack, next) << v.id;
    EXPECT_NE(v.text.find("Sanne"), std::string::npos) << v.text;
    EXPECT_EQ(v.text.find("{client}"), std::string::npos) << v.text;
    for (const std::string& m : v.missing)
      EXPECT_NE(v.text.find("{" + m + "}"), std::string::npos);
  }
  // Variants differ in length or firmness.
  EXPECT_NE(s.variants[0].text, s.variants[1].text);
  EXPECT_LT(s.variants[0].parts.size(), s.variants[1].parts.size());
}

TEST(Reply, KeepsTheClientsFormOfAddress) {
  const ReplySuggestions s = Suggest(
      "Kunt u mij laten weten wanneer de offerte klaar is? Ik had hem vorige "
      "week verwacht.");
  EXPECT_EQ(s.form, "u");
  const auto& lib = testing::TestReviewer().phrases();
  for (const ReplyVariant& v : s.variants) {
    for (const ReplyPart& p : v.parts) {
      for (const Phrase& ph : lib.all()) {
        if (ph.source == p.source) {
          EXPECT_NE(ph.form, Register::kJe) << p.source;
        }
      }
    }
  }
  ReplyContext je;
  je.form = Register::kJe;
  EXPECT_EQ(
      Suggest("Kunt u mij laten weten wanneer de offerte klaar is?", je).form,
      "je");
}

TEST(Reply, CalmRequestNeedsNoCoolingDown) {
  const ReplySuggestions s =
      Suggest("Could you book a table for four at 7pm on Friday? Thanks!");
  EXPECT_EQ(s.language, "en");
  EXPECT_FALSE(s.cool_down);
  EXPECT_GE(s.variants.size(), 2u);
  for (const ReplyVariant& v : s.variants) {
    EXPECT_EQ(IndexOf(v, "acknowledge"), SIZE_MAX) << v.text;
    EXPECT_NE(IndexOf(v, "agree_concretely"), SIZE_MAX);
  }
}

TEST(Reply, FlemishWordsOnlyForAFlemishClient) {
  // Many messages, so that every phrase has its chance to be picked.
  const char* messages[] = {
      "Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?!",
      "Ik ben echt teleurgesteld over het verslag.",
      "Kun je ook de webshop bijhouden?",
      "Dit is de derde keer dat het misgaat. Ik ben er klaar mee.",
      "Hoe staat het met de offerte?",
  };
  for (const char* m : messages) {
    const ReplySuggestions s = Suggest(m);
    std::string all = s.receipt;
    for (const auto& v : s.variants) all += v.text;
    EXPECT_EQ(all.find("efkes"), std::string::npos) << m;
    EXPECT_EQ(all.find("goesting"), std::string::npos) << m;
  }
}

TEST(Reply, AcknowledgmentNamesTheFeelingShown) {
  const ReplySuggestions angry = Suggest(
      "Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?! Dit is echt "
      "belachelijk.");
  for (const auto& v : angry.variants) {
    for (const auto& p : v.parts) {
      if (p.strategy == "acknowledge") {
        EXPECT_EQ(p.text.find("zorgen"), std::string::npos) << p.text;
      }
    }
  }
}

TEST(Reply, SameMessageSameSuggestions) {
  const char* m =
      "I asked three times for the blue logo. Nobody listens to me.";
  const ReplySuggestions a = Suggest(m), b = Suggest(m);
  ASSERT_EQ(a.variants.size(), b.variants.size());
  for (size_t i = 0; i < a.variants.size(); ++i)
    EXPECT_EQ(a.variants[i].text, b.variants[i].text);
}

TEST(Reply, BadInputIsAnError) {
  ReplyComposer c(testing::TestAnalyzer(), testing::TestReviewer().phrases());
  auto s = c.Suggest("");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kalm::core
