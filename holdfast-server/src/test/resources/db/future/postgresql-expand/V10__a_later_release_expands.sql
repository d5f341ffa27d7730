-- A later release's migration, for SchemaCompatibilityTest: it only expands (a new nullable
-- column), so the floor stays and today's replicas run on it.
ALTER TABLE instances ADD COLUMN later_release_note TEXT;
