// Per-client patterns over the timeline (METHOD.md section 7: repeated
// behaviour, not one hard moment, makes a hard client). Each pattern counts
// occurrences in the last 12 weeks of the timeline and is flagged at the
// second or third occurrence; the flags together give a step on the ladder
// observe -> boundaries and structure -> ask for change -> adjust terms ->
// consider ending.
//
// Pure functions over stored values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kalm/domain/model.h"

namespace kalm::domain {

struct Pattern {
  // checkins, after_hours, scope, complaints, hostility, tone, late_payments,
  // client_late
  std::string id;
  int count = 0;      // occurrences in the window
  int threshold = 0;  // the count from which it is flagged
  bool flagged = false;
  double value = 0;   // checkins: per week; after_hours: share; tone: change
  double agreed = 0;  // checkins: agreed updates per week (0: none agreed)
  std::vector<Id> messages;  // the latest messages that count (at most 5)
  std::string strategy;      // what to do: a METHOD strategy id
};

struct Patterns {
  UnixTime from = 0, to = 0;  // the window: 12 weeks up to the last message
  int incoming = 0;           // incoming messages in the window
  std::vector<Pattern> items;
  // observe | boundaries | ask_change | adjust_terms | consider_ending
  std::string step = "observe";
};

// `messages` oldest first, with their stored analyses (JSON as `kalm
// analyze --json` prints it). `agreement` is the confirmed one, if any.
Patterns FindPatterns(const std::vector<Message>& messages,
                      const std::optional<Agreement>& agreement,
                      const std::vector<Invoice>& invoices,
                      const std::vector<Task>& tasks);

}  // namespace kalm::domain
