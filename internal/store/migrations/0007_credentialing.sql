-- Quietdesk schema, version 7: credentialing.
--
-- Dates are YYYY-MM-DD text (civil dates: a licence expires on a day, not
-- at an instant). Kinds, states, statuses and dates are plain, for the
-- deadline and network rules; numbers, carriers and notes are sealed.

-- A clinician's dated credentials: licences, CAQH, malpractice, DEA,
-- board certifications, other documents.
CREATE TABLE credentials (
    id           TEXT PRIMARY KEY,
    clinician_id TEXT REFERENCES clinicians (id),
    kind         TEXT,
    state        TEXT,  -- two-letter code (licence, DEA), or NULL
    issued_on    TEXT,  -- CAQH: the last attestation
    expires_on   TEXT,
    info         BLOB,  -- sealed: type, number, carrier, limits, notes
    deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX credentials_clinician ON credentials (clinician_id) WHERE deleted = 0;

-- One pipeline per clinician and payer, under a name-based id.
CREATE TABLE enrollments (
    id           TEXT PRIMARY KEY,
    clinician_id TEXT REFERENCES clinicians (id),
    payer_id     TEXT REFERENCES payers (id),
    status       TEXT,
    effective_on TEXT,
    follow_up_on TEXT,
    assignee_id  TEXT,  -- a staff account
    ids          BLOB,  -- sealed: provider and contract ids, references, contact notes
    deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX enrollments_clinician ON enrollments (clinician_id) WHERE deleted = 0;

-- An enrollment's history: append-only, so every machine's entries are kept.
CREATE TABLE enrollment_events (
    id            TEXT PRIMARY KEY,
    enrollment_id TEXT REFERENCES enrollments (id),
    at            INTEGER,  -- Unix milliseconds
    account_id    TEXT,
    status        TEXT,
    note          BLOB,     -- sealed
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX enrollment_events_enrollment ON enrollment_events (enrollment_id, at) WHERE deleted = 0;

-- The practice's credentialing rules (one row, id 'practice').
CREATE TABLE credentialing_settings (
    id      TEXT PRIMARY KEY,
    info    BLOB,
    deleted INTEGER NOT NULL DEFAULT 0
);

-- The lapse estimate reads every session booked in the coming year with its
-- patient's primary payer; these covering indexes answer it without
-- touching the (wide) appointment and policy rows.
CREATE INDEX appointments_booked ON appointments (start_at, status, clinician_id, patient_id, deleted) WHERE deleted = 0;
CREATE INDEX policies_primary ON policies (patient_id, rank, payer_id, deleted) WHERE deleted = 0;
