package io.holdfast.it.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.it.ReplicaPair;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import io.holdfast.testkit.ManualTime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident Holdfast is built around: a routine change that added ETags made a vendor's
 * configuration unavailable. First the checksum data could not be read, then the content; the
 * application servers threw errors instead of carrying on with what they had, and instances lost
 * their subscription counts.
 *
 * <p>Here two real replicas, each behind a fault proxy, lose first their checksum data and then
 * their content for two minutes of simulated time. The Holdfast client must never throw, never
 * change a subscription count, report STALE with the reason while the content is unavailable, and
 * come back to FRESH with no manual step. The same scenario run against a naive client that throws
 * when the checksums are missing fails, which is what proves the test can catch the pre-fix
 * behaviour.
 */
class EtagRolloutIncidentTest {

  private static final String INSTANCE = "acme-prod";

  /** How often the application reads: often enough to read through every phase. */
  private static final Duration READ_PACE = Duration.ofMillis(1);

  /** Reads the application makes while STALE in the content outage, before it ends. */
  private static final int OUTAGE_READS = 100;

  /** What the scenario needs from a client under test. */
  interface SeatReader extends AutoCloseable {
    /** Subscription count for an application, as the application would read it. */
    int seats(String application);

    Status status();

    String reason();

    @Override
    void close();
  }

  @Test
  void checksumsThenContentUnavailableOnBothReplicas_noThrowNoLostSeats_staleThenFreshAgain(
      @TempDir Path dir) {
    runIncident(dir, HoldfastSeatReader::new);
  }

  @Test
  void theSameScenario_failsOnANaiveClientThatThrowsWhenChecksumsAreMissing(@TempDir Path dir) {
    assertThatThrownBy(() -> runIncident(dir, NaiveSeatReader::new))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("reads failed");
  }

  /** Builds the client under test from the replicas, the instance token and a time source. */
  @FunctionalInterface
  interface ReaderFactory {
    SeatReader create(ReplicaPair pair, String token, ManualTime time, Path cache);
  }

