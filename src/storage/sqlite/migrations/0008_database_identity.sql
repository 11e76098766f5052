-- SPDX-License-Identifier: MIT
-- 0008_database_identity: a random token that names this database (Store::DatabaseId), so that
-- files kept beside it (the live facts, service/facts/fact_file.h) are never read for another
-- database that took its path (a demo generated anew, a restored backup of another company).

CREATE TABLE database_identity (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  token TEXT NOT NULL
);
INSERT INTO database_identity (id, token) VALUES (1, lower(hex(randomblob(16))));
