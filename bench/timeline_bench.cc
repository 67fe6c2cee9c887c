// The timeline route's parts (docs/performance.md): reading a client's 500
// analysed messages from SQLite, finding the patterns, and writing the answer
// as a DOM (the reference) or with the stored analyses spliced in.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "cli/cli.h"
#include "kalm/core/analysis_json.h"
#include "kalm/domain/json.h"
#include "kalm/domain/timeline.h"
#include "kalm/store/open.h"

namespace {

using namespace kalm;

struct Fixture {
  std::unique_ptr<domain::Store> store;
  domain::Id ws = 0, client = 0;
};

// 500 messages over ten weeks, every second one incoming and analysed.
const Fixture& Data() {
  static Fixture* f = [] {
    auto* x = new Fixture;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("kalm_timeline_bench_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    x->store = std::move(
        store::OpenStore("sqlite:" + (dir / "k.db").string()).value());
    x->ws = x->store->CreateWorkspace("Bench", 1)->id;
    domain::Client c;
    c.name = "Sanne";
    c.timezone = "Europe/Amsterdam";
    x->client = x->store->AddClient(x->ws, c, 1)->id;
    auto analyzer = std::move(cli::MakeAnalyzer("").value());
    const char* texts[] = {
        "Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?! Dit kan echt "
        "niet.",
        "Hoi Eva, kun je vandaag nog even naar de offerte kijken? Dank je!",
        "Hoe staat het ervoor? Ik zie nog niks in mijn inbox. Laat je het even "
        "weten?",
        "Kun je ook even mijn privémail opruimen? Dat is snel gedaan toch.",
        "Super bedankt voor het snelle werk, precies wat ik nodig had."};
    std::vector<domain::Message> batch;
    for (int i = 0; i < 500; ++i) {
      domain::Message m;
      m.sent_at = 1790000000 + i * 3 * 3600;
      m.utc_offset_minutes = 60;
      m.author = i % 2 ? "Eva" : "Sanne";
      m.channel = "whatsapp";
      m.direction =
          i % 2 ? domain::Direction::kOutgoing : domain::Direction::kIncoming;
      m.body = std::string(texts[i % 5]) + " (" + std::to_string(i) + ")";
      if (m.direction == domain::Direction::kIncoming) {
        core::AnalysisContext ctx;
        core::Timestamp at;
        at.unix_seconds = m.sent_at;
        at.offset_minutes = 60;
        at.has_offset = true;
        ctx.at = at;
        ctx.timezone = "Europe/Amsterdam";
        auto a = analyzer->Analyze(m.body, ctx);
        core::AppendJson(*a, &m.analysis_json);
        m.analyzer_version = a->analyzer_version;
      }
      batch.push_back(std::move(m));
    }
    (void)x->store->AddMessages(x->ws, x->client, batch, nullptr);
    return x;
  }();
  return *f;
}

void BM_ListMessages(benchmark::State& state) {
  const Fixture& f = Data();
  for (auto _ : state)
    benchmark::DoNotOptimize(f.store->ListMessages(f.ws, f.client, {}));
}
BENCHMARK(BM_ListMessages)->Unit(benchmark::kMillisecond);

void BM_LoadTimeline(benchmark::State& state) {
  const Fixture& f = Data();
  for (auto _ : state)
    benchmark::DoNotOptimize(domain::LoadTimeline(*f.store, f.ws, f.client));
}
BENCHMARK(BM_LoadTimeline)->Unit(benchmark::kMillisecond);

void BM_TimelineJsonDom(benchmark::State& state) {  // the reference
  const Fixture& f = Data();
  auto t = domain::LoadTimeline(*f.store, f.ws, f.client).value();
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string s = domain::ToJson(t).dump();
    bytes = s.size();
    benchmark::DoNotOptimize(s.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes * state.iterations()));
}
BENCHMARK(BM_TimelineJsonDom)->Unit(benchmark::kMillisecond);

void BM_TimelineJsonSpliced(benchmark::State& state) {
  const Fixture& f = Data();
  auto t = domain::LoadTimeline(*f.store, f.ws, f.client).value();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string s;
    domain::AppendJson(t, &s);
    bytes = s.size();
    benchmark::DoNotOptimize(s.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes * state.iterations()));
}
BENCHMARK(BM_TimelineJsonSpliced)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
