-- Quietdesk schema, version 2: the calendar.
--
-- Times are INTEGER Unix seconds (UTC); 0 means "not recorded". Wall-clock
-- rules (working hours, recurrence) are kept as the practice typed them and
-- expanded in the practice's time zone, so DST never shifts a session.

CREATE TABLE appointment_types (
    id      TEXT PRIMARY KEY,
    active  INTEGER NOT NULL DEFAULT 1,
    info    BLOB,
    deleted INTEGER NOT NULL DEFAULT 0
);

-- A clinician's regular week: one row per block of hours.
CREATE TABLE working_hours (
    id           TEXT PRIMARY KEY,
    clinician_id TEXT REFERENCES clinicians (id),
    location_id  TEXT REFERENCES locations (id),
    weekday      INTEGER,          -- 0 = Sunday
    start_time   TEXT,             -- "HH:MM" local
    end_time     TEXT,
    deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX working_hours_clinician ON working_hours (clinician_id) WHERE deleted = 0;

-- Time off and blocked time, for a clinician or a room. The reason is sealed.
CREATE TABLE time_off (
    id           TEXT PRIMARY KEY,
    clinician_id TEXT REFERENCES clinicians (id),
    room_id      TEXT REFERENCES rooms (id),
    kind         TEXT,
    start_at     INTEGER,
    end_at       INTEGER,
    reason       BLOB,
    deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX time_off_end ON time_off (end_at) WHERE deleted = 0;

-- A recurring booking's template. Its occurrences are appointments.
CREATE TABLE series (
    id                 TEXT PRIMARY KEY,
    patient_id         TEXT REFERENCES patients (id),
    clinician_id       TEXT REFERENCES clinicians (id),
    type_id            TEXT REFERENCES appointment_types (id),
    location_id        TEXT REFERENCES locations (id),
    room_id            TEXT REFERENCES rooms (id),
    telehealth         INTEGER,
    first_at           INTEGER,
    duration_min       INTEGER,
    rule               TEXT,     -- practice.Recurrence as JSON (no one is identified by it)
    materialized_until INTEGER,
    ended              INTEGER NOT NULL DEFAULT 0,
    deleted            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX series_open ON series (materialized_until) WHERE deleted = 0 AND ended = 0;

CREATE TABLE appointments (
    id           TEXT PRIMARY KEY,
    -- booking: who and what
    patient_id   TEXT REFERENCES patients (id),
    type_id      TEXT REFERENCES appointment_types (id),
    series_id    TEXT REFERENCES series (id),
    occurrence   INTEGER,          -- the series slot this fills, kept when moved
    -- slot: when and where (the unit sync checks for double-bookings)
    clinician_id TEXT REFERENCES clinicians (id),
    location_id  TEXT REFERENCES locations (id),
    room_id      TEXT REFERENCES rooms (id),
    telehealth   INTEGER,
    start_at     INTEGER,
    end_at       INTEGER,
    -- state: lifecycle, actual times, fee
    status       TEXT,
    actual_start INTEGER,
    actual_end   INTEGER,
    cancelled_by TEXT,
    late_cancel  INTEGER,
    fee_cents    INTEGER,
    -- sealed: reason, notes, video link, override reason
    details      BLOB,
    deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX appointments_start ON appointments (start_at) WHERE deleted = 0;
CREATE INDEX appointments_clinician ON appointments (clinician_id, start_at) WHERE deleted = 0;
CREATE INDEX appointments_room ON appointments (room_id, start_at) WHERE deleted = 0 AND room_id IS NOT NULL;
CREATE INDEX appointments_patient ON appointments (patient_id, start_at) WHERE deleted = 0;
CREATE INDEX appointments_series ON appointments (series_id, occurrence) WHERE deleted = 0 AND series_id IS NOT NULL;

CREATE TABLE waitlist (
    id         TEXT PRIMARY KEY,
    patient_id TEXT REFERENCES patients (id),
    priority   INTEGER,
    status     TEXT,
    added_at   INTEGER,
    prefs      BLOB,
    deleted    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX waitlist_status ON waitlist (status) WHERE deleted = 0;
