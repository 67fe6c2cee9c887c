// Reading mail and chat exports: every format, broken files, and stored
// imports that are idempotent and resumable.
#include "kalm/import/import.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "kalm/core/time.h"
#include "kalm/store/open.h"

namespace kalm::import {
namespace {

std::string Fixture(const std::string& name) {
  return std::string(KALM_IMPORT_FIXTURES) + "/" + name;
}

struct Read {
  std::vector<domain::Message> messages;
  std::unique_ptr<Reader> reader;
};

Read ReadAll(const std::string& name, Format f, Options o = {},
             int64_t start = 0) {
  Read out;
  auto r = OpenReader(Fixture(name), f, o, start);
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok()) return out;
  out.reader = std::move(*r);
  for (;;) {
    auto m = out.reader->Next();
    EXPECT_TRUE(m.ok()) << m.status().message();
    if (!m.ok() || !m->has_value()) break;
    out.messages.push_back(std::move(**m));
  }
  return out;
}

int64_t Utc(int y, int mo, int d, int h, int mi, int s, int offset_minutes) {
  return core::CivilSeconds(y, mo, d, h, mi, s) - offset_minutes * 60;
}

TEST(WhatsApp, AndroidDutchExport) {
  Options o;
  o.me = {"Eva"};
  const Read r = ReadAll("whatsapp-android-nl.txt", Format::kWhatsApp, o);
  ASSERT_EQ(r.messages.size(), 7u);
  const auto& m = r.messages;
  EXPECT_EQ(m[0].author, "Sanne");
  EXPECT_EQ(m[0].direction, domain::Direction::kIncoming);
  EXPECT_EQ(m[0].channel, "whatsapp");
  EXPECT_EQ(m[0].sent_at, Utc(2026, 3, 12, 9, 15, 0, 60));  // CET
  EXPECT_EQ(m[0].utc_offset_minutes, 60);
  EXPECT_EQ(m[1].direction, domain::Direction::kOutgoing);
  // Continuation lines, the empty one included, belong to the message.
  EXPECT_EQ(m[2].body,
            "Hoe staat het ervoor?\nIk zie nog niks in mijn inbox.\n\nLaat je "
            "het even weten?");
  // Two "Ok"s in one minute are two messages, with different keys.
  EXPECT_EQ(m[3].body, "Ok");
  EXPECT_EQ(m[4].body, "Ok");
  EXPECT_NE(m[3].dedup_key, m[4].dedup_key);
  // The edit mark is dropped.
  EXPECT_EQ(m[5].body,
            "De nieuwsbrief is om 14:52 verstuurd, hij zit in je spam");
  // 02:30 on the night the clocks go forward does not exist: read with the
  // offset before the change, and still after 01:59 CET.
  EXPECT_GT(m[6].sent_at, Utc(2026, 3, 29, 1, 59, 0, 60));
  // Encryption notice, media, deleted message, group change.
  EXPECT_EQ(r.reader->skipped(), 4);
  EXPECT_TRUE(r.reader->rejected().empty());
  EXPECT_TRUE(r.reader->warnings().empty());
}

TEST(WhatsApp, IosEnglishExportWithMarksAndTwelveHourClock) {
  Options o;
  o.me = {"eva jansen"};
  o.tz = "Europe/London";
  const Read r = ReadAll("whatsapp-ios-en.txt", Format::kWhatsApp, o);
  ASSERT_EQ(r.messages.size(), 3u);
  EXPECT_EQ(r.messages[0].body, "Any news on the hotel booking?");
  EXPECT_EQ(r.messages[0].sent_at, Utc(2026, 3, 8, 21, 40, 12, 0));
  EXPECT_EQ(r.messages[1].author, "Eva Jansen");
  EXPECT_EQ(r.messages[1].direction, domain::Direction::kOutgoing);
  EXPECT_EQ(r.messages[1].sent_at, Utc(2026, 3, 9, 10, 0, 0, 0));
  EXPECT_EQ(r.messages[1].body,
            "Good morning Claire, I'm calling them at 11.\nThe booking "
            "reference is on the shared drive.");
  // Month first: 3/14 is 14 March; a line starting with an invisible mark.
  EXPECT_EQ(r.messages[2].sent_at, Utc(2026, 3, 14, 12, 5, 33, 0));
  EXPECT_EQ(r.messages[2].body, "Thanks!! 🙏");
  EXPECT_EQ(r.reader->skipped(), 2);  // encryption notice, image
}

TEST(WhatsApp, UnknownDateOrderIsReadDayFirstWithAWarning) {
  Read r = ReadAll("whatsapp-ambiguous.txt", Format::kWhatsApp);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].sent_at, Utc(2026, 4, 3, 10, 0, 0, 120));
  ASSERT_EQ(r.reader->warnings().size(), 1u);
  EXPECT_NE(r.reader->warnings()[0].find("--date-order"), std::string::npos);
  Options mdy;
  mdy.date_order = "mdy";
  r = ReadAll("whatsapp-ambiguous.txt", Format::kWhatsApp, mdy);
  EXPECT_EQ(r.messages[0].sent_at, Utc(2026, 3, 4, 10, 0, 0, 60));
  EXPECT_TRUE(r.reader->warnings().empty());
}

