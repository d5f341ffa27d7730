-- The applications an instance can subscribe to. Renaming the display name changes nothing that
-- instances receive, but it is still a write, so it takes a revision like every other write.
CREATE TABLE applications (
  name         TEXT    PRIMARY KEY,
  display_name TEXT    NOT NULL,
  revision     INTEGER NOT NULL REFERENCES revisions (revision),
  created_at   TEXT    NOT NULL,
  updated_at   TEXT    NOT NULL
);

-- One entitlement of one instance to one application for a period. Rows are never deleted: ending
-- a subscription sets status 'cancelled', so instances see the cancellation in their document.
-- revision is the revision of the row's latest change; the instance's `subscriptions` document
-- takes the highest of these, so any change to an instance's subscriptions raises its revision.
CREATE TABLE subscriptions (
  id          TEXT    PRIMARY KEY,
  instance    TEXT    NOT NULL REFERENCES instances (id),
  application TEXT    NOT NULL REFERENCES applications (name),
  quantity    INTEGER NOT NULL CHECK (quantity >= 0),
  overage     INTEGER NOT NULL DEFAULT 0 CHECK (overage >= 0),
  seat_model  TEXT    NOT NULL CHECK (seat_model IN ('named')),
  status      TEXT    NOT NULL CHECK (status IN ('active', 'suspended', 'cancelled')),
  valid_from  TEXT    NOT NULL,
  -- NULL: open-ended.
  valid_until TEXT,
  plan        TEXT    NOT NULL,
  notes       TEXT    NOT NULL DEFAULT '',
  revision    INTEGER NOT NULL REFERENCES revisions (revision),
  created_at  TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL,
  CHECK (valid_until IS NULL OR valid_until > valid_from)
);

CREATE INDEX subscriptions_by_instance ON subscriptions (instance, application, valid_from);

-- Append-only and hash-chained: each row's hash covers its content and the previous row's hash,
-- so editing or deleting a row breaks the chain from there on. prev_hash is unique, so two
-- writers can never both extend the same row (the chain cannot fork). The first row's prev_hash
-- is 64 zeros.
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at        TEXT    NOT NULL,
  actor     TEXT    NOT NULL,
  action    TEXT    NOT NULL,
  target    TEXT    NOT NULL,
  before    TEXT,
  after     TEXT,
  prev_hash TEXT    NOT NULL UNIQUE,
  hash      TEXT    NOT NULL UNIQUE
);

CREATE INDEX audit_log_by_target ON audit_log (target);
