package io.holdfast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.client.internal.TestDocuments;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HoldfastClientLifecycleTest {

  private static final TestDocuments DOCS = new TestDocuments();

  /** A loopback port nothing listens on: every connection is refused at once. */
  private static URI closedReplica() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    return URI.create("http://127.0.0.1:" + port);
  }

  private static Set<Thread> clientThreads() {
    return threadsNamed("holdfast-client-");
  }

  /** The JDK HTTP client's threads; before Java 21 they cannot be stopped, only not started. */
  private static Set<Thread> httpClientThreads() {
    return threadsNamed("HttpClient-");
  }

  private static Set<Thread> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix))
        .collect(Collectors.toCollection(HashSet::new));
  }

  private static HoldfastClient.Builder builder(URI replica) {
    return HoldfastClient.builder()
        .replicas(replica)
        .instance(TestDocuments.INSTANCE, "token-123")
        .trustedKey(DOCS.key())
        .namespaces("core", "features")
        .startupTimeout(Duration.ofMillis(300));
  }

  @Test
  void build_startsNoThread_notEvenTheHttpClients_untilStart() throws IOException {
    Set<Thread> before = clientThreads();
    Set<Thread> httpBefore = httpClientThreads();

    HoldfastClient client = builder(closedReplica()).build();
    try {
      Set<Thread> after = clientThreads();
      after.removeAll(before);
      assertThat(after).isEmpty();
      Set<Thread> httpAfter = httpClientThreads();
      httpAfter.removeAll(httpBefore);
      assertThat(httpAfter).isEmpty();
      assertThat(client.snapshot("core").status()).isEqualTo(Status.INITIALIZING);
    } finally {
      client.close();
    }
  }

  @Test
  void snapshotOfAnUnconfiguredNamespace_throwsNamingIt() throws IOException {
    HoldfastClient client = builder(closedReplica()).build();
    try {
      assertThatThrownBy(() -> client.snapshot("billing"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'billing'")
          .hasMessageContaining("[core, features]");
      assertThatThrownBy(() -> client.status("billing"))
          .isInstanceOf(IllegalArgumentException.class);
    } finally {
      client.close();
    }
  }

  @Test
  void B6_coldStartWithNoCacheAndNoReplica_failsNamingTheNamespaces_andLeavesNoThreadBehind()
      throws IOException, InterruptedException {
    Set<Thread> before = clientThreads();
    HoldfastClient client = builder(closedReplica()).failWhenUnavailable(true).build();

    assertThatThrownBy(client::start)
        .isInstanceOf(HoldfastUnavailableException.class)
        .hasMessageContaining("no last-known-good copy for: core (")
        .hasMessageContaining("features (");

    Set<Thread> started = clientThreads();
    started.removeAll(before);
    for (Thread thread : started) {
      thread.join(Duration.ofSeconds(10).toMillis());
    }
    assertThat(started).noneMatch(Thread::isAlive);
    assertThat(clientThreads())
        .noneMatch(t -> t.getName().equals("holdfast-client-sync") && !before.contains(t));
    // The failed start closed the client: it cannot be started again, and closing again is
    // harmless.
    assertThatThrownBy(client::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatCode(client::close).doesNotThrowAnyException();
  }

  @Test
  void B6_coldStartAllowedToRunUnavailable_isInitializing_andReadsReturnDefaults()
      throws IOException {
    HoldfastClient client =
        builder(closedReplica())
            .failWhenUnavailable(false)
            .heartbeatInterval(Duration.ZERO)
            .build();
    try {
      client.start();

      ConfigSnapshot core = client.snapshot("core");
      assertThat(core.status()).isEqualTo(Status.INITIALIZING);
      assertThat(core.revision()).isZero();
      assertThat(core.getInt("seats", 5)).isEqualTo(5);
      assertThat(core.getString("support.email", "ops@example.com")).isEqualTo("ops@example.com");
      assertThat(core.getBoolean("feature", true)).isTrue();
      assertThat(core.getNode("anything")).isEmpty();
      assertThat(core.freshness().reason()).isNotBlank();
      assertThat(client.statuses()).containsOnlyKeys("core", "features");
      assertThat(client.statuses().values()).allMatch(f -> f.status() == Status.INITIALIZING);
      assertThat(client.awaitFresh(Duration.ofMillis(1))).isFalse();
      assertThatThrownBy(client::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already started");
    } finally {
      client.close();
    }
  }

  @Test
  void close_isIdempotent_beforeAndAfterStart() throws IOException {
    HoldfastClient unstarted = builder(closedReplica()).build();
    unstarted.close();
    assertThatCode(unstarted::close).doesNotThrowAnyException();
    assertThatThrownBy(unstarted::start).isInstanceOf(IllegalStateException.class);

    HoldfastClient started =
        builder(closedReplica()).failWhenUnavailable(false).startupTimeout(Duration.ZERO).build();
    started.start();
    started.close();
    assertThatCode(started::close).doesNotThrowAnyException();
    assertThat(started.snapshot("core").status())
        .as("reads still work after close")
        .isEqualTo(Status.INITIALIZING);
  }
}