TEST(WhatsApp, ContradictingDatesAreAClearError) {
  auto r = OpenReader(Fixture("whatsapp-contradicting.txt"), Format::kWhatsApp,
                      {}, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("contradict"), std::string::npos);
  Options o;
  o.date_order = "ymd";
  EXPECT_EQ(
      OpenReader(Fixture("whatsapp-ambiguous.txt"), Format::kWhatsApp, o, 0)
          .status()
          .code(),
      StatusCode::kInvalidArgument);
  o.date_order = "";
  o.tz = "Mars/Olympus";
  EXPECT_EQ(
      OpenReader(Fixture("whatsapp-ambiguous.txt"), Format::kWhatsApp, o, 0)
          .status()
          .code(),
      StatusCode::kInvalidArgument);
}

TEST(WhatsApp, BrokenLinesAreReportedAndTheRestImported) {
  const Read r = ReadAll("whatsapp-broken.txt", Format::kWhatsApp);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].body, "Eerste echte bericht");
  EXPECT_EQ(r.messages[1].body, "Laatste bericht");
  ASSERT_EQ(r.reader->rejected().size(), 3u);
  EXPECT_EQ(r.reader->rejected()[0].line, 1);
  EXPECT_NE(r.reader->rejected()[0].reason.find("no date"), std::string::npos);
  EXPECT_EQ(r.reader->rejected()[1].line, 3);  // 31 February
  EXPECT_EQ(r.reader->rejected()[2].line, 4);  // month 13
  EXPECT_EQ(r.reader->skipped(), 0);  // rejected lines are not also skipped
}

TEST(WhatsApp, ResumesAtAReportedPosition) {
  auto r =
      OpenReader(Fixture("whatsapp-android-nl.txt"), Format::kWhatsApp, {}, 0);
  ASSERT_TRUE(r.ok());
  auto first = (*r)->Next();
  auto second = (*r)->Next();
  ASSERT_TRUE(second.ok() && second->has_value());
  const int64_t at = (*r)->Position();
  const Read rest =
      ReadAll("whatsapp-android-nl.txt", Format::kWhatsApp, {}, at);
  ASSERT_EQ(rest.messages.size(), 5u);
  EXPECT_EQ(rest.messages[0].body.substr(0, 21), "Hoe staat het ervoor?");
}

TEST(Mail, QuotedPrintableUtf8) {
  Options o;
  const Read r = ReadAll("single.eml", Format::kEml, o);
  ASSERT_EQ(r.messages.size(), 1u);
  const auto& m = r.messages[0];
  EXPECT_EQ(m.author, "Sanne de Vries");
  EXPECT_EQ(m.channel, "email");
  EXPECT_EQ(m.thread, "Re: Nieuwsbrief maart – waar blijft hij?");
  EXPECT_EQ(m.dedup_key, "<20260312214000.1@bakkerij.example>");
  EXPECT_EQ(m.sent_at, Utc(2026, 3, 12, 21, 40, 0, 60));
  EXPECT_EQ(m.utc_offset_minutes, 60);
  EXPECT_NE(m.body.find("Hij had dinsdag al de deur uit gemoeten. Dit kan echt "
                        "niet – ik reken op je."),
            std::string::npos)
      << m.body;
  // Mail from the VA is outgoing, by name or address.
  o.me = {"sanne@bakkerij.example"};
  EXPECT_EQ(ReadAll("single.eml", Format::kEml, o).messages[0].direction,
            domain::Direction::kOutgoing);
}

TEST(Mail, HtmlOnlyBase64BecomesText) {
  const Read r = ReadAll("html-only.eml", Format::kEml);
  ASSERT_EQ(r.messages.size(), 1u);
  const std::string& b = r.messages[0].body;
  EXPECT_NE(b.find("Kun je de offerte vóór vrijdag sturen? Dank je!"),
            std::string::npos)
      << b;
  EXPECT_EQ(b.find("<p>"), std::string::npos) << b;
  EXPECT_EQ(b.find("alert"), std::string::npos) << b;
  EXPECT_EQ(b.find("color"), std::string::npos) << b;
}

TEST(Mail, Latin1PlainPartPreferredOverHtml) {
  const Read r = ReadAll("latin1.eml", Format::kEml);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].author, "Renée Maes");
  EXPECT_EQ(r.messages[0].body,
            "Ik ben teleurgesteld: het café stond niet op de lijst, en één "
            "factuur ontbreekt.");
}

TEST(Mail, UnknownCharsetIsImportedWithAWarning) {
  const Read r = ReadAll("bad-charset.eml", Format::kEml);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_NE(r.messages[0].body.find("maar de rest is leesbaar"),
            std::string::npos);
  EXPECT_FALSE(core::FindInvalidUtf8(r.messages[0].body).has_value());
}

