package io.holdfast.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.internal.ManualTime;
import io.holdfast.client.internal.TestDocuments;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * A replica that stops in a rolling restart (issue 23) releases the watch it holds marked {@code
 * Holdfast-Draining} and refuses new ones with {@code 503 draining}. The client then watches the
 * next replica at once, and its namespaces never leave FRESH. Time is driven by hand, so the failed
 * replica's demotion lasts the whole test.
 */
class DrainingReplicaTest {

  private static final TestDocuments DOCS = new TestDocuments();

  private final ManualTime time = new ManualTime();

  @Test
  void aWatchReleasedMarkedDraining_isTakenAndTheNextReplicaWatchedAtOnce_stayingFresh() {
    check(InProcessReplica.Draining.RELEASES_WATCHES);
  }

  @Test
  void aWatchRefusedWith503Draining_sendsTheCycleToTheNextReplica_stayingFresh() {
    check(InProcessReplica.Draining.REFUSES_WATCHES);
  }

  private void check(InProcessReplica.Draining draining) {
    TestDocuments.Signed core = DOCS.envelope("core", 2, "{\"seats\":10}");
    try (InProcessReplica stopping = new InProcessReplica(DOCS, core);
        InProcessReplica other = new InProcessReplica(DOCS, core);
        HoldfastClient client =
            HoldfastClient.builder()
                .replicas(stopping.uri(), other.uri())
                .instance(TestDocuments.INSTANCE, "token-123")
                .trustedKey(DOCS.key())
                .namespaces("core")
                .eventStream(false)
                .pollInterval(Duration.ofMillis(50))
                .ticker(time.ticker())
                .clock(time.clock())
                .heartbeatInterval(Duration.ZERO)
                .build()) {
      Queue<String> notFresh = new ConcurrentLinkedQueue<>();
      client.addStatusListener(
          (namespace, previous, current) -> {
            if (current.status() != Status.FRESH) {
              notFresh.add(current.status() + ": " + current.reason());
            }
          });
      client.start();
      assertThat(client.status("core").status()).isEqualTo(Status.FRESH);
      RootedClients.eventually(stopping::watches, n -> n >= 3, "watches of the preferred replica");
      assertThat(other.watches()).isZero();

      stopping.draining(draining);
      RootedClients.eventually(other::watches, n -> n >= 3, "watches of the other replica");
      int askedWhileDemoted = stopping.watches();
      int before = other.watches();
      RootedClients.eventually(other::watches, n -> n >= before + 10, "more watches of the other");

      assertThat(stopping.watches())
          .as("the stopping replica is not asked again while demoted")
          .isEqualTo(askedWhileDemoted);
      assertThat(notFresh).isEmpty();
      assertThat(client.status("core").status()).isEqualTo(Status.FRESH);
    }
  }
}
