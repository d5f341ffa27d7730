package io.holdfast.server.probe;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * One replica as the probe sees it now: its latest result and what follows from comparing it with
 * the other replicas. Immutable.
 *
 * @param target the replica's base URI
 * @param latest its latest probe result
 * @param lagging it has served a lower revision than the highest its peers serve for at least the
 *     lag tolerance (FAULTS A16)
 * @param behindSince since when it has been behind, {@code null} if it is not behind
 * @param diverged it serves a different ETag than a peer for the same revision (FAULTS A17)
 * @param lastSuccess when every check last passed on it, {@code null} if never
 */
public record TargetStatus(
    URI target,
    ProbeResult latest,
    boolean lagging,
    Instant behindSince,
    boolean diverged,
    Instant lastSuccess) {

  public TargetStatus {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(latest, "latest");
  }

  /** The replica served the canary document and it verified. */
  public boolean contentAvailable() {
    return latest.contentAvailable();
  }

  /** The replica served the canary's checksums and they verified. */
  public boolean checksumsAvailable() {
    return latest.checksumsAvailable();
  }

  /** The canary document's revision it served last; 0 if none. */
  public long revision() {
    return latest.revision();
  }

  /** The checksums revision it served last; 0 if none. */
  public long checksumsRevision() {
    return latest.checksumsRevision();
  }

  /** Whether every check passed and it neither lags nor diverges. */
  public boolean healthy() {
    return latest.passed() && !lagging && !diverged;
  }
}
