package io.holdfast.server.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ProblemException;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.store.ConfigStore;
import java.time.Clock;

/**
 * {@code POST /v1/instances/{id}/heartbeat}: an instance reports its status; the store keeps the
 * latest report per instance with the time this replica received it. Heartbeats come from
 * instances only: an admin credential is refused (403), and an instance credential may report
 * for its own instance alone (any other id answers as an unknown instance does, 404).
 *
 * <p>A heartbeat is not a revision: it appends nothing to the log and rebuilds no snapshot. It is
 * written straight to the store, so while the store is down it answers 503 store-unavailable.
 * Thread-safe.
 */
final class HeartbeatApi implements HttpService {

  private final RequestGuard guard;
  private final ConfigStore store;
  private final RequestBodies bodies;
  private final Clock clock;

  /** @param bodies reads bodies within the heartbeat's own limits ({@link HeartbeatBody#MAX_BYTES}) */
  HeartbeatApi(RequestGuard guard, ConfigStore store, RequestBodies bodies, Clock clock) {
    this.guard = guard;
    this.store = store;
    this.bodies = bodies;
    this.clock = clock;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/{instance}/heartbeat", this::record)
        .any("/{instance}/heartbeat", Routes.methodNotAllowed("POST"));
  }

  private void record(ServerRequest req, ServerResponse res) {
    EffectiveSnapshot snapshot = guard.snapshot();
    Principal principal = guard.principal(req, snapshot);
    String id = req.path().pathParameters().get("instance");
    if (principal instanceof Principal.AdminPrincipal) {
      throw new ProblemException(ProblemType.FORBIDDEN, "heartbeats come from instances; admin credentials cannot send them");
    }
    if (!(principal instanceof Principal.InstancePrincipal p && p.instanceId().equals(id)) || snapshot.instance(id) == null) {
      throw new ProblemException(ProblemType.INSTANCE_NOT_FOUND, "instance '" + Routes.abbreviate(id) + "' does not exist");
    }
    store.recordHeartbeat(id, HeartbeatBody.validate(bodies.object(req)), clock.instant());
    res.status(Status.NO_CONTENT_204);
    res.send();
  }
}
