#include "kalm/core/time.h"

#include <gtest/gtest.h>

namespace kalm::core {
namespace {

TEST(Time, ParsesIsoWithOffset) {
  auto t = ParseTimestamp("2026-03-08T21:40:00+01:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->unix_seconds, 1773002400);
  auto local = ToLocal(*t, "");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->weekday, 6);  // Sunday
  EXPECT_EQ(local->minutes, 21 * 60 + 40);
}

TEST(Time, RejectsGarbage) {
  EXPECT_FALSE(ParseTimestamp("gisteren").ok());
  EXPECT_FALSE(ParseTimestamp("2026-13-01T10:00").ok());
  EXPECT_FALSE(ParseTimestamp("2026-03-01T10:00+99:00").ok());
  EXPECT_NE(
      ParseTimestamp("2026-03-01").status().message().find("missing time"),
      std::string::npos);
}

TEST(Time, ZoneIsDstCorrect) {
  // 2026-03-29 01:30 UTC is 03:30 CEST (summer time started at 01:00 UTC).
  auto t = ParseTimestamp("2026-03-29T01:30:00Z");
  ASSERT_TRUE(t.ok());
  auto local = ToLocal(*t, "Europe/Amsterdam");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->minutes, 3 * 60 + 30);
  // A day earlier the same UTC time is 02:30 CET.
  auto w = ParseTimestamp("2026-03-28T01:30:00Z");
  EXPECT_EQ(ToLocal(*w, "Europe/Amsterdam")->minutes, 2 * 60 + 30);
  EXPECT_FALSE(ToLocal(*t, "Mars/Olympus").ok());
}

TEST(Time, AvailabilityWindows) {
  auto w = ParseAvailability("ma-vr 09:00-17:30; sat 10:00-12:00");
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(IsWithin(*w, {0, 9 * 60}));
  EXPECT_FALSE(IsWithin(*w, {0, 17 * 60 + 30}));
  EXPECT_TRUE(IsWithin(*w, {5, 11 * 60}));
  EXPECT_FALSE(IsWithin(*w, {6, 11 * 60}));
  EXPECT_FALSE(ParseAvailability("weekdays all day").ok());
  EXPECT_FALSE(ParseAvailability("mon 17:00-09:00").ok());
}

}  // namespace
}  // namespace kalm::core

namespace kalm::core {
namespace {

TEST(Zone, WallClockToUtcIsDstCorrect) {
  auto ams = Zone::Find("Europe/Amsterdam");
  ASSERT_TRUE(ams.ok());
  // Winter: UTC+1; summer: UTC+2.
  EXPECT_EQ(ams->ToUtc(CivilSeconds(2026, 1, 15, 12, 0, 0)),
            CivilSeconds(2026, 1, 15, 11, 0, 0));
  EXPECT_EQ(ams->ToUtc(CivilSeconds(2026, 7, 15, 12, 0, 0)),
            CivilSeconds(2026, 7, 15, 10, 0, 0));
  EXPECT_EQ(ams->OffsetMinutes(CivilSeconds(2026, 7, 15, 10, 0, 0)), 120);
  // The last Sunday of October: 02:30 happens twice; either reading is an
  // hour apart at most, and never outside the night.
  const int64_t twice = ams->ToUtc(CivilSeconds(2026, 10, 25, 2, 30, 0));
  EXPECT_GE(twice, CivilSeconds(2026, 10, 25, 0, 30, 0));
  EXPECT_LE(twice, CivilSeconds(2026, 10, 25, 1, 30, 0));
  auto london = Zone::Find("Europe/London");
  ASSERT_TRUE(london.ok());
  EXPECT_EQ(london->ToUtc(CivilSeconds(2026, 3, 8, 21, 40, 0)),
            CivilSeconds(2026, 3, 8, 21, 40, 0));
  EXPECT_EQ(Zone::Find("Mars/Olympus").status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kalm::core
