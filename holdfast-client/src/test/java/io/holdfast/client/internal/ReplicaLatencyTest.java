package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplicaLatencyTest {

  private static final URI A = URI.create("http://a.example");
  private static final URI B = URI.create("http://b.example");

  @Test
  void hedgeDelay_noAnswersYet_isTheCeiling() {
    ReplicaLatency latency = new ReplicaLatency(Duration.ofSeconds(1));
    assertThat(latency.hedgeDelay(A)).isEqualTo(ReplicaLatency.DEFAULT_CEILING);
  }

  @Test
  void hedgeDelay_ceiling_isAtMostHalfTheRequestTimeout() {
    ReplicaLatency latency = new ReplicaLatency(Duration.ofMillis(100));
    assertThat(latency.hedgeDelay(A)).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void hedgeDelay_fastReplica_isTheFloor() {
    ReplicaLatency latency = new ReplicaLatency(Duration.ofSeconds(1));
    for (int i = 0; i < 40; i++) {
      latency.record(A, Duration.ofMillis(3).toNanos());
    }
    assertThat(latency.hedgeDelay(A)).isEqualTo(ReplicaLatency.FLOOR);
    assertThat(latency.hedgeDelay(B)).as("per replica").isEqualTo(ReplicaLatency.DEFAULT_CEILING);
  }

  @Test
  void hedgeDelay_isOneAndAHalfTimesTheP95_ofTheLastAnswers() {
    ReplicaLatency latency = new ReplicaLatency(Duration.ofSeconds(1));
    // Old slow answers fall out of the window.
    for (int i = 0; i < ReplicaLatency.WINDOW; i++) {
      latency.record(A, Duration.ofMillis(900).toNanos());
    }
    for (int i = 1; i <= ReplicaLatency.WINDOW; i++) {
      latency.record(A, Duration.ofMillis(i * 2L).toNanos());
    }
    // 32 answers of 2..64 ms: the p95 is the 31st, 62 ms.
    assertThat(latency.hedgeDelay(A)).isEqualTo(Duration.ofMillis(93));
  }

  @Test
  void hedgeDelay_slowReplica_isCappedAtTheCeiling() {
    ReplicaLatency latency = new ReplicaLatency(Duration.ofSeconds(1));
    latency.record(A, Duration.ofMillis(400).toNanos());
    assertThat(latency.hedgeDelay(A)).isEqualTo(ReplicaLatency.DEFAULT_CEILING);
  }
}
