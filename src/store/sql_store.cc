#include "store/sql_store.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "kalm/domain/json.h"
#include "store/migrations.h"

namespace kalm::store {
namespace {

using domain::Agreement;
using domain::AgreementState;
using domain::AgreementTerms;
using domain::Client;
using domain::Id;
using domain::Invoice;
using domain::Message;
using domain::Task;
using domain::UnixTime;
using domain::Workspace;
using nlohmann::json;

// A write transaction: holds the connection's lock, rolls back unless
// committed.
class Tx {
 public:
  explicit Tx(Db& db) : db_(db), lock_(db.mutex()) {}
  ~Tx() {
    if (open_) (void)db_.Script("ROLLBACK");
  }
  Status Begin() {
    KALM_RETURN_IF_ERROR(db_.BeginWrite());
    open_ = true;
    return Status::Ok();
  }
  Status Commit() {
    KALM_RETURN_IF_ERROR(db_.Script("COMMIT"));
    open_ = false;
    return Status::Ok();
  }

 private:
  Db& db_;
  std::lock_guard<std::mutex> lock_;
  bool open_ = false;
};

Value Opt(const std::optional<int64_t>& v) {
  return v ? Value(*v) : Value(std::monostate{});
}

std::string ListJson(const std::vector<std::string>& v) {
  return json(v).dump();
}

std::vector<std::string> ListFromJson(const std::string& s) {
  json j = json::parse(s, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const json& x : j)
    if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

constexpr const char* kClientCols =
    "id, workspace_id, name, company, language, form, timezone, channels, "
    "notes, created_at";
Client ClientOf(const Row& r) {
  Client c;
  c.id = r.Int(0);
  c.workspace_id = r.Int(1);
  c.name = r.Str(2);
  c.company = r.Str(3);
  c.language = r.Str(4);
  c.form = r.Str(5);
  c.timezone = r.Str(6);
  c.channels = ListFromJson(r.Str(7));
  c.notes = r.Str(8);
  c.created_at = r.Int(9);
  return c;
}

constexpr const char* kAgreementCols =
    "a.id, a.client_id, a.version, a.state, a.terms, a.created_at, a.sent_at, "
    "a.confirmed_at, a.confirmed_by, a.confirmed_how";
StatusOr<Agreement> AgreementOf(const Row& r) {
  Agreement a;
  a.id = r.Int(0);
  a.client_id = r.Int(1);
  a.version = static_cast<int>(r.Int(2));
  auto st = domain::ParseAgreementState(r.Str(3));
  if (!st.ok())
    return DataLossError("agreement " + std::to_string(a.id) + ": " +
                         std::string(st.status().message()));
  a.state = *st;
  json terms = json::parse(r.Str(4), nullptr, false);
  if (terms.is_discarded())
    return DataLossError("agreement " + std::to_string(a.id) +
                         ": stored terms are not JSON");
  auto t = domain::TermsFromJson(terms);
  if (!t.ok()) return DataLossError(std::string(t.status().message()));
  a.terms = *t;
  a.created_at = r.Int(5);
  a.sent_at = r.OptInt(6);
  a.confirmed_at = r.OptInt(7);
  a.confirmed_by = r.Str(8);
  a.confirmed_how = r.Str(9);
  return a;
}

constexpr const char* kMessageCols =
    "m.id, m.client_id, m.direction, m.channel, m.sent_at, "
    "m.utc_offset_minutes, m.author, m.body, m.thread, m.source, "
    "m.source_position, m.dedup_key, m.analysis, m.analyzer_version";
Message MessageOf(const Row& r) {
  Message m;
  m.id = r.Int(0);
  m.client_id = r.Int(1);
  const auto direction = domain::ParseDirection(r.Str(2));
  m.direction = direction.ok() ? *direction : domain::Direction::kIncoming;
  m.channel = r.Str(3);
  m.sent_at = r.Int(4);
  m.utc_offset_minutes = static_cast<int>(r.Int(5));
  m.author = r.Str(6);
  m.body = r.Str(7);
  m.thread = r.Str(8);
  m.source = r.Str(9);
  m.source_position = r.Int(10);
  m.dedup_key = r.Str(11);
  m.analysis_json = r.Str(12);
  m.analyzer_version = r.Str(13);
  return m;
}

constexpr const char* kTaskCols =
    "t.id, t.client_id, t.title, t.deadline, t.waiting_on_client_since, "
    "t.done_at, t.created_at";
Task TaskOf(const Row& r) {
  Task t;
  t.id = r.Int(0);
  t.client_id = r.Int(1);
  t.title = r.Str(2);
  t.deadline = r.OptInt(3);
  t.waiting_on_client_since = r.OptInt(4);
  t.done_at = r.OptInt(5);
  t.created_at = r.Int(6);
  return t;
}

constexpr const char* kUpdateCols =
    "u.id, u.client_id, u.kind, u.text, u.next_update_at, u.created_at";
domain::StatusUpdate UpdateOf(const Row& r) {
  domain::StatusUpdate u;
  u.id = r.Int(0);
  u.client_id = r.Int(1);
  u.kind = r.Str(2);
  u.text = r.Str(3);
  u.next_update_at = r.OptInt(4);
  u.created_at = r.Int(5);
  return u;
}

// A case is its JSON document; the columns beside it are for finding and
// guarding it (client, revision).
constexpr const char* kCaseCols = "k.id, k.client_id, k.revision, k.doc";
// The stored document: the case without what is derived from it.
std::string CaseDoc(const domain::ComplaintCase& c) {
  json j = domain::ToJson(c);
  j.erase("missing");
  j.erase("step_name");
  return j.dump();
}
StatusOr<domain::ComplaintCase> CaseOf(const Row& r) {
  const json j = json::parse(r.Str(3), nullptr, false);
  if (j.is_discarded())
    return DataLossError("case " + std::to_string(r.Int(0)) +
                         " is not valid JSON");
  auto c = domain::CaseFromJson(j);
  if (!c.ok())
    return DataLossError("case " + std::to_string(r.Int(0)) + ": " +
                         std::string(c.status().message()));
  c->id = r.Int(0);
  c->client_id = r.Int(1);
  c->revision = r.Int(2);
  return c;
}

constexpr const char* kInvoiceCols =
    "i.id, i.client_id, i.number, i.amount_cents, i.currency, i.issued_at, "
    "i.due_at, i.paid_at";
Invoice InvoiceOf(const Row& r) {
  Invoice i;
  i.id = r.Int(0);
  i.client_id = r.Int(1);
  i.number = r.Str(2);
  i.amount.cents = r.Int(3);
  i.amount.currency = r.Str(4);
  i.issued_at = r.Int(5);
  i.due_at = r.Int(6);
  i.paid_at = r.OptInt(7);
  return i;
}

Status CheckName(std::string_view what, std::string_view name) {
  if (name.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return InvalidArgumentError(std::string(what) + " is empty");
  if (name.size() > domain::kMaxNameBytes)
    return ResourceExhaustedError(std::string(what) + " is too long");
  return Status::Ok();
}

class SqlStore final : public domain::Store {
 public:
  explicit SqlStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  std::string_view Engine() const override { return db_->Engine(); }

  Status Migrate(int target) {
    const auto& all = Migrations();
    if (target <= 0) target = all.back().version;
    {
      std::lock_guard<std::mutex> l(db_->mutex());
      KALM_RETURN_IF_ERROR(db_->Script(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT "
          "PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT "
          "NULL)"));
    }
    for (const Migration& m : all) {
      if (m.version > target) break;
      Tx tx(*db_);
      KALM_RETURN_IF_ERROR(tx.Begin());
      KALM_RETURN_IF_ERROR(db_->LockForMigration());
      auto done = db_->Query(
          "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
      if (!done.ok()) return done.status();
      const int64_t at = (*done)[0].Int(0);
      if (at > all.back().version)
        return FailedPreconditionError(
            "the database is at schema version " + std::to_string(at) +
            ", newer than this kalm knows (" +
            std::to_string(all.back().version) + "); upgrade kalm");
      if (at > target)
        return FailedPreconditionError("the database is already at version " +
                                       std::to_string(at));
      if (at >= m.version) continue;
      KALM_RETURN_IF_ERROR(db_->Script(db_->Dialect(m.sql)));
      auto ins = db_->Query(
          "INSERT INTO schema_migrations (version, description, applied_at) "
          "VALUES (?, ?, ?)",
          {int64_t{m.version}, std::string(m.description),
           static_cast<int64_t>(time(nullptr))});
      if (!ins.ok()) return ins.status();
      KALM_RETURN_IF_ERROR(tx.Commit());
    }
    // A database from a newer kalm that needed no migration here.
    auto v = SchemaVersion();
    if (!v.ok()) return v.status();
    if (*v > all.back().version)
      return FailedPreconditionError(
          "the database is at schema version " + std::to_string(*v) +
          ", newer than this kalm knows; upgrade kalm");
    return Status::Ok();
  }

  StatusOr<int> SchemaVersion() override {
    auto r =
        Read("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
    if (!r.ok()) return r.status();
    return static_cast<int>((*r)[0].Int(0));
  }

  // ---- workspaces and users ----

  StatusOr<Workspace> CreateWorkspace(std::string_view name,
                                      UnixTime now) override {
    KALM_RETURN_IF_ERROR(CheckName("workspace name", name));
    auto r = Write(
        "INSERT INTO workspaces (name, created_at) VALUES (?, ?) RETURNING id",
        {std::string(name), now});
    if (!r.ok())
      return Named(r.status(), "workspace '" + std::string(name) + "'");
    return Workspace{(*r)[0].Int(0), std::string(name), now};
  }

  StatusOr<Workspace> GetWorkspace(Id id) override {
    return OneWorkspace(
        "SELECT id, name, created_at FROM workspaces WHERE id = ?", {id},
        "workspace " + std::to_string(id));
  }

  StatusOr<Workspace> FindWorkspace(std::string_view name) override {
    return OneWorkspace(
        "SELECT id, name, created_at FROM workspaces WHERE name = ?",
        {std::string(name)}, "workspace '" + std::string(name) + "'");
  }

  StatusOr<std::vector<Workspace>> ListWorkspaces() override {
    auto r =
        Read("SELECT id, name, created_at FROM workspaces ORDER BY id", {});
    if (!r.ok()) return r.status();
    std::vector<Workspace> out;
    for (const Row& row : *r)
      out.push_back({row.Int(0), row.Str(1), row.Int(2)});
    return out;
  }

  StatusOr<domain::User> AddUser(Id ws, const domain::User& user,
                                 std::string_view password_hash,
                                 UnixTime now) override {
    KALM_RETURN_IF_ERROR(CheckName("e-mail", user.email));
    const std::string email = domain::NormalizeEmail(user.email);
    if (user.role != "owner" && user.role != "member")
      return InvalidArgumentError("role must be owner or member");
    auto r = Write(
        "INSERT INTO users (workspace_id, email, display_name, role, "
        "password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        {ws, email, user.display_name, user.role, std::string(password_hash),
         now});
    if (!r.ok()) return Named(r.status(), "user " + email);
    domain::User out = user;
    out.id = (*r)[0].Int(0);
    out.workspace_id = ws;
    out.email = email;
    out.created_at = now;
    return out;
  }

  StatusOr<std::vector<domain::User>> ListUsers(Id ws) override {
    auto r = Read(
        "SELECT id, workspace_id, email, display_name, role, created_at FROM "
        "users WHERE workspace_id = ? ORDER BY id",
        {ws});
    if (!r.ok()) return r.status();
    std::vector<domain::User> out;
    for (const Row& row : *r)
      out.push_back({row.Int(0), row.Int(1), row.Str(2), row.Str(3), row.Str(4),
                     row.Int(5)});
    return out;
  }

  StatusOr<int64_t> CountUsers() override {
    auto r = Read("SELECT COUNT(*) FROM users", {});
    if (!r.ok()) return r.status();
    return (*r)[0].Int(0);
  }

  StatusOr<domain::User> CreateFirstOwner(std::string_view workspace_name,
                                          const domain::User& owner,
                                          std::string_view password_hash,
                                          UnixTime now) override {
    KALM_RETURN_IF_ERROR(CheckName("workspace name", workspace_name));
    KALM_RETURN_IF_ERROR(CheckName("e-mail", owner.email));
    const std::string email = domain::NormalizeEmail(owner.email);
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    // SQLite's write transaction is exclusive already; on PostgreSQL the
    // advisory lock makes a second process wait and then see the owner.
    KALM_RETURN_IF_ERROR(db_->LockForMigration());
    auto n = db_->Query("SELECT COUNT(*) FROM users", {});
    if (!n.ok()) return n.status();
    if ((*n)[0].Int(0) > 0)
      return FailedPreconditionError("kalm has an account already; log in");
    auto ws = db_->Query(
        "INSERT INTO workspaces (name, created_at) VALUES (?, ?) RETURNING id",
        {std::string(workspace_name), now});
    if (!ws.ok())
      return Named(ws.status(),
                   "workspace '" + std::string(workspace_name) + "'");
    auto u = db_->Query(
        "INSERT INTO users (workspace_id, email, display_name, role, "
        "password_hash, created_at) VALUES (?, ?, ?, 'owner', ?, ?) "
        "RETURNING id",
        {(*ws)[0].Int(0), email, owner.display_name, std::string(password_hash),
         now});
    if (!u.ok()) return Named(u.status(), "user " + email);
    KALM_RETURN_IF_ERROR(tx.Commit());
    domain::User out = owner;
    out.id = (*u)[0].Int(0);
    out.workspace_id = (*ws)[0].Int(0);
    out.email = email;
    out.role = "owner";
    out.created_at = now;
    return out;
  }

  StatusOr<std::pair<domain::User, std::string>> FindUserByEmail(
      std::string_view email) override {
    const std::string e = domain::NormalizeEmail(email);
    auto r = Read(
        "SELECT id, workspace_id, email, display_name, role, created_at, "
        "password_hash FROM users WHERE email = ?",
        {e});
    if (!r.ok()) return r.status();
    if (r->empty()) return NotFoundError("no user " + e);
    const Row& row = (*r)[0];
    return std::make_pair(domain::User{row.Int(0), row.Int(1), row.Str(2),
                                       row.Str(3), row.Str(4), row.Int(5)},
                          row.Str(6));
  }

  Status CreateSession(const domain::Session& s, UnixTime now) override {
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    // Expired sessions go as new ones come.
    auto prune = db_->Query("DELETE FROM sessions WHERE expires_at < ?", {now});
    if (!prune.ok()) return prune.status();
    auto r = db_->Query(
        "INSERT INTO sessions (token_hash, user_id, csrf, created_at, "
        "expires_at) VALUES (?, ?, ?, ?, ?)",
        {s.token_hash, s.user_id, s.csrf, now, s.expires_at});
    if (!r.ok()) return r.status();
    return tx.Commit();
  }

  StatusOr<domain::Session> GetSession(std::string_view token_hash,
                                       UnixTime now) override {
    auto r = Read(
        "SELECT s.token_hash, s.user_id, u.workspace_id, s.csrf, "
        "s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE "
        "s.token_hash = ? AND s.expires_at > ?",
        {std::string(token_hash), now});
    if (!r.ok()) return r.status();
    if (r->empty()) return NotFoundError("no such session");
    const Row& row = (*r)[0];
    return domain::Session{row.Str(0), row.Int(1), row.Int(2), row.Str(3),
                           row.Int(4)};
  }

  Status DeleteSession(std::string_view token_hash) override {
    auto r = Write("DELETE FROM sessions WHERE token_hash = ?",
                   {std::string(token_hash)});
    return r.ok() ? Status::Ok() : r.status();
  }

  StatusOr<int> CountLoginFailures(std::string_view key,
                                   UnixTime since) override {
    auto r =
        Read("SELECT COUNT(*) FROM login_failures WHERE key = ? AND at >= ?",
             {std::string(key), since});
    if (!r.ok()) return r.status();
    return static_cast<int>((*r)[0].Int(0));
  }

  Status RecordLoginFailure(std::string_view key, UnixTime at) override {
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    auto prune =
        db_->Query("DELETE FROM login_failures WHERE at < ?", {at - 86400});
    if (!prune.ok()) return prune.status();
    auto r = db_->Query("INSERT INTO login_failures (key, at) VALUES (?, ?)",
                        {std::string(key), at});
    if (!r.ok()) return r.status();
    return tx.Commit();
  }

  Status CreatePortalLink(Id ws, Id client, std::string_view token_hash,
                          UnixTime now, UnixTime expires_at) override {
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    KALM_RETURN_IF_ERROR(Owned(ws, client));
    auto r = db_->Query(
        "INSERT INTO portal_links (token_hash, client_id, created_at, "
        "expires_at) VALUES (?, ?, ?, ?)",
        {std::string(token_hash), client, now, expires_at});
    if (!r.ok()) return r.status();
    return tx.Commit();
  }

  Status RevokePortalLinks(Id ws, Id client, UnixTime now) override {
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    KALM_RETURN_IF_ERROR(Owned(ws, client));
    auto r = db_->Query(
        "UPDATE portal_links SET revoked_at = ? WHERE client_id = ? AND "
        "revoked_at IS NULL",
        {now, client});
    if (!r.ok()) return r.status();
    return tx.Commit();
  }

  StatusOr<std::pair<Id, Id>> FindPortalLink(std::string_view token_hash,
                                             UnixTime now) override {
    auto r = Read(
        "SELECT c.workspace_id, p.client_id FROM portal_links p JOIN clients "
        "c ON c.id = p.client_id WHERE p.token_hash = ? AND p.expires_at > ? "
        "AND p.revoked_at IS NULL",
        {std::string(token_hash), now});
    if (!r.ok()) return r.status();
    if (r->empty()) return NotFoundError("no such page");
    return std::make_pair((*r)[0].Int(0), (*r)[0].Int(1));
  }

  // ---- clients ----

  StatusOr<Client> AddClient(Id ws, const Client& c, UnixTime now) override {
    KALM_RETURN_IF_ERROR(domain::Validate(c));
    auto r = Write(
        "INSERT INTO clients (workspace_id, name, company, language, form, "
        "timezone, channels, notes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "?, ?) RETURNING id",
        {ws, c.name, c.company, c.language, c.form, c.timezone,
         ListJson(c.channels), c.notes, now});
    if (!r.ok()) {
      if (r.status().code() == StatusCode::kNotFound)
        return NotFoundError("workspace " + std::to_string(ws) + " not found");
      return Named(r.status(), "client '" + c.name + "'");
    }
    Client out = c;
    out.id = (*r)[0].Int(0);
    out.workspace_id = ws;
    out.created_at = now;
    return out;
  }

  StatusOr<Client> GetClient(Id ws, Id id) override {
    auto r = Read(std::string("SELECT ") + kClientCols +
                      " FROM clients WHERE id = ? AND workspace_id = ?",
                  {id, ws});
    if (!r.ok()) return r.status();
    if (r->empty())
      return NotFoundError("client " + std::to_string(id) + " not found");
    return ClientOf((*r)[0]);
  }

  StatusOr<Client> FindClient(Id ws, std::string_view name) override {
    auto r = Read(std::string("SELECT ") + kClientCols +
                      " FROM clients WHERE workspace_id = ? ORDER BY id",
                  {ws});
    if (!r.ok()) return r.status();
    // Exact, then case-insensitive, then a unique case-insensitive prefix
    // ("Sanne" for "Sanne de Vries").
    auto lower = [](std::string_view v) {
      std::string out(v);
      for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return out;
    };
    const std::string want = lower(name);
    const Row* ci = nullptr;
    std::vector<const Row*> prefixed;
    int ci_count = 0;
    for (const Row& row : *r) {
      if (row.Str(2) == name) return ClientOf(row);
      const std::string have = lower(row.Str(2));
      if (have == want) {
        ci = &row;
        ++ci_count;
      } else if (!want.empty() && have.rfind(want, 0) == 0) {
        prefixed.push_back(&row);
      }
    }
    if (ci_count == 1) return ClientOf(*ci);
    if (ci_count == 0 && prefixed.size() == 1) return ClientOf(*prefixed[0]);
    if (ci_count == 0 && prefixed.empty())
      return NotFoundError("no client named '" + std::string(name) + "'");
    return InvalidArgumentError("more than one client matches '" +
                                std::string(name) + "'; use the full name");
  }

  StatusOr<std::vector<Client>> ListClients(Id ws) override {
    auto r = Read(std::string("SELECT ") + kClientCols +
                      " FROM clients WHERE workspace_id = ? ORDER BY name, id",
                  {ws});
    if (!r.ok()) return r.status();
    std::vector<Client> out;
    for (const Row& row : *r) out.push_back(ClientOf(row));
    return out;
  }

  Status UpdateClient(Id ws, const Client& c) override {
    KALM_RETURN_IF_ERROR(domain::Validate(c));
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    auto r = db_->Query(
        "UPDATE clients SET name = ?, company = ?, language = ?, form = ?, "
        "timezone = ?, channels = ?, notes = ? WHERE id = ? AND workspace_id "
        "= ? RETURNING id",
        {c.name, c.company, c.language, c.form, c.timezone,
         ListJson(c.channels), c.notes, c.id, ws});
    if (!r.ok()) return Named(r.status(), "client '" + c.name + "'");
    if (r->empty())
      return NotFoundError("client " + std::to_string(c.id) + " not found");
    return tx.Commit();
  }

  // ---- agreements ----

  StatusOr<Agreement> SaveDraft(Id ws, Id client, const AgreementTerms& terms,
                                UnixTime now) override {
    KALM_RETURN_IF_ERROR(domain::Validate(terms));
    const std::string doc = domain::ToJson(terms).dump();
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    KALM_RETURN_IF_ERROR(Owned(ws, client));
    auto open = db_->Query(
        "SELECT id FROM agreements WHERE client_id = ? AND state IN ('draft', "
        "'sent') ORDER BY version DESC",
        {client});
    if (!open.ok()) return open.status();
    Id id = 0;
    if (!open->empty()) {
      // Changing what was sent makes it a draft again: the client confirms
      // what they saw.
      id = (*open)[0].Int(0);
      auto u = db_->Query(
          "UPDATE agreements SET terms = ?, state = 'draft', sent_at = NULL "
          "WHERE id = ?",
          {doc, id});
      if (!u.ok()) return u.status();
    } else {
      auto ins = db_->Query(
          "INSERT INTO agreements (client_id, version, state, terms, "
          "created_at) SELECT ?, COALESCE(MAX(version), 0) + 1, 'draft', ?, ? "
          "FROM agreements WHERE client_id = ? RETURNING id",
          {client, doc, now, client});
      if (!ins.ok()) return ins.status();
      id = (*ins)[0].Int(0);
    }
    auto a = AgreementIn(ws, id);
    if (!a.ok()) return a.status();
    KALM_RETURN_IF_ERROR(tx.Commit());
    return a;
  }

  StatusOr<Agreement> MarkSent(Id ws, Id agreement, UnixTime at) override {
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    auto a = AgreementIn(ws, agreement);
    if (!a.ok()) return a.status();
    if (a->state != AgreementState::kDraft && a->state != AgreementState::kSent)
      return FailedPreconditionError(
          "agreement version " + std::to_string(a->version) + " is " +
          std::string(domain::AgreementStateName(a->state)) +
          "; only a draft can be sent");
    auto u = db_->Query(
        "UPDATE agreements SET state = 'sent', sent_at = ? WHERE id = ?",
        {at, agreement});
    if (!u.ok()) return u.status();
    a = AgreementIn(ws, agreement);
    if (!a.ok()) return a.status();
    KALM_RETURN_IF_ERROR(tx.Commit());
    return a;
  }

  StatusOr<Agreement> Confirm(Id ws, Id agreement, UnixTime at,
                              std::string_view by,
                              std::string_view how) override {
    KALM_RETURN_IF_ERROR(CheckName("who confirmed", by));
    KALM_RETURN_IF_ERROR(CheckName("how it was confirmed", how));
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    auto a = AgreementIn(ws, agreement);
    if (!a.ok()) return a.status();
    if (a->state == AgreementState::kConfirmed)
      return FailedPreconditionError("agreement version " +
                                     std::to_string(a->version) +
                                     " is already confirmed");
    if (a->state == AgreementState::kSuperseded)
      return FailedPreconditionError(
          "agreement version " + std::to_string(a->version) +
          " was superseded; confirm the current version");
    auto s = db_->Query(
        "UPDATE agreements SET state = 'superseded' WHERE client_id = ? AND "
        "state = 'confirmed'",
        {a->client_id});
    if (!s.ok()) return s.status();
    auto u = db_->Query(
        "UPDATE agreements SET state = 'confirmed', confirmed_at = ?, "
        "confirmed_by = ?, confirmed_how = ? WHERE id = ?",
        {at, std::string(by), std::string(how), agreement});
    if (!u.ok()) return u.status();
    a = AgreementIn(ws, agreement);
    if (!a.ok()) return a.status();
    KALM_RETURN_IF_ERROR(tx.Commit());
    return a;
  }

  StatusOr<Agreement> GetAgreement(Id ws, Id agreement) override {
    std::lock_guard<std::mutex> l(db_->mutex());
    return AgreementIn(ws, agreement);
  }

  StatusOr<Agreement> CurrentAgreement(Id ws, Id client) override {
    auto r = Read(std::string("SELECT ") + kAgreementCols +
                      " FROM agreements a JOIN clients c ON c.id = a.client_id "
                      "WHERE a.client_id = ? AND c.workspace_id = ? AND "
                      "a.state = 'confirmed'",
                  {client, ws});
    if (!r.ok()) return r.status();
    if (r->empty())
      return NotFoundError("no confirmed agreement for client " +
                           std::to_string(client));
    return AgreementOf((*r)[0]);
  }

  StatusOr<std::vector<Agreement>> AgreementHistory(Id ws, Id client) override {
    std::lock_guard<std::mutex> l(db_->mutex());
    KALM_RETURN_IF_ERROR(Owned(ws, client));
    auto r = db_->Query(std::string("SELECT ") + kAgreementCols +
                            " FROM agreements a WHERE a.client_id = ? ORDER "
                            "BY a.version DESC",
                        {client});
    if (!r.ok()) return r.status();
    std::vector<Agreement> out;
    for (const Row& row : *r) {
      auto a = AgreementOf(row);
      if (!a.ok()) return a.status();
      out.push_back(std::move(*a));
    }
    return out;
  }

  // ---- messages ----

  StatusOr<domain::AddResult> AddMessages(
      Id ws, Id client, std::vector<Message>& messages,
      const domain::ImportCursor* cursor) override {
    for (size_t i = 0; i < messages.size(); ++i) {
      Status s = domain::Validate(messages[i]);
      if (!s.ok())
        return Status(s.code(), "message " + std::to_string(i) + ": " +
                                    std::string(s.message()));
    }
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    KALM_RETURN_IF_ERROR(Owned(ws, client));
    domain::AddResult out;
    for (Message& m : messages) {
      m.client_id = client;
      if (m.dedup_key.empty()) m.dedup_key = domain::ContentKey(m);
      auto r = db_->Query(
          "INSERT INTO messages (client_id, direction, channel, sent_at, "
          "utc_offset_minutes, author, body, thread, source, source_position, "
          "dedup_key, analysis, analyzer_version) VALUES (?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, dedup_key) DO NOTHING "
          "RETURNING id",
          {client, std::string(domain::DirectionName(m.direction)), m.channel,
           m.sent_at, int64_t{m.utc_offset_minutes}, m.author, m.body, m.thread,
           m.source, m.source_position, m.dedup_key, m.analysis_json,
           m.analyzer_version});
      if (!r.ok()) return r.status();
      if (r->empty()) {
        ++out.duplicates;
        m.id = 0;
      } else {
        ++out.added;
        m.id = (*r)[0].Int(0);
      }
    }
    if (cursor != nullptr) {
      auto c = db_->Query(
          "INSERT INTO import_cursors (client_id, source, position) VALUES (?, "
          "?, ?) ON CONFLICT (client_id, source) DO UPDATE SET position = "
          "excluded.position",
          {client, cursor->source, cursor->position});
      if (!c.ok()) return c.status();
    }
    KALM_RETURN_IF_ERROR(tx.Commit());
    return out;
  }

  StatusOr<Message> GetMessage(Id ws, Id client, Id message) override {
    auto r =
        Read(std::string("SELECT ") + kMessageCols +
                 " FROM messages m JOIN clients c ON c.id = m.client_id "
                 "WHERE m.id = ? AND m.client_id = ? AND c.workspace_id = ?",
             {message, client, ws});
    if (!r.ok()) return r.status();
    if (r->empty())
      return NotFoundError("message " + std::to_string(message) +
                           " not found for this client");
    return MessageOf((*r)[0]);
  }

  StatusOr<std::vector<Message>> ListMessages(
      Id ws, Id client, const domain::MessageQuery& q) override {
    std::string sql = std::string("SELECT ") + kMessageCols +
                      " FROM messages m JOIN clients c ON c.id = m.client_id "
                      "WHERE m.client_id = ? AND c.workspace_id = ?";
    std::vector<Value> params = {client, ws};
    if (q.from) {
      sql += " AND m.sent_at >= ?";
      params.emplace_back(*q.from);
    }
    if (q.to) {
      sql += " AND m.sent_at < ?";
      params.emplace_back(*q.to);
    }
    sql += " ORDER BY m.sent_at, m.id";
    if (q.limit > 0) {
      sql += " LIMIT ?";
      params.emplace_back(static_cast<int64_t>(q.limit));
    }
    std::lock_guard<std::mutex> l(db_->mutex());
    KALM_RETURN_IF_ERROR(Owned(ws, client));
    auto r = db_->Query(sql, params);
    if (!r.ok()) return r.status();
    std::vector<Message> out;
    out.reserve(r->size());
    for (const Row& row : *r) out.push_back(MessageOf(row));
    return out;
  }

  Status SaveAnalysis(Id ws, Id message, std::string_view analysis_json,
                      std::string_view version) override {
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    auto r = db_->Query(
        "UPDATE messages SET analysis = ?, analyzer_version = ? WHERE id = ? "
        "AND client_id IN (SELECT id FROM clients WHERE workspace_id = ?) "
        "RETURNING id",
        {std::string(analysis_json), std::string(version), message, ws});
    if (!r.ok()) return r.status();
    if (r->empty())
      return NotFoundError("message " + std::to_string(message) + " not found");
    return tx.Commit();
  }

  StatusOr<int64_t> ImportPosition(Id ws, Id client,
                                   std::string_view source) override {
    std::lock_guard<std::mutex> l(db_->mutex());
    KALM_RETURN_IF_ERROR(Owned(ws, client));
    auto r = db_->Query(
        "SELECT position FROM import_cursors WHERE client_id = ? AND source "
        "= ?",
        {client, std::string(source)});
    if (!r.ok()) return r.status();
    return r->empty() ? int64_t{0} : (*r)[0].Int(0);
  }

  // ---- tasks and invoices ----

  StatusOr<Task> AddTask(Id ws, Id client, const Task& t,
                         UnixTime now) override {
    KALM_RETURN_IF_ERROR(domain::Validate(t));
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    KALM_RETURN_IF_ERROR(Owned(ws, client));
    auto r = db_->Query(
        "INSERT INTO tasks (client_id, title, deadline, "
        "waiting_on_client_since, done_at, created_at) VALUES (?, ?, ?, ?, ?, "
        "?) RETURNING id",
        {client, t.title, Opt(t.deadline), Opt(t.waiting_on_client_since),
         Opt(t.done_at), now});
    if (!r.ok()) return r.status();
    KALM_RETURN_IF_ERROR(tx.Commit());
    Task out = t;
    out.id = (*r)[0].Int(0);
    out.client_id = client;
    out.created_at = now;
    return out;
  }

  Status UpdateTask(Id ws, const Task& t) override {
    KALM_RETURN_IF_ERROR(domain::Validate(t));
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    auto r = db_->Query(
        "UPDATE tasks SET title = ?, deadline = ?, waiting_on_client_since = "
        "?, done_at = ? WHERE id = ? AND client_id IN (SELECT id FROM clients "
        "WHERE workspace_id = ?) RETURNING id",
        {t.title, Opt(t.deadline), Opt(t.waiting_on_client_since),
         Opt(t.done_at), t.id, ws});
    if (!r.ok()) return r.status();
    if (r->empty())
      return NotFoundError("task " + std::to_string(t.id) + " not found");
    return tx.Commit();
  }

  StatusOr<Task> GetTask(Id ws, Id client, Id task) override {
    auto r =
        Read(std::string("SELECT ") + kTaskCols +
                 " FROM tasks t JOIN clients c ON c.id = t.client_id "
                 "WHERE t.id = ? AND t.client_id = ? AND c.workspace_id = ?",
             {task, client, ws});
    if (!r.ok()) return r.status();
    if (r->empty())
      return NotFoundError("task " + std::to_string(task) + " not found");
    return TaskOf((*r)[0]);
  }

  StatusOr<std::vector<Task>> ListTasks(Id ws, Id client) override {
    std::lock_guard<std::mutex> l(db_->mutex());
    KALM_RETURN_IF_ERROR(Owned(ws, client));
    auto r = db_->Query(std::string("SELECT ") + kTaskCols +
                            " FROM tasks t WHERE t.client_id = ? ORDER BY "
                            "t.id",
                        {client});
    if (!r.ok()) return r.status();
    std::vector<Task> out;
    for (const Row& row : *r) out.push_back(TaskOf(row));
    return out;
  }

  StatusOr<domain::StatusUpdate> AddStatusUpdate(Id ws, Id client,
                                                 const domain::StatusUpdate& u,
                                                 UnixTime now) override {
    KALM_RETURN_IF_ERROR(domain::Validate(u));
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    KALM_RETURN_IF_ERROR(Owned(ws, client));
    auto r = db_->Query(
        "INSERT INTO status_updates (client_id, kind, text, next_update_at, "
        "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        {client, u.kind, u.text, Opt(u.next_update_at), now});
    if (!r.ok()) return r.status();
    KALM_RETURN_IF_ERROR(tx.Commit());
    domain::StatusUpdate out = u;
    out.id = (*r)[0].Int(0);
    out.client_id = client;
    out.created_at = now;
    return out;
  }

  StatusOr<std::vector<domain::StatusUpdate>> ListStatusUpdates(
      Id ws, Id client) override {
    std::lock_guard<std::mutex> l(db_->mutex());
    KALM_RETURN_IF_ERROR(Owned(ws, client));
    auto r = db_->Query(std::string("SELECT ") + kUpdateCols +
                            " FROM status_updates u WHERE u.client_id = ? "
                            "ORDER BY u.id",
                        {client});
    if (!r.ok()) return r.status();
    std::vector<domain::StatusUpdate> out;
    for (const Row& row : *r) out.push_back(UpdateOf(row));
    return out;
  }

  StatusOr<domain::ComplaintCase> AddCase(
      Id ws, const domain::ComplaintCase& in) override {
    KALM_RETURN_IF_ERROR(domain::Validate(in));
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    KALM_RETURN_IF_ERROR(Owned(ws, in.client_id));
    if (in.message_id) {
      auto m =
          db_->Query("SELECT 1 FROM messages WHERE id = ? AND client_id = ?",
                     {*in.message_id, in.client_id});
      if (!m.ok()) return m.status();
      if (m->empty())
        return NotFoundError("message " + std::to_string(*in.message_id) +
                             " not found for this client");
    }
    domain::ComplaintCase c = in;
    c.revision = 1;
    auto r = db_->Query(
        "INSERT INTO cases (client_id, message_id, title, closed, revision, "
        "created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        {c.client_id, Opt(c.message_id), c.title, int64_t{c.closed ? 1 : 0},
         c.revision, c.created_at, c.updated_at, CaseDoc(c)});
    if (!r.ok()) return r.status();
    c.id = (*r)[0].Int(0);
    KALM_RETURN_IF_ERROR(tx.Commit());
    return c;
  }

  StatusOr<domain::ComplaintCase> GetCase(Id ws, Id id) override {
    auto r = Read(std::string("SELECT ") + kCaseCols +
                      " FROM cases k JOIN clients c ON c.id = k.client_id "
                      "WHERE k.id = ? AND c.workspace_id = ?",
                  {id, ws});
    if (!r.ok()) return r.status();
    if (r->empty())
      return NotFoundError("case " + std::to_string(id) + " not found");
    return CaseOf((*r)[0]);
  }

  Status UpdateCase(Id ws, domain::ComplaintCase* c) override {
    KALM_RETURN_IF_ERROR(domain::Validate(*c));
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    domain::ComplaintCase next = *c;
    next.revision = c->revision + 1;
    auto r = db_->Query(
        "UPDATE cases SET title = ?, closed = ?, revision = ?, updated_at = ?, "
        "doc = ? WHERE id = ? AND revision = ? AND client_id = ? AND "
        "client_id IN (SELECT id FROM clients WHERE workspace_id = ?) "
        "RETURNING id",
        {next.title, int64_t{next.closed ? 1 : 0}, next.revision,
         next.updated_at, CaseDoc(next), next.id, c->revision, next.client_id,
         ws});
    if (!r.ok()) return r.status();
    if (r->empty()) {
      auto there = db_->Query(
          "SELECT k.revision FROM cases k JOIN clients c ON c.id = "
          "k.client_id WHERE k.id = ? AND k.client_id = ? AND c.workspace_id "
          "= ?",
          {c->id, c->client_id, ws});
      if (!there.ok()) return there.status();
      if (there->empty())
        return NotFoundError("case " + std::to_string(c->id) + " not found");
      return FailedPreconditionError(
          "the case was changed elsewhere; reload it and try again");
    }
    KALM_RETURN_IF_ERROR(tx.Commit());
    *c = std::move(next);
    return Status::Ok();
  }

  StatusOr<std::vector<domain::ComplaintCase>> ListCases(Id ws,
                                                         Id client) override {
    std::lock_guard<std::mutex> l(db_->mutex());
    if (client != 0) KALM_RETURN_IF_ERROR(Owned(ws, client));
    auto r = db_->Query(
        std::string("SELECT ") + kCaseCols +
            " FROM cases k JOIN clients c ON c.id = k.client_id WHERE "
            "c.workspace_id = ? AND (? = 0 OR k.client_id = ?) ORDER BY k.id "
            "DESC",
        {ws, client, client});
    if (!r.ok()) return r.status();
    std::vector<domain::ComplaintCase> out;
    for (const Row& row : *r) {
      auto c = CaseOf(row);
      if (!c.ok()) return c.status();
      out.push_back(std::move(*c));
    }
    return out;
  }

  StatusOr<Invoice> AddInvoice(Id ws, Id client, const Invoice& i) override {
    KALM_RETURN_IF_ERROR(domain::Validate(i));
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    KALM_RETURN_IF_ERROR(Owned(ws, client));
    auto r = db_->Query(
        "INSERT INTO invoices (client_id, number, amount_cents, currency, "
        "issued_at, due_at, paid_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "
        "id",
        {client, i.number, i.amount.cents, i.amount.currency, i.issued_at,
         i.due_at, Opt(i.paid_at)});
    if (!r.ok()) return Named(r.status(), "invoice " + i.number);
    KALM_RETURN_IF_ERROR(tx.Commit());
    Invoice out = i;
    out.id = (*r)[0].Int(0);
    out.client_id = client;
    return out;
  }

  Status MarkInvoicePaid(Id ws, Id invoice, UnixTime at) override {
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    auto r = db_->Query(
        "UPDATE invoices SET paid_at = ? WHERE id = ? AND client_id IN "
        "(SELECT id FROM clients WHERE workspace_id = ?) RETURNING id",
        {at, invoice, ws});
    if (!r.ok()) return r.status();
    if (r->empty())
      return NotFoundError("invoice " + std::to_string(invoice) + " not found");
    return tx.Commit();
  }

  StatusOr<domain::WorkspaceDump> Dump(Id ws) override {
    std::lock_guard<std::mutex> l(db_->mutex());
    // One snapshot: a read transaction, so a concurrent import cannot make
    // the backup half old, half new.
    KALM_RETURN_IF_ERROR(
        db_->Script(db_->Engine() == "postgresql"
                        ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                        : "BEGIN"));
    struct End {
      Db& db;
      ~End() { (void)db.Script("COMMIT"); }
    } end{*db_};
    domain::WorkspaceDump d;
    auto w = db_->Query(
        "SELECT id, name, created_at FROM workspaces WHERE id = ?", {ws});
    if (!w.ok()) return w.status();
    if (w->empty())
      return NotFoundError("workspace " + std::to_string(ws) + " not found");
    d.workspace = {(*w)[0].Int(0), (*w)[0].Str(1), (*w)[0].Int(2)};
    auto users = db_->Query(
        "SELECT id, workspace_id, email, display_name, role, created_at, "
        "password_hash FROM users WHERE workspace_id = ? ORDER BY id",
        {ws});
    if (!users.ok()) return users.status();
    for (const Row& r : *users)
      d.users.push_back(
          {{r.Int(0), r.Int(1), r.Str(2), r.Str(3), r.Str(4), r.Int(5)},
           r.Str(6)});
    auto clients = db_->Query(std::string("SELECT ") + kClientCols +
                                  " FROM clients WHERE workspace_id = ? "
                                  "ORDER BY id",
                              {ws});
    if (!clients.ok()) return clients.status();
    for (const Row& r : *clients) d.clients.push_back(ClientOf(r));
    const std::string of_ws =
        " JOIN clients c ON c.id = {t}.client_id WHERE c.workspace_id = ? "
        "ORDER BY {t}.id";
    auto scoped = [&](const char* cols, const char* table, const char* alias) {
      std::string where = of_ws;
      for (size_t at = where.find("{t}"); at != std::string::npos;
           at = where.find("{t}"))
        where.replace(at, 3, alias);
      return std::string("SELECT ") + cols + " FROM " + table + " " + alias +
             where;
    };
    auto agreements =
        db_->Query(scoped(kAgreementCols, "agreements", "a"), {ws});
    if (!agreements.ok()) return agreements.status();
    for (const Row& r : *agreements) {
      auto a = AgreementOf(r);
      if (!a.ok()) return a.status();
      d.agreements.push_back(std::move(*a));
    }
    auto messages = db_->Query(scoped(kMessageCols, "messages", "m"), {ws});
    if (!messages.ok()) return messages.status();
    for (const Row& r : *messages) d.messages.push_back(MessageOf(r));
    auto tasks = db_->Query(scoped(kTaskCols, "tasks", "t"), {ws});
    if (!tasks.ok()) return tasks.status();
    for (const Row& r : *tasks) d.tasks.push_back(TaskOf(r));
    auto invoices = db_->Query(scoped(kInvoiceCols, "invoices", "i"), {ws});
    if (!invoices.ok()) return invoices.status();
    for (const Row& r : *invoices) d.invoices.push_back(InvoiceOf(r));
    auto updates = db_->Query(scoped(kUpdateCols, "status_updates", "u"), {ws});
    if (!updates.ok()) return updates.status();
    for (const Row& r : *updates) d.updates.push_back(UpdateOf(r));
    auto cases = db_->Query(scoped(kCaseCols, "cases", "k"), {ws});
    if (!cases.ok()) return cases.status();
    for (const Row& r : *cases) {
      auto c = CaseOf(r);
      if (!c.ok()) return c.status();
      d.cases.push_back(std::move(*c));
    }
    auto cursors = db_->Query(
        "SELECT k.client_id, k.source, k.position FROM import_cursors k JOIN "
        "clients c ON c.id = k.client_id WHERE c.workspace_id = ? ORDER BY "
        "k.client_id, k.source",
        {ws});
    if (!cursors.ok()) return cursors.status();
    for (const Row& r : *cursors)
      d.cursors.push_back({r.Int(0), {r.Str(1), r.Int(2)}});
    return d;
  }

  Status Restore(const domain::WorkspaceDump& d) override {
    KALM_RETURN_IF_ERROR(CheckName("workspace name", d.workspace.name));
    std::set<Id> client_ids;
    for (const Client& c : d.clients) {
      Status st = domain::Validate(c);
      if (!st.ok())
        return InvalidArgumentError("client " + std::to_string(c.id) + ": " +
                                    std::string(st.message()));
      client_ids.insert(c.id);
    }
    auto known = [&](Id client, const char* what, Id id) -> Status {
      if (!client_ids.count(client))
        return InvalidArgumentError(std::string(what) + " " +
                                    std::to_string(id) + " belongs to client " +
                                    std::to_string(client) +
                                    ", who is not in the backup");
      return Status::Ok();
    };
    for (const Agreement& a : d.agreements) {
      KALM_RETURN_IF_ERROR(known(a.client_id, "agreement", a.id));
      KALM_RETURN_IF_ERROR(domain::Validate(a.terms));
    }
    for (const Message& m : d.messages) {
      KALM_RETURN_IF_ERROR(known(m.client_id, "message", m.id));
      Status st = domain::Validate(m);
      if (!st.ok())
        return InvalidArgumentError("message " + std::to_string(m.id) + ": " +
                                    std::string(st.message()));
    }
    for (const Task& t : d.tasks)
      KALM_RETURN_IF_ERROR(known(t.client_id, "task", t.id));
    for (const Invoice& i : d.invoices)
      KALM_RETURN_IF_ERROR(known(i.client_id, "invoice", i.id));
    for (const domain::StatusUpdate& u : d.updates) {
      KALM_RETURN_IF_ERROR(known(u.client_id, "status update", u.id));
      KALM_RETURN_IF_ERROR(domain::Validate(u));
    }
    for (const domain::ComplaintCase& c : d.cases) {
      KALM_RETURN_IF_ERROR(known(c.client_id, "case", c.id));
      KALM_RETURN_IF_ERROR(domain::Validate(c));
    }

    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    auto run = [&](const std::string& sql, const std::vector<Value>& params,
                   const std::string& what) -> Status {
      auto r = db_->Query(sql, params);
      if (!r.ok()) {
        if (r.status().code() == StatusCode::kAlreadyExists)
          return AlreadyExistsError(what +
                                    " exists already: restore into a database "
                                    "without this workspace");
        return r.status();
      }
      return Status::Ok();
    };
    const Id ws = d.workspace.id;
    KALM_RETURN_IF_ERROR(
        run("INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)",
            {ws, d.workspace.name, d.workspace.created_at},
            "workspace '" + d.workspace.name + "'"));
    for (const auto& [u, hash] : d.users)
      KALM_RETURN_IF_ERROR(
          run("INSERT INTO users (id, workspace_id, email, display_name, role, "
              "password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
              {u.id, ws, u.email, u.display_name, u.role, hash, u.created_at},
              "user " + u.email));
    for (const Client& c : d.clients)
      KALM_RETURN_IF_ERROR(run(
          "INSERT INTO clients (id, workspace_id, name, company, language, "
          "form, timezone, channels, notes, created_at) VALUES (?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?)",
          {c.id, ws, c.name, c.company, c.language, c.form, c.timezone,
           ListJson(c.channels), c.notes, c.created_at},
          "client " + std::to_string(c.id)));
    for (const Agreement& a : d.agreements)
      KALM_RETURN_IF_ERROR(
          run("INSERT INTO agreements (id, client_id, version, state, terms, "
              "created_at, sent_at, confirmed_at, confirmed_by, confirmed_how) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {a.id, a.client_id, int64_t{a.version},
               std::string(domain::AgreementStateName(a.state)),
               domain::ToJson(a.terms).dump(), a.created_at, Opt(a.sent_at),
               Opt(a.confirmed_at), a.confirmed_by, a.confirmed_how},
              "agreement " + std::to_string(a.id)));
    for (const Message& m : d.messages)
      KALM_RETURN_IF_ERROR(run(
          "INSERT INTO messages (id, client_id, direction, channel, sent_at, "
          "utc_offset_minutes, author, body, thread, source, source_position, "
          "dedup_key, analysis, analyzer_version) VALUES (?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?, ?)",
          {m.id, m.client_id, std::string(domain::DirectionName(m.direction)),
           m.channel, m.sent_at, int64_t{m.utc_offset_minutes}, m.author,
           m.body, m.thread, m.source, m.source_position,
           m.dedup_key.empty() ? domain::ContentKey(m) : m.dedup_key,
           m.analysis_json, m.analyzer_version},
          "message " + std::to_string(m.id)));
    for (const Task& t : d.tasks)
      KALM_RETURN_IF_ERROR(run(
          "INSERT INTO tasks (id, client_id, title, deadline, "
          "waiting_on_client_since, done_at, created_at) VALUES (?, ?, ?, ?, "
          "?, ?, ?)",
          {t.id, t.client_id, t.title, Opt(t.deadline),
           Opt(t.waiting_on_client_since), Opt(t.done_at), t.created_at},
          "task " + std::to_string(t.id)));
    for (const Invoice& i : d.invoices)
      KALM_RETURN_IF_ERROR(run(
          "INSERT INTO invoices (id, client_id, number, amount_cents, "
          "currency, issued_at, due_at, paid_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
          "?)",
          {i.id, i.client_id, i.number, i.amount.cents, i.amount.currency,
           i.issued_at, i.due_at, Opt(i.paid_at)},
          "invoice " + std::to_string(i.id)));
    for (const domain::StatusUpdate& u : d.updates)
      KALM_RETURN_IF_ERROR(
          run("INSERT INTO status_updates (id, client_id, kind, text, "
              "next_update_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
              {u.id, u.client_id, u.kind, u.text, Opt(u.next_update_at),
               u.created_at},
              "status update " + std::to_string(u.id)));
    for (const domain::ComplaintCase& c : d.cases)
      KALM_RETURN_IF_ERROR(run(
          "INSERT INTO cases (id, client_id, message_id, title, closed, "
          "revision, created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, "
          "?, ?)",
          {c.id, c.client_id, Opt(c.message_id), c.title,
           int64_t{c.closed ? 1 : 0}, c.revision, c.created_at, c.updated_at,
           CaseDoc(c)},
          "case " + std::to_string(c.id)));
    for (const auto& [client, cur] : d.cursors) {
      KALM_RETURN_IF_ERROR(known(client, "import cursor", 0));
      KALM_RETURN_IF_ERROR(run(
          "INSERT INTO import_cursors (client_id, source, position) VALUES (?, "
          "?, ?)",
          {client, cur.source, cur.position}, "import cursor"));
    }
    // Explicit ids do not move PostgreSQL's identity sequences.
    if (db_->Engine() == "postgresql")
      for (const char* table :
           {"workspaces", "users", "clients", "agreements", "messages", "tasks",
            "invoices", "status_updates"}) {
        auto r = db_->Query(
            std::string("SELECT setval(pg_get_serial_sequence('") + table +
                "', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM " + table +
                "), false)",
            {});
        if (!r.ok()) return r.status();
      }
    return tx.Commit();
  }

  StatusOr<std::vector<Invoice>> ListInvoices(Id ws, Id client) override {
    std::lock_guard<std::mutex> l(db_->mutex());
    KALM_RETURN_IF_ERROR(Owned(ws, client));
    auto r = db_->Query(std::string("SELECT ") + kInvoiceCols +
                            " FROM invoices i WHERE i.client_id = ? ORDER BY "
                            "i.issued_at, i.id",
                        {client});
    if (!r.ok()) return r.status();
    std::vector<Invoice> out;
    for (const Row& row : *r) out.push_back(InvoiceOf(row));
    return out;
  }

 private:
  // A read outside a transaction (each statement sees a consistent snapshot).
  StatusOr<std::vector<Row>> Read(const std::string& sql,
                                  const std::vector<Value>& params) {
    std::lock_guard<std::mutex> l(db_->mutex());
    return db_->Query(sql, params);
  }
  // One statement in its own transaction.
  StatusOr<std::vector<Row>> Write(const std::string& sql,
                                   const std::vector<Value>& params) {
    Tx tx(*db_);
    KALM_RETURN_IF_ERROR(tx.Begin());
    auto r = db_->Query(sql, params);
    if (!r.ok()) return r.status();
    KALM_RETURN_IF_ERROR(tx.Commit());
    return r;
  }
  // kNotFound unless the client belongs to the workspace. Caller holds the
  // lock.
  Status Owned(Id ws, Id client) {
    auto r =
        db_->Query("SELECT 1 FROM clients WHERE id = ? AND workspace_id = ?",
                   {client, ws});
    if (!r.ok()) return r.status();
    if (r->empty())
      return NotFoundError("client " + std::to_string(client) + " not found");
    return Status::Ok();
  }
  // Caller holds the lock.
  StatusOr<Agreement> AgreementIn(Id ws, Id agreement) {
    auto r = db_->Query(std::string("SELECT ") + kAgreementCols +
                            " FROM agreements a JOIN clients c ON c.id = "
                            "a.client_id WHERE a.id = ? AND c.workspace_id = ?",
                        {agreement, ws});
    if (!r.ok()) return r.status();
    if (r->empty())
      return NotFoundError("agreement " + std::to_string(agreement) +
                           " not found");
    return AgreementOf((*r)[0]);
  }
  StatusOr<Workspace> OneWorkspace(const std::string& sql,
                                   const std::vector<Value>& params,
                                   const std::string& what) {
    auto r = Read(sql, params);
    if (!r.ok()) return r.status();
    if (r->empty()) return NotFoundError(what + " not found");
    return Workspace{(*r)[0].Int(0), (*r)[0].Str(1), (*r)[0].Int(2)};
  }
  // A unique-constraint error says what exists, not the SQL.
  static Status Named(const Status& s, const std::string& what) {
    if (s.code() == StatusCode::kAlreadyExists)
      return AlreadyExistsError(what + " already exists");
    return s;
  }

  std::unique_ptr<Db> db_;
};

}  // namespace

const std::string& Row::Str(size_t i) const {
  static const std::string kEmpty;
  const auto& c = cols.at(i);
  return c ? *c : kEmpty;
}

int64_t Row::Int(size_t i) const {
  const auto& c = cols.at(i);
  if (!c || c->empty()) return 0;
  return std::strtoll(c->c_str(), nullptr, 10);
}

double Row::Real(size_t i) const {
  const auto& c = cols.at(i);
  return c ? std::strtod(c->c_str(), nullptr) : 0.0;
}

std::optional<int64_t> Row::OptInt(size_t i) const {
  if (Null(i)) return std::nullopt;
  return Int(i);
}

StatusOr<std::unique_ptr<domain::Store>> MakeSqlStore(std::unique_ptr<Db> db,
                                                      int target) {
  auto store = std::make_unique<SqlStore>(std::move(db));
  KALM_RETURN_IF_ERROR(store->Migrate(target));
  return std::unique_ptr<domain::Store>(std::move(store));
}

}  // namespace kalm::store
