// The Store contract: the same tests on SQLite and on a real PostgreSQL
// server (started by tests/store/pg-server.sh as a ctest fixture). Each test
// gets a fresh database.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "kalm/domain/json.h"
#include "kalm/domain/store.h"
#include "kalm/store/open.h"

namespace kalm::store {
namespace {

using domain::Agreement;
using domain::AgreementState;
using domain::AgreementTerms;
using domain::Client;
using domain::Id;
using domain::Message;
using domain::Store;

Client Named(const std::string& name) {
  Client c;
  c.name = name;
  return c;
}

std::string PgAdminUrl() {
  std::ifstream in(KALM_PG_URL_FILE);
  std::string url;
  std::getline(in, url);
  return url;
}

// Runs one statement on the PostgreSQL admin connection.
void PgAdmin(const std::string& sql) {
  PGconn* c = PQconnectdb(PgAdminUrl().c_str());
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, sql.c_str());
  EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
}

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const std::string name =
        "kalm_t_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    if (GetParam() == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / name;
      std::filesystem::remove_all(dir_);
      url_ = "sqlite:" + (dir_ / "sub" / "kalm.db").string();
    } else {
      const std::string admin = PgAdminUrl();
#ifdef KALM_REQUIRE_PG
      ASSERT_FALSE(admin.empty())
          << "no PostgreSQL test server (" << KALM_PG_URL_FILE << ")";
#else
      if (admin.empty()) GTEST_SKIP() << "no PostgreSQL test server";
#endif
      db_ = name;
      PgAdmin("CREATE DATABASE " + db_);
      url_ = admin.substr(0, admin.rfind('/') + 1) + db_;
    }
    auto s = OpenStore(url_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!db_.empty()) PgAdmin("DROP DATABASE IF EXISTS " + db_);
  }

  Id Workspace(const std::string& name = "Eva VA") {
    auto w = store_->CreateWorkspace(name, 1000);
    EXPECT_TRUE(w.ok()) << w.status().message();
    return w.ok() ? w->id : 0;
  }
  Id AddClient(Id ws, const std::string& name) {
    Client c;
    c.name = name;
    auto r = store_->AddClient(ws, c, 2000);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->id : 0;
  }
  static Message Msg(const std::string& body, int64_t at,
                     const std::string& key = "") {
    Message m;
    m.body = body;
    m.sent_at = at;
    m.author = "Sanne";
    m.channel = "email";
    m.dedup_key = key;
    return m;
  }

  std::filesystem::path dir_;
  std::string db_, url_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContract, OpensAtTheNewestSchemaAndReopens) {
  EXPECT_EQ(store_->Engine(), GetParam() == "sqlite" ? "sqlite" : "postgresql");
  auto v = store_->SchemaVersion();
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(*v, LatestSchemaVersion());
  const Id ws = Workspace();
  store_.reset();
  auto again = OpenStore(url_);  // migrations are not applied twice
  ASSERT_TRUE(again.ok()) << again.status().message();
  auto w = (*again)->GetWorkspace(ws);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->name, "Eva VA");
}

TEST_P(StoreContract, Workspaces) {
  const Id a = Workspace("Agency A");
  EXPECT_GT(a, 0);
  EXPECT_EQ(store_->CreateWorkspace("Agency A", 1).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateWorkspace("  ", 1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateWorkspace(std::string(300, 'x'), 1).status().code(),
            StatusCode::kResourceExhausted);
  auto f = store_->FindWorkspace("Agency A");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->id, a);
  EXPECT_EQ(f->created_at, 1000);
  EXPECT_EQ(store_->FindWorkspace("Nope").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->GetWorkspace(a + 100).status().code(),
            StatusCode::kNotFound);
  Workspace("Agency B");
  auto all = store_->ListWorkspaces();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "Agency A");
}

TEST_P(StoreContract, UsersHaveUniqueLowerCaseEmails) {
  const Id a = Workspace("A"), b = Workspace("B");
  domain::User u;
  u.email = "Eva@Example.NL";
  u.display_name = "Eva";
  auto added = store_->AddUser(a, u, "$argon2id$hash", 5);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(added->email, "eva@example.nl");
  u.email = "eva@example.nl";
  EXPECT_EQ(store_->AddUser(b, u, "h", 5).status().code(),
            StatusCode::kAlreadyExists);
  u.email = "x@example.nl";
  u.role = "king";
  EXPECT_EQ(store_->AddUser(a, u, "h", 5).status().code(),
            StatusCode::kInvalidArgument);
  auto list = store_->ListUsers(a);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].display_name, "Eva");
  EXPECT_TRUE(store_->ListUsers(b)->empty());
}

