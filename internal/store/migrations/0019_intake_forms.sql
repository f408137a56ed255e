-- Quietdesk schema, version 19: the owner's versions of the intake forms.
--
-- Each edit the owner saves is a new row, never changed: a submission
-- names the version and the hash of the text the patient saw, so every
-- version stays readable for as long as a submission may point at it.
-- Version 1 of a built-in form is the program's own and is not stored.
-- Two offline edits of one form may both become the same next version;
-- both are kept and the later edit is the current one (see
-- intake.formVersions).

CREATE TABLE intake_forms (
    id         TEXT PRIMARY KEY,
    form_id    TEXT,     -- the built-in form edited: 'consent-treatment', 'demographics'…
    version    INTEGER,
    edited_at  INTEGER,  -- Unix milliseconds, UTC
    account_id TEXT,     -- the owner who saved it
    content    BLOB,     -- sealed: the whole form, titles, text and questions in every language
    deleted    INTEGER NOT NULL DEFAULT 0
);
