// The reviewer on hand-picked drafts: evidence, register, verdicts, the rewrite
// and bad input. The golden drafts (review_golden_test.cc) cover the breadth.
#include "kalm/core/review.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace kalm::core {
namespace {

const ReviewFinding* FindingOf(const Review& r, std::string_view id) {
  for (const auto& f : r.findings)
    if (f.id == id) return &f;
  return nullptr;
}

Review RunDraft(std::string_view draft, std::string_view reply_to = {},
                bool rewrite = false) {
  ReviewContext ctx;
  ctx.reply_to = reply_to;
  ctx.rewrite = rewrite;
  auto r = testing::TestReviewer().Run(draft, ctx);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : Review{};
}

TEST(Reviewer, DefensiveOpenerWithEvidenceAndReplacement) {
  const std::string draft =
      "Zoals ik al zei wacht ik nog op je teksten. Ik stuur de nieuwsbrief "
      "vrijdag om 10:00.";
  const Review r = RunDraft(draft);
  EXPECT_EQ(r.language, "nl");
  EXPECT_EQ(r.form, "je");
  const ReviewFinding* f = FindingOf(r, "defensive");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(draft.substr(f->start, f->end - f->start), f->text);
  EXPECT_NE(f->text.find("Zoals ik al zei"), std::string::npos) << f->text;
  EXPECT_FALSE(f->why.empty());
  EXPECT_NE(r.verdict, "send");
}

TEST(Reviewer, GoodDraftGetsNoFindingAndIsSent) {
  const Review r = RunDraft(
      "Vervelend dat de factuur niet klopte, dat begrijp ik. Ik stuur je "
      "vandaag voor 16:00 een gecorrigeerde versie.",
      "De factuur klopt niet, er staan uren op die ik niet herken.");
  EXPECT_TRUE(r.findings.empty())
      << r.findings[0].id << " " << r.findings[0].text;
  EXPECT_EQ(r.verdict, "send");
  bool concrete = false;
  for (const auto& g : r.good)
    concrete = concrete || g.id == "concrete_next_step";
  EXPECT_TRUE(concrete);
}

TEST(Reviewer, UpsetClientWithoutAcknowledgmentAndHeatedMeansWait) {
  const Review r = RunDraft(
      "De teksten kwamen pas donderdag binnen, daarom is het later geworden.",
      "Dit is echt BELACHELIJK. Waarom is de nieuwsbrief NOG STEEDS niet "
      "verstuurd?! Ik betaal je niet om te wachten!!");
  EXPECT_GE(r.reply_to_escalation, 2);
  EXPECT_NE(FindingOf(r, "no_acknowledgment"), nullptr);
  EXPECT_EQ(r.verdict, "wait");
  EXPECT_GT(r.wait_minutes, 0);
}

TEST(Reviewer, UFormIsKeptInTheRewrite) {
  const std::string draft =
      "Zoals ik al zei heeft u de bestanden te laat gestuurd. Ik heb precies "
      "gedaan wat u vroeg. Ik lever het rapport op 12 maart om 09:30 aan bij "
      "info@vanderberg.nl.";
  const Review r = RunDraft(draft, {}, true);
  EXPECT_EQ(r.form, "u");
  ASSERT_TRUE(r.rewrite.has_value());
  EXPECT_NE(r.rewrite->text, draft);
  for (const char* fact : {"12 maart", "09:30", "info@vanderberg.nl"})
    EXPECT_NE(r.rewrite->text.find(fact), std::string::npos) << fact;
  EXPECT_EQ(r.rewrite->text.find(" je "), std::string::npos) << r.rewrite->text;
  // The rule's {je|u} choice took the u form.
  EXPECT_NE(r.rewrite->text.find("uw vraag"), std::string::npos)
      << r.rewrite->text;
}

TEST(Reviewer, FlemishFormsAreNotSwappedForJe) {
  const Review r = RunDraft(
      "Zoals ik al zei hebt ge de bestanden te laat gestuurd, dat weet ge zelf "
      "ook. Lees uw mail eens. Ik stuur het rapport vrijdag om 10:00.",
      {}, true);
  ASSERT_TRUE(r.rewrite.has_value());
  // "Lees uw mail eens" has a rewrite in je/u forms only: left alone here.
  EXPECT_NE(r.rewrite->text.find("Lees uw mail eens"), std::string::npos)
      << r.rewrite->text;
  EXPECT_EQ(r.rewrite->text.find(" je "), std::string::npos) << r.rewrite->text;
  EXPECT_NE(r.rewrite->text.find(" ge "), std::string::npos) << r.rewrite->text;
  // A rule without a choice still applies: the defensive opener is gone.
  EXPECT_EQ(r.rewrite->text.find("Zoals ik al zei"), std::string::npos)
      << r.rewrite->text;
}

TEST(Reviewer, AQuestionReplacingAnOrderTakesItsFullStopAlong) {
  const Review r =
      RunDraft("Lees je mail eens. Ik stuur het vrijdag.", {}, true);
  ASSERT_TRUE(r.rewrite.has_value());
  EXPECT_NE(r.rewrite->text.find('?'), std::string::npos) << r.rewrite->text;
  EXPECT_EQ(r.rewrite->text.find("?."), std::string::npos) << r.rewrite->text;
}

TEST(Reviewer, ShoutingIsLoweredAndMarksCollapse) {
  const std::string draft =
      "Ik heb het NU AL TWEE KEER gestuurd!! Kijk even in je spam.";
  const Review r = RunDraft(draft, {}, true);
  EXPECT_NE(FindingOf(r, "harsh"), nullptr);
  ASSERT_TRUE(r.rewrite.has_value());
  EXPECT_NE(r.rewrite->text.find("nu al twee keer"), std::string::npos)
      << r.rewrite->text;
  EXPECT_EQ(r.rewrite->text.find("!!"), std::string::npos) << r.rewrite->text;
  for (const auto& e : r.rewrite->edits)
    EXPECT_EQ(draft.substr(e.start, e.end - e.start), e.before);
}

TEST(Reviewer, EnglishDraft) {
  const Review r = RunDraft(
      "As I said before, you never sent me the files. I'll look into it.");
  EXPECT_EQ(r.language, "en");
  EXPECT_NE(FindingOf(r, "defensive"), nullptr);
  EXPECT_NE(FindingOf(r, "vague"), nullptr);
}

TEST(Reviewer, AHugeDraftStaysNearLinear) {
  // Close to the 1 MiB limit, full of patterns: must finish well within the
  // test's timeout (no timing assertion; a quadratic step would not).
  std::string draft;
  while (draft.size() < 900000)
    draft +=
        "Zoals ik al zei, sorry! Dat kan niet, maar ik kijk er binnenkort "
        "naar. Ik begrijp dat je boos bent. ";
  ReviewContext ctx;
  ctx.rewrite = true;
  auto r = testing::TestReviewer().Run(draft, ctx);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->findings.empty());
  EXPECT_FALSE(r->rewrite->text.empty());
}

