package io.holdfast.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.AuditTable;
import io.holdfast.server.store.NamespaceTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The writes of what governs every rollout rather than one change, inside the caller's write
 * transaction: a ring's bake time and gate, a namespace's schema, and the freeze. Each appends its
 * audit row and no revision, since none changes what instances are served. Stateless.
 */
final class RolloutPolicyWrites {

  private RolloutPolicyWrites() {}

  /** Changes a ring's bake time and gate; a {@code null} argument keeps that part. */
  static RingPolicy updateRing(
      Connection c, String ring, Duration bakeTime, RingGate gate, String actor, InstantSource time)
      throws SQLException {
    RingPolicy before =
        RingPolicyTable.find(c, ring)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.RING_NOT_FOUND, "ring '" + ring + "' does not exist"));
    RingPolicy after =
        new RingPolicy(
            ring,
            before.position(),
            bakeTime == null ? before.bakeTime() : bakeTime,
            gate == null ? before.gate() : gate);
    RingPolicyTable.update(c, after);
    AuditTable.append(
        c,
        time.instant(),
        actor,
        "ring.update",
        "ring:" + ring,
        ChangeViews.ring(before),
        ChangeViews.ring(after));
    return after;
  }

  /** Sets ({@code schema != null}) or removes the namespace's JSON Schema. */
  static void setNamespaceSchema(
      Connection c, String namespace, JsonNode schema, String actor, InstantSource time)
      throws SQLException {
    JsonNode before = NamespaceTable.schema(c, namespace);
    NamespaceTable.setSchema(c, namespace, schema);
    AuditTable.append(
        c,
        time.instant(),
        actor,
        schema == null ? "namespace.schema.remove" : "namespace.schema.set",
        "namespace:" + namespace,
        before,
        schema);
  }

  /** Freezes rollouts; freezing again replaces the reason. */
  static Freeze setFreeze(Connection c, String reason, String actor, InstantSource time)
      throws SQLException {
    Instant now = time.instant();
    Optional<Freeze> before = FreezeTable.find(c);
    FreezeTable.put(c, reason, actor, now);
    AuditTable.append(
        c,
        now,
        actor,
        "rollouts.freeze",
        "rollouts",
        before.map(ChangeViews::freeze).orElse(null),
        ChangeViews.object().put("reason", reason));
    return FreezeTable.find(c).orElseThrow();
  }

  /** Lifts the freeze; does nothing if there is none. */
  static void lift(Connection c, String actor, InstantSource time) throws SQLException {
    Optional<Freeze> before = FreezeTable.find(c);
    if (before.isPresent()) {
      FreezeTable.delete(c);
      AuditTable.append(
          c,
          time.instant(),
          actor,
          "rollouts.unfreeze",
          "rollouts",
          ChangeViews.freeze(before.get()),
          null);
    }
  }
}
