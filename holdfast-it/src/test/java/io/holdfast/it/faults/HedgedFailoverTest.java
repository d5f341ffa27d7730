package io.holdfast.it.faults;

import static io.holdfast.it.faults.FaultFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.Status;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hedged failover (issue 21, FAULTS A3): a blackholed replica costs the hedge delay, not a request
 * timeout. The request timeout here is 5 s, so a client that waited for the deadline before asking
 * the next replica could not meet the bounds; the hedge delay is at most 150 ms. Verification,
 * ordering and adoption are the sync loop's as ever: each revision is applied once, in order.
 */
class HedgedFailoverTest extends FaultScenarios {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  /** Far below the request timeout, with room for a slow CI machine's first connections. */
  private static final Duration HEDGE_BOUND = Duration.ofMillis(1500);

  @Test
  void A3_firstReplicaBlackholedAtStart_secondAnswersWithinTheHedgeBound_appliedOnce() {
    long r1 = fx.instance("a3-hedge-start", doc(1));
    fx.proxyA().fault(Fault.blackhole());

    long started = System.nanoTime();
    Probe probe =
        startFresh(fx.builder("a3-hedge-start", new ManualTime()).requestTimeout(REQUEST_TIMEOUT));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    assertThat(elapsed).as("start-up with the first replica blackholed").isLessThan(HEDGE_BOUND);
    assertThat(fx.proxyA().requests()).as("the first replica was asked").isPositive();
    assertThat(fx.proxyB().requests("/checksums")).as("the second was asked too").isPositive();
    ConfigSnapshot snapshot = probe.read();
    assertThat(snapshot.revision()).isEqualTo(r1);
    assertThat(snapshot.getInt("v", -1)).isEqualTo(1);
    // Listeners are told on the client's listener thread: a start that no longer waits for the
    // HTTP client's TLS set-up returns before they are.
    eventually().until(() -> !probe.changedRevisions().isEmpty() && !probe.events().isEmpty());
    assertThat(probe.changedRevisions()).as("adopted once").containsExactly(r1);
    assertThat(probe.events()).extracting(Probe.Event::to).containsExactly(Status.FRESH);
    probe.assertHeld();
  }

  @Test
  void A3_firstReplicaBlackholedWhilePolling_publishesArriveInOrder_onceEach_neverStale() {
    long r1 = fx.instance("a3-hedge-poll", doc(1));
    Probe probe = startPolling("a3-hedge-poll");

    fx.proxyA().fault(Fault.blackhole());
    fx.resetCounts();
    long r2 = fx.publish("a3-hedge-poll", doc(2));
    long published = System.nanoTime();
    eventually().until(() -> probe.revision() == r2);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - published);
    assertThat(elapsed).as("publish to adoption past a blackholed replica").isLessThan(HEDGE_BOUND);
    assertThat(fx.proxyA().requests()).as("the blackholed replica was asked").isPositive();

    fx.clearFaults();
    long r3 = fx.publish("a3-hedge-poll", doc(3));
    eventually().until(() -> probe.revision() == r3);
    eventually().until(() -> probe.changedRevisions().contains(r3));
    assertThat(probe.changedRevisions())
        .as("each revision applied once, in order, whichever replica answered first")
        .containsExactly(r1, r2, r3);
    assertThat(probe.status()).isEqualTo(Status.FRESH);
    assertThat(probe.events()).extracting(Probe.Event::to).containsExactly(Status.FRESH);
    probe.assertHeld();
  }

  @Test
  void A3_bothReplicasAnswerSlowly_oneWins_noDoubleAdoption_noRevisionBackwards() {
    long r1 = fx.instance("a3-hedge-both", doc(1));
    Probe probe = startPolling("a3-hedge-both");

    // Both slower than the hedge delay: every cycle asks both, and both answers can arrive.
    fx.faultBoth("/checksums", Fault.delay(Duration.ofMillis(300)));
    for (int version = 2; version <= 4; version++) {
      long revision = fx.publish("a3-hedge-both", doc(version));
      eventually().until(() -> probe.revision() == revision);
    }
    eventually().until(() -> probe.changedRevisions().size() == 4);
    assertThat(fx.proxyA().requests("/checksums") + fx.proxyB().requests("/checksums"))
        .as("cycles were hedged to both replicas")
        .isGreaterThan(3);
    assertThat(probe.changedRevisions())
        .as("each revision applied once, increasing")
        .isSorted()
        .doesNotHaveDuplicates()
        .hasSize(4)
        .startsWith(r1);
    probe.assertHeld();
  }

  /** Without the watch every cycle opens with the plain checksums request that is hedged. */
  private static Probe startPolling(String id) {
    return startFresh(
        fx.builder(id, new ManualTime()).requestTimeout(REQUEST_TIMEOUT).watch(false));
  }
}
