// Reply suggestions: from the analysis of a client message and a little
// context (the client's name, the form of address, agreed update moments, the
// out-of-scope rate, a date for the next step), two or three reply variants
// composed from the phrase library in the order of METHOD.md (greeting,
// acknowledge, summarise, then clarify / propose / a boundary with an
// alternative, a concrete next step, closing), and a short receipt message for
// when cooling down comes first. Variants differ in length and firmness.
//
// Immutable after construction; Suggest() is const and thread-safe. The
// Analyzer and PhraseLibrary must outlive the composer.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kalm/core/analyzer.h"
#include "kalm/core/phrases.h"
#include "kalm/core/status.h"

namespace kalm::core {

struct ReplyContext {
  // How the message is analysed: its timestamp, the client's availability and
  // time zone, the agreed scope, a forced language.
  AnalysisContext analysis;
  std::optional<Register> form;  // je / u; empty: as the client writes
  // Values for the phrases' placeholders ("client", "date", "rate",
  // "update_moments", ...). Placeholders without a value stay in the text as
  // {name} for the user to fill in, and are listed in ReplyVariant::missing.
  PhraseValues values;
};

struct ReplyPart {
  std::string strategy;  // acknowledge, summarise, ..., greeting, closing
  std::string trigger;
  std::string text;    // placeholders filled where a value was given
  std::string source;  // "nl/acknowledge.tsv:12"
};

struct ReplyVariant {
  std::string id;  // "short", "standard", "firm"
  std::string text;
  std::vector<ReplyPart> parts;
  std::vector<std::string> missing;  // placeholders left to fill in
};

struct ReplySuggestions {
  std::string language;  // "nl" or "en"
  std::string form;      // "je", "u" or "-"
  int escalation_level = 0;
  // What the message is about, as PhraseLibrary::Situations() names it
  // ("late", "refund"; "request" when nothing in particular).
  std::vector<std::string> situations;
  bool cool_down = false;  // send the receipt first, the reply later
  std::string receipt;     // a short acknowledgment of receipt
  std::vector<ReplyVariant> variants;
  std::vector<StrategyAdvice> strategies;  // the analysis' advice it follows
};

class ReplyComposer {
 public:
  ReplyComposer(const Analyzer& analyzer, const PhraseLibrary& phrases)
      : analyzer_(analyzer), phrases_(phrases) {}

  // Errors: those of Analyzer::Analyze for the message.
  StatusOr<ReplySuggestions> Suggest(std::string_view message,
                                     const ReplyContext& context = {}) const;

 private:
  const Analyzer& analyzer_;
  const PhraseLibrary& phrases_;
};

nlohmann::json ToJson(const ReplySuggestions& s);

}  // namespace kalm::core
