// Timestamps and availability windows, for after-hours detection.
//
// Pure functions over plain values; thread-safe. Time-zone rules come from ICU,
// so daylight-saving changes are handled.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kalm/core/status.h"

namespace kalm::core {

struct Timestamp {
  int64_t unix_seconds = 0;
  int offset_minutes = 0;  // the offset written in the timestamp
  bool has_offset =
      false;         // false: local time without zone ("2026-03-08T21:40")
  std::string text;  // as given
};

// ISO-8601: "2026-03-08T21:40:00+01:00", "...Z", "2026-03-08 21:40", seconds
// optional. Errors: kInvalidArgument describing what is wrong.
StatusOr<Timestamp> ParseTimestamp(std::string_view s);

// Weekday 0 = Monday .. 6 = Sunday; minutes since local midnight.
struct LocalTime {
  int weekday = 0;
  int minutes = 0;
};

// Local time of `at` in IANA zone `tz` (empty: the timestamp's own offset).
// Errors: kInvalidArgument for an unknown zone.
StatusOr<LocalTime> ToLocal(const Timestamp& at, std::string_view tz);

struct AvailabilityWindow {
  uint8_t weekdays = 0;  // bit 0 = Monday .. bit 6 = Sunday
  int start = 0;         // minutes since midnight, inclusive
  int end = 0;           // exclusive
};

// "mon-fri 09:00-17:30; sat 10:00-12:00" (Dutch day names too: "ma-vr", "za").
// Errors: kInvalidArgument naming the part that cannot be read.
StatusOr<std::vector<AvailabilityWindow>> ParseAvailability(std::string_view s);

// Mon-Fri 08:00-18:00.
std::vector<AvailabilityWindow> DefaultAvailability();

bool IsWithin(const std::vector<AvailabilityWindow>& windows, LocalTime t);

// Seconds since the epoch of a civil date and time read as if it were UTC
// (proleptic Gregorian; no range checks).
int64_t CivilSeconds(int year, int month, int day, int hour, int minute,
                     int second);

// An IANA time zone, to turn wall-clock times without an offset (a WhatsApp
// export) into UTC, DST-correct. Const methods are safe to call from several
// threads.
class Zone {
 public:
  // Errors: kInvalidArgument for an unknown zone.
  static StatusOr<Zone> Find(std::string_view tz);
  Zone(Zone&&) noexcept;
  Zone& operator=(Zone&&) noexcept;
  ~Zone();
  // UTC seconds of the wall-clock time `local` (CivilSeconds of the local
  // date and time). A time in the spring-forward gap or the repeated autumn
  // hour is read with the offset in force just before it.
  int64_t ToUtc(int64_t local) const;
  // The UTC offset in minutes at `utc`.
  int OffsetMinutes(int64_t utc) const;

 private:
  struct Impl;
  explicit Zone(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kalm::core
