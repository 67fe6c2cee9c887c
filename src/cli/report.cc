// Human-readable analysis report, labelled in the message's language.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cli/cli.h"

namespace kalm::cli {
namespace {

struct Labels {
  const char* language;
  const char* tone;
  const char* escalation;
  const char* levels[5];
  const char* hostile;
  const char* emotion;
  const char*
      emotions[6];  // anger, disappointment, anxiety, stress, joy, neutral
  const char* needs;
  const char* issue;
  const char* issues[3];  // detail, fundamental, none
  const char* complaint;
  const char* politeness;
  const char* signals;
  const char* none;
  const char* advice;
  const char* skipped;
};

constexpr Labels kEnglish = {
    "Language",
    "Tone",
    "Escalation",
    {"calm", "tense", "heated", "hostile", "breaking point"},
    "hostile",
    "Emotion",
    {"anger", "disappointment", "anxiety", "stress", "joy", "neutral"},
    "Need behind it",
    "Issue",
    {"a detail", "fundamental", "none"},
    "Complaint",
    "Politeness",
    "Signals",
    "none found",
    "What to do",
    "not read (quoted history or signature)"};

constexpr Labels kDutch = {
    "Taal",
    "Toon",
    "Escalatie",
    {"rustig", "gespannen", "verhit", "vijandig", "breekpunt"},
    "vijandig",
    "Emotie",
    {"boosheid", "teleurstelling", "zorgen", "stress", "blijdschap",
     "neutraal"},
    "Behoefte erachter",
    "Kwestie",
    {"een detail", "principieel", "geen"},
    "Klacht",
    "Beleefdheid",
    "Signalen",
    "geen gevonden",
    "Wat te doen",
    "niet gelezen (geciteerde mails of handtekening)"};

const char* EmotionLabel(const Labels& l, const std::string& e) {
  static const char* kKeys[6] = {"anger", "disappointment", "anxiety", "stress",
                                 "joy",   "neutral"};
  for (int i = 0; i < 6; ++i)
    if (e == kKeys[i]) return l.emotions[i];
  return e.c_str();
}

}  // namespace

void PrintReport(std::ostream& out, std::string_view text,
                 const core::Analysis& a, bool color) {
  const Labels& l = a.advice_language == "nl" ? kDutch : kEnglish;
  auto c = [&](const char* code) { return color ? code : ""; };
  const char* bold = c("\x1b[1m");
  const char* dim = c("\x1b[2m");
  const char* red = c("\x1b[31m");
  const char* yellow = c("\x1b[33m");
  const char* green = c("\x1b[32m");
  const char* reset = c("\x1b[0m");
  const char* hl = c("\x1b[1;4m");

  const int lvl = std::clamp(a.escalation_level, 0, 4);
  const char* lvl_color = lvl >= 3 ? red : (lvl >= 1 ? yellow : green);
  out << fmt::format("{}{:<18}{} {} ({:.2f})\n", bold, l.language, reset,
                     a.language, a.language_confidence);
  out << fmt::format("{}{:<18}{} {}{} {}{}{}\n", bold, l.escalation, reset,
                     lvl_color, lvl, l.levels[lvl],
                     a.hostile ? std::string(" — ") + l.hostile : "", reset);
  out << fmt::format("{}{:<18}{} {:+.2f}\n", bold, l.tone, reset, a.valence);
  out << fmt::format("{}{:<18}{} {}", bold, l.emotion, reset,
                     EmotionLabel(l, a.dominant_emotion));
  std::vector<std::pair<double, std::string>> em;
  for (const auto& [k, v] : a.emotions)
    if (v >= 0.1) em.push_back({v, k});
  std::sort(em.rbegin(), em.rend());
  if (!em.empty()) {
    out << dim << "  (";
    for (size_t i = 0; i < em.size(); ++i)
      out << (i ? ", " : "") << EmotionLabel(l, em[i].second) << " "
          << fmt::format("{:.2f}", em[i].first);
    out << ")" << reset;
  }
  out << "\n";
  std::string needs;
  for (const auto& [k, v] : a.needs)
    if (v >= core::kSignalThreshold)
      needs += fmt::format("{}{} {:.2f}", needs.empty() ? "" : ", ", k, v);
  out << fmt::format("{}{:<18}{} {}\n", bold, l.needs, reset,
                     needs.empty() ? l.none : needs);
  const int ik =
      a.issue_kind == "detail" ? 0 : (a.issue_kind == "fundamental" ? 1 : 2);
  out << fmt::format("{}{:<18}{} {}\n", bold, l.issue, reset, l.issues[ik]);
  out << fmt::format("{}{:<18}{} {:.2f}\n", bold, l.complaint, reset,
                     a.complaint);
  out << fmt::format("{}{:<18}{} {:.2f}\n", bold, l.politeness, reset,
                     a.politeness);

  out << "\n" << bold << l.signals << reset << "\n";
  if (a.signals.empty()) out << "  " << dim << l.none << reset << "\n";
  for (const core::Signal& s : a.signals) {
    out << fmt::format("  {}{:<24}{} {:.2f}", bold, s.id, reset, s.score);
    size_t shown = 0;
    for (const core::Evidence& e : s.evidence) {
      if (shown == 3) {
        out << dim << fmt::format("  +{}", s.evidence.size() - 3) << reset;
        break;
      }
      if (e.end <= e.start) {
        out << dim << "  [" << e.text << "]" << reset;
      } else {
        // The evidence in its context: a few bytes either side, on one line.
        size_t from = e.start >= 24 ? e.start - 24 : 0;
        size_t to = std::min(text.size(), size_t{e.end} + 24);
        while (from > 0 &&
               (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80)
          --from;
        while (to < text.size() &&
               (static_cast<unsigned char>(text[to]) & 0xC0) == 0x80)
          ++to;
        auto flat = [](std::string_view v) {
          std::string r(v);
          std::replace(r.begin(), r.end(), '\n', ' ');
          std::replace(r.begin(), r.end(), '\r', ' ');
          return r;
        };
        out << "  " << dim << "…" << reset
            << flat(text.substr(from, e.start - from)) << hl
            << flat(text.substr(e.start, e.end - e.start)) << reset
            << flat(text.substr(e.end, to - e.end)) << dim << "…" << reset;
      }
      ++shown;
    }
    out << "\n";
  }
  if (!a.strategies.empty()) {
    out << "\n" << bold << l.advice << reset << "\n";
    for (const core::StrategyAdvice& s : a.strategies)
      out << fmt::format("  {}{:<24}{} {}\n", bold, s.id, reset, s.why);
  }
  // What was left out.
  size_t read = 0;
  for (const core::ByteRange& r : a.analysed) read += r.end - r.start;
  if (read < text.size() && text.size() - read > 2) {
    out << "\n"
        << dim << fmt::format("{} bytes {}", text.size() - read, l.skipped)
        << reset << "\n";
  }
}

}  // namespace kalm::cli
