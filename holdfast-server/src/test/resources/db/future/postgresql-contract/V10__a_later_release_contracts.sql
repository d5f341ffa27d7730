-- A later release's migration, for SchemaCompatibilityTest: a contraction, which raises the floor
-- to its own schema in the same migration, so today's replicas must refuse the store.
UPDATE schema_compatibility SET oldest_replica_schema = 10;