TEST_P(StoreContract, FirstOwnerIsCreatedOnceAcrossProcesses) {
  EXPECT_EQ(*store_->CountUsers(), 0);
  domain::User u;
  u.email = "Eva@Example.NL";
  u.display_name = "Eva";
  // Two stores on one database stand for two server processes.
  auto second = OpenStore(url_);
  ASSERT_TRUE(second.ok()) << second.status().message();
  std::vector<StatusOr<domain::User>> results;
  std::mutex m;
  std::vector<std::thread> threads;
  for (domain::Store* s : {store_.get(), second->get()})
    threads.emplace_back([&, s] {
      auto r = s->CreateFirstOwner("Eva's office", u, "$argon2id$h", 7);
      std::lock_guard<std::mutex> l(m);
      results.push_back(std::move(r));
    });
  for (auto& t : threads) t.join();
  int ok = 0;
  for (const auto& r : results) {
    if (r.ok()) {
      ++ok;
      EXPECT_EQ(r->role, "owner");
      EXPECT_EQ(r->email, "eva@example.nl");
    } else {
      // The loser waited for the winner and then saw the owner, or (SQLite,
      // busy) lost the name: either way no second account.
      EXPECT_TRUE(r.status().code() == StatusCode::kFailedPrecondition ||
                  r.status().code() == StatusCode::kAlreadyExists)
          << r.status().message();
    }
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(*store_->CountUsers(), 1);
  auto ws = store_->ListWorkspaces();
  ASSERT_TRUE(ws.ok());
  ASSERT_EQ(ws->size(), 1u);
  EXPECT_EQ((*ws)[0].name, "Eva's office");
  u.email = "other@example.nl";
  EXPECT_EQ(store_->CreateFirstOwner("Other", u, "h", 8).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->ListWorkspaces()->size(), 1u);
}

TEST_P(StoreContract, ClientsRoundTripAndStayInTheirWorkspace) {
  const Id ws = Workspace("A"), other = Workspace("B");
  Client c;
  c.name = "Sanne de Vries";
  c.company = "Bakkerij Sanne";
  c.language = "nl";
  c.form = "u";
  c.timezone = "Europe/Brussels";
  c.channels = {"email", "whatsapp"};
  c.notes = "Belt liever dan te mailen — échte voorkeur.";
  auto added = store_->AddClient(ws, c, 3000);
  ASSERT_TRUE(added.ok()) << added.status().message();
  auto got = store_->GetClient(ws, added->id);
  ASSERT_TRUE(got.ok());
  Client want = c;
  want.id = added->id;
  want.workspace_id = ws;
  want.created_at = 3000;
  EXPECT_EQ(*got, want);
  // Another workspace sees nothing, exactly as for a missing id.
  EXPECT_EQ(store_->GetClient(other, added->id).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->FindClient(other, "Sanne de Vries").status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(store_->ListClients(other)->empty());
  // Same name: refused in the workspace, fine in another.
  EXPECT_EQ(store_->AddClient(ws, c, 1).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_TRUE(store_->AddClient(other, c, 1).ok());
  // Found by name, also case-insensitively.
  EXPECT_EQ(store_->FindClient(ws, "sanne de vries")->id, added->id);
  EXPECT_EQ(store_->FindClient(ws, "Sanne")->id, added->id);
  ASSERT_TRUE(store_->AddClient(ws, Named("Sanneke"), 1).ok());
  EXPECT_EQ(store_->FindClient(ws, "sann").status().code(),
            StatusCode::kInvalidArgument);  // two start so: ambiguous
  EXPECT_EQ(store_->FindClient(ws, "Sanneke")->name, "Sanneke");
  // Update.
  Client changed = *got;
  changed.company = "Sanne BV";
  ASSERT_TRUE(store_->UpdateClient(ws, changed).ok());
  EXPECT_EQ(store_->GetClient(ws, added->id)->company, "Sanne BV");
  EXPECT_EQ(store_->UpdateClient(other, changed).code(), StatusCode::kNotFound);
  // Bad input.
  Client bad;
  bad.name = std::string("Sa\xff", 3);
  EXPECT_EQ(store_->AddClient(ws, bad, 1).status().code(),
            StatusCode::kInvalidArgument);
  bad.name = "Piet";
  bad.language = "fr";
  EXPECT_EQ(store_->AddClient(ws, bad, 1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AddClient(ws + 999, Named("X"), 1).status().code(),
            StatusCode::kNotFound);
}

AgreementTerms FullTerms() {
  AgreementTerms t;
  t.rate = domain::Money{4500, "EUR"};
  t.out_of_scope_rate = domain::Money{6000, "EUR"};
  t.hours_budget = 20.5;
  t.budget_period = "month";
  t.availability = {{0, 9 * 60, 17 * 60}, {4, 9 * 60, 12 * 60 + 30}};
  t.reaction_hours = 24;
  t.update_weekdays = {0, 3};
  t.update_end_of_day = false;
  t.channels = {"email"};
  t.scope = {"inbox", "agenda", "facturen"};
  t.payment_due_days = 14;
  t.deposit_percent = 50;
  t.instalments = 2;
  t.late_delivery_shifts_planning = true;
  t.notes = "Spoed: +25%";
  return t;
}

TEST_P(StoreContract, AgreementVersionsMoveFromDraftToSuperseded) {
  const Id ws = Workspace("A"), other = Workspace("B");
  const Id client = AddClient(ws, "Tom");
  auto v1 = store_->SaveDraft(ws, client, FullTerms(), 100);
  ASSERT_TRUE(v1.ok()) << v1.status().message();
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v1->state, AgreementState::kDraft);
  EXPECT_EQ(v1->terms, FullTerms());
  // Editing the draft keeps the version.
  AgreementTerms t = FullTerms();
  t.scope.push_back("social media");
  auto edited = store_->SaveDraft(ws, client, t, 110);
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(edited->id, v1->id);
  EXPECT_EQ(edited->terms.scope.size(), 4u);
  // Sent, then changed: back to a draft the client has not seen.
  auto sent = store_->MarkSent(ws, v1->id, 120);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->state, AgreementState::kSent);
  EXPECT_EQ(sent->sent_at, 120);
  auto redraft = store_->SaveDraft(ws, client, t, 125);
  ASSERT_TRUE(redraft.ok());
  EXPECT_EQ(redraft->state, AgreementState::kDraft);
  EXPECT_FALSE(redraft->sent_at.has_value());
  EXPECT_EQ(store_->CurrentAgreement(ws, client).status().code(),
            StatusCode::kNotFound);
  // Confirmed.
  auto c1 = store_->Confirm(ws, v1->id, 130, "Tom", "email");
  ASSERT_TRUE(c1.ok()) << c1.status().message();
  EXPECT_EQ(c1->state, AgreementState::kConfirmed);
  EXPECT_EQ(c1->confirmed_at, 130);
  EXPECT_EQ(c1->confirmed_by, "Tom");
  EXPECT_EQ(store_->Confirm(ws, v1->id, 131, "Tom", "email").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->MarkSent(ws, v1->id, 131).status().code(),
            StatusCode::kFailedPrecondition);
  // A new version; confirming it supersedes the first.
  auto v2 = store_->SaveDraft(ws, client, FullTerms(), 200);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(store_->CurrentAgreement(ws, client)->version, 1);
  ASSERT_TRUE(store_->Confirm(ws, v2->id, 210, "Tom", "portal").ok());
  auto current = store_->CurrentAgreement(ws, client);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->version, 2);
  auto history = store_->AgreementHistory(ws, client);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].version, 2);
  EXPECT_EQ((*history)[1].state, AgreementState::kSuperseded);
  EXPECT_EQ(store_->Confirm(ws, v1->id, 220, "Tom", "email").status().code(),
            StatusCode::kFailedPrecondition);
  // Scoped to the workspace.
  EXPECT_EQ(store_->GetAgreement(other, v2->id).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->AgreementHistory(other, client).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->SaveDraft(other, client, FullTerms(), 1).status().code(),
            StatusCode::kNotFound);
  // Invalid terms change nothing.
  AgreementTerms bad = FullTerms();
  bad.availability = {{7, 0, 60}};
  EXPECT_EQ(store_->SaveDraft(ws, client, bad, 1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AgreementHistory(ws, client)->size(), 2u);
}

