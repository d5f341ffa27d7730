-- PostgreSQL dialect of db/migration/sqlite/V3 (see V1 for the differences).
-- The applications an instance can subscribe to. Renaming the display name changes nothing that
-- instances receive, but it is still a write, so it takes a revision like every other write.
CREATE TABLE applications (
  name         TEXT COLLATE "C"    PRIMARY KEY,
  display_name TEXT COLLATE "C"    NOT NULL,
  revision     BIGINT NOT NULL REFERENCES revisions (revision),
  created_at   TEXT COLLATE "C"    NOT NULL,
  updated_at   TEXT COLLATE "C"    NOT NULL
);

-- One entitlement of one instance to one application for a period. Rows are never deleted: ending
-- a subscription sets status 'cancelled', so instances see the cancellation in their document.
-- revision is the revision of the row's latest change; the instance's `subscriptions` document
-- takes the highest of these, so any change to an instance's subscriptions raises its revision.
CREATE TABLE subscriptions (
  id          TEXT COLLATE "C"    PRIMARY KEY,
  instance    TEXT COLLATE "C"    NOT NULL REFERENCES instances (id),
  application TEXT COLLATE "C"    NOT NULL REFERENCES applications (name),
  quantity    BIGINT NOT NULL CHECK (quantity >= 0),
  overage     BIGINT NOT NULL DEFAULT 0 CHECK (overage >= 0),
  seat_model  TEXT COLLATE "C"    NOT NULL CHECK (seat_model IN ('named')),
  status      TEXT COLLATE "C"    NOT NULL CHECK (status IN ('active', 'suspended', 'cancelled')),
  valid_from  TEXT COLLATE "C"    NOT NULL,
  -- NULL: open-ended.
  valid_until TEXT COLLATE "C",
  plan        TEXT COLLATE "C"    NOT NULL,
  notes       TEXT COLLATE "C"    NOT NULL DEFAULT '',
  revision    BIGINT NOT NULL REFERENCES revisions (revision),
  created_at  TEXT COLLATE "C"    NOT NULL,
  updated_at  TEXT COLLATE "C"    NOT NULL,
  CHECK (valid_until IS NULL OR valid_until > valid_from)
);

CREATE INDEX subscriptions_by_instance ON subscriptions (instance, application, valid_from);

-- Append-only and hash-chained: each row's hash covers its content and the previous row's hash,
-- so editing or deleting a row breaks the chain from there on. prev_hash is unique, so two
-- writers can never both extend the same row (the chain cannot fork). The first row's prev_hash
-- is 64 zeros.
CREATE TABLE audit_log (
  seq       BIGINT  PRIMARY KEY,
  at        TEXT COLLATE "C"    NOT NULL,
  actor     TEXT COLLATE "C"    NOT NULL,
  action    TEXT COLLATE "C"    NOT NULL,
  target    TEXT COLLATE "C"    NOT NULL,
  before    TEXT COLLATE "C",
  after     TEXT COLLATE "C",
  prev_hash TEXT COLLATE "C"    NOT NULL UNIQUE,
  hash      TEXT COLLATE "C"    NOT NULL UNIQUE
);

CREATE INDEX audit_log_by_target ON audit_log (target);
