package io.holdfast.cli.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.cli.soak.history.ContentStamp;
import io.holdfast.cli.soak.history.Heal;
import io.holdfast.cli.soak.history.HistoryRecorder;
import io.holdfast.cli.soak.history.SeatCount;
import io.holdfast.cli.soak.history.Served;
import io.holdfast.cli.soak.history.SoakHeader;
import io.holdfast.client.Status;
import io.holdfast.client.seats.SubscriptionChecker;
import io.holdfast.protocol.signature.VerificationKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One soak, start to end: databases, replica processes behind fault proxies, the tenants and their
 * publishers and application nodes, the nemesis playing its schedule, the final heal, convergence,
 * and what every replica serves at the end. Everything is recorded in the history file; the
 * returned {@link SoakOutcome} carries what the summary needs beyond it.
 */
final class SoakRun {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(120);

  /** The namespaces every client reads and every replica must agree on at the end. */
  private static final List<String> NAMESPACES =
      List.of(Tenant.NAMESPACE, SubscriptionChecker.NAMESPACE);

  private final SoakSettings settings;
  private final List<PlannedFault> schedule;
  private final OperationCounts operations = new OperationCounts();
  private final OperationCounts faults = new OperationCounts();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<AtomicBoolean> publisherSwitches = new ArrayList<>();

  SoakRun(SoakSettings settings, List<PlannedFault> schedule) {
    this.settings = settings;
    this.schedule = List.copyOf(schedule);
  }

  /** The schedule {@code holdfast soak} plays: seeded, every kind the store allows. */
  static List<PlannedFault> seededSchedule(SoakSettings settings) {
    return PlannedFault.schedule(
        new Random(settings.seed()), settings.duration(), FaultKind.forStore(settings.store()));
  }

