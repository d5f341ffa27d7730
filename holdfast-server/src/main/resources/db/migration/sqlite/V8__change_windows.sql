-- Change windows and blackout dates (issue 22): when in its customer's week, and on which days not
-- at all, an instance may receive a change that has reached its ring. A window is stored in
-- ChangeWindow's own text ("Mon-Fri 19:00-07:00 in Europe/London"); NULL is none (always open). A
-- ring's window is the default for its instances and an instance's own replaces it; an instance's
-- zone, if set, is where its ring's weekly pattern applies to it.
ALTER TABLE rings ADD COLUMN change_window TEXT;
ALTER TABLE instances ADD COLUMN change_window TEXT;
ALTER TABLE instances ADD COLUMN zone TEXT;

-- Calendar ranges (both days included) in which nothing is released: for every instance (level
-- 'global', target ''), for a ring's, or for one instance. zone NULL: the instance's own zone.
CREATE TABLE blackouts (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  level      TEXT    NOT NULL CHECK (level IN ('global', 'ring', 'instance')),
  target     TEXT    NOT NULL,
  first_day  TEXT    NOT NULL,
  last_day   TEXT    NOT NULL,
  zone       TEXT,
  reason     TEXT    NOT NULL,
  created_at TEXT    NOT NULL
);

CREATE INDEX blackouts_by_target ON blackouts (level, target);

-- The instances of a ring that a change reached while their window was closed. Until the engine
-- delivers it to them (delivered_at, at revision), once their window opens, they are served what
-- they had. An instance of a released ring without a row received the change with its ring.
CREATE TABLE change_deliveries (
  change_id    INTEGER NOT NULL REFERENCES changes (id),
  instance     TEXT    NOT NULL,
  ring         TEXT    NOT NULL,
  held_at      TEXT    NOT NULL,
  delivered_at TEXT,
  revision     INTEGER REFERENCES revisions (revision),
  PRIMARY KEY (change_id, instance)
);

CREATE INDEX change_deliveries_waiting ON change_deliveries (delivered_at, change_id);
