-- SPDX-License-Identifier: MIT
-- 0007_change_feed: the change feed (storage/store.h, ChangeFeed). Every committed write to a
-- record the analytics read appends the subjects it affects, written by triggers so that writes
-- by any process (the server, an import from the CLI, the sqlite3 shell) are seen alike. The
-- live fact model (service/facts) reads the entries after the sequence number it has applied
-- and re-reads only those subjects. Entities: 'accounts' and 'opportunities' (audit and forecast
-- subjects), 'contacts', and the small tables 'users', 'teams', 'segments', 'playbooks'; '*'
-- means "everything may have changed" (a bulk load, which drops these triggers while it runs).

CREATE TABLE change_feed (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL
);
-- One row: entries with seq <= pruned_through have been deleted (a reader behind it reloads).
CREATE TABLE change_feed_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pruned_through INTEGER NOT NULL
);
INSERT INTO change_feed_state (id, pruned_through) VALUES (1, 0);

CREATE TRIGGER feed_opportunities_insert AFTER INSERT ON opportunities BEGIN
  INSERT INTO change_feed (entity, entity_id)
  VALUES ('opportunities', NEW.id), ('accounts', NEW.account_id);
END;
CREATE TRIGGER feed_opportunities_update AFTER UPDATE ON opportunities BEGIN
  INSERT INTO change_feed (entity, entity_id)
  VALUES ('opportunities', NEW.id), ('accounts', NEW.account_id), ('accounts', OLD.account_id);
END;
CREATE TRIGGER feed_opportunities_delete AFTER DELETE ON opportunities BEGIN
  INSERT INTO change_feed (entity, entity_id)
  VALUES ('opportunities', OLD.id), ('accounts', OLD.account_id);
END;

CREATE TRIGGER feed_opportunity_changes_insert AFTER INSERT ON opportunity_changes BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('opportunities', NEW.opportunity_id);
END;
CREATE TRIGGER feed_opportunity_changes_update AFTER UPDATE ON opportunity_changes BEGIN
  INSERT INTO change_feed (entity, entity_id)
  VALUES ('opportunities', NEW.opportunity_id), ('opportunities', OLD.opportunity_id);
END;
CREATE TRIGGER feed_opportunity_changes_delete AFTER DELETE ON opportunity_changes BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('opportunities', OLD.opportunity_id);
END;

-- An activity counts for its deal, its account, and (without an account) its contact's account.
CREATE TRIGGER feed_activities_insert AFTER INSERT ON activities BEGIN
  INSERT INTO change_feed (entity, entity_id)
  SELECT 'opportunities', NEW.opportunity_id WHERE NEW.opportunity_id IS NOT NULL
  UNION ALL SELECT 'accounts', NEW.account_id WHERE NEW.account_id IS NOT NULL
  UNION ALL SELECT 'accounts', account_id FROM contacts WHERE id = NEW.contact_id;
END;
CREATE TRIGGER feed_activities_update AFTER UPDATE ON activities BEGIN
  INSERT INTO change_feed (entity, entity_id)
  SELECT 'opportunities', NEW.opportunity_id WHERE NEW.opportunity_id IS NOT NULL
  UNION ALL SELECT 'accounts', NEW.account_id WHERE NEW.account_id IS NOT NULL
  UNION ALL SELECT 'accounts', account_id FROM contacts WHERE id = NEW.contact_id
  UNION ALL SELECT 'opportunities', OLD.opportunity_id
    WHERE OLD.opportunity_id IS NOT NULL AND OLD.opportunity_id IS NOT NEW.opportunity_id
  UNION ALL SELECT 'accounts', OLD.account_id
    WHERE OLD.account_id IS NOT NULL AND OLD.account_id IS NOT NEW.account_id
  UNION ALL SELECT 'accounts', account_id FROM contacts
    WHERE id = OLD.contact_id AND OLD.contact_id IS NOT NEW.contact_id;
END;
CREATE TRIGGER feed_activities_delete AFTER DELETE ON activities BEGIN
  INSERT INTO change_feed (entity, entity_id)
  SELECT 'opportunities', OLD.opportunity_id WHERE OLD.opportunity_id IS NOT NULL
  UNION ALL SELECT 'accounts', OLD.account_id WHERE OLD.account_id IS NOT NULL
  UNION ALL SELECT 'accounts', account_id FROM contacts WHERE id = OLD.contact_id;
END;

CREATE TRIGGER feed_scorecard_answers_insert AFTER INSERT ON scorecard_answers BEGIN
  INSERT INTO change_feed (entity, entity_id)
  VALUES (CASE NEW.subject_type WHEN 'opportunity' THEN 'opportunities' ELSE 'accounts' END,
          NEW.subject_id);
