// The complaint case's five steps: what each needs before the next, going
// back, closing early and reopening, the proposal/maximum rule, the journal.
#include "kalm/domain/complaint_case.h"

#include <gtest/gtest.h>

#include "kalm/domain/json.h"

namespace kalm::domain {
namespace {

ComplaintCase Fresh() { return OpenCase(7, 40, "Verslag te laat", 1000); }

TEST(ComplaintCase, WalksTheFiveStepsAndNeedsEachStepsAnswer) {
  ComplaintCase c = Fresh();
  EXPECT_EQ(c.step, 1);
  EXPECT_EQ(c.entered_at[0], 1000);
  // 1. Let it land: the reaction the user noticed in themselves.
  EXPECT_EQ(MissingForNext(c), std::vector<std::string>{"reaction"});
  Status s = Advance(&c, 1010);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(s.message()).find("reaction"), std::string::npos);
  EXPECT_EQ(c.step, 1);
  c.content.reaction = "defensive";
  ASSERT_TRUE(Advance(&c, 1020).ok());
  EXPECT_EQ(c.step, 2);
  EXPECT_EQ(c.completed_at[0], 1020);
  EXPECT_EQ(c.entered_at[1], 1020);
  // 2. Reflect: the own position (question 6).
  EXPECT_EQ(MissingForNext(c), std::vector<std::string>{"position"});
  c.content.reflection[5] = "Ik lever uiterlijk vrijdag en leg uit waarom.";
  ASSERT_TRUE(Advance(&c, 1030).ok());
  // 3. Prepare: a summary and something to bring.
  EXPECT_EQ(MissingForNext(c),
            (std::vector<std::string>{"summary", "proposal"}));
  c.content.summary = "Het verslag kwam twee dagen later dan afgesproken.";
  c.content.proposal.text = "Ik lever vrijdag en reken een uur minder.";
  ASSERT_TRUE(Advance(&c, 1040).ok());
  // 4. Conversation: the outcome.
  EXPECT_EQ(MissingForNext(c), std::vector<std::string>{"outcome"});
  c.content.outcome = "partly";
  ASSERT_TRUE(Advance(&c, 1050).ok());
  // 5. Evaluate: at least one answer; then the case is done.
  EXPECT_EQ(MissingForNext(c), std::vector<std::string>{"evaluation"});
  c.content.triggers = {"deadline zonder buffer"};
  ASSERT_TRUE(Advance(&c, 1060).ok());
  EXPECT_TRUE(c.closed);
  EXPECT_EQ(c.close_reason, "done");
  EXPECT_EQ(c.completed_at[4], 1060);
  EXPECT_EQ(Advance(&c, 1070).code(), StatusCode::kFailedPrecondition);
}

TEST(ComplaintCase, StepsCanBeRevisitedUpToTheFurthest) {
  ComplaintCase c = Fresh();
  c.content.reaction = "calm";
  ASSERT_TRUE(Advance(&c, 1).ok());
  c.content.reflection[5] = "Mijn standpunt.";
  ASSERT_TRUE(Advance(&c, 2).ok());
  EXPECT_EQ(c.furthest, 3);
  ASSERT_TRUE(GoTo(&c, 1, 3).ok());
  EXPECT_EQ(c.step, 1);
  EXPECT_EQ(c.furthest, 3);
  ASSERT_TRUE(GoTo(&c, 3, 4).ok());
  EXPECT_EQ(GoTo(&c, 4, 5).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(GoTo(&c, 0, 5).code(), StatusCode::kInvalidArgument);
  // Going back and forward again keeps the first entry time.
  EXPECT_EQ(c.entered_at[2], 2);
}

TEST(ComplaintCase, ClosesEarlyWithAReasonAndReopens) {
  ComplaintCase c = Fresh();
  EXPECT_EQ(Close(&c, "  ", 5).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(Close(&c, "De klant belde en het is opgelost.", 5).ok());
  EXPECT_TRUE(c.closed);
  EXPECT_EQ(c.closed_at, 5);
  EXPECT_EQ(Close(&c, "nog eens", 6).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(GoTo(&c, 1, 6).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Reopen(&c, 7).ok());
  EXPECT_FALSE(c.closed);
  EXPECT_TRUE(c.close_reason.empty());
  EXPECT_EQ(c.step, 1);
  EXPECT_EQ(Reopen(&c, 8).code(), StatusCode::kFailedPrecondition);
}

TEST(ComplaintCase, TheProposalMayNotExceedTheMaximum) {
  ComplaintCase c = Fresh();
  Concession& p = c.content.proposal;
  Concession& max = c.content.maximum;
  p.text = "50 euro korting";
  p.cents = 5000;
  // No maximum fixed: an amount cannot be proposed yet.
  EXPECT_EQ(Validate(c).code(), StatusCode::kInvalidArgument);
  max.cents = 4000;
  EXPECT_EQ(Validate(c).code(), StatusCode::kInvalidArgument);
  max.cents = 5000;
  EXPECT_TRUE(Validate(c).ok());  // equal is allowed
  p.hours = 2;
  EXPECT_EQ(Validate(c).code(), StatusCode::kInvalidArgument);
  max.hours = 1.5;
  EXPECT_EQ(Validate(c).code(), StatusCode::kInvalidArgument);
  max.hours = 3;
  EXPECT_TRUE(Validate(c).ok());
  p.cents = -1;
  EXPECT_EQ(Validate(c).code(), StatusCode::kInvalidArgument);
  p.cents = 100;
  // Advancing checks it too.
  c.content.reaction = "pleasing";
  max.cents.reset();
  EXPECT_EQ(Advance(&c, 9).code(), StatusCode::kInvalidArgument);
}

TEST(ComplaintCase, RejectsUnknownWordsAndBadText) {
  ComplaintCase c = Fresh();
  c.content.reaction = "angry";
  EXPECT_FALSE(Validate(c).ok());
  c.content.reaction = "";
  c.content.outcome = "won";
  EXPECT_FALSE(Validate(c).ok());
  c.content.outcome = "";
  c.content.actions.push_back({"Bellen", "boss", std::nullopt});
  EXPECT_FALSE(Validate(c).ok());
  c.content.actions.back().owner = "me";
  EXPECT_TRUE(Validate(c).ok());
  c.content.notes = "\xff\xfe";
  EXPECT_FALSE(Validate(c).ok());
  c.content.notes.clear();
  c.title = "";
  EXPECT_FALSE(Validate(c).ok());
}

TEST(ComplaintCase, JsonRoundTrips) {
  ComplaintCase c = Fresh();
  c.content.reaction = "defensive";
  c.content.reflection[4] = "Uit teleurstelling.";
  c.content.facts.push_back({"Reactietijd is 24 uur", "reaction_hours", 2});
  c.content.maximum = {"Een uur gratis", std::nullopt, 1.0};
  c.content.proposal = {"Een half uur gratis", std::nullopt, 0.5};
  c.content.actions.push_back({"Nieuwe planning sturen", "me", 5000});
  c.content.follow_up_at = 6000;
  ASSERT_TRUE(Advance(&c, 1100).ok());
  auto back = CaseFromJson(ToJson(c));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->content, c.content);
  EXPECT_EQ(back->step, 2);
  EXPECT_EQ(back->entered_at, c.entered_at);
  EXPECT_EQ(back->completed_at, c.completed_at);
  EXPECT_EQ(back->message_id, 40);
}

TEST(Journal, SearchesEvaluatedCasesAndCountsRecurringTriggers) {
  auto done = [](Id id, Id client, std::vector<std::string> triggers,
                 std::string lesson, UnixTime at) {
    ComplaintCase c =
        OpenCase(client, std::nullopt, "Zaak " + std::to_string(id), 1);
    c.id = id;
    c.completed_at[4] = at;
    c.content.triggers = std::move(triggers);
    c.content.next_time = std::move(lesson);
    return c;
  };
  std::vector<ComplaintCase> cases = {
      done(1, 10, {"Zondagavond-app", "geen buffer"}, "Vaste updates afspreken",
           100),
      done(2, 11, {"zondagavond-app"}, "Eerder bellen", 300),
      done(3, 10, {"Geen buffer"}, "Buffer van een dag inplannen", 200),
      OpenCase(10, std::nullopt, "Nog bezig", 1),  // not evaluated: not in it
  };
  Client a, b;
  a.id = 10;
  a.name = "Sanne";
  b.id = 11;
  b.name = "Mark";
  Journal j = BuildJournal(cases, {a, b}, "");
  ASSERT_EQ(j.entries.size(), 3u);
  EXPECT_EQ(j.entries[0].case_id, 2);  // newest first
  EXPECT_EQ(j.entries[0].client, "Mark");
  ASSERT_EQ(j.recurring_triggers.size(), 2u);
  EXPECT_EQ(j.recurring_triggers[0].second, 2);
  Journal found = BuildJournal(cases, {a, b}, "BUFFER sanne");
  ASSERT_EQ(found.entries.size(), 2u);
  EXPECT_EQ(BuildJournal(cases, {a, b}, "bellen").entries.size(), 1u);
  EXPECT_TRUE(BuildJournal(cases, {a, b}, "nergens").entries.empty());
}

}  // namespace
}  // namespace kalm::domain