  SoakOutcome run() throws Exception {
    Path out = settings.out();
    Files.createDirectories(out);
    Files.writeString(out.resolve("seed"), settings.seed() + "\n");
    Path history = out.resolve("history.jsonl");
    Random random = new Random(settings.seed() ^ 0x5eed5eedL);
    // Stopped by a signal (Ctrl-C), the run still kills its replicas, unmounts its caches and
    // drops its databases: try-with-resources does not run then, shutdown hooks do.
    List<AutoCloseable> leftovers = new CopyOnWriteArrayList<>();
    Thread onSignal = new Thread(() -> closeAll(leftovers), "soak-cleanup");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try (SoakDatabases databases = new SoakDatabases(settings);
        HistoryRecorder recorder =
            HistoryRecorder.open(history, SoakHeader.of(settings.seed(), Instant.now(), header()));
        SoakCluster cluster =
            SoakCluster.start(
                settings,
                databases,
                out.resolve("work"),
                created -> {
                  leftovers.add(databases);
                  leftovers.add(created);
                })) {
      String seatUrl = settings.databaseUrl(databases.create("seats"));
      Map<String, Long> rssAtStart = resident(cluster);
      List<Tenant> tenants = FleetSetup.create(cluster.admin(0), settings.clients(), recorder);
      VerificationKey key = FleetSetup.signingKey(cluster.admin(0));
      List<AppNode> nodes = new ArrayList<>();
      List<Publisher> publishers = new ArrayList<>();
      List<CacheDirectory> caches = new ArrayList<>();
      List<Thread> loops = new ArrayList<>();
      // Stopped in the finally below, so that an early end leaves no fault thread restarting a
      // replica after the cluster is closed.
      AtomicReference<Nemesis> playing = new AtomicReference<>();
      try {
        for (Tenant tenant : tenants) {
          List<AppNode> tenantNodes = new ArrayList<>();
          UserLocks userLocks = new UserLocks();
          for (int n = 0; n < tenant.nodes(); n++) {
            String name = String.format(Locale.ROOT, "c%02d", nodes.size() + 1);
            CacheDirectory cache =
                CacheDirectory.create(out.resolve("work").resolve("cache").resolve(name));
            caches.add(cache);
            leftovers.add(cache);
            AppNode node =
                new AppNode(
                    name,
                    tenant,
                    cluster.clientUris(),
                    key,
                    cache,
                    seatUrl,
                    userLocks,
                    recorder,
                    operations,
                    new Random(random.nextLong()));
            nodes.add(node);
            tenantNodes.add(node);
          }
          AppNode first = tenantNodes.get(0);
          Publisher publisher =
              new Publisher(
                  tenant,
                  cluster,
                  recorder,
                  new Random(random.nextLong()),
                  first::seatsInUse,
                  operations);
          publishers.add(publisher);
          // The first document of each tenant, before any client starts.
          for (int attempt = 0; attempt < 5 && !publisher.publishLayer("seed"); attempt++) {
            Thread.sleep(200);
          }
        }
        for (AppNode node : nodes) {
          node.start(false);
        }
        for (AppNode node : nodes) {
          loops.add(loop("app-" + node.name(), node::step, 20, 60));
        }
        for (Publisher publisher : publishers) {
          loops.add(loop("publisher", publisher::step, 300, 1500));
        }
        Nemesis nemesis = new Nemesis(cluster, nodes, publishers, recorder, faults);
        playing.set(nemesis);
        long started = System.nanoTime();
        Thread timer =
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        nemesis.play(schedule);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    });
        Thread.sleep(settings.duration());
        timer.interrupt();
        timer.join(Duration.ofSeconds(10));
        // Writers stop first, so that what must converge is fixed.
        stopPublishers(loops, publishers.size());
        nemesis.healAll();
        recorder.record(Heal::new);
        Duration converged = awaitConvergence(cluster, tenants, nodes, recorder);
        running.set(false);
        for (Thread loop : loops) {
          loop.join(Duration.ofSeconds(30));
        }
        recordServed(cluster, tenants, recorder);
        for (Tenant tenant : tenants) {
          AppNode node = nodes.stream().filter(n -> n.tenant() == tenant).findFirst().orElseThrow();
          long inUse = node.seatsInUse();
          recorder.record(t -> new SeatCount(t, tenant.id(), Tenant.APPLICATION, inUse, null));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new SoakOutcome(
            history,
            seconds,
            operations.snapshot(),
            faults.snapshot(),
            rssAtStart,
            resident(cluster),
            caches.isEmpty() ? null : caches.get(0).mode(),
            converged);
      } finally {
        running.set(false);
        if (playing.get() != null) {
          playing.get().stop(); // after healAll it has nothing left to stop
        }
        for (AppNode node : nodes) {
          node.close();
        }
        for (CacheDirectory cache : caches) {
          cache.close();
        }
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook runs.
      }
    }
  }

  /** Closes the newest first; each failure is printed and the rest still closed. */
  private static void closeAll(List<AutoCloseable> leftovers) {
    for (AutoCloseable leftover : leftovers.reversed()) {
      try {
        leftover.close();
      } catch (Exception e) {
        System.err.println("soak cleanup: " + e);
      }
    }
  }

  private Map<String, String> header() {
    Map<String, String> header = new LinkedHashMap<>();
    header.put("store", settings.store().name().toLowerCase(Locale.ROOT));
    header.put("replicas", Integer.toString(settings.replicas()));
    header.put("clients", Integer.toString(settings.clients()));
    header.put("duration", settings.duration().toString());
    header.put("faults", Integer.toString(schedule.size()));
    return header;
  }

  /** A background loop calling {@code step} every {@code min} to {@code max} ms until stopped. */
  private Thread loop(String name, Runnable step, int min, int max) {
    AtomicBoolean on = new AtomicBoolean(true);
    if (name.equals("publisher")) {
      publisherSwitches.add(on);
    }
    Random pace = new Random(name.hashCode() ^ settings.seed());
    return Thread.ofPlatform()
        .daemon()
        .name("soak-" + name)
        .start(
            () -> {
              while (running.get() && on.get()) {
                try {
                  step.run();
                } catch (RuntimeException e) {
                  operations.count("loop-error " + e.getClass().getSimpleName());
                }
                try {
                  Thread.sleep(min + pace.nextInt(max - min));
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }

  private void stopPublishers(List<Thread> loops, int count) throws InterruptedException {
    publisherSwitches.forEach(on -> on.set(false));
    for (Thread loop : loops.subList(loops.size() - count, loops.size())) {
      loop.join(Duration.ofSeconds(60));
    }
  }

  /**
   * Waits (bounded) until every node is FRESH and every replica serves each tenant's last
   * acknowledged revision; returns how long it took, or {@code null} if it never did (the checker
   * then reports what is missing).
   */
  private Duration awaitConvergence(
      SoakCluster cluster, List<Tenant> tenants, List<AppNode> nodes, HistoryRecorder recorder)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + CONVERGENCE_TIMEOUT.toNanos();
    try (HttpClient http = HttpClient.newHttpClient()) {
      while (System.nanoTime() < deadline) {
        boolean fresh = nodes.stream().allMatch(node -> node.status() == Status.FRESH);
        boolean served = fresh && allServeLatest(http, cluster, tenants);
        if (served) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
        Thread.sleep(250);
      }
    }
    return null;
  }

  private boolean allServeLatest(HttpClient http, SoakCluster cluster, List<Tenant> tenants) {
    for (Tenant tenant : tenants) {
      for (String namespace : NAMESPACES) {
        long revision = -1;
        for (ReplicaProcess replica : cluster.replicas()) {
          JsonNode served = fetch(http, replica.uri(), tenant, namespace).document();
          long r = served == null ? -1 : served.path("revision").asLong(-1);
          if (r < 0 || (revision >= 0 && r != revision)) {
            return false;
          }
          revision = r;
        }
      }
    }
    return true;
  }

  private void recordServed(SoakCluster cluster, List<Tenant> tenants, HistoryRecorder recorder) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      for (ReplicaProcess replica : cluster.replicas()) {
        for (Tenant tenant : tenants) {
          for (String namespace : NAMESPACES) {
            Fetched fetched = fetch(http, replica.uri(), tenant, namespace);
            JsonNode document = fetched.document();
            long revision = document == null ? 0 : document.path("revision").asLong();
            ContentStamp stamp = document == null ? null : Tenant.stamp(document.path("content"));
            recorder.record(
                t ->
                    new Served(
                        t,
                        replica.name(),
                        tenant.id(),
                        namespace,
                        revision,
                        fetched.etag(),
                        stamp,
                        fetched.error()));
          }
        }
      }
    }
  }

  /** One replica's answer for a tenant's document: the envelope and its ETag, or why not. */
  private record Fetched(JsonNode document, String etag, String error) {}

  private static Fetched fetch(HttpClient http, URI replica, Tenant tenant, String namespace) {
    HttpRequest request =
        HttpRequest.newBuilder(
                replica.resolve("/v1/instances/" + tenant.id() + "/config/" + namespace))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + tenant.credential())
            .build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        return new Fetched(null, null, "HTTP " + response.statusCode());
      }
      return new Fetched(
          JSON.readTree(response.body()), response.headers().firstValue("ETag").orElse(null), null);
    } catch (IOException e) {
      return new Fetched(null, null, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Fetched(null, null, "interrupted");
    }
  }

  private static Map<String, Long> resident(SoakCluster cluster) {
    Map<String, Long> rss = new LinkedHashMap<>();
    cluster.replicas().forEach(replica -> rss.put(replica.name(), replica.residentKib()));
    return rss;
  }
}
