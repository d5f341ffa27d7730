package io.holdfast.server.rollout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.AuditTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;

/**
 * What every change transition starts and ends with, inside the caller's write transaction: the
 * change is still at the version the caller saw (and the engine still holds its lease), and an
 * ending moves it to its final state with its audit row. Stateless.
 */
final class ChangeTransitions {

  private ChangeTransitions() {}

  /**
   * The start of every transition: the lease (if the engine acts) is still this holder's, and the
   * change is still at the version the caller saw.
   */
  static ChangeRequest begin(Connection c, long id, long expectedVersion, Lease lease, Instant now)
      throws SQLException {
    LeaseTable.check(c, lease, now);
    ChangeRequest change = requireChange(c, id);
    expect(change, expectedVersion);
    return change;
  }

  /**
   * Moves the change to the final state {@code to}, with its audit row. The time is read here,
   * after the transition's own work, as it always was.
   */
  static ChangeRequest end(
      Connection c,
      ChangeRequest change,
      long expectedVersion,
      ChangeState to,
      String outcome,
      Long finalRevision,
      String actor,
      String action,
      InstantSource time)
      throws SQLException {
    Instant now = time.instant();
    String text = outcome == null ? "" : outcome;
    ChangeTables.markState(c, change, expectedVersion, to, text, finalRevision, now);
    ObjectNode after = ChangeViews.object().put("state", to.wireName()).put("outcome", text);
    if (finalRevision != null) {
      after.put("revision", finalRevision);
    }
    AuditTable.append(
        c, now, actor, action, ChangeViews.target(change.id()), ChangeViews.state(change), after);
    return requireChange(c, change.id());
  }

  static ChangeRequest requireChange(Connection c, long id) throws SQLException {
    return ChangeQueries.find(c, id)
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.CHANGE_NOT_FOUND, "change " + id + " does not exist"));
  }

  static void expect(ChangeRequest change, long expectedVersion) {
    if (change.version() != expectedVersion) {
      throw new ProblemException(
          ProblemType.CHANGE_CONFLICT,
          "change "
              + change.id()
              + " moved on since version "
              + expectedVersion
              + " (it is "
              + change.state().wireName()
              + " at version "
              + change.version()
              + ")");
    }
  }

  static ProblemException conflict(ChangeRequest change, String why) {
    return new ProblemException(
        ProblemType.CHANGE_CONFLICT,
        "change " + change.id() + " is " + change.state().wireName() + ": " + why);
  }
}
