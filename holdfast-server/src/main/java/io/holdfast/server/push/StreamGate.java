package io.holdfast.server.push;

import io.helidon.webserver.http.ServerRequest;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.InstanceView;
import java.time.Duration;
import java.time.Instant;

/**
 * The checks a stream shares with the instance read API, so that a stream is authorised exactly as
 * a long poll is: same snapshot, same credentials, same tenant wall. Thread-safe.
 */
public interface StreamGate {

  /** The snapshot served now; throws a 503 problem before the first load. */
  EffectiveSnapshot snapshot();

  /**
   * The instance the request names, read from {@code snapshot}, if the request's credential may
   * read it there; throws the 404 problem an unknown instance gets otherwise (or 401 for a
   * credential that no longer authenticates).
   */
  InstanceView authorisedInstance(ServerRequest req, EffectiveSnapshot snapshot);

  /** Who sent the request, authenticated against {@code snapshot}. */
  Principal principal(ServerRequest req, EffectiveSnapshot snapshot);

  /** {@code wait}, shortened to end when the principal's credential expires. */
  Duration cappedByExpiry(Principal principal, Duration wait);

  /** When the store started failing, or {@code null} while it answers. */
  Instant storeFailingSince();
}