TEST_P(StoreContract, MessagesAreAddedOnceAndInOrder) {
  const Id ws = Workspace("A"), other = Workspace("B");
  const Id client = AddClient(ws, "Sanne");
  std::vector<Message> batch = {
      Msg("Waar blijft de nieuwsbrief?", 300, "<a@x>"), Msg("Hoi!", 100),
      Msg("Dank je 🙏", 200)};
  domain::ImportCursor cursor{"chat.txt:1234", 3};
  auto r = store_->AddMessages(ws, client, batch, &cursor);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->added, 3);
  EXPECT_EQ(r->duplicates, 0);
  for (const Message& m : batch) EXPECT_GT(m.id, 0);
  EXPECT_EQ(*store_->ImportPosition(ws, client, "chat.txt:1234"), 3);
  EXPECT_EQ(*store_->ImportPosition(ws, client, "other"), 0);
  // The same messages again: all duplicates, by Message-ID or by content.
  std::vector<Message> again = {Msg("anders", 999, "<a@x>"), Msg("Hoi!", 100),
                                Msg("Hoi!", 101)};
  r = store_->AddMessages(ws, client, again, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->added, 1);  // only the one at another time is new
  EXPECT_EQ(r->duplicates, 2);
  auto list = store_->ListMessages(ws, client, {});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ((*list)[0].body, "Hoi!");
  EXPECT_EQ((*list)[0].sent_at, 100);
  EXPECT_EQ((*list)[2].body, "Dank je 🙏");
  EXPECT_EQ((*list)[3].dedup_key, "<a@x>");
  domain::MessageQuery q;
  q.from = 150;
  q.to = 300;
  EXPECT_EQ(store_->ListMessages(ws, client, q)->size(), 1u);
  q = {};
  q.limit = 2;
  EXPECT_EQ(store_->ListMessages(ws, client, q)->size(), 2u);
  // One bad message fails the whole batch: nothing of it is stored.
  std::vector<Message> broken = {Msg("goed", 400), Msg("", 401)};
  auto b = store_->AddMessages(ws, client, broken, nullptr);
  EXPECT_EQ(b.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(b.status().message().find("message 1"), std::string::npos);
  EXPECT_EQ(store_->ListMessages(ws, client, {})->size(), 4u);
  // Analysis stored with its version.
  const Id first = (*list)[0].id;
  ASSERT_TRUE(
      store_->SaveAnalysis(ws, first, R"({"escalation_level":0})", "0.1.0")
          .ok());
  auto reread = store_->ListMessages(ws, client, {});
  EXPECT_EQ((*reread)[0].analyzer_version, "0.1.0");
  EXPECT_EQ((*reread)[0].analysis_json, R"({"escalation_level":0})");
  // Another workspace can neither read nor write them.
  EXPECT_EQ(store_->ListMessages(other, client, {}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->SaveAnalysis(other, first, "{}", "x").code(),
            StatusCode::kNotFound);
  std::vector<Message> sneaky = {Msg("ingeschoven", 1)};
  EXPECT_EQ(store_->AddMessages(other, client, sneaky, nullptr).status().code(),
            StatusCode::kNotFound);
}

TEST_P(StoreContract, TasksAndInvoices) {
  const Id ws = Workspace("A"), other = Workspace("B");
  const Id client = AddClient(ws, "Tom");
  domain::Task t;
  t.title = "Nieuwsbrief maart";
  t.deadline = 5000;
  auto task = store_->AddTask(ws, client, t, 10);
  ASSERT_TRUE(task.ok()) << task.status().message();
  task->waiting_on_client_since = 4000;
  task->done_at = 6000;
  ASSERT_TRUE(store_->UpdateTask(ws, *task).ok());
  auto tasks = store_->ListTasks(ws, client);
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ((*tasks)[0].waiting_on_client_since, 4000);
  EXPECT_EQ((*tasks)[0].done_at, 6000);
  EXPECT_EQ(store_->UpdateTask(other, *task).code(), StatusCode::kNotFound);

  domain::Invoice inv;
  inv.number = "2026-031";
  inv.amount = {123456, "EUR"};
  inv.issued_at = 100;
  inv.due_at = 100 + 14 * 86400;
  auto added = store_->AddInvoice(ws, client, inv);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(store_->AddInvoice(ws, client, inv).status().code(),
            StatusCode::kAlreadyExists);
  inv.number = "2026-032";
  inv.due_at = 50;  // before it was issued
  EXPECT_EQ(store_->AddInvoice(ws, client, inv).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->MarkInvoicePaid(other, added->id, 999).code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(store_->MarkInvoicePaid(ws, added->id, 999).ok());
  auto invoices = store_->ListInvoices(ws, client);
  ASSERT_EQ(invoices->size(), 1u);
  EXPECT_EQ((*invoices)[0].amount, (domain::Money{123456, "EUR"}));
  EXPECT_EQ((*invoices)[0].paid_at, 999);
}

TEST_P(StoreContract, TwoConnectionsWritingAtOnceLoseNothing) {
  const Id ws = Workspace("A");
  const Id client = AddClient(ws, "Tom");
  auto second = OpenStore(url_);
  ASSERT_TRUE(second.ok()) << second.status().message();
  std::atomic<int> failures{0};
  auto writer = [&](Store* s, int offset) {
    for (int i = 0; i < 40; ++i) {
      std::vector<Message> one = {
          Msg("bericht " + std::to_string(offset + i), offset + i)};
      if (!s->AddMessages(ws, client, one, nullptr).ok()) ++failures;
    }
  };
  std::thread a(writer, store_.get(), 0), b(writer, second->get(), 1000);
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->ListMessages(ws, client, {})->size(), 80u);
}

TEST_P(StoreContract, UpgradesFromEveryEarlierSchemaVersion) {
  for (int from = 1; from < LatestSchemaVersion(); ++from) {
    // A fresh database at version `from`, with data, then opened by this
    // build.
    std::string url;
    std::string db;
    if (GetParam() == "sqlite") {
      url = "sqlite:" + (dir_ / ("v" + std::to_string(from) + ".db")).string();
    } else {
      db = db_ + "_v" + std::to_string(from);
      PgAdmin("CREATE DATABASE " + db);
      const std::string admin = PgAdminUrl();
      url = admin.substr(0, admin.rfind('/') + 1) + db;
    }
    {
      auto old = OpenStoreAtVersion(url, from);
      ASSERT_TRUE(old.ok()) << old.status().message();
      EXPECT_EQ(*(*old)->SchemaVersion(), from);
      auto w = (*old)->CreateWorkspace("Oud", 1);
      ASSERT_TRUE(w.ok());
      auto c = (*old)->AddClient(w->id, Named("Tom"), 2);
      ASSERT_TRUE(c.ok());
      ASSERT_TRUE((*old)->SaveDraft(w->id, c->id, FullTerms(), 3).ok());
    }
    {
      auto now = OpenStore(url);
      ASSERT_TRUE(now.ok()) << now.status().message();
      EXPECT_EQ(*(*now)->SchemaVersion(), LatestSchemaVersion());
      auto w = (*now)->FindWorkspace("Oud");
      ASSERT_TRUE(w.ok());
      auto c = (*now)->FindClient(w->id, "Tom");
      ASSERT_TRUE(c.ok());
      auto h = (*now)->AgreementHistory(w->id, c->id);
      ASSERT_EQ(h->size(), 1u);
      EXPECT_EQ((*h)[0].terms, FullTerms());
      std::vector<Message> m = {Msg("na de upgrade", 5)};
      EXPECT_EQ((*now)->AddMessages(w->id, c->id, m, nullptr)->added, 1);
    }
    if (!db.empty()) PgAdmin("DROP DATABASE IF EXISTS " + db);
  }
}

TEST_P(StoreContract, DumpAndRestoreGiveTheSameRows) {
  const Id ws = Workspace("Bureau");
  domain::User u;
  u.email = "eva@va.example";
  ASSERT_TRUE(store_->AddUser(ws, u, "$argon2id$v=19$x", 7).ok());
  const Id tom = AddClient(ws, "Tom");
  const Id sanne = AddClient(ws, "Sanne");
  auto a = store_->SaveDraft(ws, tom, FullTerms(), 10);
  ASSERT_TRUE(store_->Confirm(ws, a->id, 11, "Tom", "email").ok());
  ASSERT_TRUE(store_->SaveDraft(ws, tom, AgreementTerms{}, 12).ok());
  std::vector<Message> msgs = {Msg("Hoi 👋", 100, "<x@y>"),
                               Msg("Waar blijft het?", 200)};
  msgs[1].analysis_json = R"({"escalation_level":1})";
  msgs[1].analyzer_version = "0.1.0";
  domain::ImportCursor cur{"whatsapp:chat.txt:99", 42};
  ASSERT_TRUE(store_->AddMessages(ws, sanne, msgs, &cur).ok());
  domain::Task t;
  t.title = "Offerte";
  t.deadline = 500;
  ASSERT_TRUE(store_->AddTask(ws, tom, t, 20).ok());
  domain::Invoice inv;
  inv.number = "F-1";
  inv.amount = {9900, "EUR"};
  inv.issued_at = 1;
  inv.due_at = 2;
  ASSERT_TRUE(store_->AddInvoice(ws, tom, inv).ok());
  domain::StatusUpdate up;
  up.kind = "progress";
  up.text = "De offerte is half af; donderdag hoor je meer.";
  up.next_update_at = 900;
  ASSERT_TRUE(store_->AddStatusUpdate(ws, tom, up, 25).ok());
  domain::ComplaintCase kase =
      domain::OpenCase(tom, std::nullopt, "Factuur", 26);
  kase.content.reaction = "calm";
  kase.content.triggers = {"factuur te laat"};
  ASSERT_TRUE(store_->AddCase(ws, kase).ok());
  // Another workspace's rows stay out of the dump.
  const Id other = Workspace("Ander");
  AddClient(other, "Geheim");

  auto dump = store_->Dump(ws);
  ASSERT_TRUE(dump.ok()) << dump.status().message();
  EXPECT_EQ(dump->clients.size(), 2u);
  EXPECT_EQ(dump->messages.size(), 2u);
  ASSERT_EQ(dump->updates.size(), 1u);
  ASSERT_EQ(dump->cases.size(), 1u);
  EXPECT_EQ(dump->cases[0].content.triggers[0], "factuur te laat");
  EXPECT_EQ(dump->updates[0].next_update_at, 900);
  EXPECT_EQ(dump->users[0].second, "$argon2id$v=19$x");
  const std::string before = domain::ToJson(*dump).dump();
  EXPECT_EQ(before.find("Geheim"), std::string::npos);

  // Through JSON into an empty database.
  auto parsed = domain::DumpFromJson(nlohmann::json::parse(before));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  std::string url2, db2;
  if (GetParam() == "sqlite") {
    url2 = "sqlite:" + (dir_ / "restored.db").string();
  } else {
    db2 = db_ + "_r";
    PgAdmin("CREATE DATABASE " + db2);
    const std::string admin = PgAdminUrl();
    url2 = admin.substr(0, admin.rfind('/') + 1) + db2;
  }
  {
    auto restored = OpenStore(url2);
    ASSERT_TRUE(restored.ok()) << restored.status().message();
    Status st = (*restored)->Restore(*parsed);
    ASSERT_TRUE(st.ok()) << st.message();
    auto again = (*restored)->Dump(ws);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(domain::ToJson(*again).dump(), before);
    // New rows get fresh ids after the restored ones.
    auto added = (*restored)->AddClient(ws, Named("Nieuw"), 30);
    ASSERT_TRUE(added.ok()) << added.status().message();
    EXPECT_GT(added->id, sanne);
    // Restoring twice is refused and changes nothing.
    EXPECT_EQ((*restored)->Restore(*parsed).code(), StatusCode::kAlreadyExists);
    EXPECT_EQ((*restored)->ListClients(ws)->size(), 3u);
  }
  // A dump whose rows point at a client it does not hold.
  domain::WorkspaceDump broken = *parsed;
  broken.workspace.name = "Kapot";
  broken.clients.clear();
  EXPECT_EQ(store_->Restore(broken).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->FindWorkspace("Kapot").status().code(),
            StatusCode::kNotFound);
  if (!db2.empty()) PgAdmin("DROP DATABASE IF EXISTS " + db2);
}

TEST_P(StoreContract, StatusUpdatesStayWithTheirClient) {
  const Id ws = Workspace("A"), other = Workspace("B");
  const Id tom = AddClient(ws, "Tom");
  domain::StatusUpdate u;
  u.kind = "started";
  u.text = "Ik ben vandaag begonnen met de nieuwsbrief.";
  auto added = store_->AddStatusUpdate(ws, tom, u, 100);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_GT(added->id, 0);
  EXPECT_EQ(added->created_at, 100);
  EXPECT_FALSE(added->next_update_at.has_value());
  u.kind = "progress";
  u.text = "Halverwege: de teksten staan, de foto's volgen.";
  u.next_update_at = 500;
  ASSERT_TRUE(store_->AddStatusUpdate(ws, tom, u, 200).ok());
  auto list = store_->ListStatusUpdates(ws, tom);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].kind, "started");  // oldest first
  EXPECT_EQ((*list)[1].next_update_at, 500);
  // Another workspace sees nothing and adds nothing.
  EXPECT_EQ(store_->ListStatusUpdates(other, tom).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->AddStatusUpdate(other, tom, u, 300).status().code(),
            StatusCode::kNotFound);
  u.kind = "gossip";
  EXPECT_EQ(store_->AddStatusUpdate(ws, tom, u, 300).status().code(),
            StatusCode::kInvalidArgument);
  u.kind = "progress";
  u.text = "";
  EXPECT_EQ(store_->AddStatusUpdate(ws, tom, u, 300).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ListStatusUpdates(ws, tom)->size(), 2u);
}

