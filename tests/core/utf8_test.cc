#include <gtest/gtest.h>

#include "kalm/core/text.h"

namespace kalm::core {
namespace {

TEST(Utf8, AcceptsWellFormed) {
  EXPECT_FALSE(FindInvalidUtf8("hallo").has_value());
  EXPECT_FALSE(FindInvalidUtf8("caf\xC3\xA9 \xF0\x9F\x98\xA1").has_value());
  EXPECT_FALSE(FindInvalidUtf8("").has_value());
}

TEST(Utf8, NamesOffsetOfFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8("abc\xFFxyz"), 3u);
  EXPECT_EQ(FindInvalidUtf8("0123456789\xC3"), 10u);   // truncated
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("ab\xED\xA0\x80"), 2u);    // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // > U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("abcdefgh\xE2\x82"), 8u);  // after fast path
}

TEST(Utf8, LossyReplacesEachBadByte) {
  EXPECT_EQ(ReplaceInvalidUtf8("a\xFF"
                               "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_FALSE(
      FindInvalidUtf8(ReplaceInvalidUtf8("\xC3\x28\xA0\xA1")).has_value());
}

TEST(CheckMessage, RejectsBadInputWithClearMessage) {
  EXPECT_EQ(CheckMessage("").code(), StatusCode::kInvalidArgument);
  EXPECT_NE(CheckMessage(" \n\t ").message().find("whitespace"),
            std::string::npos);
  const Status bad = CheckMessage("hoi \xFF");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("offset 4"), std::string::npos);
  EXPECT_NE(CheckMessage(std::string("ab\0cd", 5)).message().find("binary"),
            std::string::npos);
  EXPECT_EQ(CheckMessage(std::string(kMaxMessageBytes + 1, 'a')).code(),
            StatusCode::kResourceExhausted);
  EXPECT_TRUE(CheckMessage("Hoi, hoe gaat het?").ok());
}

TEST(Fold, CaseAndDiacritics) {
  EXPECT_EQ(Fold("Tóch"), "toch");
  EXPECT_EQ(Fold("ÉÉN"), "een");
  EXPECT_EQ(Fold("don\xE2\x80\x99t"), "don't");
  EXPECT_EQ(Fold("STRAßE"), "strasse");
}

}  // namespace
}  // namespace kalm::core
