// Shared helpers for the core tests: one analyzer built from the checkout's
// data/.
#pragma once

#include <memory>

#include "cli/cli.h"
#include "kalm/core/analyzer.h"
#include "kalm/core/review.h"

namespace kalm::testing {

inline const core::Analyzer& TestAnalyzer() {
  static const std::unique_ptr<core::Analyzer> a = [] {
    auto r = cli::MakeAnalyzer(KALM_DATA_DIR);
    if (!r.ok()) {
      fprintf(stderr, "analyzer: %s\n", r.status().ToString().c_str());
      std::abort();
    }
    return std::move(*r);
  }();
  return *a;
}

inline const core::Reviewer& TestReviewer() {
  static const std::unique_ptr<core::Reviewer> r = [] {
    auto b = cli::MakeReviewer(KALM_DATA_DIR, TestAnalyzer());
    if (!b.ok()) {
      fprintf(stderr, "reviewer: %s\n", b.status().ToString().c_str());
      std::abort();
    }
    return std::move(*b);
  }();
  return *r;
}

}  // namespace kalm::testing
