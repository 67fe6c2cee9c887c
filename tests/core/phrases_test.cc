// The phrase library: the shipped files load and cover every strategy, and a
// broken line is an error that names its file and line.
#include "kalm/core/phrases.h"

#include <gtest/gtest.h>

#include <deque>
#include <set>

#include "test_util.h"

namespace kalm::core {
namespace {

std::vector<DataFile> Shipped(std::deque<std::string>* storage) {
  auto files = cli::LoadDataFiles(KALM_DATA_DIR, storage, false);
  EXPECT_TRUE(files.ok());
  return *files;
}

StatusOr<PhraseLibrary> WithLine(const std::string& line) {
  static std::deque<std::string> storage;
  std::vector<DataFile> files = Shipped(&storage);
  storage.push_back("# test\n" + line + "\n");
  files.push_back({"phrases/nl/zz_test.tsv", storage.back()});
  return PhraseLibrary::Build(files);
}

TEST(Phrases, ShippedLibraryCoversEveryStrategyInBothLanguages) {
  std::deque<std::string> storage;
  auto lib = PhraseLibrary::Build(Shipped(&storage));
  ASSERT_TRUE(lib.ok()) << lib.status().message();
  for (Language l : {Language::kDutch, Language::kEnglish}) {
    EXPECT_GE(lib->Find(l).size(), 200u) << LanguageCode(l);
    for (const auto& [strategy, triggers] : PhraseLibrary::Strategies()) {
      EXPECT_FALSE(lib->Find(l, strategy).empty())
          << LanguageCode(l) << " has no phrase for " << strategy;
      for (const std::string& t : triggers) {
        bool specific = false;
        for (const Phrase* p : lib->Find(l, strategy, t))
          specific = specific || p->trigger == t;
        EXPECT_TRUE(specific) << LanguageCode(l) << " " << strategy << "/" << t;
      }
    }
  }
  // Dutch phrases that address the reader exist in both forms.
  for (const auto& [strategy, triggers] : PhraseLibrary::Strategies()) {
    if (strategy == "greeting" || strategy == "closing") continue;
    int je = 0, u = 0;
    for (const Phrase* p : lib->Find(Language::kDutch, strategy)) {
      je += p->form == Register::kJe;
      u += p->form == Register::kU;
    }
    EXPECT_EQ(je, u) << strategy;
  }
  // A register filter keeps neutral phrases and drops the other form.
  for (const Phrase* p :
       lib->Find(Language::kDutch, "acknowledge", "", Register::kU))
    EXPECT_NE(p->form, Register::kJe);
}

TEST(Phrases, BrokenLinesNameFileAndLine) {
  struct Case {
    std::string line, message;
  } cases[] = {
      {"acknowledge\t-\tje\tsoft", "expected strategy<TAB>"},
      {"cheer_up\t-\tje\tsoft\t-\tHoi!", "unknown strategy 'cheer_up'"},
      {"boundary\tmonday\tje\tsoft\t-\tHoi!", "unknown trigger 'monday'"},
      {"boundary\t-\tjij\tsoft\t-\tHoi!", "register must be"},
      {"boundary\t-\tje\tgrumpy\t-\tHoi!", "tone must be"},
      {"boundary\t-\tje\tsoft\t-\tTot {datum}.",
       "unknown placeholder '{datum}'"},
      {"boundary\t-\tje\tsoft\t-\tTot {date.", "unbalanced braces"},
      {"boundary\t-\tje\tsoft\t-\t  ", "empty text"},
      {"boundary\t-\tje\tsoft\tlate,weather\tHoi!",
       "unknown situation 'weather'"},
  };
  for (const Case& c : cases) {
    auto lib = WithLine(c.line);
    ASSERT_FALSE(lib.ok()) << c.line;
    EXPECT_EQ(lib.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(lib.status().message().find("phrases/nl/zz_test.tsv:2: "),
              std::string::npos)
        << lib.status().message();
    EXPECT_NE(lib.status().message().find(c.message), std::string::npos)
        << lib.status().message();
  }
  EXPECT_TRUE(
      WithLine("boundary\tafter_hours\tu\tfirm\t-\tOp {day} om {time}.").ok());
  auto tagged = WithLine("boundary\t-\tje\tsoft\tlate,refund\tHoi!");
  ASSERT_TRUE(tagged.ok());
  bool found = false;
  for (const Phrase& p : tagged->all())
    if (p.text == "Hoi!") {
      found = true;
      EXPECT_EQ(p.about, (std::vector<std::string>{"late", "refund"}));
    }
  EXPECT_TRUE(found);
}

TEST(Phrases, MissingLanguageIsNotFound) {
  std::vector<DataFile> files = {
      {"phrases/nl/a.tsv", "closing\t-\t-\tsoft\t-\tGroet"}};
  auto lib = PhraseLibrary::Build(files);
  ASSERT_FALSE(lib.ok());
  EXPECT_EQ(lib.status().code(), StatusCode::kNotFound);
}

TEST(Phrases, FillReplacesKnownValuesAndKeepsTheRest) {
  EXPECT_EQ(PhraseLibrary::Fill("Hoi {client}, tot {day} om {time}.",
                                {{"client", "Sanne"}, {"day", "vrijdag"}}),
            "Hoi Sanne, tot vrijdag om {time}.");
  EXPECT_EQ(PhraseLibrary::PlaceholdersIn("a {b} c {d}"),
            (std::vector<std::string>{"b", "d"}));
}

}  // namespace
}  // namespace kalm::core
