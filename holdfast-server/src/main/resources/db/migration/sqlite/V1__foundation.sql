-- Every write that changes what replicas serve appends one row here, in the same transaction.
-- Its number is the global, monotonic revision; replicas poll max(revision) to learn of changes.
CREATE TABLE revisions (
  revision   INTEGER PRIMARY KEY AUTOINCREMENT,
  kind       TEXT    NOT NULL,
  subject    TEXT    NOT NULL,
  actor      TEXT    NOT NULL,
  message    TEXT    NOT NULL DEFAULT '',
  created_at TEXT    NOT NULL
);

CREATE TABLE rings (
  name         TEXT    PRIMARY KEY,
  position     INTEGER NOT NULL UNIQUE,
  bake_seconds INTEGER NOT NULL CHECK (bake_seconds >= 0),
  revision     INTEGER NOT NULL REFERENCES revisions (revision)
);

CREATE TABLE instances (
  id                  TEXT    PRIMARY KEY,
  ring                TEXT    NOT NULL REFERENCES rings (name),
  labels              TEXT    NOT NULL,
  credential_hash     TEXT    NOT NULL UNIQUE,
  -- Bumped when the instance's effective documents change without a layer publish (ring move).
  assignment_revision INTEGER NOT NULL REFERENCES revisions (revision),
  created_at          TEXT    NOT NULL,
  updated_at          TEXT    NOT NULL
);

CREATE TABLE namespaces (
  name        TEXT    PRIMARY KEY,
  description TEXT    NOT NULL,
  revision    INTEGER NOT NULL REFERENCES revisions (revision),
  created_at  TEXT    NOT NULL
);

-- Immutable: one row per published layer version. content NULL records that the layer was removed.
CREATE TABLE layer_versions (
  namespace TEXT    NOT NULL REFERENCES namespaces (name),
  scope     TEXT    NOT NULL,
  revision  INTEGER NOT NULL REFERENCES revisions (revision),
  content   TEXT,
  PRIMARY KEY (namespace, scope, revision)
);

-- Staged edits, published together by one publish. content NULL stages the removal of the layer.
CREATE TABLE layer_drafts (
  namespace  TEXT    NOT NULL REFERENCES namespaces (name),
  scope      TEXT    NOT NULL,
  content    TEXT,
  version    INTEGER NOT NULL,
  updated_by TEXT    NOT NULL,
  updated_at TEXT    NOT NULL,
  PRIMARY KEY (namespace, scope)
);

CREATE TABLE admin_credentials (
  name       TEXT    PRIMARY KEY,
  role       TEXT    NOT NULL,
  token_hash TEXT    NOT NULL UNIQUE,
  created_at TEXT    NOT NULL,
  revision   INTEGER NOT NULL REFERENCES revisions (revision)
);

INSERT INTO revisions (revision, kind, subject, actor, message, created_at)
VALUES (1, 'bootstrap', 'rings', 'system', 'default rings', '2026-01-01T00:00:00Z');

INSERT INTO rings (name, position, bake_seconds, revision) VALUES
  ('test', 0, 0, 1),
  ('dev', 1, 86400, 1),
  ('beta', 2, 172800, 1),
  ('live', 3, 0, 1);
