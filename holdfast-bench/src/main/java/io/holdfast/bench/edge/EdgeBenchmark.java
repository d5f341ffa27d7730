package io.holdfast.bench.edge;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Instance-read latency on a replica process, quiet and then under each attack of FAULTS section F,
 * in one run (bench/edge.sh starts the replica and passes its details): {@code EdgeBenchmark <port>
 * <management-port> <pid> <instance> <token> <admin-token> <seconds>}.
 *
 * <p>A reader asks for the instance's document at a steady 100 requests a second over one
 * kept-alive connection from 127.0.0.1; the attackers come from other loopback addresses. For each
 * phase it prints p50, p99 and max of the reads, failed reads, whether the replica still accepted
 * new connections at the end, its resident memory, and what the attack met.
 */
public final class EdgeBenchmark {

  private static final long READ_INTERVAL_NANOS = 10_000_000L;

  private final int port;
  private final int managementPort;
  private final long pid;
  private final String instance;
  private final String token;
  private final String adminToken;
  private final Duration phase;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private EdgeBenchmark(String[] args) {
    port = Integer.parseInt(args[0]);
    managementPort = Integer.parseInt(args[1]);
    pid = Long.parseLong(args[2]);
    instance = args[3];
    token = args[4];
    adminToken = args[5];
    phase = Duration.ofSeconds(Long.parseLong(args[6]));
  }

  public static void main(String[] args) throws Exception {
    new EdgeBenchmark(args).run();
  }

  private void run() throws Exception {
    System.out.printf(
        Locale.ROOT,
        "%-34s %8s %8s %8s %8s %6s %9s %9s  %s%n",
        "phase",
        "reads",
        "p50 ms",
        "p99 ms",
        "max ms",
        "failed",
        "accepting",
        "RSS MB",
        "attack");
    report("quiet", measure(), "");
    idleConnections(10_000);
    slowloris(2_000);
    metricsFlood(20);
    watchFlood();
    auditListings(20);
  }

