// Language identification for Dutch, English or undetermined.
//
// kalm's own model: weighted profiles of frequent words and letter sequences
// per language (data/langid/*.tsv). Immutable after Build; safe to share across
// threads.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kalm/core/lexicon.h"
#include "kalm/core/status.h"
#include "kalm/core/text.h"

namespace kalm::core {

struct LanguageGuess {
  Language language = Language::kDutch;  // best guess, also when undetermined
  bool determined = false;               // false: report "und"
  double confidence = 0.0;               // 0..1
  double dutch_score = 0.0;
  double english_score = 0.0;
};

class LanguageIdentifier {
 public:
  // Errors: kInvalidArgument naming the file and line of a malformed profile
  // line.
  static StatusOr<LanguageIdentifier> Build(std::string_view dutch_profile,
                                            std::string_view english_profile);

  LanguageGuess Identify(const std::vector<Token>& tokens) const;

  // Is `folded` one of the language's profile (function) words?
  bool IsFunctionWord(Language l, const std::string& folded) const {
    const Profile& p = l == Language::kDutch ? nl_ : en_;
    return p.words.count(folded) > 0;
  }

 private:
  struct Profile {
    std::unordered_map<std::string, double> words;
    std::vector<std::pair<std::string, double>> ngrams;
  };
  static Status Parse(std::string_view name, std::string_view content,
                      Profile* out);
  Profile nl_, en_;
};

}  // namespace kalm::core
