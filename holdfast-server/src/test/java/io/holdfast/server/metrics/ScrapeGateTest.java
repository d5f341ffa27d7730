package io.holdfast.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Scrapes take turns: one at a time, a waiting one gets the turn when it is left, or gives up. */
class ScrapeGateTest {

  @Test
  void whileAScrapeHoldsTheTurn_anotherWaitsForIt_andGetsItWhenItIsLeft() throws Exception {
    ScrapeGate gate = new ScrapeGate(Duration.ofSeconds(30));
    assertThat(gate.enter()).isTrue();
    AtomicBoolean entered = new AtomicBoolean();
    Thread waiting = Thread.ofPlatform().start(() -> entered.set(gate.enter()));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> waiting.getState() == Thread.State.TIMED_WAITING);
    assertThat(entered).isFalse();

    gate.leave();
    waiting.join(10_000);
    assertThat(entered).isTrue();
  }

  @Test
  void aScrapeThatCannotGetTheTurnWithinTheWait_isRefused() {
    ScrapeGate gate = new ScrapeGate(Duration.ofMillis(50));
    assertThat(gate.enter()).isTrue();
    assertThat(gate.enter()).as("a second scrape while the first holds the turn").isFalse();
    gate.leave();
    assertThat(gate.enter()).isTrue();
  }
}