END;
CREATE TRIGGER feed_scorecard_answers_update AFTER UPDATE ON scorecard_answers BEGIN
  INSERT INTO change_feed (entity, entity_id)
  VALUES (CASE NEW.subject_type WHEN 'opportunity' THEN 'opportunities' ELSE 'accounts' END,
          NEW.subject_id),
         (CASE OLD.subject_type WHEN 'opportunity' THEN 'opportunities' ELSE 'accounts' END,
          OLD.subject_id);
END;
CREATE TRIGGER feed_scorecard_answers_delete AFTER DELETE ON scorecard_answers BEGIN
  INSERT INTO change_feed (entity, entity_id)
  VALUES (CASE OLD.subject_type WHEN 'opportunity' THEN 'opportunities' ELSE 'accounts' END,
          OLD.subject_id);
END;

-- A contact counts for its account; its buying role also for the deals and accounts of the
-- activities held with it.
CREATE TRIGGER feed_contacts_insert AFTER INSERT ON contacts BEGIN
  INSERT INTO change_feed (entity, entity_id)
  VALUES ('contacts', NEW.id), ('accounts', NEW.account_id);
END;
CREATE TRIGGER feed_contacts_update AFTER UPDATE ON contacts BEGIN
  INSERT INTO change_feed (entity, entity_id)
  VALUES ('contacts', NEW.id), ('accounts', NEW.account_id), ('accounts', OLD.account_id);
END;
CREATE TRIGGER feed_contacts_update_role AFTER UPDATE OF buying_role, account_id ON contacts
WHEN OLD.buying_role IS NOT NEW.buying_role OR OLD.account_id IS NOT NEW.account_id BEGIN
  INSERT INTO change_feed (entity, entity_id)
  SELECT DISTINCT 'opportunities', opportunity_id FROM activities
    WHERE contact_id = NEW.id AND opportunity_id IS NOT NULL
  UNION SELECT DISTINCT 'accounts', account_id FROM activities
    WHERE contact_id = NEW.id AND account_id IS NOT NULL;
END;
CREATE TRIGGER feed_contacts_delete AFTER DELETE ON contacts BEGIN
  INSERT INTO change_feed (entity, entity_id)
  VALUES ('contacts', OLD.id), ('accounts', OLD.account_id);
END;

CREATE TRIGGER feed_orders_insert AFTER INSERT ON orders BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('accounts', NEW.account_id);
END;
CREATE TRIGGER feed_orders_update AFTER UPDATE ON orders BEGIN
  INSERT INTO change_feed (entity, entity_id)
  VALUES ('accounts', NEW.account_id), ('accounts', OLD.account_id);
END;
CREATE TRIGGER feed_orders_delete AFTER DELETE ON orders BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('accounts', OLD.account_id);
END;

CREATE TRIGGER feed_accounts_insert AFTER INSERT ON accounts BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('accounts', NEW.id);
END;
CREATE TRIGGER feed_accounts_update AFTER UPDATE ON accounts BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('accounts', NEW.id);
END;
CREATE TRIGGER feed_accounts_delete AFTER DELETE ON accounts BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('accounts', OLD.id);
END;

CREATE TRIGGER feed_users_insert AFTER INSERT ON users BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('users', NEW.id);
END;
CREATE TRIGGER feed_users_update AFTER UPDATE ON users BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('users', NEW.id);
END;
CREATE TRIGGER feed_users_delete AFTER DELETE ON users BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('users', OLD.id);
END;

CREATE TRIGGER feed_teams_insert AFTER INSERT ON teams BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('teams', NEW.id);
END;
CREATE TRIGGER feed_teams_update AFTER UPDATE ON teams BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('teams', NEW.id);
END;
CREATE TRIGGER feed_teams_delete AFTER DELETE ON teams BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('teams', OLD.id);
END;

CREATE TRIGGER feed_segments_insert AFTER INSERT ON segments BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('segments', NEW.id);
END;
CREATE TRIGGER feed_segments_update AFTER UPDATE ON segments BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('segments', NEW.id);
END;
CREATE TRIGGER feed_segments_delete AFTER DELETE ON segments BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('segments', OLD.id);
END;

CREATE TRIGGER feed_playbooks_insert AFTER INSERT ON playbooks BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('playbooks', NEW.id);
END;
CREATE TRIGGER feed_playbooks_update AFTER UPDATE ON playbooks BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('playbooks', NEW.id);
END;
CREATE TRIGGER feed_playbooks_delete AFTER DELETE ON playbooks BEGIN
  INSERT INTO change_feed (entity, entity_id) VALUES ('playbooks', OLD.id);
END;
