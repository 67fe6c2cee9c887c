#include "kalm/domain/json.h"

#include <cmath>
#include <string>

#include "kalm/domain/complaint_case.h"

namespace kalm::domain {
namespace {

using nlohmann::json;

template <typename T>
void PutOpt(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

// Field readers that say which field is wrong instead of throwing.
class Reader {
 public:
  explicit Reader(const json& j, std::string what) : j_(j), what_(what) {}
  Status status() const { return status_; }

  template <typename T>
  void Get(const char* key, T& out, bool required = false) {
    if (!status_.ok()) return;
    if (!j_.is_object()) {
      status_ = InvalidArgumentError(what_ + " must be a JSON object");
      return;
    }
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) {
      if (required)
        status_ = InvalidArgumentError(what_ + ": missing '" + key + "'");
      return;
    }
    try {
      out = it->get<T>();
    } catch (const json::exception&) {
      status_ =
          InvalidArgumentError(what_ + ": '" + key + "' has the wrong type");
    }
  }
  template <typename T>
  void GetOpt(const char* key, std::optional<T>& out) {
    T v{};
    bool present = j_.is_object() && j_.contains(key) && !j_[key].is_null();
    Get(key, v);
    if (present && status_.ok()) out = v;
  }
  void GetMoney(const char* key, std::optional<Money>& out) {
    if (!status_.ok() || !j_.is_object() || !j_.contains(key) ||
        j_[key].is_null())
      return;
    auto m = MoneyFromJson(j_[key]);
    if (!m.ok()) {
      status_ = InvalidArgumentError(what_ + ": '" + key +
                                     "': " + std::string(m.status().message()));
      return;
    }
    out = *m;
  }

 private:
  const json& j_;
  std::string what_;
  Status status_;
};

}  // namespace

json ToJson(const Money& m) {
  return {{"cents", m.cents}, {"currency", m.currency}};
}

json ToJson(const AgreementTerms& t) {
  json j = json::object();
  if (t.rate) j["rate"] = ToJson(*t.rate);
  if (t.out_of_scope_rate)
    j["out_of_scope_rate"] = ToJson(*t.out_of_scope_rate);
  PutOpt(j, "hours_budget", t.hours_budget);
  if (!t.budget_period.empty()) j["budget_period"] = t.budget_period;
  json av = json::array();
  for (const Window& w : t.availability)
    av.push_back({{"weekday", w.weekday},
                  {"start_minute", w.start_minute},
                  {"end_minute", w.end_minute}});
  j["availability"] = av;
  PutOpt(j, "reaction_hours", t.reaction_hours);
  j["update_weekdays"] = t.update_weekdays;
  j["update_end_of_day"] = t.update_end_of_day;
  j["channels"] = t.channels;
  j["scope"] = t.scope;
  PutOpt(j, "payment_due_days", t.payment_due_days);
  PutOpt(j, "deposit_percent", t.deposit_percent);
  PutOpt(j, "instalments", t.instalments);
  j["late_delivery_shifts_planning"] = t.late_delivery_shifts_planning;
  j["notes"] = t.notes;
  return j;
}

json ToJson(const Workspace& w) {
  return {{"id", w.id}, {"name", w.name}, {"created_at", w.created_at}};
}

json ToJson(const Client& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"company", c.company},
          {"language", c.language},
          {"register", c.form},
          {"timezone", c.timezone},
          {"channels", c.channels},
          {"notes", c.notes},
          {"created_at", c.created_at}};
}

json ToJson(const Agreement& a) {
  json j = {{"id", a.id},
            {"client_id", a.client_id},
            {"version", a.version},
            {"state", std::string(AgreementStateName(a.state))},
            {"terms", ToJson(a.terms)},
            {"created_at", a.created_at}};
  PutOpt(j, "sent_at", a.sent_at);
  PutOpt(j, "confirmed_at", a.confirmed_at);
  if (a.confirmed_at) {
    j["confirmed_by"] = a.confirmed_by;
    j["confirmed_how"] = a.confirmed_how;
  }
  return j;
}

