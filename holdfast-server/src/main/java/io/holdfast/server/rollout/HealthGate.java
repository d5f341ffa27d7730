package io.holdfast.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.Scope;
import io.holdfast.server.subscription.SubscriptionEdit;
import io.holdfast.server.subscription.SubscriptionsDocument;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges a change baking in a ring from its instances' latest heartbeats. An instance is watched if
 * the change alters one of its documents (a {@code default} edit, an edit of its ring's layer or of
 * its own instance layer) and it reports reading that namespace. Only heartbeats the replicas
 * received after the ring's release count as evidence about the change; a watched instance that has
 * not reported since is not yet acknowledged. The verdict:
 *
 * <ol>
 *   <li>FAIL if more than the gate's share of watched instances report a changed namespace STALE or
 *       EXPIRED (a client that rejects or cannot verify the new document keeps its old copy and
 *       says STALE), or report their application FAILING;
 *   <li>if the change alters the ring (a {@code default} edit or one of its ring layer, or an edit
 *       of one of its instances) but none of the instances it affects there has ever sent a
 *       heartbeat: WAIT until the acknowledgement deadline, then FAIL, unless the gate allows the
 *       ring to be empty ({@link RingGate#allowEmpty()}), when it passes once baked;
 *   <li>FAIL if the acknowledgement deadline has passed and too few have confirmed the release;
 *   <li>PASS once enough have confirmed it and the ring's bake time is over;
 *   <li>WAIT otherwise.
 * </ol>
 *
 * <p>The second rule is there because silence is no evidence: a ring whose instances are new, or
 * whose heartbeats never reach the replicas, would otherwise pass a bad change straight on to the
 * next ring. A ring the change does not alter at all (another ring's layer, another ring's
 * instance), and a ring whose instances report but read none of the changed namespaces, have
 * nothing to judge and pass once baked. Stateless.
 */
public final class HealthGate {

  private HealthGate() {}

  /**
   * {@link #evaluate(RingPolicy, ChangeRequest, List, Map, Instant, RingDeliveries)} without
   * windows.
   */
  public static GateVerdict evaluate(
      RingPolicy ring,
      ChangeRequest change,
      List<Instance> instances,
      Map<String, Heartbeat> heartbeats,
      Instant now) {
    return evaluate(ring, change, instances, heartbeats, now, RingDeliveries.NONE);
  }

  /**
   * The verdict on {@code change} baking in {@code ring}, whose instances may receive it at
   * different times ({@code deliveries}): one that waits for its change window is not judged, and
   * one that received it after the ring's release is judged from its own delivery, which is also
   * when its acknowledgement deadline starts. The bake time counts from the first delivery.
   */
  public static GateVerdict evaluate(
      RingPolicy ring,
      ChangeRequest change,
      List<Instance> instances,
      Map<String, Heartbeat> heartbeats,
      Instant now,
      RingDeliveries deliveries) {
    Instant releasedAt = change.releasedAt();
    long releaseRevision = change.releaseRevision();
    RingGate gate = ring.gate();
    Instant judgedFrom = null; // the first delivery: when the bake time starts
    Instant ackDue = null; // the earliest deadline of an instance not acknowledged yet
    int waiting = 0;
    int due = 0; // watched instances whose acknowledgement deadline has passed
    int dueAcknowledged = 0;
    int affected = 0;
    int reporting = 0;
    int watched = 0;
    int acknowledged = 0;
    int failing = 0;
    int erroring = 0;
    String example = null;
    for (Instance instance : instances) {
      if (!instance.ring().equals(ring.ring())) {
        continue;
      }
      // Only what the change alters for this instance can be confirmed: an instance layer of
      // another instance, or another ring's layer, leaves its documents as they were.
      Set<String> namespaces = affected(change, instance);
      if (namespaces.isEmpty()) {
        continue;
      }
      if (deliveries.waits(instance.id())) {
        waiting++; // its window is closed: it is still served what it had
        continue;
      }
      Instant since = deliveries.deliveredAt(instance.id(), releasedAt);
      judgedFrom = judgedFrom == null || since.isBefore(judgedFrom) ? since : judgedFrom;
      affected++;
      Heartbeat heartbeat = heartbeats.get(instance.id());
      if (heartbeat == null) {
        continue; // never reported: see unreported()
      }
      reporting++;
      if (!readsAny(heartbeat.body(), namespaces)) {
        continue;
      }
      watched++;
      Instant deadline = since.plus(gate.ackDeadline());
      boolean overdue = !now.isBefore(deadline);
      if (overdue) {
        due++;
      }
      if (heartbeat.receivedAt().isBefore(since)) {
        // Silent since it received the change: not acknowledged, and no evidence against it.
        ackDue = ackDue == null || deadline.isBefore(ackDue) ? deadline : ackDue;
        continue;
      }
      JsonNode reported = heartbeat.body().path("namespaces");
      boolean confirmed = true;
      boolean unhealthy = false;
      for (String namespace : namespaces) {
        JsonNode state = reported.get(namespace);
        if (state == null) {
          continue;
        }
        String status = state.path("status").asText();
        if (status.equals("STALE") || status.equals("EXPIRED")) {
          unhealthy = true;
          if (example == null) {
            example =
                instance.id()
                    + " reports "
                    + namespace
                    + " "
                    + status
                    + (state.hasNonNull("reason") ? " (" + state.get("reason").asText() + ")" : "");
          }
        }
        if (!status.equals("FRESH") || state.path("revision").asLong() < releaseRevision) {
          confirmed = false;
        }
      }
      JsonNode application = heartbeat.body().path("application");
      if (application.path("status").asText().equals("FAILING")) {
        erroring++;
        if (example == null) {
          example =
              instance.id()
                  + "'s application reports FAILING"
                  + (application.hasNonNull("reason")
                      ? " (" + application.get("reason").asText() + ")"
                      : "");
        }
      }
      if (unhealthy) {
        failing++;
      }
      if (confirmed && !unhealthy) {
        acknowledged++;
        if (overdue) {
          dueAcknowledged++;
        }
      } else {
        ackDue = ackDue == null || deadline.isBefore(ackDue) ? deadline : ackDue;
      }
    }
    String counts =
        acknowledged
            + " of "
            + watched
            + " instances in ring "
            + ring.ring()
            + " confirmed revision "
            + releaseRevision;
    if (watched > 0 && (double) failing / watched > gate.maxFailingRatio()) {
      return new GateVerdict(
          GateVerdict.Decision.FAIL,
          watched,
          acknowledged,
          failing,
          erroring,
          failing
              + " of "
              + watched
              + " instances in ring "
              + ring.ring()
              + " report a changed namespace STALE or EXPIRED"
              + " (more than "
              + percent(gate.maxFailingRatio())
              + "); for example "
              + example);
    }
    if (watched > 0 && (double) erroring / watched > gate.maxErrorRatio()) {
      return new GateVerdict(
          GateVerdict.Decision.FAIL,
          watched,
          acknowledged,
          failing,
          erroring,
          erroring
              + " of "
              + watched
              + " instances in ring "
              + ring.ring()
              + " report their application FAILING"
              + " (more than "
              + percent(gate.maxErrorRatio())
              + "); for example "
              + example);
    }
    if (deliveries.neverOpens().isPresent()) {
      return new GateVerdict(
          GateVerdict.Decision.FAIL,
          watched,
          acknowledged,
          failing,
          erroring,
          deliveries.neverOpens().get()
              + ", so the change cannot reach every instance of ring "
              + ring.ring()
              + "; change the window or the blackout, or back the change out");
    }
    if (affected == 0 && waiting > 0) {
      return new GateVerdict(
          GateVerdict.Decision.WAIT,
          0,
          0,
          0,
          0,
          "all " + waiting + " instances in ring " + ring.ring() + " " + windowWait(deliveries));
    }
    if (reporting == 0 && (affected > 0 || altersRing(change, ring.ring()))) {
      return unreported(ring, affected, now, judgedFrom == null ? releasedAt : judgedFrom);
    }
    if (due > 0 && (double) dueAcknowledged / due < gate.minAckRatio()) {
      return new GateVerdict(
          GateVerdict.Decision.FAIL,
          watched,
          acknowledged,
          failing,
          erroring,
          "only "
              + dueAcknowledged
              + " of "
              + due
              + " instances in ring "
              + ring.ring()
              + " confirmed revision "
              + releaseRevision
              + " within "
              + gate.ackDeadline()
              + " of receiving it (needs "
              + percent(gate.minAckRatio())
              + ")");
    }
    boolean enoughAcks = watched == 0 || (double) acknowledged / watched >= gate.minAckRatio();
    if (!enoughAcks) {
      return new GateVerdict(
          GateVerdict.Decision.WAIT,
          watched,
          acknowledged,
          failing,
          erroring,
          "waiting for acknowledgements: "
              + counts
              + " (needs "
              + percent(gate.minAckRatio())
              + (ackDue == null ? "" : ", the first due by " + ackDue)
              + ")");
    }
    if (waiting > 0) {
      return new GateVerdict(
          GateVerdict.Decision.WAIT,
          watched,
          acknowledged,
          failing,
          erroring,
          waiting
              + " more instances in ring "
              + ring.ring()
              + " "
              + windowWait(deliveries)
              + "; "
              + counts);
    }
    Instant baked = (judgedFrom == null ? releasedAt : judgedFrom).plus(ring.bakeTime());
    if (now.isBefore(baked)) {
      return new GateVerdict(
          GateVerdict.Decision.WAIT,
          watched,
          acknowledged,
          failing,
          erroring,
          "baking until " + baked + "; " + counts);
    }
    return new GateVerdict(
        GateVerdict.Decision.PASS,
        watched,
        acknowledged,
        failing,
        erroring,
        "healthy and baked: " + counts);
  }

  private static String windowWait(RingDeliveries deliveries) {
    return "wait for their change window"
        + deliveries.nextOpening().map(at -> "; the next opens at " + at).orElse("");
  }

  /**
   * The verdict on a ring the change alters but from which none of the {@code affected} instances
   * it affects has ever reported. No instance is affected only when the ring has none: an edit of
   * the default or the ring's layer affects every instance of the ring. {@code releasedAt}: when
   * the first of them received the change.
   */
  private static GateVerdict unreported(
      RingPolicy ring, int affected, Instant now, Instant releasedAt) {
    RingGate gate = ring.gate();
    Instant deadline = releasedAt.plus(gate.ackDeadline());
    String silence =
        affected == 0
            ? "ring " + ring.ring() + " has no instances"
            : affected == 1
                ? "the one instance in ring "
                    + ring.ring()
                    + " that the change affects has never"
                    + " sent a heartbeat"
                : "none of the "
                    + affected
                    + " instances in ring "
                    + ring.ring()
                    + " that the change affects has ever sent a heartbeat";
    if (gate.allowEmpty()) {
      Instant baked = releasedAt.plus(ring.bakeTime());
      if (now.isBefore(baked)) {
        return new GateVerdict(
            GateVerdict.Decision.WAIT,
            0,
            0,
            0,
            0,
            "baking until " + baked + "; " + silence + ", which the ring allows");
      }
      return new GateVerdict(
          GateVerdict.Decision.PASS,
          0,
          0,
          0,
          0,
          "baked; " + silence + ", which the ring allows (it may be empty)");
    }
    if (now.isBefore(deadline)) {
      return new GateVerdict(
          GateVerdict.Decision.WAIT,
          0,
          0,
          0,
          0,
          "waiting for a first heartbeat: "
              + silence
              + "; unless one confirms the change, the gate fails it at "
              + deadline);
    }
    return new GateVerdict(
        GateVerdict.Decision.FAIL,
        0,
        0,
        0,
        0,
        "no heartbeat from ring "
            + ring.ring()
            + " by its acknowledgement deadline "
            + deadline
            + " ("
            + gate.ackDeadline()
            + " after the release): "
            + silence
            + ", so nothing shows the change is safe there. If ring "
            + ring.ring()
            + " is meant to have no reporting instances, allow it to be empty: holdfast ring update "
            + ring.ring()
            + " --allow-empty true");
  }

  /** Whether the change edits the {@code default} layer or {@code ring}'s own layer. */
  private static boolean altersRing(ChangeRequest change, String ring) {
    return change.edits().stream()
        .map(ChangeEdit::scope)
        .anyMatch(scope -> scope.equals(Scope.DEFAULT) || scope.equals(Scope.ring(ring)));
  }

  /** The latest heartbeats keyed by instance, as {@link #evaluate} takes them. */
  public static Map<String, Heartbeat> byInstance(List<Heartbeat> heartbeats) {
    Map<String, Heartbeat> byInstance = new HashMap<>();
    for (Heartbeat heartbeat : heartbeats) {
      byInstance.put(heartbeat.instance(), heartbeat);
    }
    return byInstance;
  }

  /** The namespaces whose effective document for {@code instance} the change edits. */
  static Set<String> affected(ChangeRequest change, Instance instance) {
    Set<String> namespaces = new TreeSet<>();
    for (ChangeEdit edit : change.edits()) {
      boolean applies =
          switch (edit.scope().kind()) {
            case DEFAULT -> true;
            case RING -> edit.scope().target().equals(instance.ring());
            case INSTANCE -> edit.scope().target().equals(instance.id());
          };
      if (applies) {
        namespaces.add(edit.namespace());
      }
    }
    for (SubscriptionEdit edit : change.subscriptionEdits()) {
      if (edit.instance().equals(instance.id())) {
        namespaces.add(SubscriptionsDocument.NAMESPACE);
      }
    }
    return namespaces;
  }

  private static boolean readsAny(JsonNode heartbeat, Set<String> namespaces) {
    JsonNode reported = heartbeat.path("namespaces");
    for (String namespace : namespaces) {
      if (reported.has(namespace)) {
        return true;
      }
    }
    return false;
  }

  private static String percent(double ratio) {
    return Math.round(ratio * 1000) / 10.0 + "%";
  }
}