TEST(Reviewer, AdditionsSuggestedForVagueAndBareBoundaries) {
  // A draft with a bare refusal only: no other finding's replacement is
  // touched, and the boundary gets an alternative to add.
  Review r = RunDraft("Dat kan niet, ik werk niet in het weekend.");
  const ReviewFinding* b = FindingOf(r, "boundary_without_alternative");
  ASSERT_NE(b, nullptr);
  EXPECT_NE(b->replacement.find('{'), std::string::npos) << b->replacement;
  r = RunDraft("Ik kijk er binnenkort naar.");
  const ReviewFinding* v = FindingOf(r, "vague");
  ASSERT_NE(v, nullptr);
  EXPECT_FALSE(v->replacement.empty());
  // A good draft has nothing to replace and must not crash on that.
  r = RunDraft("Ik stuur je de planning vrijdag om 10:00.");
  EXPECT_TRUE(r.findings.empty());
}

TEST(Reviewer, BadInputIsAClearError) {
  auto empty = testing::TestReviewer().Run("   ");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  ReviewContext ctx;
  ctx.reply_to = "\xff\xfe broken";
  auto bad = testing::TestReviewer().Run("Prima, ik pak het morgen op.", ctx);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("reply-to: ", 0), 0u)
      << bad.status().message();
}

TEST(Reviewer, QuotedHistoryIsNotTheDraft) {
  const Review r = RunDraft(
      "Dank je, ik stuur het morgen om 9:00.\n\nOp ma 3 mrt 2026 om 10:00 "
      "schreef Piet <piet@example.nl>:\n> WAAROM IS DIT NOG NIET AF?!! Je bent "
      "echt onbetrouwbaar.");
  EXPECT_EQ(FindingOf(r, "harsh"), nullptr);
}

}  // namespace
}  // namespace kalm::core
