#include "kalm/domain/patterns.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace kalm::domain {
namespace {

constexpr int64_t kWeek = 7 * 86400;
constexpr int64_t kWindow = 12 * kWeek;

struct Read {
  int escalation = 0;
  double valence = 0;
  double complaint = 0;
  std::vector<std::pair<std::string, double>> signals;
  bool ok = false;
  double Signal(std::string_view id) const {
    for (const auto& [s, v] : signals)
      if (s == id) return v;
    return 0;
  }
};

Read ReadAnalysis(const std::string& json) {
  Read r;
  if (json.empty()) return r;
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) return r;
  r.ok = true;
  r.escalation = j.value("escalation_level", 0);
  r.valence = j.value("valence", 0.0);
  r.complaint = j.value("complaint", 0.0);
  if (j.contains("signals") && j["signals"].is_array())
    for (const auto& s : j["signals"])
      if (s.is_object())
        r.signals.emplace_back(s.value("id", ""), s.value("score", 0.0));
  return r;
}

}  // namespace

Patterns FindPatterns(const std::vector<Message>& messages,
                      const std::optional<Agreement>& agreement,
                      const std::vector<Invoice>& invoices,
                      const std::vector<Task>& tasks) {
  Patterns out;
  UnixTime last = 0;
  for (const Message& m : messages) last = std::max(last, m.sent_at);
  for (const Invoice& i : invoices)
    last = std::max({last, i.due_at, i.paid_at.value_or(0)});
  out.to = last;
  out.from = last - kWindow;
  auto in_window = [&](UnixTime t) { return t > out.from && t <= out.to; };

  auto make = [](const char* id, int threshold, const char* strategy) {
    Pattern p;
    p.id = id;
    p.threshold = threshold;
    p.strategy = strategy;
    return p;
  };
  // Second or third time: one check-in is a question, three are a pattern.
  Pattern checkins = make("checkins", 3, "serve_need");
  Pattern after_hours = make("after_hours", 2, "boundary");
  Pattern scope = make("scope", 2, "refer_agreement");
  Pattern complaints = make("complaints", 2, "ask_change");
  Pattern hostility = make("hostility", 1, "boundary");
  Pattern tone = make("tone", 1, "ask_change");
  Pattern late_payments = make("late_payments", 2, "adjust_terms");
  Pattern client_late = make("client_late", 2, "adjust_terms");
  auto add = [](Pattern& p, Id id) {
    ++p.count;
    p.messages.push_back(id);
    if (p.messages.size() > 5) p.messages.erase(p.messages.begin());
  };

  // Tone: average valence of the first and the second half of the window's
  // incoming messages.
  std::vector<double> valences;
  for (const Message& m : messages) {
    if (m.direction != Direction::kIncoming || !in_window(m.sent_at)) continue;
    ++out.incoming;
    const Read r = ReadAnalysis(m.analysis_json);
    if (!r.ok) continue;
    valences.push_back(r.valence);
    if (r.Signal("micro.checkin") >= 0.5 || r.Signal("need.certainty") >= 0.5)
      add(checkins, m.id);
    if (r.Signal("timing.after_hours") >= 0.5) add(after_hours, m.id);
    if (r.Signal("scope.outside") >= 0.5) add(scope, m.id);
    if (r.complaint >= 0.5 || r.Signal("complaint.quality") >= 0.5 ||
        r.Signal("complaint.label") >= 0.5 || r.Signal("complaint.late") >= 0.5)
      add(complaints, m.id);
    if (r.escalation >= 3) add(hostility, m.id);
    if (r.Signal("payment.late") >= 0.5) add(late_payments, m.id);
    if (r.Signal("deadline.client_missed") >= 0.5) add(client_late, m.id);
  }
  for (const Invoice& i : invoices) {
    const bool late = i.paid_at ? *i.paid_at > i.due_at : out.to > i.due_at;
    if (late && in_window(i.due_at)) {
      ++late_payments.count;
    }
  }
  for (const Task& t : tasks)
    if (t.waiting_on_client_since && t.deadline &&
        *t.waiting_on_client_since < *t.deadline && !t.done_at &&
        out.to > *t.deadline)
      ++client_late.count;

  // Check-ins against the agreed rhythm: per week, over the weeks the window
  // really covers.
  UnixTime first = out.to;
  for (const Message& m : messages)
    if (in_window(m.sent_at)) first = std::min(first, m.sent_at);
  const double weeks =
      std::max(1.0, static_cast<double>(out.to - first) / kWeek);
  checkins.value = checkins.count / weeks;
  if (agreement) {
    checkins.agreed =
        agreement->terms.update_end_of_day
            ? 5
            : static_cast<double>(agreement->terms.update_weekdays.size());
  }
  if (out.incoming > 0)
    after_hours.value = static_cast<double>(after_hours.count) / out.incoming;
  if (valences.size() >= 6) {
    const size_t half = valences.size() / 2;
    double a = 0, b = 0;
    for (size_t i = 0; i < half; ++i) a += valences[i];
    for (size_t i = half; i < valences.size(); ++i) b += valences[i];
    tone.value = b / static_cast<double>(valences.size() - half) -
                 a / static_cast<double>(half);
    tone.count = tone.value <= -0.2 ? 1 : 0;
  }

  for (Pattern* p : {&checkins, &after_hours, &scope, &complaints, &hostility,
                     &tone, &late_payments, &client_late}) {
    p->flagged = p->count >= p->threshold;
    // Check-ins within the agreed rhythm are the rhythm working.
    if (p == &checkins && checkins.agreed > 0 &&
        checkins.value <= checkins.agreed)
      p->flagged = false;
    out.items.push_back(std::move(*p));
  }

  // The ladder (METHOD.md section 7).
  int flags = 0;
  bool money = false, hostile = false;
  for (const Pattern& p : out.items) {
    if (!p.flagged) continue;
    ++flags;
    money = money || p.id == "late_payments" || p.id == "client_late";
    hostile = hostile || p.id == "hostility";
  }
  if (flags == 0)
    out.step = "observe";
  else if (hostile && flags >= 3)
    out.step = "consider_ending";
  else if (money)
    out.step = "adjust_terms";
  else if (flags >= 2)
    out.step = "ask_change";
  else
    out.step = "boundaries";
  return out;
}

}  // namespace kalm::domain
