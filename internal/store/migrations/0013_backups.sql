-- Quietdesk schema, version 13: nightly backups — the folder the practice
-- chose, the machine that writes to it, and how the last backup went.

-- One row ('practice'), all plain: the machine that backs up may be a hub
-- nobody unlocked, and it must read where to write and record the result
-- without the practice key. Every office computer shows the result and
-- raises the alert when it failed.
CREATE TABLE backup_settings (
    id           TEXT PRIMARY KEY,
    folder       TEXT,     -- absolute path on the backing-up machine
    device       TEXT,     -- store device id of the machine that backs up
    last_at      INTEGER,  -- unix seconds of the last attempt
    last_ok      INTEGER,  -- 1: written and checked
    last_message TEXT,     -- what happened, in words that name no one
    last_file    TEXT,     -- the file's name (a date, never a name)
    last_good_at INTEGER,  -- unix seconds of the last backup that was written and checked
    deleted      INTEGER NOT NULL DEFAULT 0
);
