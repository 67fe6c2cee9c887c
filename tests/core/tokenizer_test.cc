#include <gtest/gtest.h>

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

}  // namespace
}  // namespace kalm::core
