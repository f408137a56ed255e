-- The audit trail is keyed: each entry's MAC (audit_log.hash, linking to
-- prev_hash) is an HMAC under a key derived from the practice key, so only
-- someone holding it can write a chain that verifies.

-- Each device's chain head (replicated), rewritten with every entry that
-- device appends, in the same transaction. id is the device id. Another
-- machine's copy of a head catches a chain truncated here.
CREATE TABLE audit_heads (
    id      TEXT PRIMARY KEY,
    seq     INTEGER,  -- the device's newest entry
    mac     TEXT,     -- that entry's MAC
    deleted INTEGER NOT NULL DEFAULT 0
);

-- Local, never replicated: failed logins while no key was loaded (so no
-- MAC could be written). They are chained into the audit trail as
-- login.failed entries at the next unlock on this machine, and the command
-- line backs off by how many are recent. login is the salted login hash,
-- never the typed name.
CREATE TABLE login_failures (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    login      TEXT NOT NULL,
    account_id TEXT NOT NULL DEFAULT ''
);
