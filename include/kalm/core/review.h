// The reply coach's reviewer: reads a VA's draft reply, optionally together
// with the client message it answers, and finds what METHOD.md section 4 warns
// about (defensive, pleasing, harsh, arguing, monologue, no acknowledgment,
// vague, a boundary without an alternative), each with its evidence, a short
// explanation in the draft's language and a replacement where one exists; what
// is good in the draft; a politeness score; a verdict (send / improve / wait);
// and on request a softened rewrite built from listed edits that never touch
// facts (numbers, amounts, dates, times, names, e-mail addresses, URLs).
//
// Built once from the data files (data/coach, data/phrases) on top of an
// Analyzer, immutable afterwards: Run() is const and thread-safe. The Analyzer
// must outlive the Reviewer.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kalm/core/analyzer.h"
#include "kalm/core/phrases.h"
#include "kalm/core/status.h"

namespace kalm::core {

inline constexpr std::string_view kReviewerVersion = "0.1.0";

struct ReviewContext {
  std::string_view reply_to;         // the client message; empty: none
  std::optional<Language> language;  // forced; empty: detected from the draft
  std::optional<Register> form;      // forced je/u; empty: detected
  bool rewrite = false;              // also build Review::rewrite
  bool trace = false;                // fill Review::trace (`--explain`)
};

struct ReviewFinding {
  std::string id;        // defensive, pleasing, harsh, arguing, monologue,
                         // no_acknowledgment, vague,
                         // boundary_without_alternative
  std::string severity;  // low, medium, high
  uint32_t start = 0;    // byte offsets into the draft
  uint32_t end = 0;
  std::string text;         // the draft's words at [start, end)
  std::string why;          // one or two sentences, in the draft's language
  std::string replacement;  // what to write instead; empty: none to offer
  std::string rule;         // "nl/draft.tsv:12" or a named rule
};

struct ReviewGood {
  std::string id;  // acknowledges, concrete_next_step, ...
  std::string why;
};

struct RewriteEdit {
  uint32_t start = 0;  // byte offsets into the draft
  uint32_t end = 0;
  std::string before;
  std::string after;
  std::string why;  // the finding id the edit answers
};

struct RewriteResult {
  std::string text;
  std::vector<RewriteEdit> edits;  // in text order, not overlapping
};

struct Review {
  std::string reviewer_version;
  std::string language;  // "nl" or "en"
  std::string form;      // "je", "u" or "-"
  std::string verdict;   // send, improve, wait
  std::string verdict_why;
  int wait_minutes = 0;  // > 0 only with verdict "wait"
  double politeness = 0;
  int words = 0;                        // words of the draft's own text
  int reply_to_escalation = -1;         // -1: no client message given
  std::vector<ReviewFinding> findings;  // in text order
  std::vector<ReviewGood> good;
  std::optional<RewriteResult> rewrite;  // with ReviewContext::rewrite
  // With ReviewContext::trace: every coach-lexicon hit ("draft.refusal 0.80
  // 'ik werk niet op' nl/draft.tsv:412") and the rewrite rules that matched.
  std::vector<std::string> trace;
};

class Reviewer {
 public:
  // Errors: kInvalidArgument naming the data file and line for a malformed
  // coach lexicon, rewrite, text or phrase line; kNotFound when data/coach or
  // data/phrases is missing for a language.
  static StatusOr<std::unique_ptr<Reviewer>> Build(
      const Analyzer& analyzer, const std::vector<DataFile>& files);
  ~Reviewer();

  // Errors: those of Analyzer::Analyze for the draft; for the client message
  // the same, with "reply-to: " before the message.
  StatusOr<Review> Run(std::string_view draft,
                       const ReviewContext& context = {}) const;

  const PhraseLibrary& phrases() const;
  // The coach lexicon of a language (draft.* categories), for `kalm lexicon`.
  const Lexicon& coach_lexicon(Language l) const;

 private:
  struct Impl;
  Reviewer();
  std::unique_ptr<Impl> impl_;
};

// JSON of a review (schema in docs/review.md).
nlohmann::json ToJson(const Review& r);

}  // namespace kalm::core
