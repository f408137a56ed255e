-- Quietdesk schema, version 15: the billing dashboards' running totals.
--
-- Three LOCAL, DERIVED tables computed from the ledger by the triggers
-- below whenever an entry is inserted, changed (a merged field group, a
-- tombstone) or deleted, whether written here or merged by sync. They are
-- not in store's schema: never replicated, not in the digest, not in the
-- change log. Every machine holding the same entries computes the same
-- rows, so there is nothing to send and nothing to disagree about. The
-- ledger stays the only record: this migration fills the tables from the
-- entries, and emptying and refilling them the same way loses nothing
-- (docs/decisions.md, Billing).
--
-- Grouping ~340,000 insurance entries by claim line at each opening of the
-- dashboards cost ~0.37 s of CPU on the large demo; reading these tables
-- costs milliseconds (docs/benchmarks.md).

-- Each claim line on the payer's side, from its live insurance entries.
-- The view is the one definition of a line's sums: the triggers recompute
-- one line through it (SQLite pushes the line's key into the grouping, so
-- it reads that line's few index rows), the backfill all of them.
CREATE VIEW derived_line_sums AS
SELECT claim_id, line,
    MIN(payer_id) AS payer_id,
    MAX(CASE kind WHEN 'charge' THEN on_date END) AS service_on,
    -- what the payer still owes (Balance.Add's insurance side)
    SUM(CASE kind WHEN 'charge' THEN amount_cents WHEN 'fee' THEN amount_cents WHEN 'refund' THEN amount_cents
        WHEN 'payment' THEN -amount_cents WHEN 'adjustment' THEN -amount_cents WHEN 'write_off' THEN -amount_cents
        WHEN 'patient_resp' THEN -amount_cents ELSE 0 END) AS owed_cents,
    SUM(CASE kind WHEN 'payment' THEN amount_cents ELSE 0 END) AS paid_cents,
    SUM(CASE WHEN kind IN ('charge', 'fee') THEN amount_cents ELSE 0 END) AS charged_cents
FROM ledger WHERE deleted = 0 AND party = 'insurance' AND claim_id <> '' AND line IS NOT NULL
GROUP BY claim_id, line;

CREATE TABLE derived_line_balances (
    claim_id      TEXT NOT NULL,
    line          INTEGER NOT NULL,
    payer_id      TEXT,
    service_on    TEXT,     -- the line's charge date; NULL until its charge arrives
    owed_cents    INTEGER,
    paid_cents    INTEGER,
    charged_cents INTEGER,  -- charges and fees (claims by status)
    PRIMARY KEY (claim_id, line)
) WITHOUT ROWID;
-- A/R aging reads only the lines still owed.
CREATE INDEX derived_lines_owed ON derived_line_balances (payer_id, service_on, owed_cents) WHERE owed_cents > 0;
-- Payments by month of service.
CREATE INDEX derived_lines_service ON derived_line_balances (service_on, paid_cents);

-- What each patient owes: their own entries and the amounts moved to them
-- (patient responsibility), aged from the oldest charge, fee, refund or
-- amount moved to them. Recomputed from that patient's entries, read from
-- migration 14's covering index (without it SQLite picks ledger_patient
-- and reads each entry's row, sealed note and all).
CREATE VIEW derived_patient_sums AS
SELECT patient_id,
    SUM(CASE kind WHEN 'charge' THEN amount_cents WHEN 'fee' THEN amount_cents WHEN 'refund' THEN amount_cents
        WHEN 'patient_resp' THEN amount_cents WHEN 'payment' THEN -amount_cents WHEN 'adjustment' THEN -amount_cents
        WHEN 'write_off' THEN -amount_cents ELSE 0 END) AS owed_cents,
    MIN(CASE WHEN kind IN ('charge', 'fee', 'refund', 'patient_resp') THEN on_date END) AS since
FROM ledger INDEXED BY ledger_patient_sums WHERE deleted = 0 AND (party = 'patient' OR kind = 'patient_resp') AND patient_id IS NOT NULL
GROUP BY patient_id;

CREATE TABLE derived_patient_balances (
    patient_id TEXT PRIMARY KEY,
    owed_cents INTEGER,
    since      TEXT
) WITHOUT ROWID;
CREATE INDEX derived_patients_owed ON derived_patient_balances (since, owed_cents) WHERE owed_cents > 0;

-- Each month's entries by their date. A month holds thousands of entries,
-- too many to re-sum at each insert, so an entry's amounts are added when
-- it arrives and subtracted when it leaves (a tombstone, a delete): whole
-- cents, so the order of arrival cannot change a total. entries counts the
-- month's live entries and a month left without any is removed, so the
-- table is exactly what summing the ledger from scratch gives.
CREATE TABLE derived_month_totals (
    month           TEXT PRIMARY KEY,  -- YYYY-MM of on_date
    entries         INTEGER NOT NULL,
    charged_cents   INTEGER NOT NULL,  -- charges
    expected_cents  INTEGER NOT NULL,  -- what the charges expect from payers
    collected_cents INTEGER NOT NULL,  -- payments less refunds, from anyone
    fees            INTEGER NOT NULL,
    fee_cents       INTEGER NOT NULL
) WITHOUT ROWID;

-- An entry counts for a line when it is the payer's and on a claim, for a
-- patient when it is theirs or moved to them, for a month when it is
-- dated; and only while live (deleted = 0, which the views and the month
-- triggers check). A change recomputes what the entry leaves (OLD) and
-- what it joins (NEW), the same line twice costing a few index rows. An
-- entry merged from another machine may arrive as two writes, its sealed
-- note first (a row of NULLs, which counts nowhere) and then its plain
-- columns: the UPDATE triggers fire on the plain columns only, so a note
-- written alone recomputes nothing.

CREATE TRIGGER derived_lines_insert AFTER INSERT ON ledger
WHEN NEW.party = 'insurance' AND NEW.claim_id <> '' AND NEW.line IS NOT NULL
BEGIN
    DELETE FROM derived_line_balances WHERE claim_id = NEW.claim_id AND line = NEW.line;
    INSERT INTO derived_line_balances SELECT * FROM derived_line_sums WHERE claim_id = NEW.claim_id AND line = NEW.line;
END;

CREATE TRIGGER derived_lines_update_old AFTER UPDATE OF party, claim_id, line, patient_id, kind, payer_id, amount_cents, expected_cents, on_date, deleted ON ledger
WHEN OLD.party = 'insurance' AND OLD.claim_id <> '' AND OLD.line IS NOT NULL
BEGIN
    DELETE FROM derived_line_balances WHERE claim_id = OLD.claim_id AND line = OLD.line;
    INSERT INTO derived_line_balances SELECT * FROM derived_line_sums WHERE claim_id = OLD.claim_id AND line = OLD.line;
END;

CREATE TRIGGER derived_lines_update_new AFTER UPDATE OF party, claim_id, line, patient_id, kind, payer_id, amount_cents, expected_cents, on_date, deleted ON ledger
WHEN NEW.party = 'insurance' AND NEW.claim_id <> '' AND NEW.line IS NOT NULL
BEGIN
    DELETE FROM derived_line_balances WHERE claim_id = NEW.claim_id AND line = NEW.line;
    INSERT INTO derived_line_balances SELECT * FROM derived_line_sums WHERE claim_id = NEW.claim_id AND line = NEW.line;
END;

CREATE TRIGGER derived_lines_delete AFTER DELETE ON ledger
WHEN OLD.party = 'insurance' AND OLD.claim_id <> '' AND OLD.line IS NOT NULL
BEGIN
    DELETE FROM derived_line_balances WHERE claim_id = OLD.claim_id AND line = OLD.line;
    INSERT INTO derived_line_balances SELECT * FROM derived_line_sums WHERE claim_id = OLD.claim_id AND line = OLD.line;
END;


CREATE TRIGGER derived_patients_insert AFTER INSERT ON ledger
WHEN (NEW.party = 'patient' OR NEW.kind = 'patient_resp') AND NEW.patient_id IS NOT NULL
BEGIN
    DELETE FROM derived_patient_balances WHERE patient_id = NEW.patient_id;
    INSERT INTO derived_patient_balances SELECT * FROM derived_patient_sums WHERE patient_id = NEW.patient_id;
END;

CREATE TRIGGER derived_patients_update_old AFTER UPDATE OF party, claim_id, line, patient_id, kind, payer_id, amount_cents, expected_cents, on_date, deleted ON ledger
WHEN (OLD.party = 'patient' OR OLD.kind = 'patient_resp') AND OLD.patient_id IS NOT NULL
BEGIN
    DELETE FROM derived_patient_balances WHERE patient_id = OLD.patient_id;
    INSERT INTO derived_patient_balances SELECT * FROM derived_patient_sums WHERE patient_id = OLD.patient_id;
END;

CREATE TRIGGER derived_patients_update_new AFTER UPDATE OF party, claim_id, line, patient_id, kind, payer_id, amount_cents, expected_cents, on_date, deleted ON ledger
WHEN (NEW.party = 'patient' OR NEW.kind = 'patient_resp') AND NEW.patient_id IS NOT NULL
BEGIN
    DELETE FROM derived_patient_balances WHERE patient_id = NEW.patient_id;
    INSERT INTO derived_patient_balances SELECT * FROM derived_patient_sums WHERE patient_id = NEW.patient_id;
END;

CREATE TRIGGER derived_patients_delete AFTER DELETE ON ledger
WHEN (OLD.party = 'patient' OR OLD.kind = 'patient_resp') AND OLD.patient_id IS NOT NULL
BEGIN
    DELETE FROM derived_patient_balances WHERE patient_id = OLD.patient_id;
    INSERT INTO derived_patient_balances SELECT * FROM derived_patient_sums WHERE patient_id = OLD.patient_id;
END;


-- Months: an entry's amounts added when it arrives, subtracted when it
-- leaves (a NULL amount adds nothing, as SUM skips it). An UPDATE takes the
-- old row out before putting the new one in.
CREATE TRIGGER derived_months_insert AFTER INSERT ON ledger
BEGIN
    INSERT INTO derived_month_totals SELECT substr(NEW.on_date, 1, 7), 1,
        CASE NEW.kind WHEN 'charge' THEN IFNULL(NEW.amount_cents, 0) ELSE 0 END,
        CASE NEW.kind WHEN 'charge' THEN IFNULL(NEW.expected_cents, 0) ELSE 0 END,
        CASE NEW.kind WHEN 'payment' THEN IFNULL(NEW.amount_cents, 0) WHEN 'refund' THEN -IFNULL(NEW.amount_cents, 0) ELSE 0 END,
        CASE NEW.kind WHEN 'fee' THEN 1 ELSE 0 END,
        CASE NEW.kind WHEN 'fee' THEN IFNULL(NEW.amount_cents, 0) ELSE 0 END
    WHERE NEW.deleted = 0 AND NEW.on_date IS NOT NULL
    ON CONFLICT (month) DO UPDATE SET entries = entries + 1, charged_cents = charged_cents + excluded.charged_cents,
        expected_cents = expected_cents + excluded.expected_cents, collected_cents = collected_cents + excluded.collected_cents,
        fees = fees + excluded.fees, fee_cents = fee_cents + excluded.fee_cents;
END;

CREATE TRIGGER derived_months_update AFTER UPDATE OF kind, amount_cents, expected_cents, on_date, deleted ON ledger
BEGIN
    UPDATE derived_month_totals SET entries = entries - 1,
        charged_cents = charged_cents - CASE OLD.kind WHEN 'charge' THEN IFNULL(OLD.amount_cents, 0) ELSE 0 END,
        expected_cents = expected_cents - CASE OLD.kind WHEN 'charge' THEN IFNULL(OLD.expected_cents, 0) ELSE 0 END,
        collected_cents = collected_cents - CASE OLD.kind WHEN 'payment' THEN IFNULL(OLD.amount_cents, 0) WHEN 'refund' THEN -IFNULL(OLD.amount_cents, 0) ELSE 0 END,
        fees = fees - CASE OLD.kind WHEN 'fee' THEN 1 ELSE 0 END,
        fee_cents = fee_cents - CASE OLD.kind WHEN 'fee' THEN IFNULL(OLD.amount_cents, 0) ELSE 0 END
    WHERE OLD.deleted = 0 AND month = substr(OLD.on_date, 1, 7);
    DELETE FROM derived_month_totals WHERE month = substr(OLD.on_date, 1, 7) AND entries = 0;
    INSERT INTO derived_month_totals SELECT substr(NEW.on_date, 1, 7), 1,
        CASE NEW.kind WHEN 'charge' THEN IFNULL(NEW.amount_cents, 0) ELSE 0 END,
        CASE NEW.kind WHEN 'charge' THEN IFNULL(NEW.expected_cents, 0) ELSE 0 END,
        CASE NEW.kind WHEN 'payment' THEN IFNULL(NEW.amount_cents, 0) WHEN 'refund' THEN -IFNULL(NEW.amount_cents, 0) ELSE 0 END,
        CASE NEW.kind WHEN 'fee' THEN 1 ELSE 0 END,
        CASE NEW.kind WHEN 'fee' THEN IFNULL(NEW.amount_cents, 0) ELSE 0 END
    WHERE NEW.deleted = 0 AND NEW.on_date IS NOT NULL
    ON CONFLICT (month) DO UPDATE SET entries = entries + 1, charged_cents = charged_cents + excluded.charged_cents,
        expected_cents = expected_cents + excluded.expected_cents, collected_cents = collected_cents + excluded.collected_cents,
        fees = fees + excluded.fees, fee_cents = fee_cents + excluded.fee_cents;
END;

CREATE TRIGGER derived_months_delete AFTER DELETE ON ledger
BEGIN
    UPDATE derived_month_totals SET entries = entries - 1,
        charged_cents = charged_cents - CASE OLD.kind WHEN 'charge' THEN IFNULL(OLD.amount_cents, 0) ELSE 0 END,
        expected_cents = expected_cents - CASE OLD.kind WHEN 'charge' THEN IFNULL(OLD.expected_cents, 0) ELSE 0 END,
        collected_cents = collected_cents - CASE OLD.kind WHEN 'payment' THEN IFNULL(OLD.amount_cents, 0) WHEN 'refund' THEN -IFNULL(OLD.amount_cents, 0) ELSE 0 END,
        fees = fees - CASE OLD.kind WHEN 'fee' THEN 1 ELSE 0 END,
        fee_cents = fee_cents - CASE OLD.kind WHEN 'fee' THEN IFNULL(OLD.amount_cents, 0) ELSE 0 END
    WHERE OLD.deleted = 0 AND month = substr(OLD.on_date, 1, 7);
    DELETE FROM derived_month_totals WHERE month = substr(OLD.on_date, 1, 7) AND entries = 0;
END;

-- The tables from the entries already held.
INSERT INTO derived_line_balances SELECT * FROM derived_line_sums;
INSERT INTO derived_patient_balances SELECT * FROM derived_patient_sums;
INSERT INTO derived_month_totals
SELECT substr(on_date, 1, 7), COUNT(*),
    SUM(CASE kind WHEN 'charge' THEN IFNULL(amount_cents, 0) ELSE 0 END),
    SUM(CASE kind WHEN 'charge' THEN IFNULL(expected_cents, 0) ELSE 0 END),
    SUM(CASE kind WHEN 'payment' THEN IFNULL(amount_cents, 0) WHEN 'refund' THEN -IFNULL(amount_cents, 0) ELSE 0 END),
    SUM(CASE kind WHEN 'fee' THEN 1 ELSE 0 END),
    SUM(CASE kind WHEN 'fee' THEN IFNULL(amount_cents, 0) ELSE 0 END)
FROM ledger WHERE deleted = 0 AND on_date IS NOT NULL GROUP BY 1;

-- The months are no longer summed from the ledger: migration 14's index
-- for them would only slow every entry's insert.
DROP INDEX ledger_months;

-- What the dashboards still read from the records themselves, each from an
-- index holding every column it needs, so no row (with its sealed columns)
-- is read: denials by payer and reason, the sessions claims name (the
-- unbilled count), and completed sessions by start.
CREATE INDEX ledger_denials ON ledger (payer_id, group_code, reason_code, amount_cents, party, claim_id) WHERE deleted = 0 AND kind = 'denial';
CREATE INDEX claims_sessions ON claims (frequency, appointment_ids) WHERE deleted = 0;
CREATE INDEX claims_status ON claims (status, id) WHERE deleted = 0;
CREATE INDEX appointments_completed ON appointments (start_at, id) WHERE deleted = 0 AND status = 'completed';