  private static void runIncident(Path dir, ReaderFactory factory) {
    try (ReplicaPair pair = ReplicaPair.start(dir.resolve("store"))) {
      pair.createNamespace("core");
      String token = pair.createInstance(INSTANCE, "live");
      pair.publish(
          "core",
          "default",
          "{\"seats\":{\"crm\":25,\"helpdesk\":10},\"sessionTimeoutMinutes\":30}");
      ManualTime time = new ManualTime();
      try (SeatReader reader = factory.create(pair, token, time, dir.resolve("cache"))) {
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Queue<Integer> wrongCounts = new ConcurrentLinkedQueue<>();
        check(reader, "crm", 25, failures, wrongCounts);
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicBoolean contentOutage = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        AtomicLong outageReads = new AtomicLong();
        Thread application =
            new Thread(
                () -> {
                  // Reads until the scenario ends (each phase below is bounded in time), paced so
                  // that it
                  // does not take a core from the replicas and the client's own loop.
                  while (reading.get()) {
                    boolean outageBefore = contentOutage.get();
                    try {
                      int crm = reader.seats("crm");
                      if (crm != 25) {
                        wrongCounts.add(crm);
                      }
                    } catch (RuntimeException e) {
                      failures.add(e);
                    }
                    reads.incrementAndGet();
                    if (outageBefore
                        && contentOutage.get()) { // the whole read fell inside the outage
                      outageReads.incrementAndGet();
                    }
                    LockSupport.parkNanos(READ_PACE.toNanos());
                  }
                },
                "application-reads");
        application.start();
        try {
          List<FaultyReplica> proxies = List.of(pair.proxyA(), pair.proxyB());

          // Phase 1: the checksum data is unavailable on both replicas.
          for (FaultyReplica proxy : proxies) {
            proxy.fault("/checksums", Fault.status(500));
            proxy.fault("/watch", Fault.status(500));
          }
          int before = pair.proxyA().requests() + pair.proxyB().requests();
          time.advance(Duration.ofMinutes(1));
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(20))
              .until(() -> pair.proxyA().requests() + pair.proxyB().requests() >= before + 6);
          check(reader, "crm", 25, failures, wrongCounts);

          // Phase 2: the content is unavailable too.
          for (FaultyReplica proxy : proxies) {
            proxy.fault("/config/", Fault.status(503));
          }
          contentOutage.set(true);
          time.advance(Duration.ofMinutes(1));
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(20))
              .until(() -> reader.status() == Status.STALE);
          // The outage lasts until the application has read through it, not just sampled it.
          long staleAt = outageReads.get();
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(20))
              .until(() -> outageReads.get() >= staleAt + OUTAGE_READS);
          String reason = reader.reason();
          check(reader, "crm", 25, failures, wrongCounts);
          check(reader, "helpdesk", 10, failures, wrongCounts);
          assertThat(failures).as("reads failed during the outage").isEmpty();
          assertThat(reason).as("the reason names what is wrong").contains("HTTP 503");

          // Recovery: nobody touches the client.
          contentOutage.set(false);
          for (FaultyReplica proxy : proxies) {
            proxy.clear();
          }
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(20))
              .until(() -> reader.status() == Status.FRESH);
        } finally {
          reading.set(false);
          try {
            application.join(5_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        check(reader, "crm", 25, failures, wrongCounts);
        assertThat(outageReads.get())
            .as("reads while the content was unavailable")
            .isGreaterThanOrEqualTo(OUTAGE_READS);
        assertThat(reads.get()).as("the application kept reading").isGreaterThan(outageReads.get());
        assertThat(failures).as("reads failed during the outage").isEmpty();
        assertThat(wrongCounts).as("subscription counts seen during the outage").isEmpty();
      }
    }
  }

  /**
   * One read as the application makes it, recording a throw or a wrong count instead of failing at
   * once.
   */
  private static void check(
      SeatReader reader,
      String application,
      int expected,
      Queue<Throwable> failures,
      Queue<Integer> wrongCounts) {
    try {
      int seats = reader.seats(application);
      if (seats != expected) {
        wrongCounts.add(seats);
      }
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }

  /** The Holdfast client, as an application embeds it. */
  static final class HoldfastSeatReader implements SeatReader {
    private final HoldfastClient client;

    HoldfastSeatReader(ReplicaPair pair, String token, ManualTime time, Path cache) {
      client =
          pair.clientBuilder(INSTANCE, token, time)
              .namespaces("core")
              .cacheDirectory(cache)
              .build();
      client.start();
    }

    @Override
    public int seats(String application) {
      return client.snapshot("core").getInt("seats." + application, 0);
    }

    @Override
    public Status status() {
      return client.status("core").status();
    }

    @Override
    public String reason() {
      return client.status("core").reason();
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /**
   * The pre-fix behaviour, kept to prove the scenario catches it: each read asks for the checksum
   * data, throws when it cannot be had, and forgets the configuration it had.
   */
  static final class NaiveSeatReader implements SeatReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI replica;
    private final String token;
    private JsonNode config;

    NaiveSeatReader(ReplicaPair pair, String token, ManualTime time, Path cache) {
      this.replica = pair.replicas().get(0);
      this.token = token;
    }

    @Override
    public synchronized int seats(String application) {
      try {
        HttpResponse<byte[]> checksums =
            http.send(
                request("/v1/instances/" + INSTANCE + "/checksums"),
                HttpResponse.BodyHandlers.ofByteArray());
        if (checksums.statusCode() != 200) {
          config = null;
          throw new IllegalStateException(
              "checksum data unavailable: HTTP " + checksums.statusCode());
        }
        HttpResponse<byte[]> document =
            http.send(
                request("/v1/instances/" + INSTANCE + "/config/core"),
                HttpResponse.BodyHandlers.ofByteArray());
        config = JSON.readTree(document.body()).path("content");
        return config.path("seats").path(application).asInt();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private HttpRequest request(String path) {
      return HttpRequest.newBuilder(replica.resolve(path))
          .header("Authorization", "Bearer " + token)
          .timeout(Duration.ofSeconds(2))
          .build();
    }

    @Override
    public Status status() {
      return config == null ? Status.STALE : Status.FRESH;
    }

    @Override
    public String reason() {
      return "the naive client keeps no reason";
    }

    @Override
    public void close() {
      http.close();
    }
  }
}
