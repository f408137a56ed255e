-- Quietdesk schema, version 5: sealed documents.
--
-- PDFs and images (licence scans, authorization letters, signed intake
-- packets, insurance card photos) are kept only here, sealed in chunks:
-- nothing of them is written to disk outside the database unless a user
-- exports one.

CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    owner_tbl    TEXT,     -- the table of the record the document belongs to
    owner_id     TEXT,     -- that record's id
    content_type TEXT,     -- 'application/pdf', 'image/png' or 'image/jpeg', from the content's magic bytes
    size         INTEGER,  -- bytes
    chunks       INTEGER,  -- how many document_chunks rows hold it
    info         BLOB,     -- sealed: the file name and the content's SHA-256
    deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX documents_owner ON documents (owner_tbl, owner_id) WHERE deleted = 0;

-- One row per chunk, id "<document id>/<index>". The chunk is sealed bound
-- to that id, so a chunk moved to another index or document fails to
-- open. Chunks are written before their document row, which names how
-- many there are, so a missing one is noticed.
CREATE TABLE document_chunks (
    id      TEXT PRIMARY KEY,
    data    BLOB,
    deleted INTEGER NOT NULL DEFAULT 0
);
