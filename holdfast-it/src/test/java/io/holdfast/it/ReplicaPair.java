package io.holdfast.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.HoldfastClient;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.testkit.FaultyReplica;
import io.holdfast.testkit.ManualTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Two real replicas on one SQLite store, each behind a fault-injecting proxy, with a small admin
 * client to publish through replica A. Close it to stop everything.
 */
public final class ReplicaPair implements AutoCloseable {

  private final HoldfastServer a;
  private final HoldfastServer b;
  private final FaultyReplica proxyA;
  private final FaultyReplica proxyB;
  private final AdminHttp http = new AdminHttp();
  private final AdminApi admin;

  private ReplicaPair(
      HoldfastServer a, HoldfastServer b, FaultyReplica proxyA, FaultyReplica proxyB) {
    this.a = a;
    this.b = b;
    this.proxyA = proxyA;
    this.proxyB = proxyB;
    this.admin = new AdminApi(http, a.port(), a.adminToken());
  }

  public static ReplicaPair start(Path dataDir) {
    return start(dataDir, Clock.systemUTC(), UnaryOperator.identity());
  }

  /**
   * As {@link #start(Path)}, with both replicas on {@code clock} (their freshness statements, key
   * set checks and store times) and {@code settings} applied over the defaults.
   */
  public static ReplicaPair start(
      Path dataDir, Clock clock, UnaryOperator<ServerConfig.Builder> settings) {
    HoldfastServer a = HoldfastServer.start(config(dataDir, settings), clock);
    HoldfastServer b = HoldfastServer.start(config(dataDir, settings), clock);
    try {
      return new ReplicaPair(
          a,
          b,
          FaultyReplica.start(URI.create("http://127.0.0.1:" + a.port())),
          FaultyReplica.start(URI.create("http://127.0.0.1:" + b.port())));
    } catch (IOException e) {
      a.close();
      b.close();
      throw new UncheckedIOException(e);
    }
  }

  private static ServerConfig config(Path dataDir, UnaryOperator<ServerConfig.Builder> settings) {
    return settings
        .apply(ServerConfig.builder(dataDir).port(0).refreshInterval(Duration.ofMillis(50)))
        .build();
  }

  /** The proxies' URIs, replica A first: what clients are given. */
  public List<URI> replicas() {
    return List.of(proxyA.uri(), proxyB.uri());
  }

  public FaultyReplica proxyA() {
    return proxyA;
  }

  public FaultyReplica proxyB() {
    return proxyB;
  }

  public HoldfastServer serverA() {
    return a;
  }

  public HoldfastServer serverB() {
    return b;
  }

  public VerificationKey key() {
    return a.verificationKey();
  }

  /**
   * A client of an instance through both proxies, in the style of the system tests: time driven by
   * {@code time} (grace, staleness, demotion and the poll schedule), short real-time request
   * deadlines, a fast loop, no heartbeats. Add the namespaces, then build.
   */
  public HoldfastClient.Builder clientBuilder(String instance, String credential, ManualTime time) {
    return clientBuilder(replicas(), instance, credential, time);
  }

  /**
   * {@link #clientBuilder(String, String, ManualTime)} with other replica URIs, such as a TLS
   * front.
   */
  public HoldfastClient.Builder clientBuilder(
      List<URI> replicas, String instance, String credential, ManualTime time) {
    return untrustingClientBuilder(replicas, instance, credential, time).trustedKey(key());
  }

  /**
   * {@link #clientBuilder(List, String, String, ManualTime)} that trusts nothing yet: for clients
   * that pin a root of trust instead of the replicas' key.
   */
  public HoldfastClient.Builder untrustingClientBuilder(
      List<URI> replicas, String instance, String credential, ManualTime time) {
    return HoldfastClient.builder()
        .replicas(replicas)
        .instance(instance, credential)
        .ticker(time.ticker())
        .clock(time.clock())
        .requestTimeout(Duration.ofSeconds(1))
        .watchTimeout(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(100))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .heartbeatInterval(Duration.ZERO);
  }

  /** Creates a namespace through replica A. */
  public void createNamespace(String name) {
    admin.createNamespace(name);
  }

  /** Creates an application (what subscriptions grant seats of) through replica A. */
  public void createApplication(String name) {
    admin(
        "POST",
        "/v1/admin/applications",
        "{\"name\":\"" + name + "\",\"displayName\":\"" + name + "\"}");
  }

  /** Creates an instance through replica A and returns its credential. */
  public String createInstance(String id, String ring) {
    return admin.createInstance(id, ring);
  }

  /**
   * Subscribes an instance to an application through replica A, in force from {@code validFrom}
   * (whole seconds) with no end, plan {@code enterprise}; returns the subscription's id.
   */
  public String subscribe(
      String instance, String application, long quantity, long overage, Instant validFrom) {
    return admin(
            "POST",
            "/v1/admin/subscriptions",
            "{\"instance\":\""
                + instance
                + "\",\"application\":\""
                + application
                + "\",\"quantity\":"
                + quantity
                + ",\"overage\":"
                + overage
                + ",\"validFrom\":\""
                + validFrom
                + "\",\"validUntil\":null,\"plan\":\"enterprise\"}")
        .get("id")
        .asText();
  }

  /** Stages and publishes one layer through replica A; returns the revision. */
  public long publish(String namespace, String scope, String json) {
    return admin.publishLayer(namespace, scope, json);
  }

  /**
   * Any admin call through replica A as the bootstrap admin; {@code body} may be {@code null}.
   * Fails the test on a status of 300 or more.
   */
  public JsonNode admin(String method, String path, String body) {
    return admin.call(method, path, body);
  }

  @Override
  public void close() {
    proxyA.close();
    proxyB.close();
    b.close();
    a.close();
    http.close();
  }
}
