// The repository interface: everything kalm keeps, behind one abstract Store
// with an implementation per database engine (src/store: SQLite, PostgreSQL).
//
// Every call about a client names the caller's workspace; a row of another
// workspace is reported as kNotFound, exactly like a missing one, so ids of
// other workspaces reveal nothing. Writes are transactional: a call that
// fails changes nothing.
//
// Thread-safety: implementations are safe to call from several threads (they
// serialise on their connection).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kalm/core/status.h"
#include "kalm/domain/complaint_case.h"
#include "kalm/domain/model.h"

namespace kalm::domain {

// Limits on what a store accepts, so untrusted input cannot grow a row
// without bound (kResourceExhausted when exceeded).
inline constexpr size_t kMaxNameBytes = 200;
inline constexpr size_t kMaxBodyBytes = 1 << 20;  // one message
inline constexpr size_t kMaxNotesBytes = 64 << 10;

// Where an import stands in one source file: the messages up to `position`
// are stored. Saved in the same transaction as the batch it ends, so a killed
// import resumes after its last whole batch.
struct ImportCursor {
  std::string source;    // a key for the file (its path and size)
  int64_t position = 0;  // a byte offset or a message number
};

struct AddResult {
  int added = 0;
  int duplicates = 0;  // same dedup_key as a stored message of the client
};

struct MessageQuery {
  std::optional<UnixTime> from;  // sent_at >= from
  std::optional<UnixTime> to;    // sent_at < to
  size_t limit = 0;              // 0: all
};

// A logged-in browser: the server keeps none of its own, so any server
// process on the same database can serve it.
struct Session {
  std::string token_hash;  // BLAKE2b of the cookie's token; never the token
  Id user_id = 0;
  Id workspace_id = 0;
  std::string csrf;  // the token state-changing requests must echo
  UnixTime expires_at = 0;
};

// Everything of one workspace, for a backup: restoring it into a database
// without that workspace gives the same rows, ids included.
struct WorkspaceDump {
  Workspace workspace;
  std::vector<std::pair<User, std::string>> users;  // with password hashes
  std::vector<Client> clients;
  std::vector<Agreement> agreements;
  std::vector<Message> messages;
  std::vector<Task> tasks;
  std::vector<Invoice> invoices;
  std::vector<StatusUpdate> updates;
  std::vector<ComplaintCase> cases;
  std::vector<std::pair<Id, ImportCursor>> cursors;  // per client id
};

class Store {
 public:
  virtual ~Store() = default;

  // "sqlite" or "postgresql".
  virtual std::string_view Engine() const = 0;
  // The schema version the database is at (the newest this build knows,
  // once opened).
  virtual StatusOr<int> SchemaVersion() = 0;

  // Workspaces. Errors: kInvalidArgument (empty or too long a name),
  // kAlreadyExists (the name is taken), kNotFound, kUnavailable.
  virtual StatusOr<Workspace> CreateWorkspace(std::string_view name,
                                              UnixTime now) = 0;
  virtual StatusOr<Workspace> GetWorkspace(Id id) = 0;
  virtual StatusOr<Workspace> FindWorkspace(std::string_view name) = 0;
  virtual StatusOr<std::vector<Workspace>> ListWorkspaces() = 0;

  // Users. The password hash is stored as given (argon2id, made by the
  // server layer) and never returned by the listing calls. Errors:
  // kAlreadyExists (the e-mail is taken in any workspace), kNotFound.
  virtual StatusOr<User> AddUser(Id workspace, const User& user,
                                 std::string_view password_hash,
                                 UnixTime now) = 0;
  virtual StatusOr<std::vector<User>> ListUsers(Id workspace) = 0;
  // Users in all workspaces (0 means the first run has not happened).
  virtual StatusOr<int64_t> CountUsers() = 0;
  // The first run: creates the workspace and its owner in one transaction,
  // only while no user exists anywhere (two processes racing get one owner).
  // Errors: kFailedPrecondition (an account exists already), kInvalidArgument,
  // kAlreadyExists (the workspace name is taken).
  virtual StatusOr<User> CreateFirstOwner(std::string_view workspace_name,
                                          const User& owner,
                                          std::string_view password_hash,
                                          UnixTime now) = 0;
  // With the stored password hash, for logging in. Errors: kNotFound.
  virtual StatusOr<std::pair<User, std::string>> FindUserByEmail(
      std::string_view email) = 0;

  // Sessions and login throttling, shared by every server process.
  // GetSession: kNotFound when missing or expired.
  virtual Status CreateSession(const Session& session, UnixTime now) = 0;
  virtual StatusOr<Session> GetSession(std::string_view token_hash,
                                       UnixTime now) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  // Failed logins for a key ("user:eva@x.nl", "addr:127.0.0.1") since a
  // moment; old records are pruned as new ones come in.
  virtual StatusOr<int> CountLoginFailures(std::string_view key,
                                           UnixTime since) = 0;
  virtual Status RecordLoginFailure(std::string_view key, UnixTime at) = 0;

  // Client portal links: a random token (stored as its hash) that lets a
  // client see and confirm their agreement. FindPortalLink gives the client
  // and workspace of a link that exists, has not expired and was not
  // revoked; kNotFound otherwise (one answer for all three).
  virtual Status CreatePortalLink(Id workspace, Id client,
                                  std::string_view token_hash, UnixTime now,
                                  UnixTime expires_at) = 0;
  virtual Status RevokePortalLinks(Id workspace, Id client, UnixTime now) = 0;
  virtual StatusOr<std::pair<Id, Id>> FindPortalLink(
      std::string_view token_hash, UnixTime now) = 0;  // (workspace, client)