namespace {
// A message's fields without its analysis.
json MessageFields(const Message& m) {
  return {{"id", m.id},
          {"client_id", m.client_id},
          {"direction", std::string(DirectionName(m.direction))},
          {"channel", m.channel},
          {"sent_at", m.sent_at},
          {"utc_offset_minutes", m.utc_offset_minutes},
          {"author", m.author},
          {"body", m.body},
          {"thread", m.thread},
          {"source", m.source},
          {"source_position", m.source_position},
          {"dedup_key", m.dedup_key},
          {"analyzer_version", m.analyzer_version}};
}
}  // namespace

json ToJson(const Message& m) {
  json j = MessageFields(m);
  j["analysis"] = m.analysis_json.empty()
                      ? json(nullptr)
                      : json::parse(m.analysis_json, nullptr, false);
  if (j["analysis"].is_discarded()) j["analysis"] = nullptr;
  return j;
}

json ToJson(const Task& t) {
  json j = {{"id", t.id},
            {"client_id", t.client_id},
            {"title", t.title},
            {"created_at", t.created_at}};
  PutOpt(j, "deadline", t.deadline);
  PutOpt(j, "waiting_on_client_since", t.waiting_on_client_since);
  PutOpt(j, "done_at", t.done_at);
  return j;
}

json ToJson(const StatusUpdate& u) {
  json j = {{"id", u.id},
            {"client_id", u.client_id},
            {"kind", u.kind},
            {"text", u.text},
            {"created_at", u.created_at}};
  PutOpt(j, "next_update_at", u.next_update_at);
  return j;
}

json ToJson(const Invoice& i) {
  json j = {{"id", i.id},
            {"client_id", i.client_id},
            {"number", i.number},
            {"amount", ToJson(i.amount)},
            {"issued_at", i.issued_at},
            {"due_at", i.due_at}};
  PutOpt(j, "paid_at", i.paid_at);
  return j;
}

StatusOr<Money> MoneyFromJson(const json& j) {
  Money m;
  Reader r(j, "money");
  r.Get("cents", m.cents, true);
  r.Get("currency", m.currency);
  KALM_RETURN_IF_ERROR(r.status());
  return m;
}

StatusOr<AgreementTerms> TermsFromJson(const json& j) {
  AgreementTerms t;
  Reader r(j, "agreement terms");
  r.GetMoney("rate", t.rate);
  r.GetMoney("out_of_scope_rate", t.out_of_scope_rate);
  r.GetOpt("hours_budget", t.hours_budget);
  r.Get("budget_period", t.budget_period);
  KALM_RETURN_IF_ERROR(r.status());
  if (j.contains("availability")) {
    if (!j["availability"].is_array())
      return InvalidArgumentError(
          "agreement terms: 'availability' must be a list");
    for (const json& w : j["availability"]) {
      Window win;
      Reader wr(w, "availability window");
      wr.Get("weekday", win.weekday, true);
      wr.Get("start_minute", win.start_minute, true);
      wr.Get("end_minute", win.end_minute, true);
      KALM_RETURN_IF_ERROR(wr.status());
      t.availability.push_back(win);
    }
  }
  r.GetOpt("reaction_hours", t.reaction_hours);
  r.Get("update_weekdays", t.update_weekdays);
  r.Get("update_end_of_day", t.update_end_of_day);
  r.Get("channels", t.channels);
  r.Get("scope", t.scope);
  r.GetOpt("payment_due_days", t.payment_due_days);
  r.GetOpt("deposit_percent", t.deposit_percent);
  r.GetOpt("instalments", t.instalments);
  r.Get("late_delivery_shifts_planning", t.late_delivery_shifts_planning);
  r.Get("notes", t.notes);
  KALM_RETURN_IF_ERROR(r.status());
  return t;
}

StatusOr<Client> ClientFromJson(const json& j) {
  Client c;
  Reader r(j, "client");
  r.Get("id", c.id);
  r.Get("name", c.name, true);
  r.Get("company", c.company);
  r.Get("language", c.language);
  r.Get("register", c.form);
  r.Get("timezone", c.timezone);
  r.Get("channels", c.channels);
  r.Get("notes", c.notes);
  r.Get("created_at", c.created_at);
  KALM_RETURN_IF_ERROR(r.status());
  return c;
}

