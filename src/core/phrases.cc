#include "kalm/core/phrases.h"

#include <algorithm>
#include <optional>

#include "kalm/core/analyzer.h"
#include "lines.h"

namespace kalm::core {

std::string_view RegisterName(Register r) {
  switch (r) {
    case Register::kJe:
      return "je";
    case Register::kU:
      return "u";
    case Register::kNone:
      break;
  }
  return "-";
}

Register DetectRegister(const std::vector<Token>& tokens) {
  int je = 0, u = 0;
  for (const Token& t : tokens) {
    const std::string_view w = t.norm;
    je += w == "je" || w == "jij" || w == "jou" || w == "jouw" ||
          w == "jullie" || w == "ge" || w == "gij";
    u += w == "u" || w == "uw" || w == "uzelf";
  }
  // "Geachte heer ...", "Beste mevrouw ...": the formal form, also when no
  // pronoun follows.
  for (size_t i = 0; i < tokens.size() && i < 6; ++i) {
    const std::string_view w = tokens[i].norm;
    const std::string_view next =
        i + 1 < tokens.size() ? std::string_view(tokens[i + 1].norm) : "";
    if (w == "geachte" ||
        (w == "beste" && (next == "heer" || next == "mevrouw" ||
                          next == "meneer" || next == "mijnheer")))
      u += 2;
  }
  if (je == 0 && u == 0) return Register::kNone;
  return u > je ? Register::kU : Register::kJe;
}

bool UsesFlemishForms(const std::vector<Token>& tokens) {
  for (const Token& t : tokens)
    if (t.norm == "ge" || t.norm == "gij") return true;
  return false;
}

const std::map<std::string, std::vector<std::string>, std::less<>>&
PhraseLibrary::Strategies() {
  static const auto* k =
      new std::map<std::string, std::vector<std::string>, std::less<>>{
          {"cool_down", {}},
          {"acknowledge", {"unheard", "negative_emotion"}},
          {"summarise", {"complaint", "unheard"}},
          {"clarify", {"vague"}},
          {"serve_need", {"certainty", "control", "speed"}},
          {"explain_way_of_working", {"micro"}},
          {"boundary",
           {"after_hours", "hostile", "last_minute", "fundamental",
            "overload"}},
          {"pick_battle", {"detail"}},
          {"refer_agreement", {"scope", "compensation"}},
          {"ask_solution", {"complaint"}},
          {"propose", {"complaint", "compensation"}},
          {"dialogue", {"micro"}},
          {"apologise", {"mistake"}},
          {"agree_concretely", {"always"}},
          {"ask_change", {"pattern"}},
          {"adjust_terms", {"payment", "client_late"}},
          {"end_relation", {}},
          {"greeting", {}},
          {"closing", {}},
      };
  return *k;
}

const std::vector<std::string>& PhraseLibrary::Situations() {
  static const auto* k = new std::vector<std::string>{
      "late",    "quality",     "refund",      "exit",    "label",
      "payment", "client_late", "checkin",     "control", "nitpick",
      "scope",   "last_minute", "after_hours", "unheard", "request"};
  return *k;
}

const std::vector<std::string>& PhraseLibrary::Placeholders() {
  static const auto* k = new std::vector<std::string>{
      "client",       "me",       "date",    "time",       "day",
      "task",         "rate",     "hours",   "amount",     "update_moments",
      "availability", "deadline", "percent", "instalments"};
  return *k;
}

std::vector<std::string> PhraseLibrary::PlaceholdersIn(std::string_view text) {
  std::vector<std::string> out;
  for (size_t i = text.find('{'); i != std::string_view::npos;
       i = text.find('{', i + 1)) {
    const size_t close = text.find('}', i);
    if (close == std::string_view::npos) break;
    out.emplace_back(text.substr(i + 1, close - i - 1));
  }
  return out;
}

std::string PhraseLibrary::Fill(std::string_view text,
                                const PhraseValues& values) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('{', i);
    if (open == std::string_view::npos) break;
    const size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    const std::string_view name = text.substr(open + 1, close - open - 1);
    auto it = values.find(name);
    if (it != values.end() && !it->second.empty()) {
      out += it->second;
    } else {
      out.append(text.substr(open, close - open + 1));
    }
    i = close + 1;
  }
  out.append(text.substr(i));
  return out;
}

