package io.holdfast.server.http;

import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.snapshot.SnapshotHolder;
import io.holdfast.server.store.ConfigStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every admin endpoint needs: the store, the guard, body parsing, token minting, and the
 * snapshot to refresh after a write so that this replica serves its own writes at once.
 */
record AdminContext(
    ConfigStore store, RequestGuard guard, RequestBodies bodies, CredentialTokens tokens, SnapshotHolder snapshots) {

  private static final Logger LOG = LoggerFactory.getLogger(AdminContext.class);

  /**
   * Refreshes the snapshot after a committed write. A failure here does not undo or fail the
   * write: the poller retries, and the write is already durable.
   */
  void afterWrite() {
    try {
      snapshots.refresh();
    } catch (RuntimeException e) {
      LOG.warn("write committed but the snapshot could not be refreshed yet: {}", e.getMessage());
    }
  }
}