  // Clients. Errors: kInvalidArgument (see Validate), kAlreadyExists (a
  // client of that name in the workspace), kNotFound.
  virtual StatusOr<Client> AddClient(Id workspace, const Client& client,
                                     UnixTime now) = 0;
  virtual StatusOr<Client> GetClient(Id workspace, Id client) = 0;
  // By exact name, then case-insensitively, then by a case-insensitive prefix
  // ("Sanne" for "Sanne de Vries"), each only when exactly one matches.
  // Errors: kNotFound, kInvalidArgument (more than one matches).
  virtual StatusOr<Client> FindClient(Id workspace, std::string_view name) = 0;
  virtual StatusOr<std::vector<Client>> ListClients(Id workspace) = 0;
  virtual Status UpdateClient(Id workspace, const Client& client) = 0;

  // Agreements, versioned per client: draft -> sent -> confirmed ->
  // superseded. SaveDraft edits the open draft (or sent, not yet confirmed)
  // version in place, else starts version n+1 as a draft. Confirm makes a
  // draft or sent version the confirmed one and supersedes the one before,
  // in one transaction. Errors: kNotFound, kFailedPrecondition (confirming a
  // superseded version, sending a confirmed one), kInvalidArgument.
  virtual StatusOr<Agreement> SaveDraft(Id workspace, Id client,
                                        const AgreementTerms& terms,
                                        UnixTime now) = 0;
  virtual StatusOr<Agreement> MarkSent(Id workspace, Id agreement,
                                       UnixTime at) = 0;
  virtual StatusOr<Agreement> Confirm(Id workspace, Id agreement, UnixTime at,
                                      std::string_view by,
                                      std::string_view how) = 0;
  virtual StatusOr<Agreement> GetAgreement(Id workspace, Id agreement) = 0;
  // The confirmed version; kNotFound when none was confirmed yet.
  virtual StatusOr<Agreement> CurrentAgreement(Id workspace, Id client) = 0;
  // Every version, newest first.
  virtual StatusOr<std::vector<Agreement>> AgreementHistory(Id workspace,
                                                            Id client) = 0;

  // Messages. AddMessages stores a batch in one transaction: each message is
  // validated first (one bad message fails the batch with kInvalidArgument
  // naming its index), a message whose dedup_key the client already has is
  // counted as a duplicate and skipped, and `cursor` (when given) is saved
  // with it. The ids of added messages are written back into `messages`.
  virtual StatusOr<AddResult> AddMessages(Id workspace, Id client,
                                          std::vector<Message>& messages,
                                          const ImportCursor* cursor) = 0;
  // Oldest first (sent_at, then id).
  virtual StatusOr<std::vector<Message>> ListMessages(
      Id workspace, Id client, const MessageQuery& query) = 0;
  // One message of the client. Errors: kNotFound (no such message of that
  // client in that workspace).
  virtual StatusOr<Message> GetMessage(Id workspace, Id client, Id message) = 0;
  virtual Status SaveAnalysis(Id workspace, Id message,
                              std::string_view analysis_json,
                              std::string_view analyzer_version) = 0;
  // 0 when the source was never imported.
  virtual StatusOr<int64_t> ImportPosition(Id workspace, Id client,
                                           std::string_view source) = 0;

  // Tasks and invoices. Errors: kNotFound, kInvalidArgument, kAlreadyExists
  // (an invoice number the client has).
  virtual StatusOr<Task> AddTask(Id workspace, Id client, const Task& task,
                                 UnixTime now) = 0;
  virtual Status UpdateTask(Id workspace, const Task& task) = 0;
  virtual StatusOr<std::vector<Task>> ListTasks(Id workspace, Id client) = 0;
  // One task of the client. Errors: kNotFound.
  virtual StatusOr<Task> GetTask(Id workspace, Id client, Id task) = 0;
  // Status updates, oldest first. Errors: kInvalidArgument (see Validate),
  // kNotFound (a client of another workspace).
  virtual StatusOr<StatusUpdate> AddStatusUpdate(Id workspace, Id client,
                                                 const StatusUpdate& update,
                                                 UnixTime now) = 0;
  virtual StatusOr<std::vector<StatusUpdate>> ListStatusUpdates(Id workspace,
                                                                Id client) = 0;
  // Complaint cases. UpdateCase stores `*c` only when the stored copy is
  // still at c->revision, and then counts the revision up (else
  // kFailedPrecondition: changed elsewhere, reload). AddCase checks that the
  // message, if any, is the client's. Errors: kInvalidArgument (see
  // Validate), kNotFound (a case, client or message of another workspace).
  virtual StatusOr<ComplaintCase> AddCase(Id workspace,
                                          const ComplaintCase& c) = 0;
  virtual StatusOr<ComplaintCase> GetCase(Id workspace, Id id) = 0;
  virtual Status UpdateCase(Id workspace, ComplaintCase* c) = 0;
  // Newest first; client 0: every client of the workspace.
  virtual StatusOr<std::vector<ComplaintCase>> ListCases(Id workspace,
                                                         Id client) = 0;
  virtual StatusOr<Invoice> AddInvoice(Id workspace, Id client,
                                       const Invoice& invoice) = 0;
  virtual Status MarkInvoicePaid(Id workspace, Id invoice, UnixTime at) = 0;
  virtual StatusOr<std::vector<Invoice>> ListInvoices(Id workspace,
                                                      Id client) = 0;

  // Backup and restore of a whole workspace. Restore inserts every row with
  // its id in one transaction. Errors: kAlreadyExists (the workspace name or
  // an id is taken: restore into a database without them), kInvalidArgument
  // (a row that fails validation or points at a row not in the dump).
  virtual StatusOr<WorkspaceDump> Dump(Id workspace) = 0;
  virtual Status Restore(const WorkspaceDump& dump) = 0;
};

}  // namespace kalm::domain
