// Per-client patterns: flagged at the second or third occurrence, within 12
// weeks, and the ladder step they add up to.
#include "kalm/domain/patterns.h"

#include <gtest/gtest.h>

namespace kalm::domain {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1767225600;  // 2026-01-01

Message In(Id id, int64_t day, const std::string& signals, double valence = 0,
           int escalation = 0) {
  Message m;
  m.id = id;
  m.direction = Direction::kIncoming;
  m.sent_at = kStart + day * kDay;
  m.body = "x";
  std::string sig = "[";
  size_t i = 0;
  while (i < signals.size()) {
    size_t j = signals.find(' ', i);
    if (j == std::string::npos) j = signals.size();
    if (sig.size() > 1) sig += ",";
    sig += R"({"id":")" + signals.substr(i, j - i) + R"(","score":0.9})";
    i = j + 1;
  }
  sig += "]";
  m.analysis_json = R"({"escalation_level":)" + std::to_string(escalation) +
                    R"(,"valence":)" + std::to_string(valence) +
                    R"(,"complaint":0.1,"signals":)" + sig + "}";
  return m;
}

const Pattern& Get(const Patterns& p, const std::string& id) {
  for (const Pattern& x : p.items)
    if (x.id == id) return x;
  static Pattern none;
  ADD_FAILURE() << "no pattern " << id;
  return none;
}

TEST(Patterns, TheSecondOrThirdTimeRaisesAFlag) {
  std::vector<Message> m = {In(1, 0, "timing.after_hours"), In(2, 3, "")};
  Patterns p = FindPatterns(m, std::nullopt, {}, {});
  EXPECT_EQ(Get(p, "after_hours").count, 1);
  EXPECT_FALSE(Get(p, "after_hours").flagged);
  EXPECT_EQ(p.step, "observe");
  m.push_back(In(3, 10, "timing.after_hours"));
  p = FindPatterns(m, std::nullopt, {}, {});
  EXPECT_TRUE(Get(p, "after_hours").flagged);
  EXPECT_NEAR(Get(p, "after_hours").value, 2.0 / 3, 1e-9);
  EXPECT_EQ(Get(p, "after_hours").messages, (std::vector<Id>{1, 3}));
  EXPECT_EQ(p.step, "boundaries");
}

TEST(Patterns, CheckInsAgainstTheAgreedRhythm) {
  std::vector<Message> m;
  for (int i = 0; i < 6; ++i) m.push_back(In(i + 1, i * 2, "micro.checkin"));
  // Six check-ins in ten days: a pattern when nothing was agreed...
  Patterns p = FindPatterns(m, std::nullopt, {}, {});
  EXPECT_TRUE(Get(p, "checkins").flagged);
  EXPECT_NEAR(Get(p, "checkins").value, 6 / (10.0 / 7), 1e-9);
  // ... and the agreed rhythm working when updates are daily.
  Agreement a;
  a.terms.update_end_of_day = true;
  p = FindPatterns(m, a, {}, {});
  EXPECT_FALSE(Get(p, "checkins").flagged);
  EXPECT_EQ(Get(p, "checkins").agreed, 5);
  // Twice a week agreed: six in ten days is more than that.
  a.terms.update_end_of_day = false;
  a.terms.update_weekdays = {0, 3};
  p = FindPatterns(m, a, {}, {});
  EXPECT_TRUE(Get(p, "checkins").flagged);
}

TEST(Patterns, OnlyTheLastTwelveWeeksAndOnlyTheClient) {
  std::vector<Message> m = {In(1, 0, "scope.outside"),
                            In(2, 1, "scope.outside"), In(3, 200, "")};
  Message own = In(4, 199, "scope.outside");
  own.direction = Direction::kOutgoing;
  m.insert(m.begin() + 2, own);
  const Patterns p = FindPatterns(m, std::nullopt, {}, {});
  EXPECT_EQ(Get(p, "scope").count, 0);
  EXPECT_EQ(p.incoming, 1);
  EXPECT_EQ(p.to, kStart + 200 * kDay);
}

TEST(Patterns, LatePaymentsAdjustTheTerms) {
  std::vector<Message> m = {In(1, 50, "")};
  Invoice paid_late;
  paid_late.due_at = kStart + 10 * kDay;
  paid_late.paid_at = kStart + 20 * kDay;
  Invoice on_time;
  on_time.due_at = kStart + 30 * kDay;
  on_time.paid_at = kStart + 29 * kDay;
  Invoice open;
  open.due_at = kStart + 40 * kDay;  // unpaid, past due at the last message
  Patterns p = FindPatterns(m, std::nullopt, {paid_late, on_time}, {});
  EXPECT_EQ(Get(p, "late_payments").count, 1);
  EXPECT_FALSE(Get(p, "late_payments").flagged);
  p = FindPatterns(m, std::nullopt, {paid_late, on_time, open}, {});
  EXPECT_TRUE(Get(p, "late_payments").flagged);
  EXPECT_EQ(p.step, "adjust_terms");
}

TEST(Patterns, HostilityWithOtherPatternsMeansConsiderEnding) {
  std::vector<Message> m = {
      In(1, 1, "timing.after_hours scope.outside", -0.5, 3),
      In(2, 2, "timing.after_hours scope.outside", -0.5, 1)};
  const Patterns p = FindPatterns(m, std::nullopt, {}, {});
  EXPECT_TRUE(Get(p, "hostility").flagged);
  EXPECT_EQ(p.step, "consider_ending");
}

TEST(Patterns, ToneGettingWorse) {
  std::vector<Message> m;
  for (int i = 0; i < 8; ++i)
    m.push_back(In(i + 1, i * 3, "", i < 4 ? 0.3 : -0.2));
  Patterns p = FindPatterns(m, std::nullopt, {}, {});
  EXPECT_TRUE(Get(p, "tone").flagged);
  EXPECT_NEAR(Get(p, "tone").value, -0.5, 1e-9);
  // Steady tone: no flag; too few messages: no verdict.
  for (Message& x : m)
    x.analysis_json = R"({"escalation_level":0,"valence":0.1,"signals":[]})";
  p = FindPatterns(m, std::nullopt, {}, {});
  EXPECT_FALSE(Get(p, "tone").flagged);
  m.resize(3);
  m[2].analysis_json = R"({"valence":-0.9})";
  p = FindPatterns(m, std::nullopt, {}, {});
  EXPECT_EQ(Get(p, "tone").count, 0);
}

TEST(Patterns, UnanalysedOrBrokenAnalysesAreLeftOut) {
  std::vector<Message> m = {In(1, 1, "timing.after_hours"),
                            In(2, 2, "timing.after_hours")};
  m[0].analysis_json = "";
  m[1].analysis_json = "{not json";
  const Patterns p = FindPatterns(m, std::nullopt, {}, {});
  EXPECT_EQ(p.incoming, 2);
  EXPECT_EQ(Get(p, "after_hours").count, 0);
}

}  // namespace
}  // namespace kalm::domain
