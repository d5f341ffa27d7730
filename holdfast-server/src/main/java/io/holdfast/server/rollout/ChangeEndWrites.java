package io.holdfast.server.rollout;

import io.holdfast.server.store.InstanceTable;
import io.holdfast.server.store.LayerTables;
import io.holdfast.server.store.LayerTables.StoredLayer;
import io.holdfast.server.store.RevisionLog;
import io.holdfast.server.subscription.SubscriptionEdit;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a rolling-out change ends, inside the caller's write transaction: it completes, and its edits
 * become the published layers, or it is backed out, and the layers' content from before it is
 * published again. Either appends its revision and, through {@link ChangeTransitions#end}, its
 * audit row. Stateless.
 */
final class ChangeEndWrites {

  private ChangeEndWrites() {}

  static ChangeRequest complete(
      Connection c,
      long id,
      long expectedVersion,
      String outcome,
      String actor,
      Lease lease,
      InstantSource time)
      throws SQLException {
    Instant now = time.instant();
    ChangeRequest change = ChangeTransitions.begin(c, id, expectedVersion, lease, now);
    if (change.state() != ChangeState.ROLLING_OUT) {
      throw ChangeTransitions.conflict(change, "only a rolling-out change can complete");
    }
    Optional<RingPolicy> next = RingReleaseWrites.nextRing(c, change);
    if (next.isPresent()) {
      throw ChangeTransitions.conflict(
          change, "ring " + next.get().ring() + " has not received it yet");
    }
    long revision =
        RevisionLog.append(
            c, "complete", ChangeViews.target(id), actor, "change " + id + " completed", now);
    publishEdits(c, change, revision);
    ChangeSubscriptionEdits.apply(c, change, revision, now, actor);
    return ChangeTransitions.end(
        c,
        change,
        expectedVersion,
        ChangeState.COMPLETED,
        outcome,
        revision,
        actor,
        "change.complete",
        time);
  }

  static ChangeRequest backOut(
      Connection c,
      long id,
      long expectedVersion,
      String reason,
      String actor,
      Lease lease,
      InstantSource time)
      throws SQLException {
    Instant now = time.instant();
    ChangeRequest change = ChangeTransitions.begin(c, id, expectedVersion, lease, now);
    if (change.state() != ChangeState.ROLLING_OUT) {
      throw ChangeTransitions.conflict(
          change,
          change.state() == ChangeState.APPROVED
              ? "it has reached no ring yet; cancel it instead"
              : "only a rolling-out change can be backed out");
    }
    long revision =
        RevisionLog.append(
            c,
            "backout",
            ChangeViews.target(id),
            actor,
            "change " + id + " backed out: " + reason,
            now);
    // Fix forward: the layers' previous content again, at a revision above every release.
    List<StoredLayer> previous = new ArrayList<>();
    for (ChangeEdit edit : change.edits()) {
      previous.add(
          new StoredLayer(
              edit.namespace(),
              edit.scope(),
              LayerTables.publishedContent(c, edit.namespace(), edit.scope())));
    }
    LayerTables.insertVersions(c, revision, previous);
    // The subscriptions never changed, but instances that were served the edits must see their
    // document's revision rise: the same bump a ring move makes.
    InstanceTable.bumpAssignment(
        c, change.subscriptionEdits().stream().map(SubscriptionEdit::instance).toList(), revision);
    return ChangeTransitions.end(
        c,
        change,
        expectedVersion,
        ChangeState.BACKED_OUT,
        reason,
        revision,
        actor,
        "change.backout",
        time);
  }

  /** The change's edits as published layer versions at {@code revision}. */
  static void publishEdits(Connection c, ChangeRequest change, long revision) throws SQLException {
    List<StoredLayer> layers = new ArrayList<>();
    for (ChangeEdit edit : change.edits()) {
      layers.add(StoredLayer.of(edit.namespace(), edit.scope(), edit.content()));
    }
    LayerTables.insertVersions(c, revision, layers);
  }
}
