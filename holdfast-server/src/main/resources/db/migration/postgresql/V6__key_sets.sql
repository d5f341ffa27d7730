-- Signed key sets (issue 19), append-only: one row per published version, never updated or
-- deleted, so a client walking a root rotation can fetch every step. body is the signed key set
-- exactly as published (canonical JSON, which is ASCII), served byte for byte.
CREATE TABLE key_sets (
  version      BIGINT  PRIMARY KEY,
  body         TEXT COLLATE "C"    NOT NULL,
  published_at TEXT COLLATE "C"    NOT NULL,
  actor        TEXT COLLATE "C"    NOT NULL
);
