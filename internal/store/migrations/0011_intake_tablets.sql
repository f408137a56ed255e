-- Quietdesk schema, version 11: check-in tablets.
--
-- A tablet pairs with a code like an office computer but is not a member:
-- it never receives the practice key or replicated data. Office machines
-- know it by its certificate (tablets), hand it the intake public key
-- (intake_keys: the private half sealed under the practice key), and keep
-- what it delivers, still sealed to that key, until a machine holding the
-- practice key files it as a submission (intake_inbox).

CREATE TABLE tablets (
    id      TEXT PRIMARY KEY,  -- the device id: SHA-256 of its certificate
    name    TEXT,
    cert    BLOB,
    removed INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE intake_keys (
    id         TEXT PRIMARY KEY,
    public_key BLOB,  -- HPKE public key (ML-KEM-768 + X25519)
    private    BLOB,  -- sealed: the private key
    deleted    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE intake_inbox (
    id          TEXT PRIMARY KEY,  -- the submission's id, made on the tablet: a replay is the same row
    tablet_id   TEXT,
    key_id      TEXT,              -- the intake key it is sealed to
    received_at INTEGER,
    envelope    BLOB,              -- HPKE ciphertext: readable only with the intake private key
    state       TEXT,              -- 'waiting', 'filed', 'refused'
    deleted     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX intake_inbox_waiting ON intake_inbox (state) WHERE deleted = 0;
