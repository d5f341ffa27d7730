package io.holdfast.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.fleet.HeartbeatWriter;
import io.holdfast.server.fleet.Propagation;
import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /v1/instances/{id}/heartbeat}: an instance reports its status; the store keeps the
 * latest report per instance with the time this replica received it. Heartbeats come from instances
 * only: an admin credential is refused (403), and an instance credential may report for its own
 * instance alone (any other id answers as an unknown instance does, 404).
 *
 * <p>A heartbeat is not a revision: it appends nothing to the log and rebuilds no snapshot. It goes
 * to the {@link HeartbeatWriter}, which commits reports in batches: the answer is 204 once the
 * report's batch is committed, 202 when the store is failing and the report is kept in memory to be
 * written when it answers, and 503 store-unavailable only when that memory is full. Thread-safe.
 */
final class HeartbeatApi implements HttpService {

  /** How long a request waits for its batch to commit before answering 202 anyway. */
  private static final Duration COMMIT_WAIT = Duration.ofSeconds(2);

  private final RequestGuard guard;
  private final RequestBodies bodies;
  private final Clock clock;
  private final HeartbeatWriter writer;
  private final Propagation propagation;

  /**
   * @param bodies reads bodies within the heartbeat's own limits ({@link HeartbeatBody#MAX_BYTES})
   */
  HeartbeatApi(
      RequestGuard guard,
      RequestBodies bodies,
      Clock clock,
      HeartbeatWriter writer,
      Propagation propagation) {
    this.guard = guard;
    this.bodies = bodies;
    this.clock = clock;
    this.writer = writer;
    this.propagation = propagation;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .post("/{instance}/heartbeat", this::record)
        .any("/{instance}/heartbeat", Routes.methodNotAllowed("POST"));
  }

  private void record(ServerRequest req, ServerResponse res) {
    EffectiveSnapshot snapshot = guard.snapshot();
    Principal principal = guard.principal(req, snapshot);
    String id = req.path().pathParameters().get("instance");
    if (principal instanceof Principal.AdminPrincipal) {
      throw new ProblemException(
          ProblemType.FORBIDDEN,
          "heartbeats come from instances; admin credentials cannot send them");
    }
    if (!(principal instanceof Principal.InstancePrincipal p && p.instanceId().equals(id))
        || snapshot.instance(id) == null) {
      throw new ProblemException(
          ProblemType.INSTANCE_NOT_FOUND,
          "instance '" + Routes.abbreviate(id) + "' does not exist");
    }
    ObjectNode body = HeartbeatBody.validate(bodies.object(req));
    Instant receivedAt = clock.instant();
    propagation.observe(snapshot.instance(id), body, receivedAt);
    HeartbeatWriter.Outcome outcome;
    try {
      outcome =
          writer
              .submit(new Heartbeat(id, receivedAt, body))
              .get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      outcome = HeartbeatWriter.Outcome.BUFFERED; // queued behind a slow commit: it will be written
    } catch (ExecutionException e) {
      throw new IllegalStateException("the heartbeat writer failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProblemException(
          ProblemType.STORE_UNAVAILABLE, "interrupted while storing the heartbeat");
    }
    switch (outcome) {
      case STORED -> res.status(Status.NO_CONTENT_204).send();
      case BUFFERED -> res.status(Status.ACCEPTED_202).send();
      case DROPPED ->
          throw new ProblemException(
              ProblemType.STORE_UNAVAILABLE,
              "the store is down and this replica holds as many heartbeats as it may; report again later");
      default -> throw new IllegalStateException(outcome.name());
    }
  }
}
