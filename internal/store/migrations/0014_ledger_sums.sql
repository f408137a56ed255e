-- Quietdesk schema, version 14: indexes for the billing dashboards.
--
-- The dashboards are sums SQLite computes over the ledger's plain columns
-- (store.LedgerSums). Each index below holds every column one of those
-- sums reads, in the order it groups them, so SQLite reads the index in
-- order instead of every ledger row (with its sealed note) and sorts
-- nothing. No new column: amounts, dates, kinds, parties and payer ids
-- were plain already (migration 12).

-- What each claim line still owes its payer (grouped by claim and line).
CREATE INDEX ledger_lines ON ledger (party, claim_id, line, kind, amount_cents, on_date, payer_id) WHERE deleted = 0;
-- What each patient owes (grouped by patient).
CREATE INDEX ledger_patient_sums ON ledger (patient_id, party, kind, amount_cents, on_date) WHERE deleted = 0;
-- Charges, collections and fees by month.
CREATE INDEX ledger_months ON ledger (on_date, kind, amount_cents, expected_cents) WHERE deleted = 0;
-- Denials by payer and reason; fees; the first charge.
CREATE INDEX ledger_kind ON ledger (kind, on_date) WHERE deleted = 0;
-- A session's fee and the patient's payments for it.
CREATE INDEX ledger_appointment ON ledger (appointment_id) WHERE deleted = 0;
