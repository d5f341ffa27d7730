package io.holdfast.server.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.instance.Heartbeat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Joins subscriptions and heartbeats into {@link Usage} rows: one per instance and application that
 * has a subscription or reports seats in use, so that seats used without any subscription show up
 * as over-allocated too. Stateless.
 */
public final class UsageReport {

  private UsageReport() {}

  /**
   * @param subscriptions the subscriptions of the instances to report on
   * @param heartbeats the latest heartbeat of each instance to report on (some may have none)
   * @param now the moment whose subscription is "in force"
   * @return rows ordered by instance, then application
   */
  public static List<Usage> of(
      List<Subscription> subscriptions, List<Heartbeat> heartbeats, Instant now) {
    Map<String, Map<String, List<Subscription>>> byInstance = new TreeMap<>();
    for (Subscription s : subscriptions) {
      byInstance
          .computeIfAbsent(s.instance(), i -> new TreeMap<>())
          .computeIfAbsent(s.application(), a -> new ArrayList<>())
          .add(s);
    }
    Map<String, Heartbeat> beats = new TreeMap<>();
    for (Heartbeat heartbeat : heartbeats) {
      beats.put(heartbeat.instance(), heartbeat);
      JsonNode seats = heartbeat.body().path("seatsInUse");
      Map<String, List<Subscription>> applications =
          byInstance.computeIfAbsent(heartbeat.instance(), i -> new TreeMap<>());
      seats
          .fieldNames()
          .forEachRemaining(
              application -> applications.computeIfAbsent(application, a -> new ArrayList<>()));
    }
    List<Usage> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<Subscription>>> instance : byInstance.entrySet()) {
      Heartbeat heartbeat = beats.get(instance.getKey());
      for (String application : new TreeSet<>(instance.getValue().keySet())) {
        rows.add(
            usage(
                instance.getKey(),
                application,
                instance.getValue().get(application),
                heartbeat,
                now));
      }
    }
    return rows;
  }

  private static Usage usage(
      String instance,
      String application,
      List<Subscription> subscriptions,
      Heartbeat heartbeat,
      Instant now) {
    // At most one subscription that is not cancelled covers any moment (SubscriptionRules).
    Subscription inForce =
        subscriptions.stream()
            .filter(s -> s.status() != SubscriptionStatus.CANCELLED && s.covers(now))
            .findFirst()
            .orElse(null);
    boolean active = inForce != null && inForce.status() == SubscriptionStatus.ACTIVE;
    Long seatsInUse = null;
    Instant reportedAt = null;
    if (heartbeat != null) {
      reportedAt = heartbeat.receivedAt();
      JsonNode seats = heartbeat.body().path("seatsInUse").path(application);
      seatsInUse = seats.isIntegralNumber() ? seats.asLong() : null;
    }
    return new Usage(
        instance,
        application,
        inForce == null ? null : inForce.id(),
        inForce == null ? null : inForce.status(),
        active ? inForce.quantity() : 0,
        active ? inForce.overage() : 0,
        seatsInUse,
        reportedAt);
  }
}
