package io.holdfast.client.micrometer;

import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Exports a {@link HoldfastClient}'s fetch outcomes, statuses and grace remaining to Micrometer.
 *
 * <pre>{@code
 * new HoldfastClientMetrics(client).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters (Prometheus names)</caption>
 *   <tr><td>{@code holdfast_client_fetches_total}</td><td>requests to replicas, tags {@code kind},
 *       {@code outcome}, {@code replica} (host:port)</td></tr>
 *   <tr><td>{@code holdfast_client_fetch_duration_seconds}</td><td>how long they took, same tags</td></tr>
 *   <tr><td>{@code holdfast_client_status}</td><td>1 for the namespace's current status, 0 for the
 *       others; tags {@code namespace}, {@code status}</td></tr>
 *   <tr><td>{@code holdfast_client_grace_remaining_seconds}</td><td>per namespace; the whole grace
 *       period before the first document, 0 once expired</td></tr>
 *   <tr><td>{@code holdfast_client_verification_age_seconds}</td><td>per namespace, since a replica
 *       last confirmed the document; NaN before any</td></tr>
 * </table>
 *
 * <p>Every label comes from a small fixed set: the configured namespaces and replicas, and the
 * enums' values, so the number of series is bounded. Gauges read the client when scraped, which
 * never blocks; fetches are counted by a {@link io.holdfast.client.FetchListener} on the client's
 * listener thread. The grace remaining is as of the client's last evaluation (at most one sync
 * cycle old), exactly what {@link Freshness#graceRemaining()} says.
 *
 * <p>Bind once per registry; the client holds the fetch listener for its lifetime. Thread-safe.
 */
public final class HoldfastClientMetrics implements MeterBinder {

  private final HoldfastClient client;
  private final Clock clock;

  public HoldfastClientMetrics(HoldfastClient client) {
    this(client, Clock.systemUTC());
  }

  /**
   * @param clock the wall clock the verification age is measured on: the client's, if one was given
   *     to its builder
   */
  public HoldfastClientMetrics(HoldfastClient client, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    List<String> namespaces = List.copyOf(client.statuses().keySet());
    for (String namespace : namespaces) {
      for (Status status : Status.values()) {
        gauge("holdfast.client.status", namespace, f -> f.status() == status ? 1 : 0)
            .description(
                "1 for the namespace's current status (INITIALIZING, FRESH, STALE, EXPIRED), 0 for the others")
            .tag("status", status.name().toLowerCase(Locale.ROOT))
            .register(registry);
      }
      gauge("holdfast.client.grace.remaining", namespace, f -> seconds(f.graceRemaining()))
          .description("Grace left before the namespace's last-known-good document expires")
          .baseUnit("seconds")
          .register(registry);
      gauge("holdfast.client.verification.age", namespace, this::verificationAge)
          .description(
              "Time since a replica last confirmed the namespace's document; NaN before any")
          .baseUnit("seconds")
          .register(registry);
    }
    client.addFetchListener(new FetchMeters(registry));
  }

  private Gauge.Builder<?> gauge(String name, String namespace, ToDoubleFunction<Freshness> value) {
    // Micrometer holds a gauge's function weakly: nothing else holds this lambda.
    return Gauge.builder(name, () -> value.applyAsDouble(client.status(namespace)))
        .strongReference(true)
        .tag("namespace", namespace);
  }

  private double verificationAge(Freshness freshness) {
    Instant verified = freshness.lastVerifiedAt();
    return verified == null
        ? Double.NaN
        : Math.max(0, seconds(Duration.between(verified, clock.instant())));
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
