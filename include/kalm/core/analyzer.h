// The message analyzer: what a client message says about tone, emotion, needs,
// micromanagement, timing, scope and escalation, with evidence and advice.
//
// Built once from the data files (lexicons, language profiles, advice texts and
// model weights; see data/) and immutable afterwards: Analyze() is const and
// may run on many threads at once (each thread keeps its own ICU and Snowball
// state).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kalm/core/language.h"
#include "kalm/core/lexicon.h"
#include "kalm/core/status.h"
#include "kalm/core/text.h"
#include "kalm/core/time.h"

namespace kalm::core {

inline constexpr std::string_view kAnalyzerVersion = "0.1.0";

// A data file (path relative to data/, content). The caller owns the bytes and
// keeps them alive during Analyzer::Build only.
struct DataFile {
  std::string path;
  std::string_view content;
};

struct AnalysisContext {
  std::optional<Timestamp> at;                   // when the message was sent
  std::vector<AvailabilityWindow> availability;  // empty: Mon-Fri 08:00-18:00
  std::string timezone;            // IANA zone; empty: the offset of `at`
  std::vector<std::string> scope;  // the agreement's scope items
  // The agreed hourly rate for work outside the agreement ("EUR 60.00"),
  // named in the advice for a request outside the scope.
  std::string out_of_scope_rate;
  std::optional<Language> language;  // forced; empty: identify
  // Language of the advice when the text does not tell ("ok 👍"): the user's
  // or the client's language. Empty: Dutch.
  std::optional<Language> fallback_language;
  bool trace = false;  // fill Analysis::trace with every hit (for `--explain`)
};

struct Evidence {
  uint32_t start = 0;  // byte offsets into the analysed text
  uint32_t end = 0;
  std::string text;
  std::string rule;  // "nl/signals.tsv:12" for a lexicon line, or a named rule
};

struct Signal {
  std::string id;  // "emotion.anger", "micro.checkin", ...
  double score = 0;
  std::vector<Evidence> evidence;
};

struct StrategyAdvice {
  std::string id;       // "cool_down", ...
  std::string why;      // one line, in the message's language
  std::string trigger;  // the situation it answers ("after_hours", "payment")
};

struct Analysis {
  std::string analyzer_version;
  std::string language;  // "nl", "en" or "und"
  double language_confidence = 0;
  std::string advice_language;  // language of `why` texts ("nl" or "en")
  double valence = 0;           // -1..1
  double politeness = 0;        // 0..1
  int escalation_level = 0;     // 0..4
  bool hostile = false;
  std::string
      dominant_emotion;  // anger, disappointment, anxiety, stress, joy, neutral
  std::map<std::string, double> emotions;
  std::map<std::string, double> needs;  // control, certainty, speed
  std::string issue_kind;               // detail, fundamental, none
  double complaint = 0;                 // 0..1
  std::vector<Signal> signals;          // score >= kSignalThreshold, by score
  std::vector<StrategyAdvice> strategies;
  std::vector<ByteRange> analysed;  // the parts read (quoted history left out)
  std::vector<double> features;     // model inputs, see FeatureNames()
  // With AnalysisContext::trace: one line per lexicon hit after negation,
  // intensity and context ("valence -1.48 (base -2.00) negated 'boos' nl/...").
  std::vector<std::string> trace;
};

// Signals below this score are not reported.
inline constexpr double kSignalThreshold = 0.3;

class Analyzer {
 public:
  // Errors: kInvalidArgument / kNotFound naming the data file that is malformed
  // or missing (lexicons, langid profiles, advice texts, models).
  struct BuildOptions {
    // Compile each language's lexicon on first use instead of in Build (faster
    // start for one message; a broken lexicon then fails that Analyze call).
    bool lazy = false;
  };
  static StatusOr<std::unique_ptr<Analyzer>> Build(
      const std::vector<DataFile>& files, BuildOptions options);
  static StatusOr<std::unique_ptr<Analyzer>> Build(
      const std::vector<DataFile>& files) {
    return Build(files, BuildOptions());
  }
  ~Analyzer();

  // Errors: those of CheckMessage (empty, too large, bad UTF-8, binary); with
  // lazy building, kInvalidArgument for a lexicon that does not compile.
  StatusOr<Analysis> Analyze(std::string_view text,
                             const AnalysisContext& context = {}) const {
    return Analyze(text, context, nullptr);
  }
  // The same, also handing back the tokens of the analysed parts (for callers
  // such as the reply coach that read the words again; saves tokenizing twice).
  StatusOr<Analysis> Analyze(std::string_view text,
                             const AnalysisContext& context,
                             Tokenized* tokens) const;

  // The language's lexicon (compiled now if lazy), or nullptr if it does not
  // compile.
  const Lexicon* lexicon(Language l) const;

  // Names of Analysis::features, in order; model files refer to these.
  static const std::vector<std::string>& FeatureNames();

 private:
  struct Impl;
  Analyzer();
  std::unique_ptr<Impl> impl_;
};

}  // namespace kalm::core
