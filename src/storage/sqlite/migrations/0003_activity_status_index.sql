-- SPDX-License-Identifier: MIT
-- 0003_activity_status_index: a user's planned, overdue and recently completed activities are
-- what the start page and the activity list ask for on every visit ("owner in (...) and status =
-- 'planned' and at < now"). With (owner_id, at) SQLite walked every past activity of the owner
-- and read each row for its status; (owner_id, status, at) answers with one index range per
-- owner and status. It replaces the old index rather than adding one, so bulk loads rebuild no
-- more indexes than before.
DROP INDEX activities_owner_id_at_idx;
CREATE INDEX activities_owner_id_status_at_idx ON activities (owner_id, status, at);