  private void idleConnections(int count) throws Exception {
    List<SocketChannel> sockets = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < count; i++) {
      try {
        sockets.add(connect("127.0.2." + (1 + i % 40)));
      } catch (IOException e) {
        refused++;
      }
    }
    long[] reads = measure();
    int closed = closedByServer(sockets);
    report(
        count + " idle connections",
        reads,
        "closed by the replica "
            + closed
            + " of "
            + sockets.size()
            + (refused > 0 ? ", refused at connect " + refused : ""));
    closeAll(sockets);
  }

  private void slowloris(int count) throws Exception {
    List<SocketChannel> sockets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SocketChannel s = connect("127.0.3." + (1 + i % 10));
      s.write(ByteBuffer.wrap("GET /v1/keys HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)));
      sockets.add(s);
    }
    AtomicBoolean on = new AtomicBoolean(true);
    Thread trickle =
        Thread.ofPlatform()
            .start(
                () -> {
                  ByteBuffer one = ByteBuffer.wrap(new byte[] {'X'});
                  while (on.get()) {
                    for (SocketChannel s : sockets) {
                      try {
                        s.write(one.rewind());
                      } catch (IOException e) {
                        // closed by the replica
                      }
                    }
                    LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                  }
                });
    long[] reads = measure();
    on.set(false);
    trickle.join();
    report(
        count + " slowloris connections",
        reads,
        "closed by the replica " + closedByServer(sockets) + " of " + count);
    closeAll(sockets);
  }

  private void metricsFlood(int connections) throws Exception {
    AtomicLong scrapes = new AtomicLong();
    URI metrics = URI.create("http://127.0.0.1:" + managementPort + "/metrics");
    long[] reads =
        underLoad(
            connections,
            client -> {
              HttpRequest request =
                  HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build();
              if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()
                  == 200) {
                scrapes.incrementAndGet();
              }
            });
    report(connections + "-connection /metrics flood", reads, scrapes.get() + " scrapes answered");
  }

  private void watchFlood() throws Exception {
    AtomicLong refused = new AtomicLong();
    AtomicLong attempts = new AtomicLong();
    URI watch =
        URI.create(
            "http://127.0.0.1:" + port + "/v1/instances/" + instance + "/watch?etag=x&timeout=50s");
    URI checksums =
        URI.create("http://127.0.0.1:" + port + "/v1/instances/" + instance + "/checksums");
    String etag =
        http.send(
                HttpRequest.newBuilder(checksums)
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .headers()
            .firstValue("ETag")
            .orElseThrow()
            .replace("\"", "");
    URI waiting = URI.create(watch.toString().replace("etag=x", "etag=" + etag));
    long[] reads =
        underLoad(
            100,
            client -> {
              HttpRequest request =
                  HttpRequest.newBuilder(waiting)
                      .header("Authorization", "Bearer " + token)
                      .timeout(Duration.ofMillis(200))
                      .build();
              attempts.incrementAndGet();
              try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()
                    == 429) {
                  refused.incrementAndGet();
                }
              } catch (java.net.http.HttpTimeoutException abandoned) {
                // the watch is abandoned: its slot must come back
              }
            });
    report(
        "one instance flooding watches",
        reads,
        attempts.get()
            + " watches opened and abandoned after 200 ms, "
            + refused.get()
            + " answered 429 in time");
  }

  private void auditListings(int connections) throws Exception {
    AtomicLong listings = new AtomicLong();
    URI audit = URI.create("http://127.0.0.1:" + port + "/v1/admin/audit?limit=100");
    long[] reads =
        underLoad(
            connections,
            client -> {
              HttpRequest request =
                  HttpRequest.newBuilder(audit)
                      .header("Authorization", "Bearer " + adminToken)
                      .timeout(Duration.ofSeconds(10))
                      .build();
              if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()
                  == 200) {
                listings.incrementAndGet();
              }
            });
    report(
        connections + " admins listing the audit log",
        reads,
        listings.get() + " listings answered");
  }

  @FunctionalInterface
  private interface Attack {
    void once(HttpClient client) throws Exception;
  }

  /** Runs {@code workers} attackers, each with a client of its own, while measuring reads. */
  private long[] underLoad(int workers, Attack attack) throws Exception {
    AtomicBoolean on = new AtomicBoolean(true);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (HttpClient client =
                        HttpClient.newBuilder()
                            .localAddress(loopback("127.0.4.1").getAddress())
                            .build()) {
                      while (on.get()) {
                        try {
                          attack.once(client);
                        } catch (IOException e) {
                          // refused or cut: the attacker tries again
                        } catch (InterruptedException e) {
                          return;
                        } catch (Exception e) {
                          // anything else: go on attacking
                        }
                      }
                    }
                  }));
    }
    long[] reads = measure();
    on.set(false);
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(15));
    }
    return reads;
  }

  /**
   * Reads at a steady rate for one phase; each entry is a latency in nanoseconds, -1 for a failure.
   */
  private long[] measure() {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + port + "/v1/instances/" + instance + "/config/core"))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(5))
            .build();
    int n = (int) (phase.toNanos() / READ_INTERVAL_NANOS);
    long[] latencies = new long[n];
    long next = System.nanoTime();
    for (int i = 0; i < n; i++) {
      LockSupport.parkNanos(next - System.nanoTime());
      long start = System.nanoTime();
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        latencies[i] = status == 200 ? System.nanoTime() - start : -1;
      } catch (IOException e) {
        latencies[i] = -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Arrays.copyOf(latencies, i);
      }
      next += READ_INTERVAL_NANOS;
    }
    return latencies;
  }

  private void report(String name, long[] reads, String attack) {
    long failed = Arrays.stream(reads).filter(l -> l < 0).count();
    long[] ok = Arrays.stream(reads).filter(l -> l >= 0).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "%-34s %8d %8.2f %8.2f %8.2f %6d %9s %9.0f  %s%n",
        name,
        reads.length,
        percentile(ok, 0.50),
        percentile(ok, 0.99),
        ok.length == 0 ? 0 : ok[ok.length - 1] / 1e6,
        failed,
        accepting(),
        residentMegabytes(),
        attack);
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  /** Whether a new connection to the instance port is served now. */
  private boolean accepting() {
    try (HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
              .timeout(Duration.ofSeconds(5))
              .build();
      return fresh.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private double residentMegabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private SocketChannel connect(String from) throws IOException {
    SocketChannel s = SocketChannel.open();
    s.bind(loopback(from));
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }

  private static InetSocketAddress loopback(String address) {
    try {
      return new InetSocketAddress(InetAddress.getByName(address), 0);
    } catch (IOException e) {
      throw new IllegalArgumentException(address, e);
    }
  }

  /**
   * How many of the sockets the replica has closed (a read without blocking sees the end or a
   * reset).
   */
  private static int closedByServer(List<SocketChannel> sockets) {
    int closed = 0;
    ByteBuffer buffer = ByteBuffer.allocate(1024);
    for (SocketChannel s : sockets) {
      try {
        s.configureBlocking(false);
        int n;
        do {
          n = s.read(buffer.clear());
        } while (n > 0);
        if (n < 0) {
          closed++;
        }
      } catch (IOException e) {
        closed++;
      }
    }
    return closed;
  }

  private static void closeAll(List<SocketChannel> sockets) {
    for (SocketChannel s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing is all that was wanted
      }
    }
  }
}
