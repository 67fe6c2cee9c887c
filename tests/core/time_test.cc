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
