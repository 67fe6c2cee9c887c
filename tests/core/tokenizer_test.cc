#include <gtest/gtest.h>
#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "kalm/core/text.h"

namespace kalm::core {
namespace {

std::vector<ByteRange> All(std::string_view s) {
  return {{0, static_cast<uint32_t>(s.size())}};
}

TEST(Tokenizer, WordsPunctuationEmojiAndOffsets) {
  Tokenizer t({":-)", ":("});
  const std::string s = "Waarom is dit NOG niet af?! \xF0\x9F\x98\xA1 :-)";
  Tokenized r = t.Tokenize(s, All(s));
  ASSERT_GE(r.tokens.size(), 9u);
  EXPECT_EQ(r.tokens[0].norm, "waarom");
  EXPECT_TRUE(r.tokens[0].capitalised);
  EXPECT_TRUE(r.tokens[3].caps);
  EXPECT_EQ(r.tokens[3].norm, "nog");
  const Token& punct = r.tokens[6];
  EXPECT_EQ(punct.kind, TokenKind::kPunct);
  EXPECT_EQ(punct.norm, "?!");
  EXPECT_EQ(r.tokens[7].kind, TokenKind::kEmoji);
  EXPECT_EQ(r.tokens[8].kind, TokenKind::kEmoticon);
  EXPECT_EQ(r.tokens[8].norm, ":-)");
  for (const Token& tok : r.tokens) {
    EXPECT_LE(tok.start, tok.end);
    EXPECT_LE(tok.end, s.size());
  }
  EXPECT_EQ(s.substr(r.tokens[3].start, r.tokens[3].end - r.tokens[3].start),
            "NOG");
}

TEST(Tokenizer, ElongationAndLeetReadings) {
  Tokenizer t({});
  const std::string s = "suuuuper kl00tzak";
  Tokenized r = t.Tokenize(s, All(s));
  ASSERT_EQ(r.tokens.size(), 2u);
  EXPECT_EQ(r.tokens[0].norm, "suuper");
  EXPECT_EQ(r.tokens[0].alt1, "super");
  EXPECT_EQ(r.tokens[1].alt2, "klootzak");
}

TEST(Tokenizer, EmojiClusterBase) {
  Tokenizer t({});
  // Facepalm + skin tone + ZWJ + female sign + VS16 reduces to facepalm.
  const std::string s =
      "\xF0\x9F\xA4\xA6\xF0\x9F\x8F\xBD\xE2\x80\x8D\xE2\x99\x80\xEF\xB8\x8F";
  Tokenized r = t.Tokenize(s, All(s));
  ASSERT_EQ(r.tokens.size(), 1u);
  EXPECT_EQ(r.tokens[0].norm, "\xF0\x9F\xA4\xA6");
}

TEST(Tokenizer, SentencesAndQuestions) {
  Tokenizer t({});
  const std::string s = "Dank je. Ben je al begonnen?\nGroet";
  Tokenized r = t.Tokenize(s, All(s));
  ASSERT_EQ(r.sentences.size(), 3u);
  EXPECT_FALSE(r.sentences[0].question);
  EXPECT_TRUE(r.sentences[1].question);
}

TEST(Tokenizer, WrappedLineStaysOneSentence) {
  Tokenizer t({});
  const std::string s = "I needed the contract\nyesterday. Thanks\nAnna";
  Tokenized r = t.Tokenize(s, All(s));
  ASSERT_EQ(r.sentences.size(),
            3u);  // "I needed ... yesterday." / "Thanks" / "Anna"
  EXPECT_EQ(r.tokens[4].norm, "yesterday");
  EXPECT_EQ(r.tokens[4].sentence, 0);
}

TEST(Tokenizer, OnlyReadsGivenRanges) {
  Tokenizer t({});
  const std::string s = "eerste\n> tweede\nderde";
  Tokenized r = t.Tokenize(s, {{0, 7}, {16, 21}});
  ASSERT_EQ(r.tokens.size(), 2u);
  EXPECT_EQ(r.tokens[1].norm, "derde");
  EXPECT_EQ(r.tokens[1].start, 16u);
}

// ICU's own segmentation, as the tokenizer's slow path sees it.
std::vector<Segment> IcuSegments(const std::string& s) {
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), st));
  UText* ut =
      utext_openUTF8(nullptr, s.data(), static_cast<int64_t>(s.size()), &st);
  it->setText(ut, st);
  std::vector<Segment> out;
  int32_t start = it->first();
  for (int32_t end = it->next(); end != icu::BreakIterator::DONE;
       start = end, end = it->next()) {
    out.push_back({static_cast<uint32_t>(start), static_cast<uint32_t>(end),
                   it->getRuleStatus()});
  }
  utext_close(ut);
  return out;
}

