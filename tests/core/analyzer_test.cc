#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "kalm/core/analysis_json.h"
#include "test_util.h"

namespace kalm::core {
namespace {

Analysis Ana(std::string_view text, AnalysisContext ctx = {}) {
  auto r = kalm::testing::TestAnalyzer().Analyze(text, ctx);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Analysis{};
}

bool Has(const Analysis& a, std::string_view id) {
  for (const auto& s : a.signals)
    if (s.id == id) return true;
  return false;
}

TEST(Analyzer, NegationFlipsValence) {
  EXPECT_GT(Ana("Ik ben blij met het resultaat.").valence, 0.05);
  EXPECT_LT(Ana("Ik ben niet blij met het resultaat.").valence, -0.05);
  EXPECT_LT(Ana("Het resultaat bevalt me niet.").valence, -0.05);
  EXPECT_GT(Ana("Geen enkel probleem!").valence, 0.0);
  EXPECT_LT(Ana("I am not happy at all with this.").valence, -0.05);
}

TEST(Analyzer, NegationInsideAndAroundPhrases) {
  // A negator phrase that runs into a phrase with its own negator does not flip
  // it.
  EXPECT_LT(Ana("Het eten was echt niet te vreten.").valence, -0.05);
  // A gap pattern does not read through a negator in its gap.
  EXPECT_GT(Ana("Lang hoefde ik niet te wachten.").valence, 0.0);
}

TEST(Analyzer, HostilityAimedAndNot) {
  auto hostile = [](std::string_view t) { return Ana(t).hostile; };
  EXPECT_TRUE(hostile("Ik haat je."));
  EXPECT_FALSE(hostile("Ik haat je niet."));
  EXPECT_FALSE(hostile("Ik haat maandagen."));
  EXPECT_TRUE(hostile("Wat ben je toch een waardeloos mens."));
  EXPECT_FALSE(
      hostile("Ik ben niet boos, maar je bent wel een beetje dom bezig."));
  EXPECT_FALSE(hostile("Die stomme printer doet het weer niet!"));
  EXPECT_TRUE(hostile("Ik zorg ervoor dat niemand je meer inhuurt."));
  EXPECT_FALSE(hostile("Mijn buurman is een idioot, maar dat terzijde."));
  EXPECT_TRUE(hostile("you absolute 1d10t"));
  EXPECT_FALSE(
      hostile("My last VA called me an idiot and I won't accept that again."));
}

TEST(Analyzer, EmojiAreNotNegated) {
  EXPECT_LT(Ana("pff weer niet af \xF0\x9F\x98\xA1").valence,
            -0.05);                                                // angry face
  EXPECT_GT(Ana("geen probleem \xF0\x9F\x98\x8A").valence, 0.05);  // smiling
}

TEST(Analyzer, ContrastWeighsTheSecondPart) {
  EXPECT_LT(Ana("Het ontwerp is mooi, maar de uitvoering is slordig.").valence,
            0.0);
  EXPECT_GT(Ana("De uitvoering is slordig, maar het ontwerp is mooi.").valence,
            0.0);
  EXPECT_GT(Ana("The start was slow, but the result is excellent.").valence,
            0.0);
}

TEST(Analyzer, QuotedHistoryIsNotRead) {
  const Analysis a = Ana(
      "Prima, dank je!\n\nOp 3 maart 2026 om 14:02 schreef Jan <jan@x.nl>:\n"
      "> DIT IS BELACHELIJK!! Ik ben woedend.\n");
  EXPECT_FALSE(Has(a, "emotion.anger"));
  EXPECT_EQ(a.escalation_level, 0);
}

TEST(Analyzer, EvidenceOffsetsPointIntoTheText) {
  const std::string text =
      "Waarom is dit NOG STEEDS niet af?! Echt belachelijk.";
  const Analysis a = Ana(text);
  ASSERT_FALSE(a.signals.empty());
  for (const auto& s : a.signals) {
    for (const auto& e : s.evidence) {
      if (e.end == e.start) continue;
      ASSERT_LE(e.end, text.size());
      EXPECT_EQ(text.substr(e.start, e.end - e.start), e.text) << s.id;
    }
  }
}

TEST(Analyzer, AfterHoursNeedsTimeAndWindow) {
  AnalysisContext ctx;
  ctx.at = *ParseTimestamp("2026-03-08T21:40:00+01:00");  // Sunday evening
  EXPECT_TRUE(Has(Ana("Hoe staat het ervoor?", ctx), "timing.after_hours"));
  ctx.at = *ParseTimestamp("2026-03-10T10:00:00+01:00");  // Tuesday morning
  EXPECT_FALSE(Has(Ana("Hoe staat het ervoor?", ctx), "timing.after_hours"));
  ctx.availability = *ParseAvailability("wed-fri 09:00-17:00");
  EXPECT_TRUE(Has(Ana("Hoe staat het ervoor?", ctx), "timing.after_hours"));
}

TEST(Analyzer, ScopeAdviceNamesTheAgreedRate) {
  AnalysisContext ctx;
  ctx.scope = {"inbox", "agenda", "facturen"};
  auto advice = [](const Analysis& a) {
    for (const auto& s : a.strategies)
      if (s.id == "refer_agreement") return s.why;
    return std::string();
  };
  const char* nl = "Kun je ook even de webshop van mijn vrouw bijhouden?";
  EXPECT_EQ(advice(Ana(nl, ctx)).find("EUR"), std::string::npos);
  ctx.out_of_scope_rate = "EUR 60.00";
  const std::string why = advice(Ana(nl, ctx));
  EXPECT_NE(why.find("EUR 60.00 per uur."), std::string::npos) << why;
  ctx.scope = {"inbox management", "calendar"};
  const std::string en =
      advice(Ana("Could you also redesign our logo while you're at it?", ctx));
  EXPECT_NE(en.find("EUR 60.00 an hour."), std::string::npos) << en;
}

TEST(Analyzer, JsonHasTheDocumentedKeys) {
  const nlohmann::json j = ToJson(Ana("Waarom is dit nog niet af??"));
  for (const char* key : {"analyzer_version", "language", "language_confidence",
                          "valence", "politeness", "escalation_level",
                          "hostile", "dominant_emotion", "emotions", "needs",
                          "issue_kind", "complaint", "signals", "strategies"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
}

TEST(Analyzer, DirectJsonWriterMatchesTheDom) {
  for (const char* text :
       {"Waarom is dit NOG niet af??", "Hij zei \"idioot\"\ttegen me\n\nGroet",
        "Top! \xF0\x9F\x98\x8D Thanks so much", "x"}) {
    const Analysis a = Ana(text);
    std::string direct;
    AppendJson(a, &direct);
    EXPECT_EQ(nlohmann::json::parse(direct), ToJson(a)) << text;
    EXPECT_EQ(direct, ToJson(a).dump()) << text;
  }
}

TEST(Analyzer, DirectJsonWriterEscapesEveryByte) {
  // Every ASCII byte at every offset of an 8-byte word, and UTF-8 around it.
  Analysis a;
  for (int c = 1; c < 128; ++c) {
    for (int pad = 0; pad < 9; ++pad) {
      std::string text(static_cast<size_t>(pad), 'x');
      text += static_cast<char>(c);
      text += "caf\xC3\xA9 ok";
      a.signals.push_back({"t", 0.5, {{0, 1, text, "r"}}});
    }
  }
  std::string direct;
  AppendJson(a, &direct);
  EXPECT_EQ(direct, ToJson(a).dump());
}

TEST(Analyzer, DirectJsonWriterNumbers) {
  Analysis a;
  for (double v : {0.0, -0.0, 1.0, -1.0, 0.1, 0.105, -0.166, 0.999, 12.5,
                   1.0 / 3, 2e-7, -123456.789}) {
    a.valence = v;
    std::string direct;
    AppendJson(a, &direct);
    EXPECT_EQ(direct, ToJson(a).dump()) << v;
  }
}

TEST(Analyzer, StrategiesExplainThemselvesInTheMessageLanguage) {
  const Analysis nl = Ana("Dit is echt BELACHELIJK!! Ik ben woedend.");
  ASSERT_FALSE(nl.strategies.empty());
  EXPECT_EQ(nl.advice_language, "nl");
  for (const auto& s : nl.strategies) EXPECT_FALSE(s.why.empty()) << s.id;
  const Analysis en = Ana("This is RIDICULOUS!! I am furious.");
  EXPECT_EQ(en.advice_language, "en");
  EXPECT_NE(nl.strategies[0].why, en.strategies[0].why);
}

TEST(Analyzer, StrategiesAreFewAndEndConcretely) {
  const Analysis a =
      Ana("Waarom is de nieuwsbrief NOG steeds niet verstuurd?! Ik heb het nu "
          "al drie "
          "keer gevraagd. Dit is slordig werk en ik wil korting.");
  ASSERT_FALSE(a.strategies.empty());
  EXPECT_LE(a.strategies.size(), 6u);
  EXPECT_EQ(a.strategies.front().id, "cool_down");
  EXPECT_EQ(a.strategies.back().id, "agree_concretely");
}

TEST(Analyzer, SameResultOnManyThreads) {
  const std::string text =
      "Ben je al begonnen? Laat je even weten als je halverwege bent?";
  const nlohmann::json expected = ToJson(Ana(text));
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i)
        if (ToJson(Ana(text)) != expected) ++mismatches;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Analyzer, LongMessageIsAnalysedWithCappedEvidence) {
  // Near the size limit and full of hits: every pass must stay near-linear (the
  // ctest timeout catches a quadratic one) and evidence lists stay readable.
  std::string text;
  while (text.size() < kMaxMessageBytes - 200)
    text +=
        "Dit is echt belachelijk slecht werk, waarom is het NOG steeds niet "
        "af?! Ik ben boos. Great, just great. ";
  const Analysis a = Ana(text);
  EXPECT_GE(a.escalation_level, 2);
  for (const auto& s : a.signals) EXPECT_LE(s.evidence.size(), 20u) << s.id;
}

TEST(Analyzer, RandomTextNeverBreaksOffsets) {
  // Random mixes of words, punctuation, emoji, quotes, mail markers and
  // accents: every analysis succeeds and every evidence span is a valid UTF-8
  // slice.
  const std::vector<std::string> pieces = {"ik",
                                           "ben",
                                           "niet",
                                           "boos",
                                           "NOG",
                                           "steeds",
                                           "you",
                                           "idiot",
                                           "k",
                                           "u",
                                           "t",
                                           "!!",
                                           "?!",
                                           "...",
                                           ",",
                                           "\n",
                                           "\n> ",
                                           "Op 3 mrt schreef Jan:\n",
                                           "\"",
                                           "'",
                                           "\xF0\x9F\x98\xA1",
                                           "\xF0\x9F\x99\x84",
                                           ":-)",
                                           "caf\xC3\xA9",
                                           "\xC3\xA9\xC3\xA9n",
                                           "kl00tzak",
                                           "f*ck",
                                           "great",
                                           "just",
                                           "maar",
                                           "but",
                                           "--\n",
                                           "Groetjes,\n",
                                           " "};
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> len(1, 40);
  for (int i = 0; i < 1500; ++i) {
    std::string text;
    for (int k = len(rng); k > 0; --k) text += pieces[pick(rng)] + " ";
    auto r = kalm::testing::TestAnalyzer().Analyze(text);
    if (!r.ok()) {
      // Only whitespace-only texts may be refused.
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << text;
      continue;
    }
    for (const auto& sg : r->signals) {
      for (const auto& e : sg.evidence) {
        if (e.end == e.start) continue;
        ASSERT_LE(e.end, text.size()) << text;
        const std::string slice = text.substr(e.start, e.end - e.start);
        EXPECT_FALSE(FindInvalidUtf8(slice).has_value())
            << sg.id << " in " << text;
        EXPECT_EQ(slice, e.text);
      }
    }
  }
}

TEST(Analyzer, RejectsBadInput) {
  const Analyzer& a = kalm::testing::TestAnalyzer();
  EXPECT_EQ(a.Analyze("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.Analyze("   \n").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.Analyze("ok \xC3").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.Analyze(std::string(2 * kMaxMessageBytes, 'x')).status().code(),
            StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace kalm::core
