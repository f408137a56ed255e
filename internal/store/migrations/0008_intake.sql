-- Quietdesk schema, version 8: intake submissions.
--
-- A patient's completed packet. Plain columns hold only what lists and
-- the alerts need and reveal no one (ids, the packet's kind, times, the
-- review status); the answers, signature images, scores and everything
-- staff decided are sealed.

CREATE TABLE intake_submissions (
    id             TEXT PRIMARY KEY,  -- made where the packet was filled in: a replay is the same row
    patient_id     TEXT REFERENCES patients (id),
    appointment_id TEXT,              -- "" when sent by hand, not for an appointment
    packet_id      TEXT,              -- "new-adult", "new-minor", "couple", "annual"
    submitted_at   INTEGER,           -- Unix seconds, UTC
    answers        BLOB,              -- sealed: language, every answer and signature image
    scores         BLOB,              -- sealed: questionnaire totals, bands, the safety flag
    review         BLOB,              -- sealed: who acknowledged the flag, who reviewed, field decisions
    status         TEXT,              -- 'needs-review', 'reviewed'
    deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX intake_submissions_patient ON intake_submissions (patient_id) WHERE deleted = 0;
CREATE INDEX intake_submissions_time ON intake_submissions (submitted_at) WHERE deleted = 0;