// Word / number / other: what the tokenizer reads from a status.
int Kind(int32_t status) {
  if (status >= UBRK_WORD_LETTER) return 2;
  if (status >= UBRK_WORD_NUMBER) return 1;
  return 0;
}

void ExpectSameAsIcu(const std::string& s) {
  std::vector<Segment> fast;
  AsciiWordSegments(s, &fast);
  const std::vector<Segment> icu = IcuSegments(s);
  // Compare the word segments (boundaries and kind); runs of spaces may be cut
  // differently and are skipped by the tokenizer anyway.
  auto words = [&](const std::vector<Segment>& v) {
    std::vector<std::tuple<uint32_t, uint32_t, int>> w;
    for (const Segment& g : v) {
      const char c = s[g.start];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
      w.emplace_back(g.start, g.end, Kind(g.status));
    }
    return w;
  };
  std::string shown;
  for (char c : s) shown += c == '\n' ? std::string("\\n") : std::string(1, c);
  EXPECT_EQ(words(fast), words(icu)) << "text: " << shown;
}

std::vector<uint32_t> IcuSentenceEnds(const std::string& s) {
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), st));
  UText* ut =
      utext_openUTF8(nullptr, s.data(), static_cast<int64_t>(s.size()), &st);
  it->setText(ut, st);
  std::vector<uint32_t> out;
  it->first();
  for (int32_t end = it->next(); end != icu::BreakIterator::DONE;
       end = it->next())
    out.push_back(static_cast<uint32_t>(end));
  utext_close(ut);
  return out;
}

void ExpectSameSentencesAsIcu(const std::string& s) {
  std::vector<uint32_t> fast;
  AsciiSentenceEnds(s, &fast);
  std::string shown;
  for (char c : s) shown += c == '\n' ? std::string("\\n") : std::string(1, c);
  EXPECT_EQ(fast, IcuSentenceEnds(s)) << "text: " << shown;
}

TEST(AsciiFastPath, SameSentencesAsIcu) {
  for (const char* s : {"Hi. how are you",
                        "Hi. How are you",
                        "Mr. Smith is here",
                        "3.5 euro. Yes",
                        "U.S. Army",
                        "Wow!! great",
                        "Wow!! Great",
                        "Really?! no.",
                        "He said \"Stop.\" Then",
                        "end.)Next",
                        "a.b",
                        "one,two. three",
                        "x. - y",
                        "done.\nnext",
                        "ok\r\nnext",
                        "ok.  \n\nnext",
                        "(Yes.) Maybe",
                        "?",
                        ". a",
                        "a.\tB",
                        "Why?? Because. 2 items.",
                        "e.g. this one",
                        "end!\"  'So'"}) {
    ExpectSameSentencesAsIcu(s);
  }
  std::mt19937 rng(11);
  const std::string alphabet = "aZ9 ..!?\"')(,-:;\n\r\tqB_#[]{}\v\f";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> len(1, 30);
  for (int i = 0; i < 50000 && !HasFailure(); ++i) {
    std::string s;
    for (int k = len(rng); k > 0; --k) s += alphabet[pick(rng)];
    ExpectSameSentencesAsIcu(s);
  }
}

TEST(AsciiFastPath, SameSegmentsAsIcuOnTrickyText) {
  for (const char* s :
       {"don't stop", "a.u.b. graag", "e.g. this", "c:a 3 km", "1d10t kl00tzak",
        "12,50 euro; 1.000,00", "v1.2.3 rock'n'roll", "foo_bar __x_ _",
        "'t is 'n", "ik ben... nee!!! ?!", "hi\r\nthere\n\nbye", "x-ray e-mail",
        "3:15pm 10.5", "a'b'c a..b 1,,2 1;2 a;b",
        "@user #tag $5 50% (ok) [x] {y}", "a\tb  c   d"}) {
    ExpectSameAsIcu(s);
  }
}

TEST(AsciiFastPath, SameSegmentsAsIcuOnRandomText) {
  std::mt19937 rng(42);
  const std::string alphabet = "aZ09 _'.:,;-!?\n\t@#$*\"()xyQ";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> len(1, 40);
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    for (int k = len(rng); k > 0; --k) s += alphabet[pick(rng)];
    ExpectSameAsIcu(s);
    if (HasFailure()) break;
  }
}

TEST(AsciiFastPath, SameSegmentsAsIcuOnGoldenMessages) {
  int checked = 0;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(KALM_GOLDEN_DIR)) {
    if (e.path().extension() != ".golden") continue;
    std::ifstream in(e.path());
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("| ", 0) != 0) continue;
      const std::string text = line.substr(2);
      bool ascii = true;
      for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
      if (!ascii) continue;
      ExpectSameAsIcu(text);
      ExpectSameSentencesAsIcu(text);
      ++checked;
    }
  }
  EXPECT_GT(checked, 500);
}

}  // namespace
}  // namespace kalm::core
