// Lexicon: the analyzer's reviewed word and phrase lists, compiled for
// matching.
//
// Built once from the text files under data/lexicon (format in
// data/lexicon/README.md) and immutable afterwards, so one Lexicon may be
// shared by any number of threads. Matching resolves each token to "term ids"
// (its stem, its exact form, the prefixes it starts with) through a per-thread
// cache, then walks a trie of term-id sequences from every token, so the cost
// per token does not grow with the number of entries.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kalm/core/status.h"
#include "kalm/core/text.h"

namespace kalm::core {

enum class Category : uint8_t {
  kValence,
  kIntensifier,
  kSoftener,
  kNegator,
  kContrast,
  kAnger,
  kDisappointment,
  kAnxiety,
  kStress,
  kJoy,
  kNeedControl,
  kNeedCertainty,
  kNeedSpeed,
  kUnheard,
  kMicroCheckin,
  kMicroApproval,
  kMicroNitpick,
  kMicroNoDelegation,
  kDemandLastMinute,
  kScopeRequest,
  kComplaintQuality,
  kComplaintLabel,
  kComplaintCue,
  kComplaintLate,  // something of the reader's is late: "nog steeds niet"
  kDemandCompensation,
  kPaymentLate,
  kDeadlineClientMissed,
  kRelationExit,
  kPolite,
  kImpolite,
  kInsult,
  kProfanity,
  kThreat,
  kIrony,
  kReproach,
  kReport,
  kTargetPerson,
  kQuestionPressure,
  kApology,
  kGratitude,
  kGreeting,
  kHedge,
  kTimeRef,
  kScopeAdmitted,
  // The reply coach's own lexicons (data/coach), never the analyzer's.
  kDraftDefensive,
  kDraftBlame,
  kDraftApology,
  kDraftOverApology,
  kDraftSelfDeprecation,
  kDraftFreeWork,
  kDraftLimitGiveUp,
  kDraftCurt,
  kDraftAbsolute,
  kDraftJudgement,
  kDraftJustify,
  kDraftYesBut,
  kDraftAcknowledge,
  kDraftVague,
  kDraftCommit,
  kDraftRefusal,
  kDraftAlternative,
  kCount,
};
inline constexpr int kCategoryCount = static_cast<int>(Category::kCount);

// "valence", "emotion.anger", ... as written in the lexicon files.
std::string_view CategoryName(Category c);
bool ParseCategory(std::string_view name, Category* out);

enum class Language : uint8_t { kDutch, kEnglish };
std::string_view LanguageCode(Language l);  // "nl", "en"

struct LexiconSource {
  std::string name;  // e.g. "nl/valence.tsv", used in errors and rule ids
  std::string_view content;
};

// One lexicon line.
struct LexEntry {
  Category category;
  float weight;
  uint32_t pattern;  // index into patterns
  uint32_t line;     // 1-based line in its file
  uint16_t file;     // index into file names
};

// A match of one pattern over tokens [first, last].
struct LexMatch {
  uint32_t first;
  uint32_t last;
  uint32_t pattern;
};

class Lexicon {
 public:
  // Parses and compiles the given files for one language (common files such as
  // emoji are passed to both languages). Errors: kInvalidArgument naming the
  // file and line for a malformed line, unknown category, weight out of range,
  // or a duplicate pattern+category.
  static StatusOr<std::unique_ptr<Lexicon>> Build(
      Language language, const std::vector<LexiconSource>& sources);

  ~Lexicon();
  Lexicon(const Lexicon&) = delete;
  Lexicon& operator=(const Lexicon&) = delete;

  Language language() const { return language_; }
  size_t entry_count() const { return entries_.size(); }
  size_t CountEntries(Category c) const;

  // All pattern matches over `tokens`, in order of first token.
  std::vector<LexMatch> Match(const std::vector<Token>& tokens) const;

  // Entries (category, weight, source line) of a pattern.
  const std::vector<uint32_t>& EntriesOf(uint32_t pattern) const {
    return pattern_entries_[pattern];
  }
  const LexEntry& entry(uint32_t i) const { return entries_[i]; }
  const std::string& pattern_text(uint32_t pattern) const {
    return pattern_text_[pattern];
  }
  // "nl/signals.tsv:123".
  std::string RuleId(const LexEntry& e) const;

  // Categories of the single-word entries this token matches, one bit per
  // Category (bit = 1 << category). 0: the lexicon does not know the word.
  uint64_t WordCategories(const Token& t) const;
  static constexpr uint64_t Bit(Category c) {
    return uint64_t{1} << static_cast<unsigned>(c);
  }

  // ASCII emoticons known to the lexicon, for the tokenizer.
  std::vector<std::string> Emoticons() const;

  // Snowball stem of a folded word (thread-safe; per-thread stemmer).
  std::string Stem(std::string_view folded) const;

  // Insult and profanity patterns that a word glued together from pieces
  // ("k u t", "klote zak") spells: its exact folded form or a hostile prefix.
  // No stemming, so it is cheap enough to try on every pair of words.
  std::vector<uint32_t> HostileSpelled(std::string_view joined) const;

  // Single-word patterns within one edit of `folded` (a swapped, dropped, added
  // or changed letter): words of seven letters or more, insults and profanity
  // of five or more. For words the lexicon does not know. Returns pattern ids.
  std::vector<uint32_t> Fuzzy(std::string_view folded) const;

 private:
  struct Impl;
  explicit Lexicon(Language l);
  const std::vector<uint32_t>& TermsOf(const Token& t) const;

  Language language_;
  std::vector<std::string> files_;
  std::vector<LexEntry> entries_;
  std::vector<std::vector<uint32_t>> pattern_entries_;
  std::vector<std::string> pattern_text_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kalm::core
