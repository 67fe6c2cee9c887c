// The case's texts: the script holds the user's limit as a private note;
// nothing meant for the client (the confirmation mail) ever holds the
// maximum, the reflection, the notes or an analysis label.
#include "kalm/domain/case_texts.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace kalm::domain {
namespace {

std::string Read(const std::string& rel) {
  std::ifstream in(std::string(KALM_DATA_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const CaseTexts& Texts() {
  static const CaseTexts* t = [] {
    auto r = CaseTexts::Parse(Read("case/nl.tsv"), Read("case/en.tsv"));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return new CaseTexts(std::move(*r));
  }();
  return *t;
}

ComplaintCase Secretive() {
  ComplaintCase c = OpenCase(1, 9, "Klacht", 100);
  c.content.reaction = "defensive";
  for (size_t i = 0; i < c.content.reflection.size(); ++i)
    c.content.reflection[i] = "PRIVEREFLECTIE" + std::to_string(i);
  c.content.summary = "Het verslag was te laat.";
  c.content.questions = {"Wanneer is je overleg?"};
  c.content.facts = {{"De cijfers kwamen laat", "late_delivery", 2}};
  c.content.maximum = {"PRIVEMAXIMUM", 9900, 3.0};
  c.content.proposal = {"Een uur korting", 4500, 1.0};
  c.content.notes = "PRIVENOTITIE";
  c.content.outcome = "partly";
  c.content.actions = {{"Verslag opleveren", "me", 1796000000},
                       {"Cijfers aanleveren", "client", std::nullopt},
                       {"Samen evalueren", "both", 1797000000}};
  c.content.follow_up_at = 1798000000;
  c.content.triggers = {"PRIVETRIGGER"};
  c.content.next_time = "PRIVELES";
  return c;
}

TEST(CaseTexts, TheMailHoldsNothingPrivateInAnyLanguageOrForm) {
  const ComplaintCase c = Secretive();
  for (const char* lang : {"nl", "en"})
    for (const char* form : {"je", "u"}) {
      Client client;
      client.name = "Sanne de Vries";
      client.language = lang;
      client.form = form;
      client.timezone = "Europe/Amsterdam";
      const ConfirmationMail m = ComposeConfirmation(c, client, "Eva", Texts());
      const std::string all = m.subject + "\n" + m.body;
      for (const char* secret :
           {"PRIVE", "99.00", "9900", "3 uur", "3 hours", "anger", "emotion",
            "escalat", "defensive", "partly", "cool_down", "acknowledge", "{"})
        EXPECT_EQ(all.find(secret), std::string::npos)
            << lang << "/" << form << " mail holds '" << secret << "':\n"
            << all;
      EXPECT_NE(all.find("Verslag opleveren"), std::string::npos);
      EXPECT_NE(all.find("Eva"), std::string::npos);
      // The script is the user's: their limit is in it, as a private note.
      const ConversationScript s = ComposeScript(c, client, "anger", Texts());
      EXPECT_NE(s.private_note.find("PRIVEMAXIMUM"), std::string::npos);
      EXPECT_EQ(s.Text().find("PRIVEREFLECTIE"), std::string::npos);
      for (const ScriptPart& p : s.parts)
        for (const std::string& l : p.lines)
          EXPECT_EQ(l.find("PRIVEMAXIMUM"), std::string::npos)
              << "the limit belongs in the private note only";
      EXPECT_EQ(s.parts.size(), 5u);
    }
}

TEST(CaseTexts, FormalClientsGetTheFormalForm) {
  ComplaintCase c = Secretive();
  Client client;
  client.name = "Peter Jansen";
  client.language = "nl";
  client.form = "u";
  const ConfirmationMail m = ComposeConfirmation(c, client, "Eva", Texts());
  EXPECT_EQ(m.body.rfind("Beste Peter Jansen,", 0), 0u) << m.body;
  EXPECT_NE(m.body.find("(u"), std::string::npos);
  EXPECT_EQ(m.body.find(" jij"), std::string::npos);
  client.form = "je";
  EXPECT_EQ(ComposeConfirmation(c, client, "Eva", Texts())
                .body.rfind("Hoi Peter,", 0),
            0u);
}

TEST(CaseTexts, DatesAreTheClientsLocalDay) {
  // 2026-03-29 23:30 UTC is Monday 30 March in Amsterdam (summer time).
  EXPECT_EQ(Texts().Date("nl", 1774827000, "Europe/Amsterdam"),
            "maandag 30 maart");
  EXPECT_EQ(Texts().Date("en", 1774827000, "UTC"), "Sunday 29 March");
}

TEST(CaseTexts, ABrokenFileIsRefusedWithItsLine) {
  auto r =
      CaseTexts::Parse("# x\nscript.title\tjij\tHoi\n", Read("case/en.tsv"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string(r.status().message()).find("nl.tsv:2"),
            std::string::npos);
  r = CaseTexts::Parse(Read("case/nl.tsv"), "mail.subject\t-\tHi\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string(r.status().message()).find("en.tsv"),
            std::string::npos);
}

TEST(CaseHints, SplitFactsFromJudgementsAndFindTheClauses) {
  const std::string msg =
      "Het verslag is nog niet binnen. Dit is echt onbetrouwbaar!";
  const size_t at = msg.find("onbetrouwbaar");
  const std::string analysis =
      R"({"dominant_emotion":"anger","signals":[{"id":"complaint.label","evidence":[{"start":)" +
      std::to_string(at) + R"(,"end":)" + std::to_string(at + 13) +
      R"(}]},{"id":"complaint.late","evidence":[]}]})";
  Agreement a;
  a.version = 3;
  a.terms.scope = {"Maandverslag"};
  a.terms.reaction_hours = 24;
  const ReflectionHints h = HintsFor(msg, analysis, &a);
  EXPECT_EQ(h.facts,
            std::vector<std::string>{"Het verslag is nog niet binnen."});
  EXPECT_EQ(h.judgements,
            std::vector<std::string>{"Dit is echt onbetrouwbaar!"});
  EXPECT_EQ(h.dominant_emotion, "anger");
  ASSERT_GE(h.clauses.size(), 2u);
  EXPECT_EQ(h.clauses[0].key, "scope");
  EXPECT_EQ(h.clauses[0].version, 3);
  EXPECT_EQ(h.clauses[1].key, "reaction_hours");
  EXPECT_EQ(h.clauses[1].value, "24");
  // No analysis, no agreement: only the sentences.
  const ReflectionHints bare = HintsFor("Kort. En nog iets\nOk", "", nullptr);
  EXPECT_EQ(bare.facts, (std::vector<std::string>{"Kort.", "En nog iets"}))
      << "a two-letter line is no sentence";
  EXPECT_TRUE(bare.judgements.empty());
  EXPECT_TRUE(bare.clauses.empty());
}

}  // namespace
}  // namespace kalm::domain
