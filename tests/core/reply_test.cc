// Reply suggestions: structure in METHOD order, register, placeholders, the
// receipt for cooling down, determinism.
#include "kalm/core/reply.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "golden_file.h"
#include "test_util.h"

namespace kalm::core {
namespace {

ReplySuggestions Suggest(std::string_view message, ReplyContext ctx = {}) {
  ReplyComposer c(testing::TestAnalyzer(), testing::TestReviewer().phrases());
  auto s = c.Suggest(message, ctx);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? *s : ReplySuggestions{};
}

size_t IndexOf(const ReplyVariant& v, std::string_view strategy) {
  for (size_t i = 0; i < v.parts.size(); ++i)
    if (v.parts[i].strategy == strategy) return i;
  return SIZE_MAX;
}

TEST(Reply, AngryMessageGetsReceiptAndVariantsInMethodOrder) {
  ReplyContext ctx;
  ctx.values = {{"client", "Sanne"}, {"day", "vrijdag"}, {"time", "10:00"}};
  const ReplySuggestions s = Suggest(
      "Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?! Dit is echt "
      "belachelijk.",
      ctx);
  EXPECT_EQ(s.language, "nl");
  EXPECT_GE(s.escalation_level, 2);
  EXPECT_TRUE(s.cool_down);
  EXPECT_FALSE(s.receipt.empty());
  ASSERT_GE(s.variants.size(), 2u);
  ASSERT_LE(s.variants.size(), 3u);
  for (const ReplyVariant& v : s.variants) {
    ASSERT_FALSE(v.parts.empty()) << v.id;
    EXPECT_EQ(v.parts.front().strategy, "greeting") << v.id;
    EXPECT_EQ(v.parts.back().strategy, "closing") << v.id;
    const size_t ack = IndexOf(v, "acknowledge");
    const size_t next = IndexOf(v, "agree_concretely");
    ASSERT_NE(ack, SIZE_MAX) << v.id << ": an upset client is acknowledged";
    ASSERT_NE(next, SIZE_MAX) << v.id << ": every reply ends concretely";
    EXPECT_LT(ack, next) << v.id;
    EXPECT_NE(v.text.find("Sanne"), std::string::npos) << v.text;
    EXPECT_EQ(v.text.find("{client}"), std::string::npos) << v.text;
    // Given values are never asked for again.
    for (const std::string& m : v.missing)
      EXPECT_TRUE(m != "client" && m != "day" && m != "time") << m;
  }
  // Variants differ in length or firmness.
  EXPECT_NE(s.variants[0].text, s.variants[1].text);
  EXPECT_LT(s.variants[0].parts.size(), s.variants[1].parts.size());
}

TEST(Reply, KeepsTheClientsFormOfAddress) {
  const ReplySuggestions s = Suggest(
      "Kunt u mij laten weten wanneer de offerte klaar is? Ik had hem vorige "
      "week verwacht.");
  EXPECT_EQ(s.form, "u");
  const auto& lib = testing::TestReviewer().phrases();
  for (const ReplyVariant& v : s.variants) {
    for (const ReplyPart& p : v.parts) {
      for (const Phrase& ph : lib.all()) {
        if (ph.source == p.source) {
          EXPECT_NE(ph.form, Register::kJe) << p.source;
        }
      }
    }
  }
  ReplyContext je;
  je.form = Register::kJe;
  EXPECT_EQ(
      Suggest("Kunt u mij laten weten wanneer de offerte klaar is?", je).form,
      "je");
}

TEST(Reply, CalmRequestNeedsNoCoolingDown) {
  const ReplySuggestions s =
      Suggest("Could you book a table for four at 7pm on Friday? Thanks!");
  EXPECT_EQ(s.language, "en");
  EXPECT_FALSE(s.cool_down);
  EXPECT_GE(s.variants.size(), 2u);
  for (const ReplyVariant& v : s.variants) {
    EXPECT_EQ(IndexOf(v, "acknowledge"), SIZE_MAX) << v.text;
    EXPECT_NE(IndexOf(v, "agree_concretely"), SIZE_MAX);
  }
}

// A small library, so a test controls which phrases compete.
PhraseLibrary SmallLibrary(const std::string& nl) {
  auto lib = PhraseLibrary::Build(
      {{"phrases/nl/test.tsv", nl},
       {"phrases/en/test.tsv", "closing\t-\t-\tneutral\t-\tKind regards,\n"}});
  EXPECT_TRUE(lib.ok()) << lib.status().message();
  return lib.ok() ? std::move(*lib) : PhraseLibrary();
}

ReplySuggestions SuggestWith(const PhraseLibrary& lib, std::string_view m) {
  ReplyComposer c(testing::TestAnalyzer(), lib);
  auto s = c.Suggest(m);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? *s : ReplySuggestions{};
}

TEST(Reply, FlemishWordsOnlyForAFlemishClient) {
  // The Flemish receipt is the preferred tone; only the filter keeps it away.
  const PhraseLibrary lib = SmallLibrary(
      "cool_down\t-\tje\tneutral\t-\tIk bekijk het efkes en laat het je "
      "weten.\n"
      "cool_down\t-\tje\tsoft\t-\tIk bekijk het even en laat het je weten.\n");
  const char* dutch = "Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?!";
  EXPECT_EQ(SuggestWith(lib, dutch).receipt,
            "Ik bekijk het even en laat het je weten.");
  const char* flemish =
      "Waarom hebt ge de nieuwsbrief NOG STEEDS niet verstuurd?!";
  EXPECT_EQ(SuggestWith(lib, flemish).receipt,
            "Ik bekijk het efkes en laat het je weten.");
}

TEST(Reply, AcknowledgmentNamesTheFeelingShown) {
  // Two acknowledgments of the same tone: an angry client (dominant emotion
  // anger) gets the one about anger, whatever the per-message rotation picks.
  const PhraseLibrary lib = SmallLibrary(
      "acknowledge\tnegative_emotion\tje\tsoft\t-\tIk begrijp dat je je zorgen "
      "maakt.\n"
      "acknowledge\tnegative_emotion\tje\tsoft\t-\tIk snap dat je hier boos "
      "over bent.\n");
  for (const char* m :
       {"Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?! Belachelijk.",
        "Dit is echt ONACCEPTABEL. Waar blijft de factuur?!",
        "Ik ben woedend: de klant kreeg de verkeerde offerte!!",
        "Alweer fout. Ik ben het zat, dit is de derde keer!",
        "Ik ben hier echt boos over. Dit had nooit mogen gebeuren!",
        "Dit is werkelijk belachelijk, ik ben woedend!"}) {
    const ReplySuggestions s = SuggestWith(lib, m);
    bool acknowledged = false;
    for (const auto& v : s.variants) {
      for (const auto& p : v.parts) {
        if (p.strategy != "acknowledge") continue;
        acknowledged = true;
        EXPECT_EQ(p.text, "Ik snap dat je hier boos over bent.") << m;
      }
    }
    EXPECT_TRUE(acknowledged) << m;
  }
}

TEST(Reply, PhrasesForTheSituationTheMessageIsAbout) {
  // Three summaries of the same tone: the one written for lateness, the one
  // for quality, a general one. Each message gets the one for what it is
  // about, never the other situation's.
  const PhraseLibrary lib = SmallLibrary(
      "summarise\tcomplaint\tje\tneutral\tlate\tLATE.\n"
      "summarise\tcomplaint\tje\tneutral\tquality\tQUALITY.\n"
      "summarise\tcomplaint\tje\tneutral\t-\tGENERAL.\n");
  auto summaries = [&](const char* m) {
    std::set<std::string> out;
    for (const auto& v : SuggestWith(lib, m).variants)
      for (const auto& p : v.parts)
        if (p.strategy == "summarise") out.insert(p.text);
    return out;
  };
  EXPECT_EQ(summaries("Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?! "
                      "Hij had dinsdag al de deur uit gemoeten."),
            std::set<std::string>{"LATE."});
  EXPECT_EQ(summaries("Het verslag staat vol fouten en de opmaak is "
                      "rommelig. Ik ben teleurgesteld."),
            std::set<std::string>{"QUALITY."});
  // A late payment is no complaint about the work at all.
  EXPECT_TRUE(summaries("De factuur van maart lukt deze maand niet, ik betaal "
                        "hem volgende maand.")
                  .empty());
}

TEST(Reply, EveryPhraseFitsWhatTheMessageIsAbout) {
  // Over every analyzer golden message: a phrase written for a situation is
  // only used when the message is about it, and no variant both gives in on
  // a detail and holds a limit.
  const PhraseLibrary& lib = testing::TestReviewer().phrases();
  std::map<std::string, const Phrase*> by_source;
  for (const Phrase& p : lib.all()) by_source[p.source] = &p;
  ReplyComposer c(testing::TestAnalyzer(), lib);
  size_t checked = 0, tagged = 0;
  for (const auto& g : testing::LoadGoldenCases(KALM_GOLDEN_DIR)) {
    auto s = c.Suggest(g.text);
    if (!s.ok()) continue;
    ASSERT_FALSE(s->situations.empty()) << g.id;
    for (const ReplyVariant& v : s->variants) {
      bool give_in = false, limit = false;
      for (const ReplyPart& part : v.parts) {
        const Phrase* p = by_source.at(part.source);
        ++checked;
        give_in = give_in || part.strategy == "pick_battle";
        limit = limit ||
                (part.strategy == "boundary" && part.trigger != "fundamental");
        if (p->about.empty()) continue;
        ++tagged;
        bool fits = false;
        for (const std::string& x : p->about)
          fits = fits || std::find(s->situations.begin(), s->situations.end(),
                                   x) != s->situations.end();
        EXPECT_TRUE(fits) << g.id << ": " << part.source << " is for another "
                          << "situation: " << part.text;
      }
      EXPECT_FALSE(give_in && limit) << g.id << " " << v.id << ": " << v.text;
    }
  }
  EXPECT_GT(checked, 1000u);
  EXPECT_GT(tagged, 100u);  // the situation phrases are in use
}

TEST(Reply, InformalGreetingsOnlyForJeClients) {
  const ReplySuggestions s = Suggest(
      "Ik ben eerlijk gezegd teleurgesteld over uw verslag. Er staan fouten in "
      "de cijfers.");
  ASSERT_EQ(s.form, "u");
  for (const ReplyVariant& v : s.variants) {
    EXPECT_EQ(v.text.find("Hoi"), std::string::npos) << v.text;
    EXPECT_EQ(v.text.find("Groetjes"), std::string::npos) << v.text;
  }
}

TEST(Reply, SameMessageSameSuggestions) {
  const char* m =
      "I asked three times for the blue logo. Nobody listens to me.";
  const ReplySuggestions a = Suggest(m), b = Suggest(m);
  ASSERT_EQ(a.variants.size(), b.variants.size());
  for (size_t i = 0; i < a.variants.size(); ++i)
    EXPECT_EQ(a.variants[i].text, b.variants[i].text);
}

TEST(Reply, BadInputIsAnError) {
  ReplyComposer c(testing::TestAnalyzer(), testing::TestReviewer().phrases());
  auto s = c.Suggest("");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kalm::core
