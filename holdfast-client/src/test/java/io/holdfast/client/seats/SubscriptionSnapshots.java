package io.holdfast.client.seats;

import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.Freshness;
import io.holdfast.client.Status;
import io.holdfast.client.internal.TestDocuments;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Snapshots of the {@code subscriptions} namespace as the client would serve them, and a source the
 * test switches between them, as the client's tracker would.
 */
final class SubscriptionSnapshots implements Supplier<ConfigSnapshot> {

  static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant UNTIL = Instant.parse("2027-01-01T00:00:00Z");

  private final AtomicReference<ConfigSnapshot> current = new AtomicReference<>(initializing());

  @Override
  public ConfigSnapshot get() {
    return current.get();
  }

  /** Serves a new snapshot from now on. */
  void serve(ConfigSnapshot snapshot) {
    current.set(snapshot);
  }

  /**
   * Serves the same document with another status, as the tracker does when a fetch fails or grace
   * ends.
   */
  void becomes(Status status) {
    ConfigSnapshot held = current.get();
    current.set(snapshot(status, held.revision(), held.content().toString()));
  }

  static ConfigSnapshot initializing() {
    return new ConfigSnapshot(
        SubscriptionChecker.NAMESPACE,
        0,
        null,
        TestDocuments.json("{}"),
        freshness(Status.INITIALIZING, "waiting for the first document"));
  }

  static ConfigSnapshot snapshot(Status status, long revision, String contentJson) {
    return new ConfigSnapshot(
        SubscriptionChecker.NAMESPACE,
        revision,
        "\"r" + revision + "\"",
        TestDocuments.json(contentJson),
        freshness(status, status == Status.FRESH ? "verified" : "all 2 replicas failed"));
  }

  static Freshness freshness(Status status, String reason) {
    return new Freshness(
        status,
        FROM,
        reason,
        status == Status.INITIALIZING ? null : FROM,
        status == Status.EXPIRED ? Duration.ZERO : Duration.ofHours(8));
  }

  /** {@code {"applications": {application: [entries]}}}. */
  static String document(String application, String... entries) {
    return "{\"applications\":{\"" + application + "\":[" + String.join(",", entries) + "]}}";
  }

  /** An active named subscription for 2026. */
  static String active(String id, long quantity, long overage) {
    return entry(id, quantity, overage, "active", FROM, UNTIL);
  }

  static String entry(
      String id, long quantity, long overage, String status, Instant from, Instant until) {
    return "{\"id\":\""
        + id
        + "\",\"quantity\":"
        + quantity
        + ",\"overage\":"
        + overage
        + ",\"seatModel\":\"named\",\"status\":\""
        + status
        + "\",\"validFrom\":\""
        + from
        + "\",\"validUntil\":"
        + (until == null ? "null" : "\"" + until + "\"")
        + ",\"plan\":\"enterprise\"}";
  }
}