TEST_P(StoreContract, CasesKeepTheirStepsAndRefuseAStaleCopy) {
  const Id ws = Workspace("A"), other = Workspace("B");
  const Id tom = AddClient(ws, "Tom"), ann = AddClient(ws, "Ann");
  std::vector<Message> msgs = {Msg("Waarom is het nog niet af?!", 100)};
  ASSERT_TRUE(store_->AddMessages(ws, tom, msgs, nullptr).ok());
  const Id msg = store_->ListMessages(ws, tom, {})->at(0).id;
  // One message, only through its own client and workspace.
  auto one = store_->GetMessage(ws, tom, msg);
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(one->body, "Waarom is het nog niet af?!");
  EXPECT_EQ(store_->GetMessage(ws, ann, msg).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->GetMessage(other, tom, msg).status().code(),
            StatusCode::kNotFound);
  domain::Task task;
  task.title = "Verslag";
  const Id tid = store_->AddTask(ws, tom, task, 150)->id;
  EXPECT_EQ(store_->GetTask(ws, tom, tid)->title, "Verslag");
  EXPECT_EQ(store_->GetTask(ws, ann, tid).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->GetTask(other, tom, tid).status().code(),
            StatusCode::kNotFound);
  // A message of another client cannot start Ann's case.
  EXPECT_EQ(
      store_->AddCase(ws, domain::OpenCase(ann, msg, "x", 1)).status().code(),
      StatusCode::kNotFound);
  auto added = store_->AddCase(ws, domain::OpenCase(tom, msg, "Te laat", 200));
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_GT(added->id, 0);
  EXPECT_EQ(added->revision, 1);
  domain::ComplaintCase c = *added;
  c.content.reaction = "defensive";
  c.content.maximum = {"Een uur", std::nullopt, 1.0};
  ASSERT_TRUE(domain::Advance(&c, 210).ok());
  ASSERT_TRUE(store_->UpdateCase(ws, &c).ok());
  EXPECT_EQ(c.revision, 2);
  auto got = store_->GetCase(ws, c.id);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->step, 2);
  EXPECT_EQ(got->content, c.content);
  EXPECT_EQ(got->completed_at[0], 210);
  EXPECT_EQ(got->message_id, msg);
  // A copy read before that change is refused and changes nothing.
  domain::ComplaintCase stale = *added;
  stale.title = "Oud";
  EXPECT_EQ(store_->UpdateCase(ws, &stale).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetCase(ws, c.id)->title, "Te laat");
  // Another workspace: not found, for reading and for writing.
  EXPECT_EQ(store_->GetCase(other, c.id).status().code(),
            StatusCode::kNotFound);
  domain::ComplaintCase theirs = c;
  EXPECT_EQ(store_->UpdateCase(other, &theirs).code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->ListCases(other, 0)->empty());
  EXPECT_EQ(store_->ListCases(other, tom).status().code(),
            StatusCode::kNotFound);
  // Moving a case to another workspace's client is refused.
  const Id theirs_client = AddClient(other, "Piet");
  domain::ComplaintCase moved = c;
  moved.client_id = theirs_client;
  EXPECT_EQ(store_->UpdateCase(ws, &moved).code(), StatusCode::kNotFound);
  // An invalid case is not stored.
  domain::ComplaintCase bad = c;
  bad.content.proposal = {"Twee uur", std::nullopt, 2.0};
  EXPECT_EQ(store_->UpdateCase(ws, &bad).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(
      store_->AddCase(ws, domain::OpenCase(ann, std::nullopt, "Ann", 300))
          .ok());
  auto all = store_->ListCases(ws, 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].title, "Ann");  // newest first
  EXPECT_EQ(store_->ListCases(ws, tom)->size(), 1u);
}

