// Google Benchmarks of the analyzer's inner loop (docs/performance.md).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

#include "cli/cli.h"
#include "kalm/core/analyzer.h"
#include "kalm/core/review.h"

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

const kalm::core::Reviewer& GetReviewer() {
  static auto r = std::move(kalm::cli::MakeReviewer("", Get()).value());
  return *r;
}

// A 1,500-character draft answering an upset client: the size of a real reply
// that the composer reviews on every pause in typing.
std::string LongDraft() {
  const char* parts[] = {
      "Hoi Sanne, dank je voor je bericht. Ik begrijp dat je baalt dat de "
      "nieuwsbrief later is dan gepland. ",
      "Zoals ik al zei wacht ik nog op de teksten van Mark, daar kan ik niks "
      "aan doen. ",
      "Ik stuur de nieuwsbrief vrijdag om 10:00 naar de hele lijst, en ik "
      "zet de planning voor volgende maand in ons bord. ",
      "Het spijt me ontzettend, echt, ik had het eerder moeten melden. ",
      "Als je wilt, kan ik ook de social posts erbij doen, dat reken ik niet. ",
  };
  std::string d;
  for (int k = 0; d.size() < 1500; ++k) d += parts[k % std::size(parts)];
  d.resize(1500);
  while ((static_cast<unsigned char>(d.back()) & 0xC0) == 0x80) d.pop_back();
  return d;
}

void BM_ReviewDraft(benchmark::State& state) {
  const auto& r = GetReviewer();
  const std::string draft = LongDraft();
  kalm::core::ReviewContext ctx;
  ctx.reply_to =
      "Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?! Ik had hem "
      "dinsdag al verwacht.";
  ctx.rewrite = state.range(0) != 0;
  std::vector<double> micros;
  micros.reserve(1 << 16);
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    auto rev = r.Run(draft, ctx);
    benchmark::DoNotOptimize(rev);
    micros.push_back(std::chrono::duration<double, std::micro>(
                         std::chrono::steady_clock::now() - t0)
                         .count());
  }
  std::sort(micros.begin(), micros.end());
  // Latency percentiles over the iterations, as counters (microseconds).
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * draft.size()));
}
BENCHMARK(BM_ReviewDraft)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
