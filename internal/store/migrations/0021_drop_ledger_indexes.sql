-- Quietdesk schema, version 21: two ledger indexes no query needs.
--
-- ledger_patient (patient_id) is a prefix of ledger_patient_sums
-- (migration 14), which every query reading a patient's entries can use:
-- the ledger is append-only, so deleted is always 0. Nothing has looked up
-- ledger_appointment since migration 20's covering indexes for the fees.
-- Each was a page written at random for every entry posted: an 837P of
-- 2,400 first exports dirtied 2,800 pages of them, a quarter of what its
-- commit wrote.
DROP INDEX ledger_patient;
DROP INDEX ledger_appointment;
