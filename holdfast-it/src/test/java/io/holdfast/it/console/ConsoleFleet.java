package io.holdfast.it.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.HoldfastClient;
import io.holdfast.it.AdminHttp;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.testkit.FaultyReplica;
import io.holdfast.testkit.ManualTime;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the console tests look at: two real replicas over one SQLite file, with a driven clock and
 * the rollout engines' timers off (operators move changes from the console), no approvals needed; a
 * fault proxy in front of replica A that one instance, {@code acme-prod}, reads exclusively
 * through; real SDK clients in every ring heartbeating every 100 ms; replica A's synthetic probe
 * watching both replicas and the proxy.
 */
final class ConsoleFleet implements AutoCloseable {

  static final List<String> RINGS = List.of("test", "dev", "beta", "live");

  final ManualTime serverTime = new ManualTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final ManualTime clientTime = new ManualTime(serverTime.clock().instant());
  private final List<HoldfastServer> servers = new ArrayList<>();
  private final FaultyReplica proxy;
  private final Map<String, HoldfastClient> clients = new ConcurrentHashMap<>();

  /** What each instance's application reports as seats in use, by application; set by the test. */
  final Map<String, Map<String, Long>> seats = new ConcurrentHashMap<>();

  private final AdminHttp http = new AdminHttp();

  ConsoleFleet(Path dataDir) throws IOException {
    int portA = freePort();
    int portB = freePort();
    URI a = URI.create("http://127.0.0.1:" + portA);
    URI b = URI.create("http://127.0.0.1:" + portB);
    proxy = FaultyReplica.start(a);
    servers.add(start(dataDir, portA, List.of(a, b, proxy.uri()), true));
    servers.add(start(dataDir, portB, List.of(), false));
    admin(
        "POST",
        "/v1/admin/namespaces",
        "{\"name\":\"core\",\"description\":\"what every instance reads first\"}");
    admin(
        "PUT", "/v1/admin/namespaces/core/layers/default", "{\"maxUsers\":10,\"theme\":\"light\"}");
    admin("POST", "/v1/admin/namespaces/core/publish", "{\"message\":\"first\"}");
  }

  private HoldfastServer start(Path dataDir, int port, List<URI> probeTargets, boolean probe) {
    return HoldfastServer.start(
        ServerConfig.builder(dataDir)
            .port(port)
            .refreshInterval(Duration.ofMillis(50))
            .rolloutApprovals(0)
            .rolloutEngineEnabled(false)
            .probeEnabled(probe)
            .probeTargets(probeTargets)
            .probeInterval(Duration.ofSeconds(1))
            .build(),
        serverTime.clock());
  }

  /**
   * One instance per ring reading from both replicas, and {@code acme-prod} (live) reading through
   * the proxy only.
   */
  void instances() {
    for (String ring : RINGS) {
      client(ring + "-1", ring, List.of(uri(0), uri(1)));
    }
    client("acme-prod", "live", List.of(proxy.uri()));
  }

  private void client(String id, String ring, List<URI> replicas) {
    String credential =
        admin(
                "POST",
                "/v1/admin/instances",
                "{\"id\":\""
                    + id
                    + "\",\"ring\":\""
                    + ring
                    + "\","
                    + "\"labels\":{\"region\":\"eu-west\"}}")
            .get("credential")
            .asText();
    HoldfastClient client =
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
            .heartbeatInterval(Duration.ofMillis(100))
            .seatsInUse(() -> seats.getOrDefault(id, Map.of()))
            .build();
    client.start();
    clients.put(id, client);
  }

  HoldfastClient client(String id) {
    return clients.get(id);
  }

  Map<String, HoldfastClient> clients() {
    return clients;
  }

  FaultyReplica proxy() {
    return proxy;
  }

  HoldfastServer replica(int index) {
    return servers.get(index);
  }

  String adminToken() {
    return servers.get(0).adminToken();
  }

  /** The console of replica {@code index}. */
  String console(int index) {
    return uri(index) + "/console";
  }

  URI uri(int index) {
    return URI.create("http://127.0.0.1:" + servers.get(index).port());
  }

  /** Any admin call through replica A; fails the test on a status of 300 or more. */
  JsonNode admin(String method, String path, String body) {
    return call(method, path, adminToken(), body);
  }

  /** A call with any credential; fails the test on a status of 300 or more. */
  JsonNode call(String method, String path, String token, String body) {
    return http.call(servers.get(0).port(), token, method, path, body);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    clients.values().forEach(HoldfastClient::close);
    servers.forEach(HoldfastServer::close);
    proxy.close();
    http.close();
  }
}