StatusOr<Agreement> AgreementFromJson(const json& j) {
  Agreement a;
  Reader r(j, "agreement");
  std::string state;
  r.Get("id", a.id);
  r.Get("client_id", a.client_id);
  r.Get("version", a.version, true);
  r.Get("state", state, true);
  r.Get("created_at", a.created_at);
  r.GetOpt("sent_at", a.sent_at);
  r.GetOpt("confirmed_at", a.confirmed_at);
  r.Get("confirmed_by", a.confirmed_by);
  r.Get("confirmed_how", a.confirmed_how);
  KALM_RETURN_IF_ERROR(r.status());
  auto st = ParseAgreementState(state);
  if (!st.ok()) return st.status();
  a.state = *st;
  if (!j.contains("terms"))
    return InvalidArgumentError("agreement: missing 'terms'");
  auto terms = TermsFromJson(j["terms"]);
  if (!terms.ok()) return terms.status();
  a.terms = *terms;
  return a;
}

StatusOr<Message> MessageFromJson(const json& j) {
  Message m;
  Reader r(j, "message");
  std::string direction = "incoming";
  r.Get("id", m.id);
  r.Get("client_id", m.client_id);
  r.Get("direction", direction);
  r.Get("channel", m.channel);
  r.Get("sent_at", m.sent_at, true);
  r.Get("utc_offset_minutes", m.utc_offset_minutes);
  r.Get("author", m.author);
  r.Get("body", m.body, true);
  r.Get("thread", m.thread);
  r.Get("source", m.source);
  r.Get("source_position", m.source_position);
  r.Get("dedup_key", m.dedup_key);
  r.Get("analyzer_version", m.analyzer_version);
  KALM_RETURN_IF_ERROR(r.status());
  auto parsed = ParseDirection(direction);
  if (!parsed.ok()) return parsed.status();
  m.direction = *parsed;
  if (j.contains("analysis") && !j["analysis"].is_null())
    m.analysis_json = j["analysis"].dump();
  return m;
}

StatusOr<Task> TaskFromJson(const json& j) {
  Task t;
  Reader r(j, "task");
  r.Get("id", t.id);
  r.Get("client_id", t.client_id);
  r.Get("title", t.title, true);
  r.Get("created_at", t.created_at);
  r.GetOpt("deadline", t.deadline);
  r.GetOpt("waiting_on_client_since", t.waiting_on_client_since);
  r.GetOpt("done_at", t.done_at);
  KALM_RETURN_IF_ERROR(r.status());
  return t;
}

StatusOr<StatusUpdate> StatusUpdateFromJson(const json& j) {
  StatusUpdate u;
  Reader r(j, "status update");
  r.Get("id", u.id);
  r.Get("client_id", u.client_id);
  r.Get("kind", u.kind, true);
  r.Get("text", u.text, true);
  r.Get("created_at", u.created_at);
  r.GetOpt("next_update_at", u.next_update_at);
  KALM_RETURN_IF_ERROR(r.status());
  return u;
}

StatusOr<Invoice> InvoiceFromJson(const json& j) {
  Invoice i;
  Reader r(j, "invoice");
  r.Get("id", i.id);
  r.Get("client_id", i.client_id);
  r.Get("number", i.number, true);
  r.Get("issued_at", i.issued_at, true);
  r.Get("due_at", i.due_at, true);
  r.GetOpt("paid_at", i.paid_at);
  KALM_RETURN_IF_ERROR(r.status());
  if (!j.contains("amount"))
    return InvalidArgumentError("invoice: missing 'amount'");
  auto m = MoneyFromJson(j["amount"]);
  if (!m.ok()) return m.status();
  i.amount = *m;
  return i;
}

json ToJson(const Patterns& p) {
  json items = json::array();
  for (const Pattern& x : p.items) {
    json j = {{"id", x.id},
              {"count", x.count},
              {"threshold", x.threshold},
              {"flagged", x.flagged},
              {"strategy", x.strategy},
              {"messages", x.messages}};
    if (x.id == "checkins") {
      j["per_week"] = std::round(x.value * 100) / 100;
      j["agreed_per_week"] = x.agreed;
    }
    if (x.id == "after_hours") j["share"] = std::round(x.value * 1000) / 1000;
    if (x.id == "tone") j["change"] = std::round(x.value * 1000) / 1000;
    items.push_back(j);
  }
  return {{"from", p.from},
          {"to", p.to},
          {"incoming", p.incoming},
          {"step", p.step},
          {"patterns", items}};
}

