// What a complaint case produces as text: the conversation script for the
// VA (METHOD.md section 5, step 3: five parts, with the VA's own limit as a
// private note) and the confirmation e-mail for the client (step 4), both in
// the client's language and form of address, from data/case/{nl,en}.tsv;
// and the hints for the reflection (step 2) drawn from the message's
// analysis and the agreement.
//
// CaseTexts is immutable after Parse and safe to share between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kalm/core/reply.h"
#include "kalm/core/status.h"
#include "kalm/domain/complaint_case.h"
#include "kalm/domain/model.h"

namespace kalm::domain {

class CaseTexts {
 public:
  // The two files' contents. Errors: kInvalidArgument naming the file and
  // line of a malformed line, a form other than je/u/-, or a key the code
  // needs that a language lacks.
  static StatusOr<CaseTexts> Parse(std::string_view nl_tsv,
                                   std::string_view en_tsv);
  // The text for `key` in the language ("nl" or "en"; else Dutch) and form
  // ("je" or "u"; else je), with {name} filled from `vars`.
  std::string Text(std::string_view lang, std::string_view form,
                   std::string_view key,
                   const std::map<std::string, std::string>& vars = {}) const;
  // "vrijdag 27 november" in the client's time zone (IANA; empty: UTC).
  std::string Date(std::string_view lang, UnixTime t,
                   std::string_view timezone) const;

 private:
  // lang -> key -> form ("je", "u", "-") -> text
  std::map<std::string,
           std::map<std::string, std::map<std::string, std::string>>>
      texts_;
};

struct ScriptPart {
  std::string title;
  std::vector<std::string> lines;
};
struct ConversationScript {
  std::string title;
  std::string safety;             // "a safety net, not a text to read out"
  std::vector<ScriptPart> parts;  // five
  std::string private_note;       // the VA's limit: for their eyes only
  std::string Text() const;       // all of it as plain text
};

// `dominant_emotion`: of the message the case started from ("" for none).
ConversationScript ComposeScript(const ComplaintCase& c, const Client& client,
                                 std::string_view dominant_emotion,
                                 const CaseTexts& texts);

struct ConfirmationMail {
  std::string subject;
  std::string body;  // plain text, for the client
};
// Only what was agreed: the actions, the follow-up, and the VA's name. Never
// the maximum, the reflection, the notes or any analysis.
ConfirmationMail ComposeConfirmation(const ComplaintCase& c,
                                     const Client& client, std::string_view me,
                                     const CaseTexts& texts);

// A new case for `client`, from `message` when given (the title from its
// first line unless `title` is set). For a message the reply coach says to
// cool down on, the cool-down (30 minutes; 2 hours at escalation 3) and the
// receipt message to send meanwhile. `composer` may be null (no receipt).
// Errors: kInvalidArgument (no title and no message), those of Suggest.
StatusOr<ComplaintCase> StartCase(const Client& client, const Message* message,
                                  std::string title,
                                  const core::ReplyComposer* composer,
                                  UnixTime now);

// Hints for the six reflection questions.
struct ReflectionHints {
  // Questions 1 and 2: the message's sentences, as facts or judgements.
  std::vector<std::string> facts;
  std::vector<std::string> judgements;
  // Question 4: the agreement clauses that bear on it.
  struct Clause {
    std::string key;    // scope, reaction_hours, availability, ...
    std::string value;  // as agreed ("24", "Maandverslag maken", ...)
    int version = 0;
  };
  std::vector<Clause> clauses;
  // Question 5: the emotion the client wrote from ("" when none stands out).
  std::string dominant_emotion;
};
// `analysis_json`: the stored analysis of the message (as `kalm analyze
// --json`); `agreement`: the confirmed one, or nullptr.
ReflectionHints HintsFor(std::string_view message,
                         std::string_view analysis_json,
                         const Agreement* agreement);

}  // namespace kalm::domain
