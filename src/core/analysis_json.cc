#include "kalm/core/analysis_json.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

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
      ev.push_back({{"start", e.start},
                    {"end", e.end},
                    {"text", e.text},
                    {"rule", e.rule}});
    }
    signals.push_back({{"id", s.id}, {"score", s.score}, {"evidence", ev}});
  }
  j["signals"] = signals;
  nlohmann::json strategies = nlohmann::json::array();
  for (const StrategyAdvice& s : a.strategies) {
    strategies.push_back(
        {{"id", s.id}, {"trigger", s.trigger}, {"why", s.why}});
  }
  j["strategies"] = strategies;
  j["advice_language"] = a.advice_language;
  nlohmann::json analysed = nlohmann::json::array();
  for (const ByteRange& r : a.analysed) analysed.push_back({r.start, r.end});
  j["analysed"] = analysed;
  return j;
}

namespace {

void Str(std::string_view v, std::string* out) {
  static const char* kHex = "0123456789abcdef";
  out->push_back('"');
  // Copy runs that need no escaping in one go; skip eight plain bytes at a time
  // (no control byte, quote or backslash in the word).
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  size_t run = 0;
  for (size_t i = 0; i <= v.size(); ++i) {
    while (i + 8 <= v.size()) {
      uint64_t w;
      std::memcpy(&w, v.data() + i, 8);
      const uint64_t special = ((w - kOnes * 0x20) & ~w & kHigh) |
                               has_zero(w ^ (kOnes * '"')) |
                               has_zero(w ^ (kOnes * '\\'));
      if (special) break;
      i += 8;
    }
    const bool end = i == v.size();
    const auto u = end ? 0 : static_cast<unsigned char>(v[i]);
    if (!end && u >= 0x20 && u != '"' && u != '\\') continue;
    out->append(v.data() + run, i - run);
    run = i + 1;
    if (end) break;
    const char c = v[i];
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        if (u < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 15]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void Num(double v, std::string* out) {
  // Scores are rounded to three decimals: write those directly. The digits are
  // the shortest round-trip form, as std::to_chars would give.
  const double scaled = v * 1000.0;
  const double whole = std::round(scaled);
  if (std::abs(scaled - whole) < 1e-6 && std::abs(v) < 1e9) {
    auto m = static_cast<long long>(whole);
    if (m < 0 || (m == 0 && std::signbit(v))) {
      out->push_back('-');
      m = -m;
    }
    const long long ip = m / 1000;
    int frac = static_cast<int>(m % 1000);
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, ip);
    out->append(buf, static_cast<size_t>(r.ptr - buf));
    out->push_back('.');
    if (frac == 0) {
      out->push_back('0');
      return;
    }
    char f[3] = {static_cast<char>('0' + frac / 100),
                 static_cast<char>('0' + frac / 10 % 10),
                 static_cast<char>('0' + frac % 10)};
    size_t len = 3;
    while (f[len - 1] == '0') --len;
    out->append(f, len);
    return;
  }
  char buf[32];
  // Shortest round-trip form, as nlohmann::json prints it ("1.0" for whole
  // numbers).
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string_view s(buf, static_cast<size_t>(r.ptr - buf));
  out->append(s);
  if (s.find_first_of(".e") == std::string_view::npos && s != "inf" &&
      s != "nan")
    out->append(".0");
}

void Int(long long v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, static_cast<size_t>(r.ptr - buf));
}

// Keys are our own plain ASCII names: no escaping needed.
void Key(std::string_view k, std::string* out) {
  out->push_back('"');
  out->append(k);
  out->append("\":", 2);
}

void Map(const std::map<std::string, double>& m, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out->push_back(',');
    first = false;
    Key(k, out);
    Num(v, out);
  }
  out->push_back('}');
}

}  // namespace

void AppendJson(const Analysis& a, std::string* out) {
  // Keys in sorted order, as nlohmann::json (std::map) writes them.
  out->push_back('{');
  Key("advice_language", out);
  Str(a.advice_language, out);
  out->append(",");
  Key("analysed", out);
  out->push_back('[');
  for (size_t i = 0; i < a.analysed.size(); ++i) {
    if (i) out->push_back(',');
    out->push_back('[');
    Int(a.analysed[i].start, out);
    out->push_back(',');
    Int(a.analysed[i].end, out);
    out->push_back(']');
  }
  out->append("],");
  Key("analyzer_version", out);
  Str(a.analyzer_version, out);
  out->append(",");
  Key("complaint", out);
  Num(a.complaint, out);
  out->append(",");
  Key("dominant_emotion", out);
  Str(a.dominant_emotion, out);
  out->append(",");
  Key("emotions", out);
  Map(a.emotions, out);
  out->append(",");
  Key("escalation_level", out);
  Int(a.escalation_level, out);
  out->append(",");
  Key("hostile", out);
  out->append(a.hostile ? "true" : "false");
  out->append(",");
  Key("issue_kind", out);
  Str(a.issue_kind, out);
  out->append(",");
  Key("language", out);
  Str(a.language, out);
  out->append(",");
  Key("language_confidence", out);
  Num(a.language_confidence, out);
  out->append(",");
  Key("needs", out);
  Map(a.needs, out);
  out->append(",");
  Key("politeness", out);
  Num(a.politeness, out);
  out->append(",");
  Key("signals", out);
  out->push_back('[');
  for (size_t i = 0; i < a.signals.size(); ++i) {
    const Signal& s = a.signals[i];
    if (i) out->push_back(',');
    out->push_back('{');
    Key("evidence", out);
    out->push_back('[');
    for (size_t k = 0; k < s.evidence.size(); ++k) {
      const Evidence& e = s.evidence[k];
      if (k) out->push_back(',');
      out->push_back('{');
      Key("end", out);
      Int(e.end, out);
      out->push_back(',');
      Key("rule", out);
      Str(e.rule, out);
      out->push_back(',');
      Key("start", out);
      Int(e.start, out);
      out->push_back(',');
      Key("text", out);
      Str(e.text, out);
      out->push_back('}');
    }
    out->append("],");
    Key("id", out);
    Str(s.id, out);
    out->push_back(',');
    Key("score", out);
    Num(s.score, out);
    out->push_back('}');
  }
  out->append("],");
  Key("strategies", out);
  out->push_back('[');
  for (size_t i = 0; i < a.strategies.size(); ++i) {
    if (i) out->push_back(',');
    out->push_back('{');
    Key("id", out);
    Str(a.strategies[i].id, out);
    out->push_back(',');
    Key("trigger", out);
    Str(a.strategies[i].trigger, out);
    out->push_back(',');
    Key("why", out);
    Str(a.strategies[i].why, out);
    out->push_back('}');
  }
  out->append("],");
  Key("valence", out);
  Num(a.valence, out);
  out->push_back('}');
}

}  // namespace kalm::core