json ToJson(const ClientSummary& s) {
  json j = {{"step", s.step},
            {"flags", s.flags},
            {"messages", s.messages},
            {"last_at", s.last_at ? json(*s.last_at) : json(nullptr)}};
  j["last_incoming"] = s.last_incoming_at
                           ? json{{"sent_at", *s.last_incoming_at},
                                  {"dominant_emotion", s.last_emotion},
                                  {"escalation_level", s.last_escalation}}
                           : json(nullptr);
  return j;
}

json ToJson(const Timeline& t) {
  json messages = json::array();
  for (const Message& m : t.messages) messages.push_back(ToJson(m));
  return {{"client", ToJson(t.client)},
          {"messages", messages},
          {"patterns", ToJson(t.patterns)}};
}

void AppendJson(const Timeline& t, std::string* out) {
  out->append("{\"client\":");
  out->append(ToJson(t.client).dump());
  out->append(",\"messages\":[");
  for (size_t i = 0; i < t.messages.size(); ++i) {
    const Message& m = t.messages[i];
    if (i > 0) out->push_back(',');
    // "analysis" sorts first among the keys, as the DOM would put it; the
    // stored text goes in as it is once it is known to be JSON.
    out->append("{\"analysis\":");
    if (!m.analysis_json.empty() && json::accept(m.analysis_json))
      out->append(m.analysis_json);
    else
      out->append("null");
    out->push_back(',');
    const std::string rest = MessageFields(m).dump();
    out->append(rest, 1, std::string::npos);
  }
  out->append("],\"patterns\":");
  out->append(ToJson(t.patterns).dump());
  out->push_back('}');
}

namespace {
json OptTime(const std::optional<UnixTime>& t) {
  return t ? json(*t) : json(nullptr);
}

json ToJson(const Concession& c) {
  json j = {{"text", c.text}};
  PutOpt(j, "cents", c.cents);
  PutOpt(j, "hours", c.hours);
  return j;
}

StatusOr<Concession> ConcessionFromJson(const json& j, const char* what) {
  Concession c;
  if (j.is_null()) return c;
  Reader r(j, what);
  r.Get("text", c.text);
  r.GetOpt("cents", c.cents);
  r.GetOpt("hours", c.hours);
  KALM_RETURN_IF_ERROR(r.status());
  return c;
}
}  // namespace

json ToJson(const CaseContent& x) {
  json facts = json::array();
  for (const CaseFact& f : x.facts)
    facts.push_back({{"text", f.text},
                     {"clause", f.clause},
                     {"agreement_version", f.agreement_version}});
  json actions = json::array();
  for (const AgreedAction& a : x.actions) {
    json j = {{"what", a.what}, {"owner", a.owner}};
    PutOpt(j, "due", a.due);
    actions.push_back(j);
  }
  return {{"cool_down_until", OptTime(x.cool_down_until)},
          {"receipt", x.receipt},
          {"receipt_sent", x.receipt_sent},
          {"reaction", x.reaction},
          {"reflection", x.reflection},
          {"questions", x.questions},
          {"facts", facts},
          {"summary", x.summary},
          {"proposal", ToJson(x.proposal)},
          {"maximum", ToJson(x.maximum)},
          {"notes", x.notes},
          {"outcome", x.outcome},
          {"actions", actions},
          {"follow_up_at", OptTime(x.follow_up_at)},
          {"next_time", x.next_time},
          {"trust_myself", x.trust_myself},
          {"triggers", x.triggers},
          {"not_fit", x.not_fit},
          {"sooner", x.sooner}};
}