TEST_P(StoreContract, SessionsAndLoginFailuresAreShared) {
  const Id ws = Workspace("A");
  domain::User u;
  u.email = "eva@a.example";
  auto user = store_->AddUser(ws, u, "hash", 1);
  ASSERT_TRUE(user.ok());
  auto found = store_->FindUserByEmail("EVA@a.example");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->second, "hash");
  EXPECT_EQ(store_->FindUserByEmail("x@a.example").status().code(),
            StatusCode::kNotFound);
  domain::Session s{"h1", user->id, 0, "csrf", 1000};
  ASSERT_TRUE(store_->CreateSession(s, 100).ok());
  auto got = store_->GetSession("h1", 500);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->workspace_id, ws);
  EXPECT_EQ(got->csrf, "csrf");
  EXPECT_EQ(store_->GetSession("h1", 1000).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->GetSession("nope", 500).status().code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(store_->DeleteSession("h1").ok());
  EXPECT_EQ(store_->GetSession("h1", 500).status().code(),
            StatusCode::kNotFound);
  for (int t : {100, 200, 300})
    ASSERT_TRUE(store_->RecordLoginFailure("user:eva", t).ok());
  ASSERT_TRUE(store_->RecordLoginFailure("user:bob", 300).ok());
  EXPECT_EQ(*store_->CountLoginFailures("user:eva", 0), 3);
  EXPECT_EQ(*store_->CountLoginFailures("user:eva", 150), 2);
  EXPECT_EQ(*store_->CountLoginFailures("user:bob", 0), 1);
}

