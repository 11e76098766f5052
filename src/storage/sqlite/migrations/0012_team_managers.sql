-- SPDX-License-Identifier: MIT
-- 0012_team_managers: a team may have several managers (issue 16: exports from other CRMs name
-- two team leads). team_managers holds every manager of every team
-- (storage::internal::Table<TeamManager>); teams.manager_id stays as the first of them, the one
-- older clients read and write. The triggers keep the two in step: setting teams.manager_id
-- makes that user a manager of the team (and un-sets the one it replaces); the other managers
-- are added and removed in team_managers alone. Existing managers are copied in. note says how
-- a manager came: 'manager_id' (the trigger), 'import', 'set by <name>'.

CREATE TABLE team_managers (
  id INTEGER PRIMARY KEY,
  team_id INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  created_at TEXT NOT NULL,
  note TEXT NOT NULL,
  CONSTRAINT team_managers_team_id_user_id_key UNIQUE (team_id, user_id)
);
CREATE INDEX team_managers_user_id_idx ON team_managers (user_id);

INSERT INTO team_managers (team_id, user_id, created_at, note)
SELECT id, manager_id, updated_at, 'manager_id' FROM teams WHERE manager_id IS NOT NULL;

CREATE TRIGGER team_managers_follow_insert AFTER INSERT ON teams
WHEN NEW.manager_id IS NOT NULL BEGIN
  INSERT OR IGNORE INTO team_managers (team_id, user_id, created_at, note)
  VALUES (NEW.id, NEW.manager_id, NEW.updated_at, 'manager_id');
END;
CREATE TRIGGER team_managers_follow_update AFTER UPDATE OF manager_id ON teams
WHEN NEW.manager_id IS NOT OLD.manager_id BEGIN
  DELETE FROM team_managers WHERE team_id = OLD.id AND user_id = OLD.manager_id;
  INSERT OR IGNORE INTO team_managers (team_id, user_id, created_at, note)
  SELECT NEW.id, NEW.manager_id, NEW.updated_at, 'manager_id' WHERE NEW.manager_id IS NOT NULL;
END;

-- As every table (0009): a deleted id is never given to another row.
CREATE TRIGGER retire_team_managers_ids AFTER DELETE ON team_managers BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('team_managers', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;

-- A change of a team's managers is a change of the team for the change feed (0007).
CREATE TRIGGER feed_team_managers_insert AFTER INSERT ON team_managers BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('teams', NEW.team_id);
END;
CREATE TRIGGER feed_team_managers_delete AFTER DELETE ON team_managers BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('teams', OLD.team_id);
END;
