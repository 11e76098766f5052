-- SPDX-License-Identifier: MIT
-- 0009_ids_never_reused: an id, once deleted, is never given to another record. SQLite gives a
-- new row the largest rowid + 1, so deleting the newest record let the next one take its id
-- (old links and change-log entries then named the new record). Each table's highest deleted id
-- is kept here; inserts (storage/sqlite/sqlite_repository.h) take the next id above both it and
-- the largest id in the table.

CREATE TABLE retired_ids (
  tbl TEXT PRIMARY KEY,
  high INTEGER NOT NULL
);
CREATE TRIGGER retire_users_ids AFTER DELETE ON users BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('users', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_teams_ids AFTER DELETE ON teams BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('teams', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_segments_ids AFTER DELETE ON segments BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('segments', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_accounts_ids AFTER DELETE ON accounts BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('accounts', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_contacts_ids AFTER DELETE ON contacts BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('contacts', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_leads_ids AFTER DELETE ON leads BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('leads', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_campaigns_ids AFTER DELETE ON campaigns BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('campaigns', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_opportunities_ids AFTER DELETE ON opportunities BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('opportunities', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_opportunity_changes_ids AFTER DELETE ON opportunity_changes BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('opportunity_changes', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_activities_ids AFTER DELETE ON activities BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('activities', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_orders_ids AFTER DELETE ON orders BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('orders', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_objectives_ids AFTER DELETE ON objectives BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('objectives', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_value_propositions_ids AFTER DELETE ON value_propositions BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('value_propositions', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_sessions_ids AFTER DELETE ON sessions BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('sessions', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_account_shares_ids AFTER DELETE ON account_shares BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('account_shares', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_audit_log_ids AFTER DELETE ON audit_log BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('audit_log', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_playbooks_ids AFTER DELETE ON playbooks BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('playbooks', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_scorecard_answers_ids AFTER DELETE ON scorecard_answers BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('scorecard_answers', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_audit_runs_ids AFTER DELETE ON audit_runs BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('audit_runs', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_forecast_snapshots_ids AFTER DELETE ON forecast_snapshots BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('forecast_snapshots', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
CREATE TRIGGER retire_action_items_ids AFTER DELETE ON action_items BEGIN
  INSERT INTO retired_ids (tbl, high) VALUES ('action_items', OLD.id)
  ON CONFLICT (tbl) DO UPDATE SET high = max(high, excluded.high);
END;
