-- Quietdesk schema, version 6: authorizations and EAP benefits.
--
-- An authorization's usage is never stored: it is derived from the
-- appointments each time (internal/authorizations), so two machines can
-- never disagree about how many sessions are left. Dates are the local
-- YYYY-MM-DD the payer gave (inclusive); counts, dates and states are
-- plain, every number, name and note is sealed.

CREATE TABLE authorizations (
    id            TEXT PRIMARY KEY,
    -- link: whose, from which payer, renewing which
    patient_id    TEXT REFERENCES patients (id),
    payer_id      TEXT REFERENCES payers (id),
    renews_id     TEXT,
    -- terms: what was asked for and granted
    kind          TEXT,
    status        TEXT,
    unit          TEXT,
    requested     INTEGER,
    authorized    INTEGER,
    start_on      TEXT,
    end_on        TEXT,
    requested_on  TEXT,
    codes         TEXT,     -- JSON list of CPT codes; [] covers every session
    warn_remaining INTEGER,
    warn_days     INTEGER,
    count_missed  TEXT,
    -- sealed: numbers (claim and quoted), EAP case, member ID, sponsor, benefit year
    numbers       BLOB,
    -- sealed: payer contact and call reference
    contact       BLOB,
    -- sealed: free-text notes
    notes         BLOB,
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX authorizations_patient ON authorizations (patient_id) WHERE deleted = 0;

-- A payer's authorization rules, one row per payer (id = the payer's id).
CREATE TABLE payer_auth_rules (
    id             TEXT PRIMARY KEY,
    requires_auth  INTEGER,
    enforcement    TEXT,
    count_missed   INTEGER,
    count_upcoming INTEGER,
    deleted        INTEGER NOT NULL DEFAULT 0
);

-- A person's choice of authorization for one appointment when two apply
-- (id = the appointment's id).
CREATE TABLE authorization_choices (
    id               TEXT PRIMARY KEY,
    authorization_id TEXT,
    deleted          INTEGER NOT NULL DEFAULT 0
);
