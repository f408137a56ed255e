-- Quietdesk schema, version 1.
--
-- Columns named after a field group hold that group sealed with the practice
-- key (XChaCha20-Poly1305, bound to table, group and row id). Plain columns
-- hold only what queries need and what identifies no one: opaque ids, foreign
-- keys, times, statuses, amounts.

-- "QDK1": lets Quietdesk recognise its own files before writing to them.
PRAGMA application_id = 1363430193;

-- Local to this machine, never replicated.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The change log that LAN sync replicates. One record per field group
-- written; value is the group as written to the row (sealed parts stay
-- sealed); NULL value is a tombstone.
CREATE TABLE changes (
    origin TEXT    NOT NULL,  -- device id that made the change
    epoch  TEXT    NOT NULL,  -- random, new when a database is created or restored
    seq    INTEGER NOT NULL,  -- dense per (origin, epoch)
    hlc    INTEGER NOT NULL,  -- hybrid logical clock: 48-bit ms << 16 | counter
    tx     TEXT    NOT NULL,  -- changes of one transaction share it
    tbl    TEXT    NOT NULL,
    row_id TEXT    NOT NULL,
    grp    TEXT    NOT NULL,  -- field group; '' for a row tombstone
    value  BLOB,
    heads  TEXT    NOT NULL,  -- the change(s) this one replaced, "origin/epoch/seq" comma-separated
    PRIMARY KEY (origin, epoch, seq)
) WITHOUT ROWID;

-- The latest change of a field group is found through this index: it is
-- the causal context of the next write and the last writer in a merge.
CREATE INDEX changes_group ON changes (tbl, row_id, grp, hlc);

-- Practice-wide keys: the recovery key slot.
CREATE TABLE practice_keys (
    id      TEXT PRIMARY KEY,
    kind    TEXT,             -- 'recovery'
    slot    BLOB,             -- vault.Slot as JSON (wraps the data key; safe to store)
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE settings (
    id      TEXT PRIMARY KEY,
    info    BLOB,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE locations (
    id      TEXT PRIMARY KEY,
    active  INTEGER NOT NULL DEFAULT 1,
    info    BLOB,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE rooms (
    id          TEXT PRIMARY KEY,
    location_id TEXT REFERENCES locations (id),
    active      INTEGER NOT NULL DEFAULT 1,
    info        BLOB,
    deleted     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE clinicians (
    id            TEXT PRIMARY KEY,
    active        INTEGER NOT NULL DEFAULT 1,
    accepting_new INTEGER NOT NULL DEFAULT 1,
    profile       BLOB,
    deleted       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE payers (
    id      TEXT PRIMARY KEY,
    kind    TEXT,
    active  INTEGER NOT NULL DEFAULT 1,
    info    BLOB,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE accounts (
    id           TEXT PRIMARY KEY,
    role         TEXT,
    disabled     INTEGER NOT NULL DEFAULT 0,
    clinician_id TEXT REFERENCES clinicians (id),
    login        TEXT,      -- keyed hash of the username; the name itself is sealed in profile
    slot         BLOB,      -- vault.Slot as JSON: the data key wrapped under this account's password
    profile      BLOB,
    deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX accounts_login ON accounts (login) WHERE deleted = 0;

CREATE TABLE patients (
    id         TEXT PRIMARY KEY,
    active     INTEGER NOT NULL DEFAULT 1,
    identity   BLOB,
    contact    BLOB,
    emergency  BLOB,
    guardian   BLOB,
    deleted    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE policies (
    id         TEXT PRIMARY KEY,
    patient_id TEXT REFERENCES patients (id),
    payer_id   TEXT REFERENCES payers (id),
    rank       TEXT,
    info       BLOB,
    deleted    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX policies_patient ON policies (patient_id) WHERE deleted = 0;

-- Tamper-evident audit trail: per device a dense sequence, each entry
-- hashed with the one before it. Holds ids and actions, never names.
CREATE TABLE audit_log (
    id         TEXT PRIMARY KEY,
    device     TEXT,
    seq        INTEGER,
    at         TEXT,
    account_id TEXT,
    action     TEXT,
    tbl        TEXT,
    record_id  TEXT,
    prev_hash  TEXT,
    hash       TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX audit_device_seq ON audit_log (device, seq);
CREATE INDEX audit_record ON audit_log (record_id);
CREATE INDEX audit_at ON audit_log (at);
