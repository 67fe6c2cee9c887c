#include <gtest/gtest.h>

#include "kalm/core/text.h"

namespace kalm::core {
namespace {

std::string Own(std::string_view s) {
  std::string out;
  for (const ByteRange& r : OwnText(s))
    out += std::string(s.substr(r.start, r.end - r.start));
  return out;
}

TEST(OwnText, DropsQuotedLinesAndAttribution) {
  const std::string s =
      "Prima, dank je!\n\nOp di 3 mrt 2026 om 14:02 schreef Jan <jan@x.nl>:\n"
      "> Dit is BELACHELIJK\n> echt waar\n";
  EXPECT_EQ(Own(s), "Prima, dank je!\n\n");
}

TEST(OwnText, WrappedAttribution) {
  const std::string s =
      "OK thanks\nOn Tue, 3 Mar 2026 at 14:02, Jane Doe "
      "<jane@example.com>\nwrote:\n> angry\n";
  EXPECT_EQ(Own(s), "OK thanks\n");
}

TEST(OwnText, OutlookHeaderBlock) {
  const std::string s =
      "Dit is niet goed genoeg.\n\nVan: Piet\nVerzonden: maandag 2 maart 2026 "
      "10:00\n"
      "Aan: Anna\nOnderwerp: planning\n\nAlles prima!\n";
  EXPECT_EQ(Own(s), "Dit is niet goed genoeg.\n\n");
}

TEST(OwnText, SignatureAfterSignOff) {
  const std::string s =
      "Kun je de factuur sturen?\n\nMet vriendelijke groet,\nPiet "
      "Jansen\nDirecteur\n"
      "Tel 06 12345678\n";
  EXPECT_EQ(Own(s), "Kun je de factuur sturen?\n\nMet vriendelijke groet,\n");
}

TEST(OwnText, LongerSignOffLine) {
  const std::string s =
      "The prices are wrong.\n\nWarm regards and keep smiling!\nMarta\nCoach\n";
  EXPECT_EQ(Own(s),
            "The prices are wrong.\n\nWarm regards and keep smiling!\n");
  // A sentence that starts like a formula is not a sign-off.
  const std::string t =
      "Thanks for the update, but where is the invoice?\nJan\n";
  EXPECT_EQ(Own(t), t);
}

TEST(OwnText, DisclaimerUnderSignature) {
  const std::string s =
      "Kun je de notulen rondsturen?\n\nMet vriendelijke "
      "groet,\n\nPiet\nDirecteur\n\n"
      "Dit bericht is uitsluitend bestemd voor de geadresseerde. Indien u dit "
      "bericht "
      "ten onrechte ontvangt, wordt u verzocht het te vernietigen.\n";
  EXPECT_EQ(Own(s),
            "Kun je de notulen rondsturen?\n\nMet vriendelijke groet,\n");
}

TEST(OwnText, MobileFooterAndDashDash) {
  EXPECT_EQ(Own("Top!\n\nSent from my iPhone\n"), "Top!\n\n");
  EXPECT_EQ(Own("Klopt.\n-- \nJan\n"), "Klopt.\n");
}

TEST(OwnText, InlineReplyBetweenQuotesIsKept) {
  const std::string s = "> vraag 1\nantwoord 1\n> vraag 2\nantwoord 2\n";
  EXPECT_EQ(Own(s), "antwoord 1\nantwoord 2\n");
}

TEST(OwnText, AllQuotedFallsBackToWhole) {
  const std::string s = "> alleen citaat\n";
  EXPECT_EQ(Own(s), s);
}

}  // namespace
}  // namespace kalm::core
