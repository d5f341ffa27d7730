package io.holdfast.server.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.auth.Authenticator;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.model.Role;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.SnapshotHolder;
import java.time.Duration;
import java.util.List;

/** Authenticates requests against the current snapshot. Thread-safe. */
final class RequestGuard {

  private final SnapshotHolder snapshots;
  private final Authenticator authenticator;

  RequestGuard(SnapshotHolder snapshots, Authenticator authenticator) {
    this.snapshots = snapshots;
    this.authenticator = authenticator;
  }

  /** The snapshot being served; 503 before the first load. */
  EffectiveSnapshot snapshot() {
    EffectiveSnapshot snapshot = snapshots.current();
    if (snapshot == null) {
      throw new ProblemException(
          ProblemType.NOT_READY, "this replica has not loaded its first snapshot yet");
    }
    return snapshot;
  }

  /** When the store started failing, or {@code null} while it answers. */
  java.time.Instant storeFailingSince() {
    return snapshots.storeFailingSince();
  }

  Principal principal(ServerRequest req, EffectiveSnapshot snapshot) {
    // Read without an Optional or a list: this runs for every instance read.
    Headers headers = req.headers();
    if (!headers.contains(HeaderNames.AUTHORIZATION)) {
      return authenticator.authenticate((String) null, snapshot);
    }
    Header authorization = headers.get(HeaderNames.AUTHORIZATION);
    if (authorization.valueCount() != 1) {
      return principal(authorization.allValues(false), snapshot);
    }
    return authenticator.authenticate(authorization.get(), snapshot);
  }

  /** The principal of these {@code Authorization} values (every one the request sent). */
  Principal principal(List<String> authorization, EffectiveSnapshot snapshot) {
    return authenticator.authenticate(authorization, snapshot);
  }

  /**
   * {@code wait}, shortened to end when the principal's credential expires, so that a long wait (a
   * watch) held with it ends then and checks it again.
   */
  Duration cappedByExpiry(Principal principal, Duration wait) {
    return authenticator.cappedByExpiry(principal, wait);
  }

  /** Authenticates an admin credential with at least {@code role}. */
  Principal.AdminPrincipal admin(ServerRequest req, Role role) {
    return Authenticator.requireRole(principal(req, snapshot()), role);
  }
}
