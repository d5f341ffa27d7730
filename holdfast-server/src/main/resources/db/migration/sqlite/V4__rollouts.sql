-- Health-gate thresholds of each ring, read by the rollout engine while a change bakes there.
ALTER TABLE rings ADD COLUMN min_ack_ratio REAL NOT NULL DEFAULT 0.9
  CHECK (min_ack_ratio >= 0 AND min_ack_ratio <= 1);
ALTER TABLE rings ADD COLUMN ack_deadline_seconds INTEGER NOT NULL DEFAULT 900
  CHECK (ack_deadline_seconds > 0);
ALTER TABLE rings ADD COLUMN max_failing_ratio REAL NOT NULL DEFAULT 0.05
  CHECK (max_failing_ratio >= 0 AND max_failing_ratio <= 1);
ALTER TABLE rings ADD COLUMN max_error_ratio REAL NOT NULL DEFAULT 0.05
  CHECK (max_error_ratio >= 0 AND max_error_ratio <= 1);

-- An optional JSON Schema that every effective document of the namespace must satisfy before a
-- change to it can be approved.
ALTER TABLE namespaces ADD COLUMN json_schema TEXT;

-- A change request: layer edits that reach the fleet ring by ring. version is bumped by every
-- transition; transitions are compare-and-set on it, so two actors (an admin and the engine, or
-- two engines) can never both move the same change from the same state.
CREATE TABLE changes (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  description        TEXT    NOT NULL,
  author             TEXT    NOT NULL,
  state              TEXT    NOT NULL
    CHECK (state IN ('draft', 'approved', 'rolling_out', 'completed', 'backed_out', 'cancelled')),
  required_approvals INTEGER NOT NULL CHECK (required_approvals BETWEEN 0 AND 2),
  paused             INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  -- The ring released last, when, and at which revision: where the change bakes now.
  current_ring       TEXT,
  released_at        TEXT,
  release_revision   INTEGER REFERENCES revisions (revision),
  -- Why the change ended the way it did (the gate's verdict, a back-out reason, a hot-fix reason).
  outcome            TEXT    NOT NULL DEFAULT '',
  -- The revision that made its content everyone's (completed) or took it back (backed_out).
  final_revision     INTEGER REFERENCES revisions (revision),
  version            INTEGER NOT NULL,
  created_at         TEXT    NOT NULL,
  updated_at         TEXT    NOT NULL
);

CREATE INDEX changes_by_state ON changes (state, id);

-- The edits of a change. content NULL removes the layer. base_revision is the published version
-- of the layer the edit was written against (0: the layer did not exist); approval refuses an
-- edit whose layer has moved on since, so a change never silently overwrites someone's publish.
CREATE TABLE change_edits (
  change_id     INTEGER NOT NULL REFERENCES changes (id),
  position      INTEGER NOT NULL,
  namespace     TEXT    NOT NULL REFERENCES namespaces (name),
  scope         TEXT    NOT NULL,
  content       TEXT,
  base_revision INTEGER NOT NULL,
  PRIMARY KEY (change_id, position),
  UNIQUE (change_id, namespace, scope)
);

-- The subscription edits of a change: a new subscription (kind 'create', under the id it will
-- have) or a change to one (kind 'change'). body holds the edit's fields. base_revision is the
-- subscription's revision the edit was written against (0 for a new one).
CREATE TABLE change_subscription_edits (
  change_id       INTEGER NOT NULL REFERENCES changes (id),
  position        INTEGER NOT NULL,
  subscription_id TEXT    NOT NULL,
  instance        TEXT    NOT NULL REFERENCES instances (id),
  application     TEXT    NOT NULL REFERENCES applications (name),
  kind            TEXT    NOT NULL CHECK (kind IN ('create', 'change')),
  body            TEXT    NOT NULL,
  base_revision   INTEGER NOT NULL,
  PRIMARY KEY (change_id, position),
  UNIQUE (change_id, subscription_id)
);

CREATE TABLE change_approvals (
  change_id   INTEGER NOT NULL REFERENCES changes (id),
  approver    TEXT    NOT NULL,
  comment     TEXT    NOT NULL DEFAULT '',
  approved_at TEXT    NOT NULL,
  PRIMARY KEY (change_id, approver)
);

-- Which rings have received a change, when, at which revision and how. The primary key makes a
-- second release of the same ring impossible: nothing is published twice.
CREATE TABLE change_releases (
  change_id   INTEGER NOT NULL REFERENCES changes (id),
  ring        TEXT    NOT NULL REFERENCES rings (name),
  position    INTEGER NOT NULL,
  revision    INTEGER NOT NULL REFERENCES revisions (revision),
  released_at TEXT    NOT NULL,
  mode        TEXT    NOT NULL CHECK (mode IN ('gate', 'manual', 'hotfix')),
  actor       TEXT    NOT NULL,
  PRIMARY KEY (change_id, ring)
);

-- Leader leases: one row per lease name. token grows with every change of holder and fences
-- writes made under a lease that has since passed to another replica.
CREATE TABLE leases (
  name       TEXT    PRIMARY KEY,
  holder     TEXT    NOT NULL,
  token      INTEGER NOT NULL,
  expires_at TEXT    NOT NULL
);

-- The global rollout freeze: at most one row, present while frozen.
CREATE TABLE rollout_freeze (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  reason TEXT    NOT NULL,
  actor  TEXT    NOT NULL,
  since  TEXT    NOT NULL
);
