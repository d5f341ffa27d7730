package io.holdfast.server.rollout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.AuditTable;
import io.holdfast.server.store.RevisionLog;
import io.holdfast.server.window.ChangeDeliveries;
import io.holdfast.server.window.FleetTimings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The release path, inside the caller's write transaction: a change reaches the next ring ({@link
 * #releaseNext}), or every ring it has not reached at once as a hot-fix ({@link #hotfix}), and is
 * paused or resumed between releases. A release appends its revision, its row in the change's
 * releases and its audit row; the rules that may refuse one (state, freeze, rings left) are here.
 * Stateless.
 */
final class RingReleaseWrites {

  private RingReleaseWrites() {}

  /**
   * Releases the change to the first ring it has not reached; refused while rollouts are frozen,
   * unless {@code mode} is a hot-fix.
   */
  static ChangeRequest releaseNext(
      Connection c,
      long id,
      long expectedVersion,
      ReleaseMode mode,
      String actor,
      Lease lease,
      InstantSource time)
      throws SQLException {
    Instant now = time.instant();
    ChangeRequest change = ChangeTransitions.begin(c, id, expectedVersion, lease, now);
    if (change.state() != ChangeState.APPROVED && change.state() != ChangeState.ROLLING_OUT) {
      throw ChangeTransitions.conflict(
          change, "only an approved or rolling-out change can reach another ring");
    }
    Optional<Freeze> freeze = mode == ReleaseMode.HOTFIX ? Optional.empty() : FreezeTable.find(c);
    if (freeze.isPresent()) {
      throw new ProblemException(
          ProblemType.ROLLOUTS_FROZEN,
          "rollouts are frozen: " + freeze.get().reason() + "; lift the freeze or use a hot-fix");
    }
    RingPolicy next =
        nextRing(c, change)
            .orElseThrow(
                () -> ChangeTransitions.conflict(change, "it has reached every ring already"));
    long revision =
        RevisionLog.append(
            c,
            "release",
            ChangeViews.target(id),
            actor,
            "change " + id + " reaches ring " + next.ring(),
            now);
    ChangeTables.insertRelease(c, id, next, revision, now, mode, actor);
    ChangeTables.markReleased(c, change, expectedVersion, next.ring(), revision, now);
    // Instances whose change window is closed keep what they had until it opens (issue 22); a
    // hot-fix does not wait for windows.
    int held =
        mode == ReleaseMode.HOTFIX
            ? 0
            : ChangeDeliveries.holdClosed(c, id, next.ring(), FleetTimings.read(c), now);
    ObjectNode after =
        ChangeViews.object()
            .put("ring", next.ring())
            .put("revision", revision)
            .put("mode", mode.wireName())
            .put("waitingForWindows", held);
    AuditTable.append(
        c, now, actor, "change.release", ChangeViews.target(id), ChangeViews.state(change), after);
    return ChangeTransitions.requireChange(c, id);
  }

  /**
   * Releases every ring the change has not reached and completes it, in one revision, ignoring bake
   * times, gates and the freeze.
   */
  static ChangeRequest hotfix(
      Connection c, long id, long expectedVersion, String reason, String actor, InstantSource time)
      throws SQLException {
    Instant now = time.instant();
    ChangeRequest change = ChangeTransitions.begin(c, id, expectedVersion, null, now);
    if (change.state() != ChangeState.APPROVED && change.state() != ChangeState.ROLLING_OUT) {
      throw ChangeTransitions.conflict(
          change, "only an approved or rolling-out change can be hot-fixed");
    }
    long revision =
        RevisionLog.append(
            c,
            "hotfix",
            ChangeViews.target(id),
            actor,
            "change " + id + " hot-fixed: " + reason,
            now);
    for (RingPolicy ring : RingPolicyTable.all(c)) {
      if (!change.releasedTo(ring.ring())) {
        ChangeTables.insertRelease(c, id, ring, revision, now, ReleaseMode.HOTFIX, actor);
      }
    }
    ChangeEndWrites.publishEdits(c, change, revision);
    ChangeSubscriptionEdits.apply(c, change, revision, now, actor);
    return ChangeTransitions.end(
        c,
        change,
        expectedVersion,
        ChangeState.COMPLETED,
        "hot-fix: " + reason,
        revision,
        actor,
        "change.hotfix",
        time);
  }

  /** Pauses or resumes the change's releases; setting what it already is changes nothing. */
  static ChangeRequest setPaused(
      Connection c, long id, long expectedVersion, boolean paused, String actor, InstantSource time)
      throws SQLException {
    ChangeRequest change = ChangeTransitions.requireChange(c, id);
    ChangeTransitions.expect(change, expectedVersion);
    if (change.state() != ChangeState.APPROVED && change.state() != ChangeState.ROLLING_OUT) {
      throw ChangeTransitions.conflict(
          change, "only an approved or rolling-out change can be paused or resumed");
    }
    if (change.paused() == paused) {
      return change;
    }
    Instant now = time.instant();
    ChangeTables.markPaused(c, change, expectedVersion, paused, now);
    AuditTable.append(
        c,
        now,
        actor,
        paused ? "change.pause" : "change.resume",
        ChangeViews.target(id),
        ChangeViews.object().put("paused", !paused),
        ChangeViews.object().put("paused", paused));
    return ChangeTransitions.requireChange(c, id);
  }

  /** The first ring in rollout order that the change has not reached. */
  static Optional<RingPolicy> nextRing(Connection c, ChangeRequest change) throws SQLException {
    return RingPolicyTable.all(c).stream().filter(r -> !change.releasedTo(r.ring())).findFirst();
  }
}
