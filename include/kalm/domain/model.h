// The domain's value types: a workspace (one VA, or one agency) and its users,
// clients, versioned agreements, messages with their stored analysis, tasks
// and invoices (METHOD.md sections 2, 6 and 7).
//
// Plain values: no I/O, no locking; copy freely. Times are UTC seconds since
// the Unix epoch; where the local time matters (a message's sent-at) the UTC
// offset it was written with is kept beside it. Money is in cents with an ISO
// 4217 currency code, so sums never round.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kalm/core/status.h"

namespace kalm::domain {

using Id = int64_t;  // a row id; ids are unique per kind, not per workspace
using UnixTime = int64_t;  // seconds since 1970-01-01T00:00:00Z

struct Money {
  int64_t cents = 0;
  std::string currency = "EUR";
  bool operator==(const Money&) const = default;
};

struct Workspace {
  Id id = 0;
  std::string name;
  UnixTime created_at = 0;
};

struct User {
  Id id = 0;
  Id workspace_id = 0;
  std::string email;  // unique across all workspaces, stored lower-case
  std::string display_name;
  std::string role = "owner";  // owner | member
  UnixTime created_at = 0;
};

struct Client {
  Id id = 0;
  Id workspace_id = 0;
  std::string name;  // unique within a workspace
  std::string company;
  std::string language;  // "nl", "en" or "" (detect)
  std::string form;      // "je", "u" or "" (as the client writes)
  std::string timezone = "Europe/Amsterdam";  // IANA name
  std::vector<std::string> channels;          // "email", "whatsapp", ...
  std::string notes;
  UnixTime created_at = 0;
  bool operator==(const Client&) const = default;
};

// One availability window: weekday 0 = Monday .. 6 = Sunday, minutes after
// local midnight, end exclusive.
struct Window {
  int weekday = 0;
  int start_minute = 0;
  int end_minute = 0;
  bool operator==(const Window&) const = default;
};

// What VA and client agreed in writing (METHOD.md section 6).
struct AgreementTerms {
  std::optional<Money> rate;               // per hour
  std::optional<Money> out_of_scope_rate;  // per hour, for extra work
  std::optional<double> hours_budget;      // hours per budget_period
  std::string budget_period;               // "week" | "month" | ""
  std::vector<Window> availability;        // in the client's timezone
  std::optional<int> reaction_hours;       // promised reaction time
  std::vector<int> update_weekdays;        // fixed update days (0 = Monday)
  bool update_end_of_day = false;          // or an update at the end of a day
  std::vector<std::string> channels;
  std::vector<std::string> scope;  // the agreed tasks, one item each
  std::optional<int> payment_due_days;
  std::optional<int> deposit_percent;
  std::optional<int> instalments;
  bool late_delivery_shifts_planning = true;  // the client's late input moves
                                              // the VA's deadlines
  std::string notes;
  bool operator==(const AgreementTerms&) const = default;
};

enum class AgreementState { kDraft, kSent, kConfirmed, kSuperseded };
std::string_view AgreementStateName(AgreementState s);
// Errors: kInvalidArgument for a name that is not a state.
StatusOr<AgreementState> ParseAgreementState(std::string_view name);

struct Agreement {
  Id id = 0;
  Id client_id = 0;
  int version = 0;  // 1, 2, ... per client
  AgreementState state = AgreementState::kDraft;
  AgreementTerms terms;
  UnixTime created_at = 0;
  std::optional<UnixTime> sent_at;
  std::optional<UnixTime> confirmed_at;
  std::string confirmed_by;   // who confirmed: the client's name or e-mail
  std::string confirmed_how;  // "portal", "email", "whatsapp", "in person"
};

// Versions in an AgreementHistory (newest first): the one waiting for the
// client (draft or sent), the confirmed one, and what to show (the confirmed
// one, else the newest). nullptr when there is none.
const Agreement* OpenVersion(const std::vector<Agreement>& history);
const Agreement* ConfirmedVersion(const std::vector<Agreement>& history);
const Agreement* ShownVersion(const std::vector<Agreement>& history);

enum class Direction { kIncoming, kOutgoing };
std::string_view DirectionName(Direction d);  // "incoming", "outgoing"
// Errors: kInvalidArgument for another word.
StatusOr<Direction> ParseDirection(std::string_view name);

struct Message {
  Id id = 0;
  Id client_id = 0;
  Direction direction = Direction::kIncoming;
  std::string channel;  // "email", "whatsapp", "text", ...
  UnixTime sent_at = 0;
  int utc_offset_minutes = 0;  // the offset the sender's clock showed
  std::string author;
  std::string body;
  std::string thread;  // subject or chat name; "" when none
  // Where it came from, so a re-import adds nothing: the file and the
  // position in it, and a key unique per client (Message-ID or a hash).
  std::string source;
  int64_t source_position = 0;
  std::string dedup_key;
  // The analysis as `kalm analyze --json` prints it, and the analyzer version
  // that made it, so an upgrade can re-analyse. "" when not analysed.
  std::string analysis_json;
  std::string analyzer_version;
};

struct Task {
  Id id = 0;
  Id client_id = 0;
  std::string title;
  std::optional<UnixTime> deadline;
  std::optional<UnixTime> waiting_on_client_since;
  std::optional<UnixTime> done_at;
  UnixTime created_at = 0;
};

struct Invoice {
  Id id = 0;
  Id client_id = 0;
  std::string number;  // unique per client
  Money amount;
  UnixTime issued_at = 0;
  UnixTime due_at = 0;
  std::optional<UnixTime> paid_at;
};

// A status update the VA gives the client (METHOD.md section 8: regular
// updates at fixed moments and proactive notices), shown in the portal.
struct StatusUpdate {
  Id id = 0;
  Id client_id = 0;
  std::string kind;  // started | approach | progress | delivered
  std::string text;  // what the client reads
  std::optional<UnixTime> next_update_at;  // when the next one comes
  UnixTime created_at = 0;
};
bool IsStatusUpdateKind(std::string_view kind);

// A message key for de-duplication when the message has no Message-ID:
// "<prefix>:<sent_at, 12 hex digits>:<BLAKE2b-128 of the parts>". The time
// comes first so that an import's keys arrive in order and the unique index
// grows at its end (a random key touched another index page per message).
std::string TimeKey(std::string_view prefix, UnixTime sent_at,
                    std::initializer_list<std::string_view> parts);
// The content key of a message: direction, author and body at its time.
std::string ContentKey(const Message& m);

// E-mail addresses are compared in lower case (ASCII; the login and the
// throttling key).
std::string NormalizeEmail(std::string_view email);

// Checks a value before it is stored. Errors: kInvalidArgument naming the
// field (an empty name, a window that ends before it starts, a weekday out of
// 0..6, a negative amount, a percentage outside 0..100, text that is not
// UTF-8 or longer than the limits in store.h).
Status Validate(const Client& c);
Status Validate(const AgreementTerms& t);
Status Validate(const Message& m);
Status Validate(const Task& t);
Status Validate(const Invoice& i);
Status Validate(const StatusUpdate& u);

}  // namespace kalm::domain
