package io.holdfast.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.holdfast.protocol.problem.Problem;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.admin.AdminTurn;
import io.holdfast.server.edge.KeyedLimit;
import io.holdfast.server.edge.WatchLimit;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admission control for the instance API ({@code max-concurrent-requests}): at most so many reads
 * and heartbeats are served at once; one more waits up to {@link #QUEUE_WAIT} for a place and
 * otherwise answers 503 {@code overloaded} with a {@code Retry-After}.
 *
 * <p>Why: a replica that comes back after an outage meets the whole fleet at once (FAULTS B9, E5).
 * Serving everyone at once would stretch every answer past the clients' request timeouts, so they
 * would retry and pile on more work; a bounded number in flight keeps answers fast, and the brief
 * wait absorbs ordinary bursts without refusing anyone. The clients spread their retries with
 * jitter on top of {@code Retry-After}. Waiting watches are not counted (they hold a place in
 * {@link WatchLimit} instead and cost no CPU while they wait), nor are health and admin requests,
 * so operators and probes still get through an overload. Admin and console requests have a lane of
 * their own ({@link #admitAdmin}). Thread-safe.
 */
final class AdmissionControl implements Filter {

  /** How long a request may wait for a place before it is refused. */
  static final Duration QUEUE_WAIT = Duration.ofMillis(500);

  /** Seconds a refused client should wait; the client adds jitter of its own. */
  static final String RETRY_AFTER_SECONDS = "2";

  /** How long an admin or console request may wait for its turn before it is refused. */
  static final Duration ADMIN_QUEUE_WAIT = Duration.ofSeconds(10);

  private final Semaphore places;
  private final KeyedLimit perCredential;

  /** Admin and console requests in flight; fair, so operators are served in arrival order. */
  private final Semaphore adminPlaces;

  private final Runnable onRefused;

  /**
   * @param perCredential places per credential ({@code max-requests-per-instance}), taken before a
   *     place of the whole, so one tenant's burst is turned away (429) without queueing in front of
   *     the others
   * @param onRefused called once per refused request (the metric)
   */
  AdmissionControl(
      int maxConcurrentRequests,
      KeyedLimit perCredential,
      int maxAdminRequests,
      Runnable onRefused) {
    this.places = new Semaphore(maxConcurrentRequests);
    this.perCredential = perCredential;
    this.adminPlaces = new Semaphore(maxAdminRequests, true);
    this.onRefused = onRefused;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String path = req.path().path();
    if (isAdminWork(path)) {
      admitAdmin(chain, req, res, path);
      return;
    }
    boolean instanceRead =
        (path.startsWith("/v1/instances/") && !path.endsWith("/watch") && !path.endsWith("/events"))
            || SpringConfigApi.serves(path);
    if (!instanceRead) {
      chain.proceed();
      return;
    }
    // The credential as sent: a flood of wrong or other tokens never uses a real tenant's share.
    String credential = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    if (!perCredential.tryEnter(credential)) {
      onRefused.run();
      KeyedLimit.delayRefusal();
      ProblemResponses.send(
          res,
          new Problem(
              ProblemType.TOO_MANY_REQUESTS,
              "this credential already has "
                  + perCredential.max()
                  + " requests in flight on this replica; retry after the time in Retry-After",
              path));
      return;
    }
    try {
      admitAndProceed(chain, res, path);
    } finally {
      perCredential.exit(credential);
    }
  }

  /** The admin API and console pages (not their static assets): operators' work. */
  private static boolean isAdminWork(String path) {
    return path.startsWith("/v1/admin")
        || (path.startsWith("/console") && !path.startsWith("/console/assets"));
  }

  /**
   * Admin and console requests take turns ({@code max-admin-requests} at once, default half the
   * cores): twenty operators, or a script, listing the audit log in a loop then use at most those
   * cores, and instance reads keep the rest (FAULTS F3). A turn not given within {@link
   * #ADMIN_QUEUE_WAIT} is 503 {@code overloaded}. A write gives its turn back once committed,
   * before it waits for this replica to serve it ({@link AdminTurn}).
   */
  private void admitAdmin(FilterChain chain, RoutingRequest req, RoutingResponse res, String path) {
    if (!acquire(adminPlaces, ADMIN_QUEUE_WAIT)) {
      refuse(res, path, "admin requests");
      return;
    }
    AtomicBoolean held = new AtomicBoolean(true);
    AdminTurn turn =
        () -> {
          if (held.compareAndSet(true, false)) {
            adminPlaces.release();
          }
        };
    AdminTurn.register(req.context(), turn);
    try {
      chain.proceed();
    } finally {
      turn.giveBack();
    }
  }

  /** Waits up to {@link #QUEUE_WAIT} for a place, then serves, or answers 503 overloaded. */
  private void admitAndProceed(FilterChain chain, RoutingResponse res, String path) {
    if (!acquire(places, QUEUE_WAIT)) {
      refuse(res, path, "requests");
      return;
    }
    try {
      chain.proceed();
    } finally {
      places.release();
    }
  }

  private static boolean acquire(Semaphore pool, Duration wait) {
    try {
      return pool.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void refuse(RoutingResponse res, String path, String what) {
    onRefused.run();
    ProblemResponses.send(
        res,
        new Problem(
            ProblemType.OVERLOADED,
            "this replica is serving as many "
                + what
                + " as it allows; retry after the time in Retry-After",
            path));
  }
}
