#include "kalm/core/language.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "lines.h"

namespace kalm::core {

Status LanguageIdentifier::Parse(std::string_view name,
                                 std::string_view content, Profile* out) {
  return ForEachDataLine(content, [&](std::string_view line, int line_no) {
    const size_t tab = line.find('\t');
    const std::string w(tab == std::string_view::npos ? ""
                                                      : line.substr(tab + 1));
    char* end = nullptr;
    const double weight = std::strtod(w.c_str(), &end);
    if (tab == std::string_view::npos || tab == 0 || w.empty() ||
        end != w.c_str() + w.size()) {
      return InvalidArgumentError(std::string(name) + ":" +
                                  std::to_string(line_no) +
                                  ": expected 'word<TAB>weight'");
    }
    std::string key(line.substr(0, tab));
    if (key[0] == '~') {
      out->ngrams.emplace_back(key.substr(1), weight);
    } else {
      out->words[Fold(key)] = weight;
    }
    return Status::Ok();
  });
}

StatusOr<LanguageIdentifier> LanguageIdentifier::Build(
    std::string_view dutch_profile, std::string_view english_profile) {
  LanguageIdentifier id;
  KALM_RETURN_IF_ERROR(Parse("langid/nl.tsv", dutch_profile, &id.nl_));
  KALM_RETURN_IF_ERROR(Parse("langid/en.tsv", english_profile, &id.en_));
  return id;
}

LanguageGuess LanguageIdentifier::Identify(
    const std::vector<Token>& tokens) const {
  double nl = 0, en = 0;
  auto ngram_score = [](const Profile& p, const std::string& w) {
    double s = 0;
    for (const auto& [g, weight] : p.ngrams) {
      size_t at = w.find(g);
      while (at != std::string::npos) {
        s += weight;
        at = w.find(g, at + 1);
      }
    }
    return s;
  };
  int words = 0;
  std::vector<const std::string*> content;  // words in neither profile
  for (const Token& t : tokens) {
    if (t.kind != TokenKind::kWord) continue;
    ++words;
    const std::string& w = t.alt1.empty() ? t.norm : t.alt1;
    auto a = nl_.words.find(w);
    auto b = en_.words.find(w);
    if (a != nl_.words.end()) nl += a->second;
    if (b != en_.words.end()) en += b->second;
    if (a == nl_.words.end() && b == en_.words.end()) content.push_back(&w);
  }
  // Function words decide; letter sequences of the other words are read only
  // when the function words leave it open.
  const bool decided = nl + en >= 3.0 && std::max(nl, en) >= 0.85 * (nl + en);
  if (!decided) {
    for (const std::string* w : content) {
      nl += 0.5 * ngram_score(nl_, *w);
      en += 0.5 * ngram_score(en_, *w);
    }
  }
  LanguageGuess g;
  g.dutch_score = nl;
  g.english_score = en;
  const double total = nl + en;
  g.language = nl >= en ? Language::kDutch : Language::kEnglish;
  if (total <= 0.0) {
    g.confidence = 0.0;
    g.determined = false;
    return g;
  }
  // Share of the evidence, damped when there is little of it.
  const double share = std::max(nl, en) / total;
  const double amount = 1.0 - std::exp(-total);  // one clear word suffices
  g.confidence = std::clamp(share * amount, 0.0, 1.0);
  g.determined = g.confidence >= 0.5 && words > 0;
  return g;
}

}  // namespace kalm::core
