// A client's timeline as `kalm timeline` and the API show it: the client,
// their messages oldest first and the patterns over them; and the context a
// new message of the client is analysed in (the confirmed agreement's
// availability, scope and extra-work rate, the client's time zone).
//
// Functions over a Store; thread-safe as the Store is.
#pragma once

#include <vector>

#include "kalm/core/analyzer.h"
#include "kalm/domain/patterns.h"
#include "kalm/domain/store.h"

namespace kalm::domain {

struct Timeline {
  Client client;
  std::vector<Message> messages;
  Patterns patterns;
};

// Errors: those of the Store (kNotFound for a client of another workspace).
StatusOr<Timeline> LoadTimeline(Store& store, Id workspace, Id client);

// A client at a glance (the dashboard): the ladder step, the flagged
// patterns, and the tone of the latest incoming message.
struct ClientSummary {
  std::string step;                 // as Patterns::step
  std::vector<std::string> flags;   // ids of the flagged patterns
  int64_t messages = 0;             // all messages of the client
  std::optional<UnixTime> last_at;  // the latest message, either way
  // Of the latest incoming message with an analysis.
  std::optional<UnixTime> last_incoming_at;
  std::string last_emotion;  // dominant emotion; empty: none
  int last_escalation = 0;   // 0..3
};
ClientSummary Summarize(const Timeline& timeline);

// `agreement`: the confirmed one, or nullptr.
core::AnalysisContext AnalysisContextFor(const Client& client,
                                         const Agreement* agreement);

// The client's confirmed agreement, or nullopt when none is confirmed yet.
// Errors: those of the Store other than kNotFound.
StatusOr<std::optional<Agreement>> FindCurrentAgreement(Store& store,
                                                        Id workspace,
                                                        Id client);

}  // namespace kalm::domain
