package io.holdfast.server.admin;

import io.holdfast.server.snapshot.SnapshotHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs after an admin write succeeds and before its answer goes out: this replica reloads its
 * snapshot, so that whoever wrote is served the write at once by the replica they wrote through.
 * The admin API's gate and the console's actions both call it, for every operation the table says
 * changes what is served; no handler does. Thread-safe.
 */
public final class ReadYourWrites {

  private static final Logger LOG = LoggerFactory.getLogger(ReadYourWrites.class);

  private final SnapshotHolder snapshots;

  public ReadYourWrites(SnapshotHolder snapshots) {
    this.snapshots = snapshots;
  }

  /**
   * After {@code operation} succeeded: waits until this replica serves it, if it changed what is
   * served (a draft does not), having given back the request's {@code turn} first (the write is
   * committed; see {@link AdminTurn}).
   */
  public void after(AdminOperation operation, AdminTurn turn) {
    if (operation.changesWhatIsServed()) {
      turn.giveBack();
      serveNow();
    }
  }

  /**
   * Refreshes the snapshot (one query when nothing was published). A failure does not undo or fail
   * the write: the poller retries, and the write is already durable.
   */
  private void serveNow() {
    try {
      snapshots.refresh();
    } catch (RuntimeException e) {
      LOG.warn("write committed but the snapshot could not be refreshed yet: {}", e.getMessage());
    }
  }
}