TEST_P(StoreContract, PortalLinksExpireAndAreRevoked) {
  const Id ws = Workspace("A"), other = Workspace("B");
  const Id tom = AddClient(ws, "Tom");
  ASSERT_TRUE(store_->CreatePortalLink(ws, tom, "t1", 100, 1000).ok());
  EXPECT_EQ(store_->CreatePortalLink(other, tom, "t2", 100, 1000).code(),
            StatusCode::kNotFound);
  auto found = store_->FindPortalLink("t1", 500);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->first, ws);
  EXPECT_EQ(found->second, tom);
  EXPECT_EQ(store_->FindPortalLink("t1", 1000).status().code(),
            StatusCode::kNotFound);  // expired
  EXPECT_EQ(store_->RevokePortalLinks(other, tom, 600).code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(store_->RevokePortalLinks(ws, tom, 600).ok());
  EXPECT_EQ(store_->FindPortalLink("t1", 700).status().code(),
            StatusCode::kNotFound);  // revoked
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreContract,
                         ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return p.param; });

// SQLite only: what a file on disk can do wrong.
TEST(SqliteStore, RefusesWhatIsNotADatabaseOrTooNew) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("kalm_sqlite_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto junk = dir / "junk.db";
  std::ofstream(junk) << "this is not a database, just some text that is long "
                         "enough to have a header of its own............";
  auto s = OpenStore("sqlite:" + junk.string());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kDataLoss) << s.status().message();

  // A database from a newer kalm.
  const auto newer = dir / "newer.db";
  ASSERT_TRUE(OpenStore("sqlite:" + newer.string()).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(newer.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO schema_migrations VALUES (999, 'future', "
                         "0)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  s = OpenStore("sqlite:" + newer.string());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("upgrade kalm"), std::string::npos);

  // Unknown URL schemes and unreachable places.
  EXPECT_EQ(OpenStore("mysql://x").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("sqlite:/proc/kalm/x.db").status().code(),
            StatusCode::kUnavailable);
  std::filesystem::remove_all(dir);
}

// (Foreign keys are on: adding a client to a missing workspace is kNotFound,
// in ClientsRoundTripAndStayInTheirWorkspace.)
TEST(SqliteStore, UsesWalInAPrivateDirectory) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("kalm_wal_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  const auto file = dir / "k.db";
  auto s = OpenStore(file.string());  // a bare path is SQLite too
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_TRUE((*s)->CreateWorkspace("A", 1).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
               "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
  // The directory holding client mail is private.
  EXPECT_EQ(std::filesystem::status(dir).permissions() &
                std::filesystem::perms::others_all,
            std::filesystem::perms::none);
  std::filesystem::remove_all(dir);
}

TEST(DefaultDatabase, FollowsXdgDataHome) {
  // The environment is the process's: put it back for the other tests.
  struct Restore {
    std::string home = std::getenv("HOME") ? std::getenv("HOME") : "";
    const char* xdg = std::getenv("XDG_DATA_HOME");
    std::string xdg_value = xdg ? xdg : "";
    ~Restore() {
      setenv("HOME", home.c_str(), 1);
      if (xdg) {
        setenv("XDG_DATA_HOME", xdg_value.c_str(), 1);
      } else {
        unsetenv("XDG_DATA_HOME");
      }
    }
  } restore;
  setenv("XDG_DATA_HOME", "/tmp/kalm-xdg", 1);
  EXPECT_EQ(DefaultDatabaseUrl(), "sqlite:/tmp/kalm-xdg/kalm/kalm.db");
  unsetenv("XDG_DATA_HOME");
  setenv("HOME", "/home/eva", 1);
  EXPECT_EQ(DefaultDatabaseUrl(), "sqlite:/home/eva/.local/share/kalm/kalm.db");
}

}  // namespace
}  // namespace kalm::store
