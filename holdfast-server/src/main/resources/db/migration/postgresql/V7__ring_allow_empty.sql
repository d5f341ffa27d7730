-- PostgreSQL dialect of db/migration/sqlite/V7 (see V1 for the differences).
-- Whether a ring may have no reporting instance (issue 22). Unset, a change that reaches a ring
-- from which none of the instances it affects has ever sent a heartbeat waits there until the
-- ring's acknowledgement deadline and is then backed out; set, it passes once baked, as every ring
-- did before this column. Existing rings get the safe default.
ALTER TABLE rings ADD COLUMN allow_empty BIGINT NOT NULL DEFAULT 0 CHECK (allow_empty IN (0, 1));

-- A namespace's history lists the ring releases of the changes that edit it.
CREATE INDEX change_edits_by_namespace ON change_edits (namespace, change_id);
