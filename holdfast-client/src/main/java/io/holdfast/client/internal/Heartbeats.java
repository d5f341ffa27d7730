package io.holdfast.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.client.ApplicationHealth;
import io.holdfast.client.ConfigSnapshot;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Reports this instance's state to its most preferred replica every interval, jittered by ±20 % so
 * a fleet started together does not report together: per namespace the revision, ETag, status and
 * since when, plus the last success and the last error, the seats in use and the application's
 * health once it reported any. A failed report is dropped; the next one carries the current state
 * anyway. {@link #sendSoon()} adds one report at once, for news a server-side rollout gate should
 * not wait a whole interval for; those are paced to one per {@link #MIN_PROMPT_SPACING} of real
 * time, so an application whose health flaps cannot flood the server. Timed on its own daemon
 * thread, which also sends the reports unless the application passed an executor to send them on;
 * thread-safe.
 */
final class Heartbeats implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The least real time between a report sent at once and the report before it. */
  static final Duration MIN_PROMPT_SPACING = Duration.ofSeconds(1);

  private final String instance;
  private final Map<String, NamespaceTracker> trackers;
  private final Replicas replicas;
  private final Transport transport;
  private final SyncProgress loop;
  private final Duration interval;
  private final Duration requestTimeout;
  private final Clock clock;
  private final Random random;
  private final String sdkVersion;
  private final System.Logger log;
  private final Supplier<Map<String, Long>> seatsInUse;
  private final Supplier<ApplicationHealth> applicationHealth;

  /** Where reports are built and sent: the application's executor, or the timer's thread. */
  private final Executor sender;

  /** A report is queued by {@link #sendSoon()} and has not started yet: more news joins it. */
  private final AtomicBoolean promptQueued = new AtomicBoolean();

  private volatile boolean started;

  /** {@link System#nanoTime()} when the last report started; meaningful once {@code sentAny}. */
  private volatile long lastSent;

  private volatile boolean sentAny;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "holdfast-client-heartbeat");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param executor where reports are sent, or {@code null} for the timer's own thread
   */
  Heartbeats(
      String instance,
      Map<String, NamespaceTracker> trackers,
      Replicas replicas,
      Transport transport,
      SyncProgress loop,
      Duration interval,
      Duration requestTimeout,
      Clock clock,
      Random random,
      String sdkVersion,
      Supplier<Map<String, Long>> seatsInUse,
      Supplier<ApplicationHealth> applicationHealth,
      Executor executor,
      System.Logger log) {
    this.instance = instance;
    this.trackers = trackers;
    this.replicas = replicas;
    this.transport = transport;
    this.loop = loop;
    this.interval = interval;
    this.requestTimeout = requestTimeout;
    this.clock = clock;
    this.random = random;
    this.sdkVersion = sdkVersion;
    this.seatsInUse = seatsInUse;
    this.applicationHealth = applicationHealth;
    this.sender = executor == null ? Runnable::run : executor;
    this.log = log;
  }

  public void start() {
    started = true;
    schedule();
  }

  private void schedule() {
    long nanos = (long) (interval.toNanos() * (0.8 + 0.4 * random.nextDouble()));
    try {
      executor.schedule(
          () -> {
            beat();
            schedule();
          },
          nanos,
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Closed.
    }
  }

  /**
   * Sends a report as soon as the pacing allows, besides the regular ones; several calls before it
   * starts make one report, built when it starts. Returns at once; does nothing before {@link
   * #start()} or after {@link #close()}.
   */
  public void sendSoon() {
    if (!started || !promptQueued.compareAndSet(false, true)) {
      return;
    }
    // Real time, like the executor's delays: this paces requests, it measures no grace.
    long wait =
        sentAny ? Math.max(0, MIN_PROMPT_SPACING.toNanos() - (System.nanoTime() - lastSent)) : 0;
    try {
      executor.schedule(
          () -> {
            // Cleared first: news arriving while this report is on its way gets a report of its
            // own.
            promptQueued.set(false);
            beat();
          },
          wait,
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      promptQueued.set(false); // closed
    }
  }

  private void beat() {
    lastSent = System.nanoTime();
    sentAny = true;
    try {
      sender.execute(this::sendFenced);
    } catch (RejectedExecutionException e) {
      log.log(Level.WARNING, "heartbeat not sent: the executor refused it ({0})", e.toString());
    }
  }

  private void sendFenced() {
    try {
      send();
    } catch (RuntimeException e) {
      // An exception would end the scheduled chain: no heartbeat ever again, silently.
      log.log(Level.WARNING, "heartbeat not sent: {0}", e.toString());
    }
  }

  /** Builds the current report. */
  public ObjectNode report() {
    ObjectNode body = JSON.createObjectNode();
    body.put("sdkVersion", sdkVersion);
    body.put("sentAt", clock.instant().toString());
    Instant success = loop.lastSuccess();
    if (success == null) {
      body.putNull("lastSuccessAt");
    } else {
      body.put("lastSuccessAt", success.toString());
    }
    String error = loop.lastError();
    if (error == null) {
      body.putNull("lastError");
    } else {
      body.put("lastError", cut(error, 1000));
    }
    ObjectNode namespaces = body.putObject("namespaces");
    for (NamespaceTracker tracker : trackers.values()) {
      ConfigSnapshot snapshot = tracker.read();
      ObjectNode entry = namespaces.putObject(tracker.namespace());
      entry.put("revision", snapshot.revision());
      if (snapshot.etag() == null) {
        entry.putNull("etag");
      } else {
        entry.put("etag", snapshot.etag());
      }
      entry.put("status", snapshot.status().name());
      entry.put("since", snapshot.freshness().since().toString());
      String reason = snapshot.freshness().reason();
      // The application's validator may now write this reason: any text, of any length.
      entry.put("reason", cut(reason, 500));
      // Whole seconds: what the fleet view sorts and alerts on (InstancesNearGraceExpiry).
      entry.put("graceRemainingSeconds", tracker.graceRemaining().toSeconds());
      Instant verified = tracker.lastVerifiedAt();
      if (verified != null) {
        entry.put("lastVerifiedAt", verified.toString());
      }
    }
    Map<String, Long> seats = seatsInUse.get();
    if (!seats.isEmpty()) {
      ObjectNode node = body.putObject("seatsInUse");
      seats.forEach(node::put);
    }
    ApplicationHealth health = applicationHealth.get();
    if (health != null) {
      ObjectNode node = body.putObject("application");
      node.put("status", health.status().name());
      node.put("reason", health.reason());
      node.put("since", health.since().toString());
    }
    return body;
  }

  /**
   * At most {@code max} characters, never ending in half a surrogate pair: the server's strict JSON
   * parser refuses a lone surrogate, and with it the whole report.
   */
  static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    return text.substring(0, Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max);
  }

  private void send() {
    URI replica = replicas.order().get(0);
    try {
      Transport.Response response =
          transport.postJson(
              replica.resolve("/v1/instances/" + instance + "/heartbeat"),
              JSON.writeValueAsBytes(report()),
              requestTimeout);
      if (response.status() >= 300) {
        log.log(Level.DEBUG, "heartbeat to {0} answered HTTP {1}", replica, response.status());
      }
    } catch (Transport.TransportException | com.fasterxml.jackson.core.JsonProcessingException e) {
      log.log(Level.DEBUG, "heartbeat to {0} failed: {1}", replica, e.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
