#include "kalm/core/analysis_json.h"

namespace kalm::core {

nlohmann::json ToJson(const Analysis& a) {
  nlohmann::json j;
  j["analyzer_version"] = a.analyzer_version;
  j["language"] = a.language;
  j["language_confidence"] = a.language_confidence;
  j["valence"] = a.valence;
  j["politeness"] = a.politeness;
  j["escalation_level"] = a.escalation_level;
  j["hostile"] = a.hostile;
  j["dominant_emotion"] = a.dominant_emotion;
  j["emotions"] = a.emotions;
  j["needs"] = a.needs;
  j["issue_kind"] = a.issue_kind;
  j["complaint"] = a.complaint;
  nlohmann::json signals = nlohmann::json::array();
  for (const Signal& s : a.signals) {
    nlohmann::json ev = nlohmann::json::array();
    for (const Evidence& e : s.evidence) {
      ev.push_back({{"start", e.start}, {"end", e.end}, {"text", e.text}, {"rule", e.rule}});
    }
    signals.push_back({{"id", s.id}, {"score", s.score}, {"evidence", ev}});
  }
  j["signals"] = signals;
  nlohmann::json strategies = nlohmann::json::array();
  for (const StrategyAdvice& s : a.strategies) {
    strategies.push_back({{"id", s.id}, {"why", s.why}});
  }
  j["strategies"] = strategies;
  j["advice_language"] = a.advice_language;
  nlohmann::json analysed = nlohmann::json::array();
  for (const ByteRange& r : a.analysed) analysed.push_back({r.start, r.end});
  j["analysed"] = analysed;
  return j;
}

}  // namespace kalm::core
