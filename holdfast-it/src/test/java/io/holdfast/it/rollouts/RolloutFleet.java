package io.holdfast.it.rollouts;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.ApplicationHealth;
import io.holdfast.client.DocumentRejectedException;
import io.holdfast.client.HoldfastClient;
import io.holdfast.it.AdminApi;
import io.holdfast.it.AdminHttp;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.rollout.RolloutEngine;
import io.holdfast.server.store.Database;
import io.holdfast.server.window.JdbcWindowStore;
import io.holdfast.testkit.ManualTime;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * A time-compressed fleet for rollout tests: two real replicas over one SQLite file whose clock the
 * test drives (so a 24-hour bake passes in a call), and real SDK clients in every ring that
 * heartbeat every 100 ms of real time. The replicas' engine timers are off; the test ticks them.
 *
 * <p>Each client runs one of three application builds, as a fleet mid-upgrade does: one that
 * accepts any {@code core} document, one whose validator rejects a {@code maxUsers} that is not a
 * whole number, and one that accepts it but then reports itself FAILING.
 */
final class RolloutFleet implements AutoCloseable {

  /** How an instance's application treats the {@code core} document. */
  enum Build {
    LENIENT,
    STRICT,
    CRASHES_ON_TEXT
  }

  /** How long the tests wait for what the clients and replicas do in real time. */
  static final ConditionFactory EVENTUALLY =
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));

  final ManualTime serverTime;
  private final ManualTime clientTime;
  private final Path dataDir;
  private final List<HoldfastServer> servers = new ArrayList<>();
  private final Map<String, HoldfastClient> clients = new ConcurrentHashMap<>();
  private final Map<String, String> rings = new ConcurrentHashMap<>();

  /** Every {@code maxUsers} value each instance's application was handed. */
  final Map<String, List<JsonNode>> seen = new ConcurrentHashMap<>();

  private final AdminHttp http = new AdminHttp();

  /** The replicas' database opened a third time, for the window settings; opened on first use. */
  private Database windowDatabase;

  RolloutFleet(Path dataDir) {
    this(dataDir, Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * A fleet whose replicas' clock starts at {@code start}. The clients' wall clock starts there too
   * and stays: the freshness statements the replicas sign as their clock moves on never look
   * expired to them, and their grace never runs out.
   */
  RolloutFleet(Path dataDir, Instant start) {
    this.dataDir = dataDir;
    this.serverTime = new ManualTime(start);
    this.clientTime = new ManualTime(start);
    servers.add(startReplica());
    servers.add(startReplica());
    api().createNamespace("core");
    api().stage("core", "default", "{\"maxUsers\":10}");
    api().publish("core", "first");
  }

  HoldfastServer startReplica() {
    return HoldfastServer.start(replicaConfig(), serverTime.clock());
  }

  private ServerConfig replicaConfig() {
    return ServerConfig.builder(dataDir)
        .port(0)
        .refreshInterval(Duration.ofMillis(50))
        .rolloutApprovals(0)
        .build();
  }

  /**
   * The change windows, zones and blackouts in the replicas' store, written directly: the setup an
   * operator would make through the admin API, on the replicas' clock.
   */
  JdbcWindowStore windows() {
    if (windowDatabase == null) {
      ServerConfig config = replicaConfig();
      windowDatabase = Database.open(config.jdbcUrl(), config.storeTimeout());
    }
    return new JdbcWindowStore(windowDatabase, serverTime.clock());
  }

  HoldfastServer replica(int index) {
    return servers.get(index);
  }

  /** Replaces a replica by a new process-like start on the same data directory (a restart). */
  HoldfastServer restart(int index) {
    servers.get(index).close();
    HoldfastServer restarted = startReplica();
    servers.set(index, restarted);
    return restarted;
  }

  /** Starts {@code count} instances in {@code ring}, each with a client of the given build. */
  void instances(String ring, int count, Build build) {
    for (int i = 0; i < count; i++) {
      String id =
          ring + "-" + build.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-" + i;
      String credential = api().createInstance(id, ring);
      List<URI> replicas =
          servers.stream().map(s -> URI.create("http://127.0.0.1:" + s.port())).toList();
      HoldfastClient.Builder builder =
          HoldfastClient.builder()
              .replicas(replicas)
              .instance(id, credential)
              .trustedKey(servers.get(0).verificationKey())
              .namespaces("core", "subscriptions")
              .ticker(clientTime.ticker())
              .clock(clientTime.clock())
              .requestTimeout(Duration.ofSeconds(1))
              .watchTimeout(Duration.ofSeconds(1))
              .pollInterval(Duration.ofMillis(100))
              .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
              .heartbeatInterval(Duration.ofMillis(100));
      if (build == Build.STRICT) {
        builder.validator(
            "core",
            content -> {
              if (!content.path("maxUsers").canConvertToInt()
                  || !content.path("maxUsers").isIntegralNumber()) {
                throw new DocumentRejectedException(
                    "maxUsers must be a whole number, was " + content.path("maxUsers"));
              }
            });
      }
      HoldfastClient client = builder.build();
      List<JsonNode> values = new CopyOnWriteArrayList<>();
      seen.put(id, values);
      client.addChangeListener(
          (previous, current) -> {
            if (!current.namespace().equals("core")) {
              return;
            }
            JsonNode value = current.content().path("maxUsers");
            values.add(value);
            if (build == Build.CRASHES_ON_TEXT) {
              client.reportApplicationHealth(
                  value.isIntegralNumber()
                      ? ApplicationHealth.ok()
                      : ApplicationHealth.failing("cannot parse maxUsers " + value));
            }
          });
      client.start();
      clients.put(id, client);
      rings.put(id, ring);
    }
  }

  HoldfastClient client(String instance) {
    return clients.get(instance);
  }

  /** The instance's latest heartbeat as the replicas stored it: {@code receivedAt} and the body. */
  JsonNode lastHeartbeat(String instance) {
    return admin("GET", "/v1/admin/instances/" + instance + "/heartbeat", null);
  }

  List<HoldfastClient> clientsIn(String ring) {
    return clients.entrySet().stream()
        .filter(e -> rings.get(e.getKey()).equals(ring))
        .map(Map.Entry::getValue)
        .toList();
  }

  List<String> instancesIn(String ring) {
    return rings.entrySet().stream()
        .filter(e -> e.getValue().equals(ring))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** Creates a change setting {@code core/default} to {@code content}; returns its id. */
  long change(String description, String content) {
    return admin(
            "POST",
            "/v1/admin/changes",
            "{\"description\":\""
                + description
                + "\",\"edits\":[{\"namespace\":\"core\",\"scope\":\"default\",\"content\":"
                + content
                + "}]}")
        .get("id")
        .asLong();
  }

  /**
   * Creates application {@code crm} if needed and a subscription of the instance; returns its id.
   */
  String subscribe(String instance, long quantity) {
    if (admin("GET", "/v1/admin/applications", null).get("applications").findValues("name").stream()
        .noneMatch(n -> n.asText().equals("crm"))) {
      admin("POST", "/v1/admin/applications", "{\"name\":\"crm\",\"displayName\":\"CRM\"}");
    }
    return admin(
            "POST",
            "/v1/admin/subscriptions",
            "{\"instance\":\""
                + instance
                + "\",\"application\":\"crm\","
                + "\"quantity\":"
                + quantity
                + ",\"validFrom\":\"2026-01-01T00:00:00Z\",\"plan\":\"enterprise\"}")
        .get("id")
        .asText();
  }

  /** The quantity of the instance's first {@code crm} subscription, as its client holds it. */
  long quantityHeldBy(String instance) {
    return clients
        .get(instance)
        .snapshot("subscriptions")
        .content()
        .path("applications")
        .path("crm")
        .path(0)
        .path("quantity")
        .asLong(-1);
  }

  JsonNode changeView(long id) {
    return admin("GET", "/v1/admin/changes/" + id, null);
  }

  /**
   * Ticks {@code engine} until change {@code id} reaches {@code state} (and {@code ring}, if
   * given); returns the change's view.
   */
  JsonNode tickUntil(RolloutEngine engine, long id, String state, String ring) {
    EVENTUALLY.until(
        () -> {
          engine.tick();
          JsonNode view = changeView(id);
          return view.get("state").asText().equals(state)
              && (ring == null || ring.equals(view.path("currentRing").asText()));
        });
    return changeView(id);
  }

  /**
   * Waits for the current ring's gate to count {@code count} confirmations of change {@code id}'s
   * release; returns the change's view.
   */
  JsonNode awaitAcknowledged(long id, int count) {
    EVENTUALLY.until(() -> changeView(id).path("gate").path("acknowledged").asInt() == count);
    return changeView(id);
  }

  List<String> releasedRings(long id) {
    List<String> released = new ArrayList<>();
    changeView(id).get("releases").forEach(r -> released.add(r.get("ring").asText()));
    return released;
  }

  /** Any admin call through the first replica; fails the test on a status of 300 or more. */
  JsonNode admin(String method, String path, String body) {
    return api().call(method, path, body);
  }

  /** The first replica's admin API; asked afresh, since a restart moves the replica's port. */
  private AdminApi api() {
    return new AdminApi(http, servers.get(0).port(), servers.get(0).adminToken());
  }

  @Override
  public void close() {
    clients.values().forEach(HoldfastClient::close);
    servers.forEach(HoldfastServer::close);
    if (windowDatabase != null) {
      windowDatabase.close();
    }
    http.close();
  }
}
