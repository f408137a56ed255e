-- LAN sync: membership, conflicts, and what this machine knows of its peers.

-- Paired devices (replicated). id is the SHA-256 of the device's TLS
-- certificate; a removed device is refused by every peer.
CREATE TABLE devices (
    id      TEXT PRIMARY KEY,
    name    TEXT,     -- a label for the machine ("Front desk"), chosen at pairing
    cert    BLOB,     -- the device's self-signed certificate, DER
    removed INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);

-- Conflicts found while merging (replicated). The id is derived from what
-- the conflict is about, so every machine that finds it writes the same
-- record. Holds ids and change names, never a person's details.
CREATE TABLE conflicts (
    id          TEXT PRIMARY KEY,
    kind        TEXT,     -- 'concurrent-edit', or a kind the calendar adds ('double-booking')
    tbl         TEXT,     -- the table of the rows in conflict
    row_ids     TEXT,     -- their ids, sorted, comma-separated
    detail      TEXT,     -- kind-specific: for a concurrent edit, "group|change,change"
    state       TEXT NOT NULL DEFAULT 'open',  -- 'open' or 'resolved'
    resolved_by TEXT,     -- account id
    choice      TEXT,     -- what the person chose (e.g. the change kept)
    resolved_at TEXT,
    deleted     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conflicts_state ON conflicts (state) WHERE deleted = 0;

-- Local to this machine, never replicated: the addresses it syncs with
-- (typed by a person or learned from a connection) and what it last saw.
CREATE TABLE sync_addresses (
    address   TEXT PRIMARY KEY,
    device_id TEXT NOT NULL DEFAULT '',
    last_seen TEXT NOT NULL DEFAULT '',
    offset_ms INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Local: received changes of tables or field groups this version does not
-- know yet (a peer runs a newer Quietdesk). They are kept in changes and
-- relayed, and merged into rows after the upgrade that brings the table.
CREATE TABLE sync_deferred (
    origin TEXT    NOT NULL,
    epoch  TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (origin, epoch, seq)
) WITHOUT ROWID;
