// Google Benchmarks of the analyzer's inner loop (docs/performance.md).
#include <benchmark/benchmark.h>

#include <cstring>

#include "cli/cli.h"
#include "kalm/core/analyzer.h"

namespace {

const kalm::core::Analyzer& Get() {
  static auto a = std::move(kalm::cli::MakeAnalyzer("").value());
  return *a;
}

const char* kMessages[] = {
    "Hoi! Waarom is het verslag NOG steeds niet af?! Ik had het gisteren al "
    "nodig.",
    "Ben je al begonnen? Laat je even weten als je halverwege bent? En vergeet "
    "niet: Arial 11.",
    "Thanks so much for the quick turnaround, the newsletter looks great!",
    "I have asked three times now. This is not what we agreed and I expect a "
    "discount.",
    "Lekker dan, weer te laat. Ik betaal hier niet voor.",
};

void BM_AnalyzeShort(benchmark::State& state) {
  const auto& a = Get();
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const char* m = kMessages[i++ % std::size(kMessages)];
    auto r = a.Analyze(m);
    benchmark::DoNotOptimize(r);
    bytes += std::strlen(m);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AnalyzeShort);

void BM_AnalyzeLongMail(benchmark::State& state) {
  const auto& a = Get();
  std::string mail;
  for (int k = 0; k < 12; ++k) mail += std::string(kMessages[k % 5]) + "\n";
  mail +=
      "\nMet vriendelijke groet,\nPiet\n\nOp 3 maart 2026 om 14:02 schreef "
      "Anna:\n";
  for (int k = 0; k < 20; ++k)
    mail += "> " + std::string(kMessages[k % 5]) + "\n";
  for (auto _ : state) {
    auto r = a.Analyze(mail);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * mail.size()));
}
BENCHMARK(BM_AnalyzeLongMail);

void BM_Tokenize(benchmark::State& state) {
  kalm::core::Tokenizer t({":)", ":-("});
  const std::string s = kMessages[0];
  for (auto _ : state) {
    auto r = t.Tokenize(s, {{0, static_cast<uint32_t>(s.size())}});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Tokenize);

}  // namespace

BENCHMARK_MAIN();
