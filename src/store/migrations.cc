#include "store/migrations.h"

namespace kalm::store {

const std::vector<Migration>& Migrations() {
  static const auto* k = new std::vector<Migration>{
      {1, "workspaces, users, clients, agreements", R"sql(
CREATE TABLE workspaces (
  id %ID%,
  name TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE TABLE users (
  id %ID%,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE clients (
  id %ID%,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  company TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  form TEXT NOT NULL DEFAULT '',
  timezone TEXT NOT NULL,
  channels TEXT NOT NULL DEFAULT '[]',
  notes TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE TABLE agreements (
  id %ID%,
  client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  state TEXT NOT NULL,
  terms TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  confirmed_at BIGINT,
  confirmed_by TEXT NOT NULL DEFAULT '',
  confirmed_how TEXT NOT NULL DEFAULT '',
  UNIQUE (client_id, version)
);
)sql"},
      {2, "messages, import cursors, tasks, invoices", R"sql(
CREATE TABLE messages (
  id %ID%,
  client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  direction TEXT NOT NULL,
  channel TEXT NOT NULL DEFAULT '',
  sent_at BIGINT NOT NULL,
  utc_offset_minutes INTEGER NOT NULL DEFAULT 0,
  author TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  thread TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  source_position BIGINT NOT NULL DEFAULT 0,
  dedup_key TEXT NOT NULL,
  analysis TEXT NOT NULL DEFAULT '',
  analyzer_version TEXT NOT NULL DEFAULT '',
  UNIQUE (client_id, dedup_key)
);
CREATE INDEX messages_by_time ON messages (client_id, sent_at, id);
CREATE TABLE import_cursors (
  client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  position BIGINT NOT NULL,
  PRIMARY KEY (client_id, source)
);
CREATE TABLE tasks (
  id %ID%,
  client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  deadline BIGINT,
  waiting_on_client_since BIGINT,
  done_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE TABLE invoices (
  id %ID%,
  client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  number TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  currency TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  paid_at BIGINT,
  UNIQUE (client_id, number)
);
)sql"},
      {3, "sessions and login throttling", R"sql(
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE TABLE login_failures (
  key TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
)sql"},
      {4, "client portal links", R"sql(
CREATE TABLE portal_links (
  token_hash TEXT PRIMARY KEY,
  client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX portal_links_by_client ON portal_links (client_id);
)sql"},
      {5, "status updates for the client", R"sql(
CREATE TABLE status_updates (
  id %ID%,
  client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  next_update_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX status_updates_by_client ON status_updates (client_id, id);
)sql"},
      {6, "complaint cases", R"sql(
CREATE TABLE cases (
  id %ID%,
  client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  message_id BIGINT,
  title TEXT NOT NULL,
  closed INTEGER NOT NULL,
  revision BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX cases_by_client ON cases (client_id, id);
)sql"},
  };
  return *k;
}

}  // namespace kalm::store