StatusOr<CaseContent> CaseContentFromJson(const json& j) {
  CaseContent x;
  Reader r(j, "case");
  r.GetOpt("cool_down_until", x.cool_down_until);
  r.Get("receipt", x.receipt);
  r.Get("receipt_sent", x.receipt_sent);
  r.Get("reaction", x.reaction);
  std::vector<std::string> reflection;
  r.Get("reflection", reflection);
  r.Get("questions", x.questions);
  r.Get("summary", x.summary);
  r.Get("notes", x.notes);
  r.Get("outcome", x.outcome);
  r.GetOpt("follow_up_at", x.follow_up_at);
  r.Get("next_time", x.next_time);
  r.Get("trust_myself", x.trust_myself);
  r.Get("triggers", x.triggers);
  r.Get("not_fit", x.not_fit);
  r.Get("sooner", x.sooner);
  KALM_RETURN_IF_ERROR(r.status());
  if (reflection.size() > x.reflection.size())
    return InvalidArgumentError("case: 'reflection' has six answers at most");
  for (size_t i = 0; i < reflection.size(); ++i)
    x.reflection[i] = reflection[i];
  if (j.contains("facts") && !j["facts"].is_null()) {
    if (!j["facts"].is_array())
      return InvalidArgumentError("case: 'facts' must be a list");
    for (const json& f : j["facts"]) {
      CaseFact fact;
      Reader fr(f, "fact");
      fr.Get("text", fact.text, true);
      fr.Get("clause", fact.clause);
      fr.Get("agreement_version", fact.agreement_version);
      KALM_RETURN_IF_ERROR(fr.status());
      x.facts.push_back(std::move(fact));
    }
  }
  if (j.contains("actions") && !j["actions"].is_null()) {
    if (!j["actions"].is_array())
      return InvalidArgumentError("case: 'actions' must be a list");
    for (const json& a : j["actions"]) {
      AgreedAction action;
      Reader ar(a, "action");
      ar.Get("what", action.what, true);
      ar.Get("owner", action.owner, true);
      ar.GetOpt("due", action.due);
      KALM_RETURN_IF_ERROR(ar.status());
      x.actions.push_back(std::move(action));
    }
  }
  for (const char* key : {"proposal", "maximum"})
    if (j.contains(key)) {
      auto c = ConcessionFromJson(j[key], key);
      if (!c.ok()) return c.status();
      (std::string_view(key) == "proposal" ? x.proposal : x.maximum) = *c;
    }
  return x;
}

json ToJson(const ComplaintCase& c) {
  json steps = json::array();
  for (int i = 0; i < kCaseSteps; ++i)
    steps.push_back({{"name", std::string(CaseStepName(i + 1))},
                     {"entered_at", OptTime(c.entered_at[i])},
                     {"completed_at", OptTime(c.completed_at[i])}});
  return {{"id", c.id},
          {"client_id", c.client_id},
          {"message_id", c.message_id ? json(*c.message_id) : json(nullptr)},
          {"title", c.title},
          {"step", c.step},
          {"step_name", std::string(CaseStepName(c.step))},
          {"furthest", c.furthest},
          {"steps", steps},
          {"closed", c.closed},
          {"close_reason", c.close_reason},
          {"closed_at", OptTime(c.closed_at)},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at},
          {"revision", c.revision},
          {"missing", MissingForNext(c)},
          {"content", ToJson(c.content)}};
}

StatusOr<ComplaintCase> CaseFromJson(const json& j) {
  ComplaintCase c;
  Reader r(j, "case");
  r.Get("id", c.id);
  r.Get("client_id", c.client_id);
  r.GetOpt("message_id", c.message_id);
  r.Get("title", c.title, true);
  r.Get("step", c.step);
  r.Get("furthest", c.furthest);
  r.Get("closed", c.closed);
  r.Get("close_reason", c.close_reason);
  r.GetOpt("closed_at", c.closed_at);
  r.Get("created_at", c.created_at);
  r.Get("updated_at", c.updated_at);
  r.Get("revision", c.revision);
  KALM_RETURN_IF_ERROR(r.status());
  if (j.contains("steps") && j["steps"].is_array()) {
    for (size_t i = 0; i < j["steps"].size() && i < kCaseSteps; ++i) {
      Reader sr(j["steps"][i], "case step");
      sr.GetOpt("entered_at", c.entered_at[i]);
      sr.GetOpt("completed_at", c.completed_at[i]);
      KALM_RETURN_IF_ERROR(sr.status());
    }
  }
  if (j.contains("content")) {
    auto x = CaseContentFromJson(j["content"]);
    if (!x.ok()) return x.status();
    c.content = std::move(*x);
  }
  KALM_RETURN_IF_ERROR(Validate(c));
  return c;
}

