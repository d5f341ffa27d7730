package io.holdfast.server.store;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.problem.ProblemException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The rules of the ring and instance writes, inside the caller's write transaction: each checks,
 * appends its revision, changes {@link RingTable} or {@link InstanceTable} and appends its audit
 * row. Stateless.
 */
public final class FleetWrites {

  private FleetWrites() {}

  static Ring createRing(
      Connection c, String name, int position, Duration bakeTime, String actor, Instant now)
      throws SQLException {
    RingTable.requireFree(c, name, position);
    long revision = RevisionLog.append(c, "ring", name, actor, "create ring", now);
    Ring ring = new Ring(name, position, Duration.ofSeconds(bakeTime.toSeconds()), revision);
    RingTable.insert(c, ring);
    AuditTable.append(c, now, actor, "ring.create", "ring:" + name, null, AuditViews.ring(ring));
    return ring;
  }

  static Instance createInstance(
      Connection c,
      String id,
      String ring,
      Map<String, String> givenLabels,
      String credentialHash,
      String actor,
      Instant now)
      throws SQLException {
    if (InstanceTable.exists(c, id)) {
      throw new ProblemException(
          ProblemType.ALREADY_EXISTS, "instance '" + id + "' already exists");
    }
    RingTable.require(c, ring);
    long revision =
        RevisionLog.append(c, "instance", id, actor, "create instance in ring " + ring, now);
    Instance created =
        new Instance(id, ring, Map.copyOf(givenLabels), credentialHash, revision, now, now);
    InstanceTable.insert(c, created);
    AuditTable.append(
        c,
        now,
        actor,
        "instance.create",
        "instance:" + id,
        null,
        AuditViews.instance(id, ring, givenLabels));
    return created;
  }

  /** Moves the instance to another ring or replaces its labels ({@code null}: unchanged). */
  public static Instance updateInstance(
      Connection c, String id, String ring, Map<String, String> labels, String actor, Instant now)
      throws SQLException {
    Instance current =
        InstanceTable.find(c, id)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.INSTANCE_NOT_FOUND, "instance '" + id + "' does not exist"));
    boolean ringChanges = ring != null && !ring.equals(current.ring());
    if (ringChanges) {
      RingTable.require(c, ring);
    }
    String message = ringChanges ? "move instance to ring " + ring : "update instance labels";
    long revision = RevisionLog.append(c, "instance", id, actor, message, now);
    // Only a ring move changes the instance's documents, so only it moves the assignment
    // revision.
    long assignment = ringChanges ? revision : current.assignmentRevision();
    String newRing = ringChanges ? ring : current.ring();
    Map<String, String> newLabels = labels != null ? labels : current.labels();
    Instance updated =
        new Instance(
            id,
            newRing,
            Map.copyOf(newLabels),
            current.credentialHash(),
            assignment,
            current.createdAt(),
            now);
    InstanceTable.update(c, updated);
    AuditTable.append(
        c,
        now,
        actor,
        "instance.update",
        "instance:" + id,
        AuditViews.instance(id, current.ring(), current.labels()),
        AuditViews.instance(id, newRing, newLabels));
    return updated;
  }

  static void replaceCredential(
      Connection c, String id, String credentialHash, String actor, Instant now)
      throws SQLException {
    InstanceTable.require(c, id);
    RevisionLog.append(c, "credential", id, actor, "rotate instance credential", now);
    InstanceTable.replaceCredential(c, id, credentialHash, now);
    AuditTable.append(c, now, actor, "instance.rotate-credential", "instance:" + id, null, null);
  }
}
