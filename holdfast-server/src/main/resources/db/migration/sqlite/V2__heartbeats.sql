-- The latest heartbeat of each instance, replaced by the next one. Heartbeats are reports, not
-- changes to what replicas serve, so writing one never appends to revisions.
CREATE TABLE heartbeats (
  instance    TEXT PRIMARY KEY REFERENCES instances (id),
  received_at TEXT NOT NULL,
  body        TEXT NOT NULL
);