json ToJson(const JournalEntry& e) {
  return {{"case_id", e.case_id},
          {"client_id", e.client_id},
          {"client", e.client},
          {"title", e.title},
          {"at", e.at},
          {"outcome", e.outcome},
          {"next_time", e.next_time},
          {"trust_myself", e.trust_myself},
          {"not_fit", e.not_fit},
          {"sooner", e.sooner},
          {"triggers", e.triggers}};
}

json ToJson(const Journal& j) {
  json entries = json::array();
  for (const JournalEntry& e : j.entries) entries.push_back(ToJson(e));
  json recurring = json::array();
  for (const auto& [t, n] : j.recurring_triggers)
    recurring.push_back({{"trigger", t}, {"count", n}});
  return {{"entries", entries}, {"recurring_triggers", recurring}};
}

json ToJson(const WorkspaceDump& d) {
  json j;
  j["kalm_backup"] = 1;
  j["workspace"] = ToJson(d.workspace);
  json users = json::array();
  for (const auto& [u, hash] : d.users)
    users.push_back({{"id", u.id},
                     {"email", u.email},
                     {"display_name", u.display_name},
                     {"role", u.role},
                     {"created_at", u.created_at},
                     {"password_hash", hash}});
  j["users"] = users;
  auto list = [](const auto& items) {
    json a = json::array();
    for (const auto& x : items) a.push_back(ToJson(x));
    return a;
  };
  j["clients"] = list(d.clients);
  j["agreements"] = list(d.agreements);
  j["messages"] = list(d.messages);
  j["tasks"] = list(d.tasks);
  j["invoices"] = list(d.invoices);
  j["status_updates"] = list(d.updates);
  j["cases"] = list(d.cases);
  json cursors = json::array();
  for (const auto& [client, c] : d.cursors)
    cursors.push_back({{"client_id", client},
                       {"source", c.source},
                       {"position", c.position}});
  j["import_cursors"] = cursors;
  return j;
}

StatusOr<WorkspaceDump> DumpFromJson(const json& j) {
  if (!j.is_object() || !j.contains("kalm_backup"))
    return InvalidArgumentError("not a kalm backup (no \"kalm_backup\" key)");
  if (!j["kalm_backup"].is_number_integer() || j["kalm_backup"].get<int>() != 1)
    return InvalidArgumentError(
        "a backup format this kalm does not know; upgrade kalm");
  WorkspaceDump d;
  static const json kNone;
  Reader w(j.contains("workspace") ? j["workspace"] : kNone, "workspace");
  w.Get("id", d.workspace.id, true);
  w.Get("name", d.workspace.name, true);
  w.Get("created_at", d.workspace.created_at);
  KALM_RETURN_IF_ERROR(w.status());
  auto each = [&](const char* key, auto&& fn) -> Status {
    if (!j.contains(key)) return Status::Ok();
    if (!j[key].is_array())
      return InvalidArgumentError(std::string("'") + key + "' must be a list");
    size_t i = 0;
    for (const json& x : j[key]) {
      Status s = fn(x);
      if (!s.ok())
        return InvalidArgumentError(std::string(key) + "[" + std::to_string(i) +
                                    "]: " + std::string(s.message()));
      ++i;
    }
    return Status::Ok();
  };
  if (Status st = each("users",
                       [&](const json& x) -> Status {
                         User u;
                         std::string hash;
                         Reader r(x, "user");
                         r.Get("id", u.id, true);
                         r.Get("email", u.email, true);
                         r.Get("display_name", u.display_name);
                         r.Get("role", u.role);
                         r.Get("created_at", u.created_at);
                         r.Get("password_hash", hash, true);
                         KALM_RETURN_IF_ERROR(r.status());
                         u.workspace_id = d.workspace.id;
                         d.users.push_back({u, hash});
                         return Status::Ok();
                       });
      !st.ok())
    return st;
  if (Status st = each("clients",
                       [&](const json& x) -> Status {
                         auto c = ClientFromJson(x);
                         if (!c.ok()) return c.status();
                         c->workspace_id = d.workspace.id;
                         d.clients.push_back(std::move(*c));
                         return Status::Ok();
                       });
      !st.ok())
    return st;
  if (Status st = each("agreements",
                       [&](const json& x) -> Status {
                         auto a = AgreementFromJson(x);
                         if (!a.ok()) return a.status();
                         d.agreements.push_back(std::move(*a));
                         return Status::Ok();
                       });
      !st.ok())
    return st;
  if (Status st = each("messages",
                       [&](const json& x) -> Status {
                         auto m = MessageFromJson(x);
                         if (!m.ok()) return m.status();
                         d.messages.push_back(std::move(*m));
                         return Status::Ok();
                       });
      !st.ok())
    return st;
  if (Status st = each("tasks",
                       [&](const json& x) -> Status {
                         auto t = TaskFromJson(x);
                         if (!t.ok()) return t.status();
                         d.tasks.push_back(std::move(*t));
                         return Status::Ok();
                       });
      !st.ok())
    return st;
  if (Status st = each("invoices",
                       [&](const json& x) -> Status {
                         auto i = InvoiceFromJson(x);
                         if (!i.ok()) return i.status();
                         d.invoices.push_back(std::move(*i));
                         return Status::Ok();
                       });
      !st.ok())
    return st;
  if (Status st = each("status_updates",
                       [&](const json& x) -> Status {
                         auto u = StatusUpdateFromJson(x);
                         if (!u.ok()) return u.status();
                         d.updates.push_back(std::move(*u));
                         return Status::Ok();
                       });
      !st.ok())
    return st;
  if (Status st = each("cases",
                       [&](const json& x) -> Status {
                         auto c = CaseFromJson(x);
                         if (!c.ok()) return c.status();
                         d.cases.push_back(std::move(*c));
                         return Status::Ok();
                       });
      !st.ok())
    return st;
  if (Status st = each("import_cursors",
                       [&](const json& x) -> Status {
                         Id client = 0;
                         ImportCursor c;
                         Reader r(x, "import cursor");
                         r.Get("client_id", client, true);
                         r.Get("source", c.source, true);
                         r.Get("position", c.position, true);
                         KALM_RETURN_IF_ERROR(r.status());
                         d.cursors.push_back({client, c});
                         return Status::Ok();
                       });
      !st.ok())
    return st;
  return d;
}

