-- Which replicas may run on this database (issue 23): those that understand schema version
-- oldest_replica_schema or newer. Between one release and the next, migrations only expand (new
-- tables, nullable columns, indexes), so a replica of the previous release, which understands
-- schema 8, keeps running beside one of this release during a rolling upgrade. A release that
-- contracts the schema (drops or renames what an older replica reads) raises the floor in the
-- same migration, and replicas below it refuse to start instead of meeting a schema they would
-- misread. See docs/operations.md, "Upgrading Holdfast".
CREATE TABLE schema_compatibility (
  id                    INTEGER PRIMARY KEY CHECK (id = 1),
  oldest_replica_schema INTEGER NOT NULL
);

INSERT INTO schema_compatibility (id, oldest_replica_schema) VALUES (1, 8);
