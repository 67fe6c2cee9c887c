#include "kalm/domain/complaint_case.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "domain/check.h"

namespace kalm::domain {
namespace {

constexpr size_t kShort = 2000;      // a title, a fact, an action
constexpr size_t kLong = 16 * 1024;  // an answer, the notes

const char* const kStepNames[kCaseSteps] = {"land", "reflect", "prepare",
                                            "conversation", "evaluate"};

bool Blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Status CheckConcession(std::string_view field, const Concession& c) {
  KALM_RETURN_IF_ERROR(CheckText(field, c.text, kLong, false));
  if (c.cents && *c.cents < 0)
    return InvalidArgumentError(std::string(field) + ": a negative amount");
  if (c.hours && (!std::isfinite(*c.hours) || *c.hours < 0))
    return InvalidArgumentError(std::string(field) + ": negative hours");
  return Status::Ok();
}

// The proposal may not exceed the maximum fixed beforehand, in money or in
// hours; an amount in the proposal needs a maximum of that kind.
Status CheckProposal(const Concession& p, const Concession& max) {
  if (p.cents) {
    if (!max.cents)
      return InvalidArgumentError(
          "fix the maximum amount before proposing an amount");
    if (*p.cents > *max.cents)
      return InvalidArgumentError(
          "the proposal is worth more than your maximum (money)");
  }
  if (p.hours) {
    if (!max.hours)
      return InvalidArgumentError(
          "fix the maximum hours before proposing hours");
    if (*p.hours > *max.hours + 1e-9)
      return InvalidArgumentError(
          "the proposal is worth more than your maximum (hours)");
  }
  return Status::Ok();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::string_view CaseStepName(int step) {
  return step >= 1 && step <= kCaseSteps ? kStepNames[step - 1] : "";
}

StatusOr<int> ParseCaseStep(std::string_view name) {
  for (int i = 0; i < kCaseSteps; ++i)
    if (name == kStepNames[i] ||
        (name.size() == 1 && name[0] == static_cast<char>('1' + i)))
      return i + 1;
  return InvalidArgumentError(
      "a step is 1-5 or land, reflect, prepare, conversation, evaluate");
}

ComplaintCase OpenCase(Id client, std::optional<Id> message, std::string title,
                       UnixTime now) {
  ComplaintCase c;
  c.client_id = client;
  c.message_id = message;
  c.title = std::move(title);
  c.entered_at[0] = now;
  c.created_at = now;
  c.updated_at = now;
  return c;
}

Status Validate(const ComplaintCase& c) {
  KALM_RETURN_IF_ERROR(CheckText("case title", c.title, kShort, true));
  if (c.step < 1 || c.step > kCaseSteps || c.furthest < c.step ||
      c.furthest > kCaseSteps)
    return InvalidArgumentError("case step out of 1..5");
  KALM_RETURN_IF_ERROR(
      CheckText("close reason", c.close_reason, kShort, false));
  const CaseContent& x = c.content;
  KALM_RETURN_IF_ERROR(CheckText("receipt", x.receipt, kLong, false));
  if (!x.reaction.empty() && x.reaction != "defensive" &&
      x.reaction != "pleasing" && x.reaction != "calm")
    return InvalidArgumentError("reaction is defensive, pleasing or calm");
  for (const std::string& r : x.reflection)
    KALM_RETURN_IF_ERROR(CheckText("reflection", r, kLong, false));
  for (const std::string& q : x.questions)
    KALM_RETURN_IF_ERROR(CheckText("question", q, kShort, true));
  for (const CaseFact& f : x.facts) {
    KALM_RETURN_IF_ERROR(CheckText("fact", f.text, kShort, true));
    KALM_RETURN_IF_ERROR(CheckText("clause", f.clause, kShort, false));
    if (f.agreement_version < 0)
      return InvalidArgumentError("fact: agreement version below 0");
  }
  KALM_RETURN_IF_ERROR(CheckText("summary", x.summary, kLong, false));
  KALM_RETURN_IF_ERROR(CheckConcession("proposal", x.proposal));
  KALM_RETURN_IF_ERROR(CheckConcession("maximum", x.maximum));
  KALM_RETURN_IF_ERROR(CheckProposal(x.proposal, x.maximum));
  KALM_RETURN_IF_ERROR(CheckText("notes", x.notes, kLong, false));
  if (!x.outcome.empty() && x.outcome != "resolved" && x.outcome != "partly" &&
      x.outcome != "not")
    return InvalidArgumentError("outcome is resolved, partly or not");
  for (const AgreedAction& a : x.actions) {
    KALM_RETURN_IF_ERROR(CheckText("action", a.what, kShort, true));
    if (a.owner != "me" && a.owner != "client" && a.owner != "both")
      return InvalidArgumentError("an action's owner is me, client or both");
  }
  for (const std::string* s :
       {&x.next_time, &x.trust_myself, &x.not_fit, &x.sooner})
    KALM_RETURN_IF_ERROR(CheckText("evaluation", *s, kLong, false));
  for (const std::string& t : x.triggers)
    KALM_RETURN_IF_ERROR(CheckText("trigger", t, 200, true));
  return Status::Ok();
}

std::vector<std::string> MissingForNext(const ComplaintCase& c) {
  const CaseContent& x = c.content;
  std::vector<std::string> missing;
  switch (c.step) {
    case 1:
      if (x.reaction.empty()) missing.push_back("reaction");
      break;
    case 2:
      // The own position (question 6) is what the next steps build on.
      if (Blank(x.reflection[5])) missing.push_back("position");
      break;
    case 3:
      if (Blank(x.summary)) missing.push_back("summary");
      if (Blank(x.proposal.text) && x.facts.empty() && x.questions.empty())
        missing.push_back("proposal");
      break;
    case 4:
      if (x.outcome.empty()) missing.push_back("outcome");
      break;
    case 5:
      if (Blank(x.next_time) && Blank(x.trust_myself) && x.triggers.empty() &&
          Blank(x.not_fit) && Blank(x.sooner))
        missing.push_back("evaluation");
      break;
  }
  return missing;
}

Status Advance(ComplaintCase* c, UnixTime now) {
  if (c->closed)
    return FailedPreconditionError("the case is closed; reopen it first");
  KALM_RETURN_IF_ERROR(Validate(*c));
  const std::vector<std::string> missing = MissingForNext(*c);
  if (!missing.empty()) {
    std::string names;
    for (const std::string& m : missing)
      names += (names.empty() ? "" : ", ") + m;
    return FailedPreconditionError("step " + std::to_string(c->step) + " (" +
                                   std::string(CaseStepName(c->step)) +
                                   ") still needs: " + names);
  }
  c->completed_at[c->step - 1] = now;
  c->updated_at = now;
  if (c->step == kCaseSteps) {
    c->closed = true;
    c->close_reason = "done";
    c->closed_at = now;
    return Status::Ok();
  }
  ++c->step;
  c->furthest = std::max(c->furthest, c->step);
  if (!c->entered_at[c->step - 1]) c->entered_at[c->step - 1] = now;
  return Status::Ok();
}

Status GoTo(ComplaintCase* c, int step, UnixTime now) {
  if (c->closed)
    return FailedPreconditionError("the case is closed; reopen it first");
  if (step < 1 || step > c->furthest)
    return InvalidArgumentError(
        "step " + std::to_string(step) +
        " is not reached yet (furthest: " + std::to_string(c->furthest) + ")");
  c->step = step;
  c->updated_at = now;
  return Status::Ok();
}

Status Close(ComplaintCase* c, std::string_view reason, UnixTime now) {
  if (c->closed) return FailedPreconditionError("the case is closed already");
  if (Blank(reason))
    return InvalidArgumentError("say why the case is closed early");
  KALM_RETURN_IF_ERROR(CheckText("close reason", reason, kShort, true));
  c->closed = true;
  c->close_reason = std::string(reason);
  c->closed_at = now;
  c->updated_at = now;
  return Status::Ok();
}

Status Reopen(ComplaintCase* c, UnixTime now) {
  if (!c->closed) return FailedPreconditionError("the case is open");
  c->closed = false;
  c->close_reason.clear();
  c->closed_at.reset();
  // A case reopened after its evaluation goes back to the evaluation.
  c->completed_at[kCaseSteps - 1].reset();
  c->updated_at = now;
  return Status::Ok();
}

std::vector<Task> FollowUpTasks(const ComplaintCase& c, UnixTime now) {
  std::vector<Task> out;
  for (const AgreedAction& a : c.content.actions) {
    Task t;
    t.title = a.what;
    t.deadline = a.due;
    if (a.owner == "client") t.waiting_on_client_since = now;
    out.push_back(std::move(t));
  }
  // Not the case's title: the client sees the task board in the portal.
  return out;
}

Journal BuildJournal(const std::vector<ComplaintCase>& cases,
                     const std::vector<Client>& clients,
                     std::string_view search) {
  std::map<Id, std::string> names;
  for (const Client& c : clients) names[c.id] = c.name;
  std::vector<std::string> words;
  {
    const std::string s = Lower(search);
    size_t i = 0;
    while (i < s.size()) {
      const size_t j = s.find_first_of(" \t\n", i);
      const std::string w = s.substr(i, j == std::string::npos ? j : j - i);
      if (!w.empty()) words.push_back(w);
      if (j == std::string::npos) break;
      i = j + 1;
    }
  }
  Journal j;
  std::map<std::string, int> trigger_count;
  std::map<std::string, std::string> trigger_shown;
  for (const ComplaintCase& c : cases) {
    if (!c.completed_at[kCaseSteps - 1]) continue;  // not evaluated
    JournalEntry e;
    e.case_id = c.id;
    e.client_id = c.client_id;
    e.client = names.count(c.client_id) ? names[c.client_id] : "";
    e.title = c.title;
    e.at = *c.completed_at[kCaseSteps - 1];
    e.outcome = c.content.outcome;
    e.next_time = c.content.next_time;
    e.trust_myself = c.content.trust_myself;
    e.not_fit = c.content.not_fit;
    e.sooner = c.content.sooner;
    e.triggers = c.content.triggers;
    std::string hay =
        Lower(e.client + "\n" + e.title + "\n" + e.next_time + "\n" +
              e.trust_myself + "\n" + e.not_fit + "\n" + e.sooner);
    for (const std::string& t : e.triggers) hay += "\n" + Lower(t);
    bool match = true;
    for (const std::string& w : words)
      if (hay.find(w) == std::string::npos) match = false;
    if (!match) continue;
    std::vector<std::string> seen;
    for (const std::string& t : e.triggers) {
      std::string key = Lower(t);
      while (!key.empty() && key.back() == ' ') key.pop_back();
      if (key.empty() || std::find(seen.begin(), seen.end(), key) != seen.end())
        continue;
      seen.push_back(key);
      ++trigger_count[key];
      trigger_shown.emplace(key, t);
    }
    j.entries.push_back(std::move(e));
  }
  std::sort(j.entries.begin(), j.entries.end(),
            [](const JournalEntry& a, const JournalEntry& b) {
              return a.at != b.at ? a.at > b.at : a.case_id > b.case_id;
            });
  for (const auto& [key, n] : trigger_count)
    if (n > 1) j.recurring_triggers.push_back({trigger_shown[key], n});
  std::stable_sort(
      j.recurring_triggers.begin(), j.recurring_triggers.end(),
      [](const auto& a, const auto& b) { return a.second > b.second; });
  return j;
}

}  // namespace kalm::domain
