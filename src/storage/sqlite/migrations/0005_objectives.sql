-- SPDX-License-Identifier: MIT
-- 0005_objectives: objectives get a typed metric and a money target in integer minor units
-- (storage::internal::Table<Objective> in storage/schema.h). Money targets were never written
-- before this migration (no writer existed), so no data moves.

ALTER TABLE objectives ADD COLUMN target_amount_minor INTEGER;
ALTER TABLE objectives ADD COLUMN target_amount_currency TEXT;
