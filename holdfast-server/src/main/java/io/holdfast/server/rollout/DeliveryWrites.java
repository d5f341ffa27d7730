package io.holdfast.server.rollout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.server.store.AuditTable;
import io.holdfast.server.store.RevisionLog;
import io.holdfast.server.window.ChangeDeliveries;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;

/**
 * Delivery of a rolling-out change to instances that waited for their change window (issue 22),
 * inside the caller's write transaction: one revision for all of them, since what they are served
 * changes, and one audit row. Not a transition of the change, whose version stays as it is: an
 * operator's pause or promotion made meanwhile is not refused for it. Stateless.
 */
final class DeliveryWrites {

  private DeliveryWrites() {}

  /** Gives the change to those of {@code instances} that still wait; returns how many did. */
  static int deliver(
      Connection c,
      long id,
      Collection<String> instances,
      String actor,
      Lease lease,
      InstantSource time)
      throws SQLException {
    Instant now = time.instant();
    LeaseTable.check(c, lease, now);
    ChangeRequest change = ChangeTransitions.requireChange(c, id);
    if (change.state() != ChangeState.ROLLING_OUT || instances.isEmpty()) {
      return 0; // backed out, completed or cancelled meanwhile: nothing waits any more
    }
    long revision =
        RevisionLog.append(
            c,
            "deliver",
            ChangeViews.target(id),
            actor,
            "change " + id + " reaches " + instances.size() + " instances as their windows open",
            now);
    int delivered = ChangeDeliveries.deliver(c, id, instances, now, revision);
    ObjectNode after =
        ChangeViews.object()
            .put("revision", revision)
            .put("delivered", delivered)
            .put("ring", change.currentRing());
    AuditTable.append(
        c, now, actor, "change.deliver", ChangeViews.target(id), ChangeViews.state(change), after);
    return delivered;
  }
}
