#include "kalm/domain/timeline.h"

#include "kalm/domain/json.h"

namespace kalm::domain {

StatusOr<std::optional<Agreement>> FindCurrentAgreement(Store& store,
                                                        Id workspace,
                                                        Id client) {
  auto a = store.CurrentAgreement(workspace, client);
  if (a.ok()) return std::optional<Agreement>(std::move(*a));
  if (a.status().code() == StatusCode::kNotFound)
    return std::optional<Agreement>();
  return a.status();
}

StatusOr<Timeline> LoadTimeline(Store& store, Id workspace, Id client) {
  Timeline t;
  auto c = store.GetClient(workspace, client);
  if (!c.ok()) return c.status();
  t.client = std::move(*c);
  auto messages = store.ListMessages(workspace, client, {});
  if (!messages.ok()) return messages.status();
  t.messages = std::move(*messages);
  auto agreement = FindCurrentAgreement(store, workspace, client);
  if (!agreement.ok()) return agreement.status();
  auto invoices = store.ListInvoices(workspace, client);
  if (!invoices.ok()) return invoices.status();
  auto tasks = store.ListTasks(workspace, client);
  if (!tasks.ok()) return tasks.status();
  t.patterns = FindPatterns(t.messages, *agreement, *invoices, *tasks);
  return t;
}

ClientSummary Summarize(const Timeline& t) {
  ClientSummary s;
  s.step = t.patterns.step;
  for (const Pattern& p : t.patterns.items)
    if (p.flagged) s.flags.push_back(p.id);
  s.messages = static_cast<int64_t>(t.messages.size());
  if (!t.messages.empty()) s.last_at = t.messages.back().sent_at;
  for (auto it = t.messages.rbegin(); it != t.messages.rend(); ++it) {
    if (it->direction != Direction::kIncoming || it->analysis_json.empty())
      continue;
    const nlohmann::json a =
        nlohmann::json::parse(it->analysis_json, nullptr, false);
    if (!a.is_object()) continue;
    s.last_incoming_at = it->sent_at;
    s.last_emotion = a.value("dominant_emotion", "");
    s.last_escalation = a.value("escalation_level", 0);
    break;
  }
  return s;
}

core::AnalysisContext AnalysisContextFor(const Client& client,
                                         const Agreement* agreement) {
  core::AnalysisContext ctx;
  ctx.timezone = client.timezone;
  if (agreement == nullptr) return ctx;
  for (const Window& w : agreement->terms.availability)
    ctx.availability.push_back(
        {static_cast<uint8_t>(1u << w.weekday), w.start_minute, w.end_minute});
  ctx.scope = agreement->terms.scope;
  if (agreement->terms.out_of_scope_rate)
    ctx.out_of_scope_rate = FormatMoney(*agreement->terms.out_of_scope_rate);
  return ctx;
}

}  // namespace kalm::domain
