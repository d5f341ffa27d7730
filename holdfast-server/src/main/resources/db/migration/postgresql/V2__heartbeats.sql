-- PostgreSQL dialect of db/migration/sqlite/V2 (see V1 for the differences).
-- The latest heartbeat of each instance, replaced by the next one. Heartbeats are reports, not
-- changes to what replicas serve, so writing one never appends to revisions.
CREATE TABLE heartbeats (
  instance    TEXT COLLATE "C" PRIMARY KEY REFERENCES instances (id),
  received_at TEXT COLLATE "C" NOT NULL,
  body        TEXT COLLATE "C" NOT NULL
);
