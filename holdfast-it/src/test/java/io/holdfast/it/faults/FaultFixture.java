package io.holdfast.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.HoldfastClient;
import io.holdfast.it.ReplicaPair;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import io.holdfast.testkit.ManualTime;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * One {@link ReplicaPair} shared by the tests of a class, with the per-test bookkeeping that lets
 * them share it: every test uses its own instance (its document is its own {@code instance:<id>}
 * layer of the shared namespace), clients are closed and faults cleared after each test.
 */
final class FaultFixture implements AutoCloseable {

  static final String NAMESPACE = "core";
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Duration POLL = Duration.ofMillis(20);

  private final ReplicaPair pair;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final List<HoldfastClient> clients = new ArrayList<>();

  private FaultFixture(ReplicaPair pair) {
    this.pair = pair;
  }

  static FaultFixture start(Path dataDir) {
    ReplicaPair pair = ReplicaPair.start(dataDir);
    try {
      pair.createNamespace(NAMESPACE);
      return new FaultFixture(pair);
    } catch (RuntimeException | Error e) {
      pair.close();
      throw e;
    }
  }

  /** Waits for the client's background loop: at most 10 s, polling every 20 ms. */
  static ConditionFactory eventually() {
    return Awaitility.await().atMost(WAIT).pollInterval(POLL);
  }

  ReplicaPair pair() {
    return pair;
  }

  FaultyReplica proxyA() {
    return pair.proxyA();
  }

  FaultyReplica proxyB() {
    return pair.proxyB();
  }

  /** Creates an instance and publishes its first document; returns the revision. */
  long instance(String id, String content) {
    tokens.put(id, pair.createInstance(id, "live"));
    return publish(id, content);
  }

  /**
   * Publishes the instance's document (its own layer) through replica A and waits until replica B
   * serves that revision too (it polls the shared store), so that no scenario depends on how far B
   * lags behind; returns the revision.
   */
  long publish(String id, String content) {
    return publish(NAMESPACE, id, content);
  }

  /** {@link #publish(String, String)} to another namespace. */
  long publish(String namespace, String id, String content) {
    long revision = pair.publish(namespace, "instance:" + id, content);
    eventually().until(() -> pair.serverB().snapshots().current().revision() >= revision);
    return revision;
  }

  String token(String id) {
    String token = tokens.get(id);
    assertThat(token).as("instance %s was created", id).isNotNull();
    return token;
  }

  /**
   * A client of the instance in the style of the incident test: time driven by {@code time} (grace,
   * staleness, demotion and the poll schedule), short real-time request deadlines, a fast loop, no
   * heartbeats.
   */
  HoldfastClient.Builder builder(String id, ManualTime time) {
    return builder(id, time, NAMESPACE);
  }

  /** {@link #builder(String, ManualTime)} for these namespaces, in this order. */
  HoldfastClient.Builder builder(String id, ManualTime time, String... namespaces) {
    return builder(pair.replicas(), id, time, namespaces);
  }

  /**
   * {@link #builder(String, ManualTime, String...)} with other replica URIs, such as a TLS front.
   */
  HoldfastClient.Builder builder(
      List<URI> replicas, String id, ManualTime time, String... namespaces) {
    return pair.clientBuilder(replicas, id, token(id), time).namespaces(namespaces);
  }

  /** Builds a client that {@link #heal()} will close. */
  HoldfastClient build(HoldfastClient.Builder builder) {
    HoldfastClient client = builder.build();
    synchronized (clients) {
      clients.add(client);
    }
    return client;
  }

  void faultBoth(String pathContains, Fault fault) {
    pair.proxyA().fault(pathContains, fault);
    pair.proxyB().fault(pathContains, fault);
  }

  void refuseBoth() {
    pair.proxyA().fault(Fault.refuseConnections());
    pair.proxyB().fault(Fault.refuseConnections());
  }

  void clearFaults() {
    pair.proxyA().clear();
    pair.proxyB().clear();
  }

  /** Requests both proxies have read since their counts were last reset. */
  int requests() {
    return pair.proxyA().requests() + pair.proxyB().requests();
  }

  void resetCounts() {
    pair.proxyA().resetCount();
    pair.proxyB().resetCount();
  }

  /** After each test: faults off (which also ends blackholes and trickles), clients closed. */
  void heal() {
    clearFaults();
    List<HoldfastClient> toClose;
    synchronized (clients) {
      toClose = List.copyOf(clients);
      clients.clear();
    }
    toClose.parallelStream().forEach(HoldfastClient::close);
    resetCounts();
  }

  @Override
  public void close() {
    heal();
    pair.close();
  }
}