StatusOr<Money> ParseMoney(std::string_view text) {
  Money m;
  std::string s;
  // Currency: a sign or code before or after the number.
  std::string rest(text);
  auto strip = [&](std::string_view token, const char* code) {
    const size_t at = rest.find(token);
    if (at == std::string::npos) return;
    rest.erase(at, token.size());
    m.currency = code;
  };
  strip("€", "EUR");
  strip("EUR", "EUR");
  strip("eur", "EUR");
  strip("$", "USD");
  strip("USD", "USD");
  strip("£", "GBP");
  strip("GBP", "GBP");
  for (char c : rest) {
    if (c == ' ') continue;
    s += c;
  }
  if (s.empty())
    return InvalidArgumentError("no amount in '" + std::string(text) + "'");
  // "1.234,50" and "1,234.50": the last separator followed by one or two
  // digits is the decimal one; other separators group thousands.
  const size_t dec = s.find_last_of(".,");
  std::string whole, frac;
  if (dec != std::string::npos && s.size() - dec - 1 <= 2 &&
      s.size() - dec - 1 >= 1) {
    whole = s.substr(0, dec);
    frac = s.substr(dec + 1);
  } else {
    whole = s;
  }
  std::string digits;
  for (char c : whole) {
    if (c == '.' || c == ',') continue;
    if (c < '0' || c > '9')
      return InvalidArgumentError("not an amount: '" + std::string(text) + "'");
    digits += c;
  }
  for (char c : frac)
    if (c < '0' || c > '9')
      return InvalidArgumentError("not an amount: '" + std::string(text) + "'");
  if (digits.empty()) digits = "0";
  if (digits.size() > 12)
    return InvalidArgumentError("amount too large: '" + std::string(text) +
                                "'");
  if (frac.size() == 1) frac += '0';
  if (frac.empty()) frac = "00";
  m.cents = std::stoll(digits) * 100 + std::stoll(frac);
  return m;
}

std::string FormatMoney(const Money& m) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %lld.%02lld", m.currency.c_str(),
                static_cast<long long>(m.cents / 100),
                static_cast<long long>(m.cents % 100));
  return buf;
}

}  // namespace kalm::domain