StatusOr<PhraseLibrary> PhraseLibrary::Build(
    const std::vector<DataFile>& files) {
  PhraseLibrary lib;
  const auto& strategies = Strategies();
  const auto& placeholders = Placeholders();
  bool seen[2] = {false, false};
  for (const DataFile& f : files) {
    const bool nl = f.path.rfind("phrases/nl/", 0) == 0;
    const bool en = f.path.rfind("phrases/en/", 0) == 0;
    if ((!nl && !en) || f.path.size() < 4 ||
        f.path.substr(f.path.size() - 4) != ".tsv")
      continue;
    const Language lang = nl ? Language::kDutch : Language::kEnglish;
    const std::string name = f.path.substr(8);  // "nl/acknowledge.tsv"
    KALM_RETURN_IF_ERROR(ForEachDataLine(
        f.content, [&](std::string_view line, int line_no) -> Status {
          const std::string where =
              "phrases/" + name + ":" + std::to_string(line_no) + ": ";
          const std::vector<std::string_view> col = SplitFields(line, 6);
          if (col.size() != 6) {
            return InvalidArgumentError(
                where +
                "expected strategy<TAB>trigger<TAB>register<TAB>tone<TAB>"
                "about<TAB>text");
          }
          Phrase p;
          p.language = lang;
          p.source = name + ":" + std::to_string(line_no);
          auto st = strategies.find(col[0]);
          if (st == strategies.end()) {
            return InvalidArgumentError(where + "unknown strategy '" +
                                        std::string(col[0]) + "'");
          }
          p.strategy = std::string(col[0]);
          if (col[1] != "-" && std::find(st->second.begin(), st->second.end(),
                                         col[1]) == st->second.end()) {
            return InvalidArgumentError(where + "unknown trigger '" +
                                        std::string(col[1]) +
                                        "' for strategy " + p.strategy);
          }
          p.trigger = std::string(col[1]);
          if (col[2] == "je" && lang == Language::kDutch) {
            p.form = Register::kJe;
          } else if (col[2] == "u" && lang == Language::kDutch) {
            p.form = Register::kU;
          } else if (col[2] != "-") {
            return InvalidArgumentError(
                where + "register must be " +
                (lang == Language::kDutch ? "je, u or -" : "-") + ", not '" +
                std::string(col[2]) + "'");
          }
          if (col[3] != "soft" && col[3] != "neutral" && col[3] != "firm") {
            return InvalidArgumentError(where +
                                        "tone must be soft, neutral "
                                        "or firm, not '" +
                                        std::string(col[3]) + "'");
          }
          p.tone = std::string(col[3]);
          if (col[4] != "-") {
            const auto& known = Situations();
            size_t i = 0;
            while (i < col[4].size()) {
              size_t j = col[4].find(',', i);
              if (j == std::string_view::npos) j = col[4].size();
              const std::string_view sit = col[4].substr(i, j - i);
              if (std::find(known.begin(), known.end(), sit) == known.end()) {
                return InvalidArgumentError(where + "unknown situation '" +
                                            std::string(sit) + "'");
              }
              p.about.emplace_back(sit);
              i = j + 1;
            }
          }
          const std::string_view text = col[5];
          if (text.find_first_not_of(" ") == std::string_view::npos) {
            return InvalidArgumentError(where + "empty text");
          }
          int depth = 0;
          for (char c : text) {
            depth += c == '{' ? 1 : (c == '}' ? -1 : 0);
            if (depth < 0 || depth > 1) {
              return InvalidArgumentError(where + "unbalanced braces");
            }
          }
          if (depth != 0) {
            return InvalidArgumentError(where + "unbalanced braces");
          }
          for (const std::string& ph : PlaceholdersIn(text)) {
            if (std::find(placeholders.begin(), placeholders.end(), ph) ==
                placeholders.end()) {
              return InvalidArgumentError(where + "unknown placeholder '{" +
                                          ph + "}'");
            }
          }
          p.text = std::string(text);
          lib.phrases_.push_back(std::move(p));
          seen[static_cast<size_t>(lang)] = true;
          return Status::Ok();
        }));
  }
  if (!seen[0] || !seen[1]) {
    return NotFoundError(
        "phrase library missing: need data/phrases/nl/*.tsv and "
        "data/phrases/en/*.tsv");
  }
  return lib;
}

std::vector<const Phrase*> PhraseLibrary::Find(
    Language language, std::string_view strategy, std::string_view trigger,
    std::optional<Register> form) const {
  std::vector<const Phrase*> out;
  for (const Phrase& p : phrases_) {
    if (p.language != language) continue;
    if (!strategy.empty() && p.strategy != strategy) continue;
    if (!trigger.empty() && p.trigger != "-" && p.trigger != trigger) continue;
    if (form && *form != Register::kNone && p.form != Register::kNone &&
        p.form != *form)
      continue;
    out.push_back(&p);
  }
  return out;
}

nlohmann::json ToJson(const Phrase& p) {
  return {{"language", std::string(LanguageCode(p.language))},
          {"strategy", p.strategy},
          {"trigger", p.trigger},
          {"register", std::string(RegisterName(p.form))},
          {"tone", p.tone},
          {"about", p.about},
          {"text", p.text},
          {"source", p.source}};
}

}  // namespace kalm::core
