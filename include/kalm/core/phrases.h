// The phrase library: sentences a VA can use in a reply, per strategy of
// METHOD.md section 3, in Dutch (je and u forms) and English, with named
// placeholders ("{client}", "{date}"). Loaded from data/phrases/<lang>/*.tsv
// (format in data/phrases/README.md) and validated on load.
//
// Immutable after Build; all methods are const and safe to call from many
// threads.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kalm/core/lexicon.h"
#include "kalm/core/status.h"

namespace kalm::core {

struct DataFile;

// Form of address: Dutch "je/jij" or "u"; kNone for English and for Dutch
// phrases that address nobody.
enum class Register : uint8_t { kNone, kJe, kU };
std::string_view RegisterName(Register r);  // "-", "je", "u"

// The form of address a Dutch text uses: "u/uw" against "je/jij/jou/jouw/
// jullie" and the Flemish "ge/gij"; a formal salutation ("Geachte ...",
// "Beste heer/mevrouw ...") counts for u. kNone when it addresses nobody.
Register DetectRegister(const std::vector<Token>& tokens);
// Whether the text addresses the reader with the Flemish "ge/gij".
bool UsesFlemishForms(const std::vector<Token>& tokens);

struct Phrase {
  Language language = Language::kDutch;
  std::string strategy;  // "acknowledge", ..., or "greeting" / "closing"
  std::string trigger;   // "-" or a trigger of the strategy ("after_hours")
  Register form = Register::kNone;
  std::string tone;  // soft, neutral, firm
  // The situations the phrase is written for ("late", "refund"; see
  // PhraseLibrary::Situations()); empty: it fits any.
  std::vector<std::string> about;
  std::string text;    // may hold placeholders
  std::string source;  // "nl/acknowledge.tsv:12"
};

// Placeholder values for Fill(), by name without braces ("client").
using PhraseValues = std::map<std::string, std::string, std::less<>>;

class PhraseLibrary {
 public:
  // Reads every data/phrases/<lang>/*.tsv among `files` (paths relative to
  // data/). Errors: kInvalidArgument naming file and line for a line without
  // six fields, an unknown strategy, trigger, register, tone, situation or
  // placeholder, unbalanced braces or an empty text; kNotFound when a language
  // has no phrases at all.
  static StatusOr<PhraseLibrary> Build(const std::vector<DataFile>& files);

  // Phrases of `language`, optionally only of one strategy / trigger (a phrase
  // with trigger "-" fits every trigger) / register (phrases with kNone fit
  // every register). In file order.
  std::vector<const Phrase*> Find(Language language,
                                  std::string_view strategy = {},
                                  std::string_view trigger = {},
                                  std::optional<Register> form = {}) const;

  size_t size() const { return phrases_.size(); }
  const std::vector<Phrase>& all() const { return phrases_; }

  // The strategy ids a phrase may have, and the triggers of each.
  static const std::map<std::string, std::vector<std::string>, std::less<>>&
  Strategies();
  static const std::vector<std::string>& Placeholders();
  // What a client message can be about, as the reply composer names it: the
  // VA's delivery is late, the quality of the work, a refund, a threat to
  // leave, a character label, a late payment, the client's own delay, a
  // status check, wanting control, nitpicking, a request outside the scope, a
  // last-minute change, after-hours contact, feeling unheard, a plain request.
  static const std::vector<std::string>& Situations();

  // `text` with every placeholder that has a value replaced; the others stay.
  static std::string Fill(std::string_view text, const PhraseValues& values);
  // Names of the placeholders still in `text` ("date" for "{date}").
  static std::vector<std::string> PlaceholdersIn(std::string_view text);

 private:
  std::vector<Phrase> phrases_;
};

// {"language", "strategy", "trigger", "register", "tone", "about", "text",
// "source"}: one phrase as `kalm phrases --json` and the API print it.
nlohmann::json ToJson(const Phrase& p);

}  // namespace kalm::core
