-- Quietdesk schema, version 9: automation — the practice's e-mail
-- settings, which machine sends, and the outbox.

-- One row ('practice'). The relay (host, user, password, addresses) and the
-- reminder settings are sealed; the designated sender is a device id, plain
-- so a hub without the key knows whether it is the one to send.
CREATE TABLE mail_settings (
    id        TEXT PRIMARY KEY,
    relay     BLOB,
    reminders BLOB,
    sender    TEXT,     -- the store device id of the machine that sends; NULL: none chosen
    deleted   INTEGER NOT NULL DEFAULT 0
);

-- One row per machine that can send (a hub, or a window), written by that
-- machine every few minutes: every office computer can tell whether the
-- sender is running and holds the key.
CREATE TABLE mail_agents (
    id       TEXT PRIMARY KEY,  -- the machine's store device id
    name     TEXT,              -- its label ("Front desk", a hub's --name)
    hub      INTEGER,           -- 1: a headless hub
    unlocked INTEGER,           -- 1: it holds the practice key now
    seen_at  INTEGER,           -- unix seconds of its last report
    deleted  INTEGER NOT NULL DEFAULT 0
);

-- The outbox. A message's id is derived from what it is for, which record
-- and when it was due, so two machines that both queue it hold one row.
-- The recipient and text are sealed; the plain columns say only what kind
-- of message it is, which record, and where it stands.
CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    purpose    TEXT,     -- 'reminder', 'alert', 'digest', 'test'
    subject_id TEXT,     -- the appointment, alert key or account it is about
    due_at     INTEGER,  -- unix seconds: when it was meant to go
    content    BLOB,     -- sealed: recipient, subject, text, HTML, calendar
    state      TEXT,     -- 'queued', 'sending', 'sent', 'failed', 'unknown', 'withdrawn'
    send_after INTEGER,  -- unix seconds: not before (quiet hours, back-off)
    attempts   INTEGER,
    error      TEXT,     -- the last failure in words that name no one
    device     TEXT,     -- the machine that last changed the state
    changed_at INTEGER,
    deleted    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_state ON outbox (state, send_after) WHERE deleted = 0;
CREATE INDEX outbox_subject ON outbox (subject_id) WHERE deleted = 0;
