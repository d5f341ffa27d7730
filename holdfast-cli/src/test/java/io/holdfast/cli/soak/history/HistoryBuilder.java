package io.holdfast.cli.soak.history;

import io.holdfast.client.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds histories in tests: set the soak time with {@link #at}, then add what happened. */
final class HistoryBuilder {

  private final List<SoakEvent> events = new ArrayList<>();
  private long nanos;

  HistoryBuilder(long seed) {
    events.add(SoakHeader.of(seed, Instant.parse("2026-12-06T20:00:00Z"), Map.of("test", "yes")));
  }

  HistoryBuilder at(double seconds) {
    nanos = Math.round(seconds * 1e9);
    return this;
  }

  private HistoryBuilder add(SoakEvent event) {
    events.add(event);
    return this;
  }

  HistoryBuilder published(
      String instance, String namespace, long revision, String hash, long seq) {
    return add(new Published(nanos, "p1", instance, namespace, revision, hash, seq, "layer-edit"));
  }

  HistoryBuilder indeterminate(String instance, String namespace) {
    return add(new PublishIndeterminate(nanos, "p1", instance, namespace, null, "timed out"));
  }

  HistoryBuilder subscription(
      String instance,
      String application,
      long quantity,
      long overage,
      String status,
      Long revision) {
    return add(
        new SubscriptionChanged(
            nanos, "p2", instance, application, quantity, overage, status, revision));
  }

  HistoryBuilder started(String client, String instance, boolean cacheKept) {
    return add(new ClientStarted(nanos, client, instance, cacheKept));
  }

  HistoryBuilder observed(
      String client, String instance, String namespace, long revision, String hash, long seq) {
    return observed(client, instance, namespace, revision, hash, ContentStamp.of(instance, seq));
  }

  HistoryBuilder observed(
      String client,
      String instance,
      String namespace,
      long revision,
      String hash,
      ContentStamp stamp) {
    return add(
        new Observed(nanos, client, instance, namespace, revision, hash, Status.FRESH, stamp));
  }

  HistoryBuilder admit(
      String client,
      String instance,
      String user,
      boolean holder,
      DecisionOutcome outcome,
      long seatsInUseAfter) {
    return decision(
        client, instance, user, Decision.Operation.ADMIT, holder, outcome, seatsInUseAfter, 3L);
  }

  HistoryBuilder release(String client, String instance, String user, long seatsInUseAfter) {
    return decision(
        client,
        instance,
        user,
        Decision.Operation.RELEASE,
        true,
        DecisionOutcome.RELEASED,
        seatsInUseAfter,
        null);
  }

  private HistoryBuilder decision(
      String client,
      String instance,
      String user,
      Decision.Operation operation,
      boolean holder,
      DecisionOutcome outcome,
      long seatsInUseAfter,
      Long limit) {
    String reason = outcome.name().toLowerCase(java.util.Locale.ROOT);
    return add(
        new Decision(
            nanos,
            client,
            instance,
            "crm",
            user,
            operation,
            holder,
            outcome,
            reason,
            seatsInUseAfter,
            limit,
            3));
  }

  HistoryBuilder seatCount(String instance, long inUse) {
    return add(new SeatCount(nanos, instance, "crm", inUse, null));
  }

  HistoryBuilder error(String client, String instance, Throwable e) {
    return add(ApplicationError.of(nanos, client, instance, "snapshot core", e));
  }

  HistoryBuilder status(String client, String instance, Status status) {
    return add(new StatusChange(nanos, client, instance, status));
  }

  HistoryBuilder faultStart(String id, String kind, String target) {
    return add(new Fault(nanos, id, Fault.Phase.START, kind, target, ""));
  }

  HistoryBuilder faultEnd(String id, String kind, String target) {
    return add(new Fault(nanos, id, Fault.Phase.END, kind, target, ""));
  }

  HistoryBuilder heal() {
    return add(new Heal(nanos));
  }

  HistoryBuilder served(
      String replica, String instance, String namespace, long revision, String hash, long seq) {
    return add(
        new Served(
            nanos,
            replica,
            instance,
            namespace,
            revision,
            hash,
            ContentStamp.of(instance, seq),
            null));
  }

  /** Adds an event built by the test, for what the other methods do not cover. */
  HistoryBuilder event(SoakEvent event) {
    return add(event);
  }

  HistoryBuilder servedNothing(String replica, String instance, String namespace, String error) {
    return add(new Served(nanos, replica, instance, namespace, 0, null, null, error));
  }

  long now() {
    return nanos;
  }

  History build() {
    return History.of(events);
  }
}
