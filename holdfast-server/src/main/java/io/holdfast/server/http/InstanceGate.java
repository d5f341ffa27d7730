package io.holdfast.server.http;

import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.push.StreamGate;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.InstanceView;
import java.time.Duration;
import java.time.Instant;

/**
 * The tenant wall of the instance-facing API, in one place for the read API and the checksums
 * stream: an instance credential that asks for another instance gets exactly the answer an unknown
 * instance gets (404), so it cannot even learn which ids exist. Thread-safe.
 */
final class InstanceGate implements StreamGate {

  private final RequestGuard guard;

  InstanceGate(RequestGuard guard) {
    this.guard = guard;
  }

  @Override
  public EffectiveSnapshot snapshot() {
    return guard.snapshot();
  }

  @Override
  public InstanceView authorisedInstance(ServerRequest req, EffectiveSnapshot snapshot) {
    return authorised(guard, req, snapshot);
  }

  @Override
  public Principal principal(ServerRequest req, EffectiveSnapshot snapshot) {
    return guard.principal(req, snapshot);
  }

  @Override
  public Duration cappedByExpiry(Principal principal, Duration wait) {
    return guard.cappedByExpiry(principal, wait);
  }

  @Override
  public Instant storeFailingSince() {
    return guard.storeFailingSince();
  }

  /** The instance the request names, if its credential may read it in {@code snapshot}. */
  static InstanceView authorised(
      RequestGuard guard, ServerRequest req, EffectiveSnapshot snapshot) {
    Principal principal = guard.principal(req, snapshot);
    String id = req.path().pathParameters().get("instance");
    InstanceView view = snapshot.instance(id);
    boolean allowed =
        principal instanceof Principal.AdminPrincipal
            || (principal instanceof Principal.InstancePrincipal p && p.instanceId().equals(id));
    if (view == null || !allowed) {
      throw new ProblemException(
          ProblemType.INSTANCE_NOT_FOUND,
          "instance '" + Routes.abbreviate(id) + "' does not exist");
    }
    return view;
  }
}
