package io.holdfast.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.client.ConfigSnapshot;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Reports this instance's state to its most preferred replica every interval, jittered by ±20 %
 * so a fleet started together does not report together: per namespace the revision, ETag,
 * status and since when, plus the last success and the last error. A failed report is dropped;
 * the next one carries the current state anyway. Runs on its own daemon thread.
 */
public final class Heartbeats implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String instance;
  private final Map<String, NamespaceTracker> trackers;
  private final Replicas replicas;
  private final Transport transport;
  private final SyncLoop loop;
  private final Duration interval;
  private final Duration requestTimeout;
  private final Clock clock;
  private final Random random;
  private final String sdkVersion;
  private final System.Logger log;
  private final Supplier<Map<String, Long>> seatsInUse;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "holdfast-client-heartbeat");
    t.setDaemon(true);
    return t;
  });

  public Heartbeats(String instance, Map<String, NamespaceTracker> trackers, Replicas replicas, Transport transport,
      SyncLoop loop, Duration interval, Duration requestTimeout, Clock clock, Random random, String sdkVersion,
      Supplier<Map<String, Long>> seatsInUse, System.Logger log) {
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
    this.log = log;
  }

  public void start() {
    schedule();
  }

  private void schedule() {
    long nanos = (long) (interval.toNanos() * (0.8 + 0.4 * random.nextDouble()));
    try {
      executor.schedule(() -> {
        try {
          send();
        } catch (RuntimeException e) {
          // An exception would end the scheduled chain: no heartbeat ever again, silently.
          log.log(Level.WARNING, "heartbeat not sent: {0}", e.toString());
        }
        schedule();
      }, nanos, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed.
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
      body.put("lastError", error.length() > 1000 ? error.substring(0, 1000) : error);
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
      entry.put("reason", reason.length() > 500 ? reason.substring(0, 500) : reason);
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
    return body;
  }

  private void send() {
    URI replica = replicas.order().get(0);
    try {
      Transport.Response response = transport.postJson(replica.resolve("/v1/instances/" + instance + "/heartbeat"),
          JSON.writeValueAsBytes(report()), requestTimeout);
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
