-- SPDX-License-Identifier: MIT
-- 0002_access: sign-in sessions, accounts shared with other users, and the audit log
-- (storage::internal::Table<Session|AccountShare|AuditEntry> in storage/schema.h).

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  remote_address TEXT NOT NULL,
  CONSTRAINT sessions_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE account_shares (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  created_at TEXT NOT NULL,
  note TEXT NOT NULL,
  CONSTRAINT account_shares_account_id_user_id_key UNIQUE (account_id, user_id)
);
CREATE INDEX account_shares_user_id_idx ON account_shares (user_id);

-- Append-only: salesbox inserts entries and never updates or deletes them. Entries keep the
-- ids of deleted records, so entity_id and user_id are not foreign keys (a user who left still
-- has their history).
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  at TEXT NOT NULL,
  user_id INTEGER,
  action TEXT NOT NULL
    CONSTRAINT audit_log_action_valid CHECK (action IN ('create', 'update', 'delete')),
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  changes TEXT NOT NULL,
  CONSTRAINT audit_log_event_id_key UNIQUE (event_id)
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
CREATE INDEX audit_log_user_id_idx ON audit_log (user_id);
CREATE INDEX audit_log_at_idx ON audit_log (at);
