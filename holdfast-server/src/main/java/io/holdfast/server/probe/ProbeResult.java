package io.holdfast.server.probe;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one probe of one replica found. Immutable.
 *
 * @param target the replica's base URI
 * @param at when the probe started, by the prober's clock
 * @param checks the outcome of every {@link ProbeCheck}
 * @param contentAvailable the replica served the canary document and it verified (digest and
 *     signature): what an instance could use
 * @param checksumsAvailable the replica served the canary's checksums and they verified
 * @param revision the canary document's revision; 0 when no document was read
 * @param etag the content-addressed tag of the document's bytes (the {@code ETag} it should have
 *     sent, and did if {@link ProbeCheck#ETAG} passed); {@code null} when none was read
 * @param checksumsRevision the checksums' revision (the highest of the canary's documents); 0 when
 *     none were read
 * @param checksumsEtag the content-addressed tag of the checksums bytes; {@code null} when none
 *     were read
 * @param latency how long the document's GET took; {@link Duration#ZERO} when it failed to connect
 * @param failedCheck the first check that failed, {@code null} if all passed
 * @param failure why {@code failedCheck} failed, {@code null} if all passed
 * @param release which release and schema the replica says it runs; {@link ReplicaRelease#UNKNOWN}
 *     when it does not say
 */
public record ProbeResult(
    URI target,
    Instant at,
    Map<ProbeCheck, CheckOutcome> checks,
    boolean contentAvailable,
    boolean checksumsAvailable,
    long revision,
    String etag,
    long checksumsRevision,
    String checksumsEtag,
    Duration latency,
    ProbeCheck failedCheck,
    String failure,
    ReplicaRelease release) {

  public ProbeResult {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(latency, "latency");
    EnumMap<ProbeCheck, CheckOutcome> all = new EnumMap<>(ProbeCheck.class);
    for (ProbeCheck check : ProbeCheck.values()) {
      all.put(check, checks.getOrDefault(check, CheckOutcome.NOT_RUN));
    }
    checks = Collections.unmodifiableMap(all);
    if ((failedCheck == null) != (failure == null)) {
      throw new IllegalArgumentException("failedCheck and failure come together");
    }
  }

  /** Whether every check passed. */
  public boolean passed() {
    return failedCheck == null;
  }

  /** The outcome of one check. */
  public CheckOutcome outcome(ProbeCheck check) {
    return checks.get(check);
  }
}
