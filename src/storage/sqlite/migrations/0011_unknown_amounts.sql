-- SPDX-License-Identifier: MIT
-- 0011_unknown_amounts: an opportunity's amount may be unknown (an empty cell in another CRM's
-- export) rather than 0. amount_minor stays NOT NULL and holds 0 then; amount_known says which.
-- Deals stored before this migration keep the amount they had (known).

ALTER TABLE opportunities ADD COLUMN amount_known INTEGER NOT NULL DEFAULT 1
  CONSTRAINT opportunities_amount_known_is_bool CHECK (amount_known IN (0, 1));
