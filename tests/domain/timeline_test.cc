// Which agreement version is open, confirmed or shown, and the analysis
// context a client's message gets from the confirmed agreement.
#include "kalm/domain/timeline.h"

#include <gtest/gtest.h>

#include "kalm/domain/json.h"

namespace kalm::domain {
namespace {

Agreement Version(int v, AgreementState s) {
  Agreement a;
  a.version = v;
  a.state = s;
  return a;
}

TEST(TimelineJson, TheSplicedAnswerIsTheSameObjectAsTheDom) {
  Timeline t;
  t.client.id = 4;
  t.client.name = "Sanne \"de\" Vries";
  Message a;
  a.id = 1;
  a.body = "Waarom?!\n\tNOG steeds niet — echt";
  a.analysis_json =
      R"({"escalation_level":2,"signals":[{"id":"emotion.anger","score":0.9}],"z":null})";
  a.analyzer_version = "0.1.0";
  Message b;  // outgoing, no analysis
  b.id = 2;
  b.direction = Direction::kOutgoing;
  b.body = "Dank je, ik kijk ernaar.";
  Message broken;  // a damaged row: null, as ToJson reads it
  broken.id = 3;
  broken.analysis_json = R"({"escalation_level":)";
  t.messages = {a, b, broken};
  t.patterns.step = "boundaries";
  std::string out;
  AppendJson(t, &out);
  const nlohmann::json parsed = nlohmann::json::parse(out);
  EXPECT_EQ(parsed, ToJson(t));
  EXPECT_TRUE(parsed["messages"][2]["analysis"].is_null());
  EXPECT_EQ(parsed["messages"][0]["analysis"]["signals"][0]["id"],
            "emotion.anger");
  Timeline empty;
  out.clear();
  AppendJson(empty, &out);
  EXPECT_EQ(nlohmann::json::parse(out), ToJson(empty));
}

TEST(AgreementVersions, OpenConfirmedAndShown) {
  EXPECT_EQ(OpenVersion({}), nullptr);
  EXPECT_EQ(ShownVersion({}), nullptr);
  // Newest first, as AgreementHistory gives them.
  const std::vector<Agreement> h = {Version(3, AgreementState::kSent),
                                    Version(2, AgreementState::kConfirmed),
                                    Version(1, AgreementState::kSuperseded)};
  EXPECT_EQ(OpenVersion(h)->version, 3);
  EXPECT_EQ(ConfirmedVersion(h)->version, 2);
  EXPECT_EQ(ShownVersion(h)->version, 2);  // what was agreed, not the draft
  const std::vector<Agreement> draft_only = {
      Version(1, AgreementState::kDraft)};
  EXPECT_EQ(ConfirmedVersion(draft_only), nullptr);
  EXPECT_EQ(ShownVersion(draft_only)->version, 1);
  EXPECT_EQ(OpenVersion({Version(1, AgreementState::kConfirmed)}), nullptr);
}

TEST(AnalysisContextFor, TakesTheAgreedHoursScopeAndRate) {
  Client c;
  c.timezone = "Europe/Brussels";
  core::AnalysisContext none = AnalysisContextFor(c, nullptr);
  EXPECT_EQ(none.timezone, "Europe/Brussels");
  EXPECT_TRUE(none.availability.empty());
  EXPECT_TRUE(none.out_of_scope_rate.empty());
  Agreement a;
  a.terms.availability = {{0, 540, 1020}, {5, 600, 720}};
  a.terms.scope = {"inbox"};
  a.terms.out_of_scope_rate = Money{6000, "EUR"};
  const core::AnalysisContext ctx = AnalysisContextFor(c, &a);
  ASSERT_EQ(ctx.availability.size(), 2u);
  EXPECT_EQ(ctx.availability[1].weekdays, 1u << 5);  // Saturday
  EXPECT_EQ(ctx.availability[1].start, 600);
  EXPECT_EQ(ctx.scope, std::vector<std::string>{"inbox"});
  EXPECT_EQ(ctx.out_of_scope_rate, "EUR 60.00");
}

TEST(Direction, NamesRoundTrip) {
  for (Direction d : {Direction::kIncoming, Direction::kOutgoing})
    EXPECT_EQ(*ParseDirection(DirectionName(d)), d);
  EXPECT_EQ(ParseDirection("sideways").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(MessageKeys, SortByTimeAndTellContentApart) {
  // Keys in time order sort in time order (the index grows at its end).
  EXPECT_LT(TimeKey("wa", 9, {"Sanne", "Ok"}),
            TimeKey("wa", 10, {"Sanne", "Ok"}));
  EXPECT_LT(TimeKey("wa", 0xfff, {"a"}), TimeKey("wa", 0x1000, {"a"}));
  EXPECT_NE(TimeKey("wa", 9, {"Sanne", "Ok"}), TimeKey("wa", 9, {"Eva", "Ok"}));
  // Parts are separated: "ab"+"c" is not "a"+"bc".
  EXPECT_NE(TimeKey("x", 1, {"ab", "c"}), TimeKey("x", 1, {"a", "bc"}));
  Message in, out;
  in.sent_at = out.sent_at = 5;
  in.body = out.body = "Hoi";
  out.direction = Direction::kOutgoing;
  EXPECT_NE(ContentKey(in), ContentKey(out));
  EXPECT_EQ(ContentKey(in).substr(0, 17), "sha:000000000005:");
  EXPECT_EQ(NormalizeEmail("Eva@Example.NL"), "eva@example.nl");
}

}  // namespace
}  // namespace kalm::domain
