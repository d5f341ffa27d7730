-- Signed key sets (issue 19), append-only: one row per published version, never updated or
-- deleted, so a client walking a root rotation can fetch every step. body is the signed key set
-- exactly as published (canonical JSON, which is ASCII), served byte for byte.
CREATE TABLE key_sets (
  version      INTEGER PRIMARY KEY,
  body         TEXT    NOT NULL,
  published_at TEXT    NOT NULL,
  actor        TEXT    NOT NULL
);
