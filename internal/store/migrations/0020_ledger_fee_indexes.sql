-- Quietdesk schema, version 20: covering indexes for the billing
-- dashboards' fees still owed (store.LedgerSums). Each session's fees and
-- the patient's payments for it were read from the ledger's rows, sealed
-- columns and all (about 150 ms of the dashboards' 290 ms on the large
-- demo); these partial indexes hold all that query reads.
CREATE INDEX ledger_fees ON ledger (appointment_id, on_date, amount_cents) WHERE deleted = 0 AND kind = 'fee';
CREATE INDEX ledger_patient_payments ON ledger (appointment_id, amount_cents) WHERE deleted = 0 AND kind = 'payment' AND party = 'patient';
