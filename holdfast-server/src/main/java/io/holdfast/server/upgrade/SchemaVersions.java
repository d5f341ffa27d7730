package io.holdfast.server.upgrade;

/**
 * The schema versions a replica works with: the newest it understands (its own highest migration)
 * and the store's when it started (after its own migrations ran). The store's is higher only while
 * a newer release's replica runs beside this one on the same database, one compatible step ahead.
 *
 * @param understood the highest migration this replica carries
 * @param store the highest migration applied to the store when this replica started
 */
public record SchemaVersions(int understood, int store) {

  /** Whether the store is a newer release's, which this replica runs on as a compatible step. */
  public boolean storeAhead() {
    return store > understood;
  }
}