TEST(Mail, MboxMessagesInOrderWithPositions) {
  Options o;
  o.me = {"eva@va.example"};
  const Read r = ReadAll("mailbox.mbox", Format::kMbox, o);
  ASSERT_EQ(r.messages.size(), 3u);
  EXPECT_EQ(r.messages[0].dedup_key, "<m1@bakkerij.example>");
  EXPECT_EQ(r.messages[1].direction, domain::Direction::kOutgoing);
  EXPECT_TRUE(r.messages[2].dedup_key.empty());  // the store hashes it
  EXPECT_EQ(r.messages[2].body, "Gevonden, dank je!");
  EXPECT_EQ(r.messages[0].source_position, 0);
  EXPECT_GT(r.messages[1].source_position, r.messages[0].source_position);
  // Resume from the second message.
  const Read rest =
      ReadAll("mailbox.mbox", Format::kMbox, o, r.messages[1].source_position);
  ASSERT_EQ(rest.messages.size(), 2u);
  EXPECT_EQ(rest.messages[0].dedup_key, "<m2@va.example>");
}

TEST(Mail, TruncatedMboxImportsWhatIsThere) {
  const Read r = ReadAll("truncated.mbox", Format::kMbox);
  ASSERT_GE(r.messages.size(), 3u);
  EXPECT_EQ(r.messages[0].dedup_key, "<m1@bakkerij.example>");
}

TEST(Mail, NotAMailboxIsReported) {
  const Read r = ReadAll("not-a-mailbox.mbox", Format::kMbox);
  EXPECT_TRUE(r.messages.empty());
  ASSERT_FALSE(r.reader->rejected().empty());
  EXPECT_NE(r.reader->rejected()[0].reason.find("mbox"), std::string::npos)
      << r.reader->rejected()[0].reason;
}

TEST(Detect, FormatsFromNameAndContent) {
  EXPECT_EQ(*DetectFormat(Fixture("mailbox.mbox")), Format::kMbox);
  EXPECT_EQ(*DetectFormat(Fixture("single.eml")), Format::kEml);
  EXPECT_EQ(*DetectFormat(Fixture("whatsapp-android-nl.txt")),
            Format::kWhatsApp);
  EXPECT_EQ(*DetectFormat(Fixture("whatsapp-ios-en.txt")), Format::kWhatsApp);
  EXPECT_EQ(*DetectFormat(Fixture("whatsapp-broken.txt")), Format::kWhatsApp);
  EXPECT_EQ(*DetectFormat(Fixture("latin1.eml")), Format::kEml);
  EXPECT_EQ(*DetectFormat(Fixture("plain.txt")), Format::kText);
  EXPECT_EQ(DetectFormat(Fixture("nope.txt")).status().code(),
            StatusCode::kNotFound);
}

class ImportIntoStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kalm_import_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    auto s = store::OpenStore("sqlite:" + (dir_ / "k.db").string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    ws_ = store_->CreateWorkspace("A", 1)->id;
    domain::Client c;
    c.name = "Sanne";
    client_ = store_->AddClient(ws_, c, 1)->id;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::unique_ptr<domain::Store> store_;
  domain::Id ws_ = 0, client_ = 0;
};

TEST_F(ImportIntoStore, TwiceAddsNothing) {
  ImportOptions o;
  o.read.me = {"Eva"};
  o.batch = 2;
  auto first =
      ImportFile(*store_, ws_, client_, Fixture("whatsapp-android-nl.txt"),
                 Format::kWhatsApp, o);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->imported, 7);
  EXPECT_EQ(first->skipped, 4);
  // The same file again: the cursor says it was read to the end.
  auto second =
      ImportFile(*store_, ws_, client_, Fixture("whatsapp-android-nl.txt"),
                 Format::kWhatsApp, o);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->imported, 0);
  EXPECT_GT(second->resumed_at, 0);
  // A copy of it (another path, so no cursor): every message a duplicate.
  const auto copy = dir_ / "copy.txt";
  std::filesystem::copy_file(Fixture("whatsapp-android-nl.txt"), copy);
  auto third =
      ImportFile(*store_, ws_, client_, copy.string(), Format::kWhatsApp, o);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->imported, 0);
  EXPECT_EQ(third->duplicates, 7);
  EXPECT_EQ(store_->ListMessages(ws_, client_, {})->size(), 7u);
}

TEST_F(ImportIntoStore, MailIsAnalysedWhenAnAnalyzerIsGiven) {
  ImportOptions o;
  auto r = ImportFile(*store_, ws_, client_, Fixture("mailbox.mbox"),
                      Format::kMbox, o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->imported, 3);
  auto list = store_->ListMessages(ws_, client_, {});
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].source, Fixture("mailbox.mbox"));
  EXPECT_EQ((*list)[0].thread, "Nieuwsbrief");
}

}  // namespace
}  // namespace kalm::import
