-- Quietdesk schema, version 16: check-in codes.
--
-- A check-in code is derived from the appointment, its day and the code's
-- generation with a key derived from the practice key, so every office
-- machine computes the same code without asking another. What must be
-- shared is kept here, append-only, so the machines' rows add up whatever
-- the arrival order: a new code issued by the front desk ('reissue': the
-- generation is the number of them) and each wrong try ('wrong': five on
-- one generation lock its code). No code, name or date of birth is stored.

CREATE TABLE checkin_events (
    id             TEXT PRIMARY KEY,
    appointment_id TEXT,
    kind           TEXT,     -- 'reissue' or 'wrong'
    generation     INTEGER,  -- the code's generation a wrong try was made on
    at             INTEGER,  -- Unix seconds, UTC
    source         TEXT,     -- the staff account (reissue) or the tablet (wrong try)
    deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX checkin_events_appointment ON checkin_events (appointment_id) WHERE deleted = 0;
