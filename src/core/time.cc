#include "kalm/core/time.h"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <array>
#include <cctype>
#include <memory>

namespace kalm::core {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool ReadInt(std::string_view s, size_t& i, size_t digits, int* out) {
  if (i + digits > s.size()) return false;
  int v = 0;
  for (size_t k = 0; k < digits; ++k) {
    const char c = s[i + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  i += digits;
  return true;
}

LocalTime FromSeconds(int64_t local_seconds) {
  int64_t days = local_seconds / 86400;
  int64_t rem = local_seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // 1970-01-01 was a Thursday (weekday 3 with Monday = 0).
  int64_t wd = (days + 3) % 7;
  if (wd < 0) wd += 7;
  return {static_cast<int>(wd), static_cast<int>(rem / 60)};
}

}  // namespace

StatusOr<Timestamp> ParseTimestamp(std::string_view s) {
  Timestamp t;
  t.text = std::string(s);
  auto bad = [&](const char* what) {
    return InvalidArgumentError("cannot read timestamp '" + std::string(s) +
                                "': " + what +
                                " (expected e.g. 2026-03-08T21:40:00+01:00)");
  };
  size_t i = 0;
  int y, mo, d, h, mi, sec = 0;
  if (!ReadInt(s, i, 4, &y) || i >= s.size() || s[i++] != '-' ||
      !ReadInt(s, i, 2, &mo) || i >= s.size() || s[i++] != '-' ||
      !ReadInt(s, i, 2, &d)) {
    return bad("the date must be YYYY-MM-DD");
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31)
    return bad("month or day out of range");
  if (i >= s.size() || (s[i] != 'T' && s[i] != ' ')) return bad("missing time");
  ++i;
  if (!ReadInt(s, i, 2, &h) || i >= s.size() || s[i++] != ':' ||
      !ReadInt(s, i, 2, &mi)) {
    return bad("the time must be HH:MM");
  }
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!ReadInt(s, i, 2, &sec)) return bad("seconds must be two digits");
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
        ++i;
    }
  }
  if (h > 23 || mi > 59 || sec > 60) return bad("time out of range");
  int offset = 0;
  if (i < s.size()) {
    if (s[i] == 'Z' || s[i] == 'z') {
      ++i;
      t.has_offset = true;
    } else if (s[i] == '+' || s[i] == '-') {
      const int sign = s[i] == '-' ? -1 : 1;
      ++i;
      int oh, om = 0;
      if (!ReadInt(s, i, 2, &oh)) return bad("offset must be +HH:MM");
      if (i < s.size() && s[i] == ':') ++i;
      if (i < s.size() && !ReadInt(s, i, 2, &om))
        return bad("offset must be +HH:MM");
      if (oh > 14 || om > 59) return bad("offset out of range");
      offset = sign * (oh * 60 + om);
      t.has_offset = true;
    }
  }
  if (i != s.size()) return bad("unexpected text after the time");
  const int64_t days =
      DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  t.offset_minutes = offset;
  t.unix_seconds = days * 86400 + h * 3600 + mi * 60 + sec - offset * 60;
  return t;
}

StatusOr<LocalTime> ToLocal(const Timestamp& at, std::string_view tz) {
  if (tz.empty()) {
    return FromSeconds(at.unix_seconds + at.offset_minutes * 60);
  }
  std::unique_ptr<icu::TimeZone> zone(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
          icu::StringPiece(tz.data(), static_cast<int32_t>(tz.size())))));
  icu::UnicodeString id;
  zone->getID(id);
  if (*zone == icu::TimeZone::getUnknown()) {
    return InvalidArgumentError(
        "unknown time zone '" + std::string(tz) +
        "' (use an IANA name such as Europe/Amsterdam)");
  }
  if (!at.has_offset) {
    // Local wall time in that zone already.
    return FromSeconds(at.unix_seconds);
  }
  UErrorCode st = U_ZERO_ERROR;
  int32_t raw = 0, dst = 0;
  zone->getOffset(static_cast<UDate>(at.unix_seconds) * 1000.0, false, raw, dst,
                  st);
  if (U_FAILURE(st)) return InvalidArgumentError("time zone lookup failed");
  return FromSeconds(at.unix_seconds + (raw + dst) / 1000);
}

