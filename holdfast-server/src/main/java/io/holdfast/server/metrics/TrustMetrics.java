package io.holdfast.server.metrics;

import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.server.keyset.PublishedKeySets;
import io.holdfast.server.signing.ReplicaSigningKey;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.SnapshotHolder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * The meters of the replica's trust in itself (issue 19): its signing key's reloads from disk, the
 * freshness statement its checksums carry, and whether the newest published key set still lists its
 * signing key. Each is a condition an operator must hear of before clients do: a statement about to
 * expire makes every client STALE, and a key the key set no longer lists makes every client refuse
 * this replica's documents.
 */
final class TrustMetrics {

  private final MeterRegistry registry;
  private final Clock clock;

  TrustMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * Signing keys taken from disk without a restart, changed key files refused (the key in use
   * kept), and whether the file on disk is refused now: an operator who wrote a bad key sees it
   * here, not only in the log.
   */
  void bindSigningKey(ReplicaSigningKey key) {
    FunctionCounter.builder("holdfast.signing.key.reloads", key, ReplicaSigningKey::reloads)
        .description("Signing keys reloaded from disk without a restart")
        .register(registry);
    FunctionCounter.builder("holdfast.signing.key.refusals", key, ReplicaSigningKey::refusals)
        .description(
            "Checks that found a changed signing-key file that cannot be used; the key in use stays")
        .register(registry);
    Gauge.builder("holdfast.signing.key.refusing", key, k -> k.refusing() ? 1 : 0)
        .description(
            "1 while the signing-key file on disk differs from the key in use and cannot be used")
        .register(registry);
  }

  /**
   * Seconds until the served freshness statement expires (negative once it has), and its whole
   * validity: an alert compares the two, whatever {@code checksums-validity} is.
   */
  void bindStatement(SnapshotHolder snapshots) {
    Gauge.builder("holdfast.checksums.statement.expires", snapshots, s -> expiresIn(s.current()))
        .description(
            "Seconds until the freshness statement in the served checksums expires (negative once"
                + " it has); re-issued every half of checksums-validity while the store answers")
        .baseUnit("seconds")
        .register(registry);
    // What the countdown starts from: it stays above half of this while the replica re-issues.
    Gauge.builder("holdfast.checksums.statement.validity", snapshots, s -> validity(s.current()))
        .description("How long the served freshness statement holds in all (checksums-validity)")
        .baseUnit("seconds")
        .register(registry);
  }

  /**
   * 1 when the newest published key set lists the signing key in use as valid now, 0 when it
   * revokes it, does not list it, lists it outside its window, or has expired; 1 when no key set
   * was published, as nothing contradicts the key then.
   */
  void bindKeyListing(ReplicaSigningKey key, PublishedKeySets keySets) {
    Gauge.builder("holdfast.signing.key.listed", keySets, k -> listed(k, key))
        .description(
            "1 when the newest key set lists the signing key in use as valid now (or none was"
                + " published), 0 when it revokes, omits or no longer covers it, or has expired")
        .register(registry);
  }

  private double expiresIn(EffectiveSnapshot snapshot) {
    if (snapshot == null) {
      return Double.NaN;
    }
    return Duration.between(clock.instant(), snapshot.validity().expires()).toMillis() / 1000.0;
  }

  private static double validity(EffectiveSnapshot snapshot) {
    if (snapshot == null) {
      return Double.NaN;
    }
    return Duration.between(snapshot.validity().issuedAt(), snapshot.validity().expires())
            .toMillis()
        / 1000.0;
  }

  private double listed(PublishedKeySets keySets, ReplicaSigningKey key) {
    return keySets
        .newest()
        .map(
            newest ->
                newest.content().status(key.current().verificationKey().keyId(), clock.instant())
                        == KeySet.KeyStatus.VALID
                    ? 1.0
                    : 0.0)
        .orElse(1.0);
  }
}
