package io.holdfast.client.internal;

import io.holdfast.protocol.document.Checksums;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The freshness statement of the newest verified checksums (FAULTS D11, the freeze attack): until
 * when a replica's confirmation, a {@code 304} above all, may count. A cache or proxy that keeps
 * answering {@code 304} for an old tag, or replays old checksums, cannot keep a client FRESH past
 * the statement's {@code expires}; the client then reports STALE with the reason and the grace
 * period keeps running.
 *
 * <p>Checksums from replicas older than statements carry none: with only pinned keys the client
 * then confirms as it always did; with a pinned root it requires one, since such a replica could
 * not serve key sets either. Used by the sync loop's thread only.
 */
final class FreshnessStatement {

  /** Beyond this, the local clock running ahead is named as the likely cause of an expiry. */
  private static final Duration SKEW_WORTH_NAMING = Duration.ofMinutes(5);

  private final boolean required;
  private final SigningTrust trust;
  private final ClockSkew skew;
  private Checksums.Validity newest;

  /**
   * @param required whether checksums without a statement are unusable (a root is pinned)
   * @param skew how far the replicas' clocks are from this host's: a host clock set ahead makes
   *     statements expire early (FAULTS B10), and the reason says so
   */
  FreshnessStatement(boolean required, SigningTrust trust, ClockSkew skew) {
    this.required = required;
    this.trust = trust;
    this.skew = skew;
  }

  /**
   * Why verified checksums must not be used, or {@code null}: a statement that has expired (an old
   * answer replayed) or, when required, none at all.
   */
  String refusal(Checksums checksums) {
    if (checksums.validity().isEmpty()) {
      return required
          ? "the checksums carry no freshness statement (a replica older than key sets?)"
          : null;
    }
    Checksums.Validity validity = checksums.validity().get();
    Instant now = trust.now();
    if (validity.expiredAt(now)) {
      return "the checksums' freshness statement expired at "
          + validity.expires()
          + " (it is "
          + now
          + "): "
          + cause("an old answer replayed");
    }
    return null;
  }

  /** Verified, usable checksums arrived: their statement is the newest if it expires later. */
  void accept(Checksums checksums) {
    if (checksums.validity().isEmpty()) {
      // Only reachable without a pinned root: a replica older than statements vouches for what it
      // serves as replicas always did, and an earlier replica's statement must not outlive it.
      newest = null;
      return;
    }
    checksums
        .validity()
        .ifPresent(
            validity -> {
              trust.noteSignedTime(validity.issuedAt());
              if (newest == null || validity.expires().isAfter(newest.expires())) {
                newest = validity;
              }
            });
  }

  /** Whether checksums must carry a statement: a root is pinned. */
  boolean required() {
    return required;
  }

  /**
   * Why a confirmation must not make a namespace FRESH now, or {@code null}: the newest statement
   * expired, or none was ever had though one is required.
   */
  String expired() {
    if (newest == null) {
      return required ? "no verified checksums with a freshness statement yet" : null;
    }
    Instant now = trust.now();
    return newest.expiredAt(now)
        ? "the newest verified checksums expired at "
            + newest.expires()
            + "; "
            + cause("replicas or a cache keep confirming without newer ones (freeze suspected)")
        : null;
  }

  /** The likely cause of an expiry: this host's clock, when it runs ahead of the replicas'. */
  private String cause(String otherwise) {
    Optional<Duration> replicaMinusLocal = skew.estimate();
    if (replicaMinusLocal.isPresent()
        && replicaMinusLocal.get().negated().compareTo(SKEW_WORTH_NAMING) > 0) {
      return "this host's clock runs "
          + replicaMinusLocal.get().negated().toMinutes()
          + " min ahead of the replicas' (fix the clock)";
    }
    return otherwise;
  }
}
