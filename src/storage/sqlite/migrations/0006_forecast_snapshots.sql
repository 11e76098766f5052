-- SPDX-License-Identifier: MIT
-- 0006_forecast_snapshots: weekly forecast snapshots (storage::internal::Table<ForecastSnapshot>
-- in storage/schema.h): every open deal's state and probabilities when the snapshot was taken.

CREATE TABLE forecast_snapshots (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  as_of TEXT NOT NULL,
  period TEXT NOT NULL,
  method TEXT NOT NULL,
  deals INTEGER NOT NULL CONSTRAINT forecast_snapshots_deals_not_negative CHECK (deals >= 0),
  taken_by INTEGER REFERENCES users (id) ON DELETE RESTRICT,
  taken_at TEXT NOT NULL,
  items TEXT NOT NULL,
  CONSTRAINT forecast_snapshots_event_id_key UNIQUE (event_id)
);
CREATE INDEX forecast_snapshots_taken_at_idx ON forecast_snapshots (taken_at);
