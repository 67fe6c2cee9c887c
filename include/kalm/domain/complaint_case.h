// The complaint case (METHOD.md section 5): a bad moment with a client
// walked through five steps — let it land, reflect, prepare, hold the
// conversation, evaluate — each with its state and times. Steps can be
// revisited, a case can be closed early with a reason and reopened; an
// evaluated case is an entry in the journal.
//
// Value types and pure functions; thread-compatible.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kalm/core/status.h"
#include "kalm/domain/model.h"

namespace kalm::domain {

enum class CaseStep { kLand = 1, kReflect, kPrepare, kConversation, kEvaluate };
inline constexpr int kCaseSteps = 5;
std::string_view CaseStepName(int step);  // "land", "reflect", ...
// Errors: kInvalidArgument for a name or number that is no step.
StatusOr<int> ParseCaseStep(std::string_view name);

// What the VA offers, or the most they will offer, fixed beforehand: a text
// and, optionally, what it is worth in money and in hours.
struct Concession {
  std::string text;
  std::optional<int64_t> cents;  // a refund or discount, in the agreement's
                                 // currency
  std::optional<double> hours;   // extra work
  bool operator==(const Concession&) const = default;
};

// A fact to explain in the conversation, tied to the agreement when it rests
// on one ("scope: Maandverslag maken" in version 2).
struct CaseFact {
  std::string text;
  std::string clause;         // empty: not from the agreement
  int agreement_version = 0;  // 0: none
  bool operator==(const CaseFact&) const = default;
};

struct AgreedAction {
  std::string what;
  std::string owner;  // me | client | both
  std::optional<UnixTime> due;
  bool operator==(const AgreedAction&) const = default;
};

// The answers, step by step. Fields meant for the client are marked; the
// rest is the VA's own and never leaves kalm.
struct CaseContent {
  // 1. Let it land.
  std::optional<UnixTime> cool_down_until;
  std::string receipt;  // for the client: the short receipt message
  bool receipt_sent = false;
  std::string reaction;  // defensive | pleasing | calm | "" (not yet)
  // 2. Reflect: the six questions, in METHOD.md's order.
  std::array<std::string, 6> reflection;
  // 3. Prepare.
  std::vector<std::string> questions;  // clarifying questions to ask
  std::vector<CaseFact> facts;
  std::string summary;  // the complaint in neutral words, as the VA will
                        // summarise it to the client
  Concession proposal;
  Concession maximum;  // private: never in anything the client gets
  // 4. The conversation.
  std::string notes;
  std::string outcome;  // resolved | partly | not | ""
  std::vector<AgreedAction> actions;
  std::optional<UnixTime> follow_up_at;
  // 5. Evaluate.
  std::string next_time;     // what to communicate, offer or check differently
  std::string trust_myself;  // where I may trust myself more
  std::vector<std::string> triggers;
  std::string not_fit;  // which clients do not fit me
  std::string sooner;   // how to recognise this sooner
  bool operator==(const CaseContent&) const = default;
};

struct ComplaintCase {
  Id id = 0;
  Id client_id = 0;
  std::optional<Id> message_id;  // the message it started from
  std::string title;
  int step = 1;      // the current step, 1..5
  int furthest = 1;  // the furthest step reached (revisits go back to it)
  std::array<std::optional<UnixTime>, kCaseSteps> entered_at{};
  std::array<std::optional<UnixTime>, kCaseSteps> completed_at{};
  bool closed = false;
  std::string close_reason;  // "done" when closed after the evaluation
  std::optional<UnixTime> closed_at;
  UnixTime created_at = 0;
  UnixTime updated_at = 0;
  int64_t revision = 0;  // the store refuses an update from an older copy
  CaseContent content;
};

// A new case at step 1, entered now.
ComplaintCase OpenCase(Id client, std::optional<Id> message, std::string title,
                       UnixTime now);

// Checks the answers. Errors: kInvalidArgument — text that is not UTF-8 or
// too long, an unknown reaction, outcome, owner or step, a negative amount,
// a proposal worth more than the maximum (in money or in hours), or a
// proposal with an amount while the maximum has none (the limit is fixed
// first).
Status Validate(const ComplaintCase& c);

// What the current step still needs before the next one, as keys
// ("reaction", "position", "summary", "outcome", "evaluation"); empty when
// it is complete.
std::vector<std::string> MissingForNext(const ComplaintCase& c);

// Completes the current step and enters the next; after step 5 the case is
// closed as "done" (and is a journal entry). Errors: kFailedPrecondition
// (closed, or the step is incomplete: the message names what is missing).
Status Advance(ComplaintCase* c, UnixTime now);
// Goes back to a step already reached, or forward up to the furthest.
// Errors: kFailedPrecondition (closed), kInvalidArgument (beyond furthest).
Status GoTo(ComplaintCase* c, int step, UnixTime now);
// Errors: kFailedPrecondition (closed already), kInvalidArgument (no reason).
Status Close(ComplaintCase* c, std::string_view reason, UnixTime now);
// Errors: kFailedPrecondition (not closed).
Status Reopen(ComplaintCase* c, UnixTime now);

// The follow-up tasks of the conversation's agreed actions, with their
// dates: the client's own ones wait on the client. Titled by the action only
// (the client sees the task board).
std::vector<Task> FollowUpTasks(const ComplaintCase& c, UnixTime now);

// The journal: evaluated cases, searched and summed up.
struct JournalEntry {
  Id case_id = 0;
  Id client_id = 0;
  std::string client;
  std::string title;
  UnixTime at = 0;  // when the evaluation was completed
  std::string outcome;
  std::string next_time, trust_myself, not_fit, sooner;
  std::vector<std::string> triggers;
};
struct Journal {
  std::vector<JournalEntry> entries;  // newest first
  // Triggers named in more than one entry, most frequent first.
  std::vector<std::pair<std::string, int>> recurring_triggers;
};
// `cases` with their client names (by client id); `search`: every word must
// occur (case-insensitively) in the entry's texts, triggers, title or client.
Journal BuildJournal(const std::vector<ComplaintCase>& cases,
                     const std::vector<Client>& clients,
                     std::string_view search);

}  // namespace kalm::domain