StatusOr<std::vector<AvailabilityWindow>> ParseAvailability(
    std::string_view s) {
  static const std::array<std::array<std::string_view, 2>, 7> kDays = {
      {{"mon", "ma"},
       {"tue", "di"},
       {"wed", "wo"},
       {"thu", "do"},
       {"fri", "vr"},
       {"sat", "za"},
       {"sun", "zo"}}};
  auto day = [&](std::string_view w) -> int {
    std::string l(w);
    for (char& c : l)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (int k = 0; k < 7; ++k) {
      for (std::string_view n : kDays[static_cast<size_t>(k)]) {
        if (l.size() >= n.size() && l.compare(0, n.size(), n) == 0) return k;
      }
    }
    return -1;
  };
  std::vector<AvailabilityWindow> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t semi = s.find_first_of(";,", pos);
    if (semi == std::string_view::npos) semi = s.size();
    std::string_view part = s.substr(pos, semi - pos);
    pos = semi + 1;
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.empty()) {
      if (semi == s.size()) break;
      continue;
    }
    auto bad = [&] {
      return InvalidArgumentError("cannot read availability '" +
                                  std::string(part) +
                                  "' (expected e.g. 'mon-fri 09:00-17:30')");
    };
    const size_t sp = part.find(' ');
    if (sp == std::string_view::npos) return bad();
    const std::string_view days = part.substr(0, sp);
    std::string_view hours = part.substr(sp + 1);
    while (!hours.empty() && hours.front() == ' ') hours.remove_prefix(1);
    AvailabilityWindow w;
    const size_t dash = days.find('-');
    if (dash == std::string_view::npos) {
      const int d = day(days);
      if (d < 0) return bad();
      w.weekdays = static_cast<uint8_t>(1u << d);
    } else {
      const int a = day(days.substr(0, dash)), b = day(days.substr(dash + 1));
      if (a < 0 || b < 0) return bad();
      for (int k = a;; k = (k + 1) % 7) {
        w.weekdays = static_cast<uint8_t>(w.weekdays | (1u << k));
        if (k == b) break;
      }
    }
    size_t i = 0;
    int h1, m1, h2, m2;
    if (!ReadInt(hours, i, 2, &h1) || i >= hours.size() || hours[i++] != ':' ||
        !ReadInt(hours, i, 2, &m1) || i >= hours.size() || hours[i++] != '-' ||
        !ReadInt(hours, i, 2, &h2) || i >= hours.size() || hours[i++] != ':' ||
        !ReadInt(hours, i, 2, &m2) || i != hours.size() || h1 > 24 || h2 > 24 ||
        m1 > 59 || m2 > 59) {
      return bad();
    }
    w.start = h1 * 60 + m1;
    w.end = h2 * 60 + m2;
    if (w.end <= w.start) return bad();
    out.push_back(w);
    if (semi == s.size()) break;
  }
  if (out.empty()) return InvalidArgumentError("availability is empty");
  return out;
}

std::vector<AvailabilityWindow> DefaultAvailability() {
  return {{0x1F, 8 * 60, 18 * 60}};
}

bool IsWithin(const std::vector<AvailabilityWindow>& windows, LocalTime t) {
  for (const auto& w : windows) {
    if ((w.weekdays >> t.weekday) & 1u) {
      if (t.minutes >= w.start && t.minutes < w.end) return true;
    }
  }
  return false;
}

}  // namespace kalm::core

namespace kalm::core {

int64_t CivilSeconds(int year, int month, int day, int hour, int minute,
                     int second) {
  return DaysFromCivil(year, static_cast<unsigned>(month),
                       static_cast<unsigned>(day)) *
             86400 +
         hour * 3600 + minute * 60 + second;
}

struct Zone::Impl {
  std::unique_ptr<icu::TimeZone> zone;
};

Zone::Zone(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Zone::Zone(Zone&&) noexcept = default;
Zone& Zone::operator=(Zone&&) noexcept = default;
Zone::~Zone() = default;

StatusOr<Zone> Zone::Find(std::string_view tz) {
  auto impl = std::make_unique<Impl>();
  impl->zone.reset(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
      icu::StringPiece(tz.data(), static_cast<int32_t>(tz.size())))));
  if (impl->zone == nullptr || *impl->zone == icu::TimeZone::getUnknown())
    return InvalidArgumentError(
        "unknown time zone '" + std::string(tz) +
        "' (use an IANA name such as Europe/Amsterdam)");
  return Zone(std::move(impl));
}

int64_t Zone::ToUtc(int64_t local) const {
  UErrorCode st = U_ZERO_ERROR;
  int32_t raw = 0, dst = 0;
  impl_->zone->getOffset(static_cast<UDate>(local) * 1000.0, /*local=*/true,
                         raw, dst, st);
  if (U_FAILURE(st)) return local;
  return local - (raw + dst) / 1000;
}

int Zone::OffsetMinutes(int64_t utc) const {
  UErrorCode st = U_ZERO_ERROR;
  int32_t raw = 0, dst = 0;
  impl_->zone->getOffset(static_cast<UDate>(utc) * 1000.0, /*local=*/false, raw,
                         dst, st);
  if (U_FAILURE(st)) return 0;
  return (raw + dst) / 60000;
}

}  // namespace kalm::core
