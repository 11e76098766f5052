-- SPDX-License-Identifier: MIT
-- 0004_audit: playbooks, dated scorecard answers, saved audit runs and action items
-- (storage::internal::Table<PlaybookVersion|ScorecardAnswer|AuditRun|ActionItem> in
-- storage/schema.h), and the next-step date in opportunity history.

ALTER TABLE opportunity_changes ADD COLUMN next_step_on TEXT;

CREATE TABLE playbooks (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CONSTRAINT playbooks_name_not_empty CHECK (length(name) > 0),
  revision INTEGER NOT NULL CONSTRAINT playbooks_revision_positive CHECK (revision > 0),
  subject_type TEXT NOT NULL
    CONSTRAINT playbooks_subject_type_valid CHECK (subject_type IN ('opportunity', 'account')),
  body TEXT NOT NULL,
  checksum TEXT NOT NULL,
  active INTEGER NOT NULL CONSTRAINT playbooks_active_bool CHECK (active IN (0, 1)),
  loaded_by INTEGER REFERENCES users (id) ON DELETE RESTRICT,
  loaded_at TEXT NOT NULL,
  CONSTRAINT playbooks_name_revision_key UNIQUE (name, revision)
);
-- At most one active playbook per subject type.
CREATE UNIQUE INDEX playbooks_active_subject_type_key ON playbooks (subject_type) WHERE active = 1;

-- Append-only: a new answer is a new row; the latest at or before an instant is the answer then.
CREATE TABLE scorecard_answers (
  id INTEGER PRIMARY KEY,
  subject_type TEXT NOT NULL
    CONSTRAINT scorecard_answers_subject_type_valid
    CHECK (subject_type IN ('opportunity', 'account')),
  subject_id INTEGER NOT NULL,
  criterion_id TEXT NOT NULL
    CONSTRAINT scorecard_answers_criterion_id_not_empty CHECK (length(criterion_id) > 0),
  answer TEXT NOT NULL
    CONSTRAINT scorecard_answers_answer_valid CHECK (answer IN ('yes', 'no', 'unknown')),
  note TEXT NOT NULL,
  answered_by INTEGER REFERENCES users (id) ON DELETE RESTRICT,
  answered_at TEXT NOT NULL,
  CONSTRAINT scorecard_answers_subject_criterion_answered_at_key
    UNIQUE (subject_type, subject_id, criterion_id, answered_at)
);

-- Immutable: salesbox inserts runs and never updates or deletes them.
CREATE TABLE audit_runs (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  as_of TEXT NOT NULL,
  scope TEXT NOT NULL,
  playbooks TEXT NOT NULL,
  items INTEGER NOT NULL,
  green INTEGER NOT NULL,
  yellow INTEGER NOT NULL,
  red INTEGER NOT NULL,
  created_by INTEGER REFERENCES users (id) ON DELETE RESTRICT,
  created_at TEXT NOT NULL,
  report TEXT NOT NULL,
  CONSTRAINT audit_runs_counts_add_up CHECK (green + yellow + red = items),
  CONSTRAINT audit_runs_event_id_key UNIQUE (event_id)
);
CREATE INDEX audit_runs_scope_as_of_idx ON audit_runs (scope, as_of);

CREATE TABLE action_items (
  id INTEGER PRIMARY KEY,
  activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
  subject_type TEXT NOT NULL
    CONSTRAINT action_items_subject_type_valid CHECK (subject_type IN ('opportunity', 'account')),
  subject_id INTEGER NOT NULL,
  criterion_id TEXT NOT NULL,
  run_id INTEGER REFERENCES audit_runs (id) ON DELETE RESTRICT,
  created_by INTEGER REFERENCES users (id) ON DELETE RESTRICT,
  created_at TEXT NOT NULL,
  CONSTRAINT action_items_activity_id_key UNIQUE (activity_id)
);
CREATE INDEX action_items_subject_idx ON action_items (subject_type, subject_id);
