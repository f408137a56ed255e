-- Quietdesk schema, version 12: billing.
--
-- Balances are never stored: they are derived from the append-only ledger
-- (internal/billing), so two machines that post payments offline keep
-- both and agree on the balance after sync. A claim's status only moves
-- forward; what an exported claim said is frozen in claim_submissions.
-- Amounts, dates, kinds, statuses, CARC/RARC codes and opaque ids are
-- plain; codes describing a person's care, numbers identifying them and
-- notes are sealed.

-- The practice as billing provider and its fee schedule (id = 'practice').
CREATE TABLE billing_settings (
    id      TEXT PRIMARY KEY,
    info    BLOB,      -- sealed: taxonomy, submitter/receiver, fees
    deleted INTEGER NOT NULL DEFAULT 0
);

-- A payer's claim rules, one row per payer (id = the payer's id).
CREATE TABLE payer_billing (
    id               TEXT PRIMARY KEY,
    filing_indicator TEXT,
    timely_days      INTEGER,
    rules            TEXT,    -- JSON: modifiers, POS, code map, expected payments
    deleted          INTEGER NOT NULL DEFAULT 0
);

-- A patient's ordered ICD-10-CM diagnoses (id = the patient's id).
CREATE TABLE diagnoses (
    id      TEXT PRIMARY KEY,
    list    BLOB,      -- sealed: codes, descriptions, note
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE claims (
    id              TEXT PRIMARY KEY,
    -- claim: written once
    number          TEXT,
    patient_id      TEXT,
    payer_id        TEXT,
    clinician_id    TEXT,
    frequency       TEXT,
    replaces_id     TEXT,
    created_at      INTEGER,
    appointment_ids TEXT,     -- JSON list of the sessions billed
    -- content: sealed, edited while a draft
    content         BLOB,
    -- status: forward only
    status          TEXT,
    deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX claims_patient ON claims (patient_id) WHERE deleted = 0;
CREATE INDEX claims_number ON claims (number);

-- What an exported claim said, as sent (append-only).
CREATE TABLE claim_submissions (
    id            TEXT PRIMARY KEY,
    claim_id      TEXT,
    at            INTEGER,
    account_id    TEXT,
    control       TEXT,     -- the interchange control number it went in
    charge_cents  INTEGER,
    service_from  TEXT,
    service_to    TEXT,
    content       BLOB,     -- sealed: the claim's content as exported
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX claim_submissions_claim ON claim_submissions (claim_id);

-- The ledger (append-only): charges, payments, adjustments, denials,
-- write-offs, refunds and fees.
CREATE TABLE ledger (
    id             TEXT PRIMARY KEY,
    kind           TEXT,
    party          TEXT,
    claim_id       TEXT,
    line           INTEGER,
    patient_id     TEXT,
    payer_id       TEXT,
    appointment_id TEXT,
    amount_cents   INTEGER,
    expected_cents INTEGER,  -- charges: what the payer is expected to pay
    on_date        TEXT,
    posted_at      INTEGER,
    account_id     TEXT,
    method         TEXT,
    group_code     TEXT,
    reason_code    TEXT,
    remarks        TEXT,    -- JSON list of RARC codes
    note           BLOB,    -- sealed: reference, refund reason, note
    deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ledger_claim ON ledger (claim_id);
CREATE INDEX ledger_patient ON ledger (patient_id);
CREATE INDEX ledger_on ON ledger (on_date);
