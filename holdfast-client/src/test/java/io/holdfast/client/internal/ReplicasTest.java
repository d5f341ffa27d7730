package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicasTest {

  private static final URI A = URI.create("http://127.0.0.1:7001/");
  private static final URI B = URI.create("http://127.0.0.1:7002/");
  private static final URI C = URI.create("http://127.0.0.1:7003/");

  private final ManualTime time = new ManualTime();
  private final Replicas replicas = new Replicas(List.of(A, B, C), time.ticker());

  @Test
  void healthyReplicas_comeInPreferenceOrder() {
    assertThat(replicas.order()).containsExactly(A, B, C);
    assertThat(replicas.all()).containsExactly(A, B, C);
  }

  @Test
  void A1_aFailedReplica_movesBehindTheHealthyOnes() {
    replicas.failure(A);

    assertThat(replicas.order()).containsExactly(B, C, A);
  }

  @Test
  void demotedReplicas_areOrderedSoonestRecoveringFirst() {
    replicas.failure(A);
    replicas.failure(A);
    time.advance(Duration.ofSeconds(1));
    replicas.failure(B);

    // A is demoted for 60 s from t=0, B for 30 s from t=1 s.
    assertThat(replicas.order()).containsExactly(C, B, A);
  }

  @Test
  void aFailedReplica_comesBackAtTheEndOfItsDemotion_exactly() {
    replicas.failure(A);

    time.advanceNanos(Duration.ofSeconds(30).toNanos() - 1);
    assertThat(replicas.order()).containsExactly(B, C, A);
    time.advanceNanos(1);
    assertThat(replicas.order()).containsExactly(A, B, C);
  }

  @Test
  void repeatedFailures_doubleTheDemotion_upToFiveMinutes() {
    replicas.failure(A);
    replicas.failure(A);
    time.advance(Duration.ofSeconds(59));
    assertThat(replicas.order()).endsWith(A);
    time.advance(Duration.ofSeconds(1));
    assertThat(replicas.order()).startsWith(A);

    for (int i = 0; i < 20; i++) {
      replicas.failure(A);
    }
    time.advanceNanos(Duration.ofMinutes(5).toNanos() - 1);
    assertThat(replicas.order()).endsWith(A);
    time.advanceNanos(1);
    assertThat(replicas.order()).startsWith(A);
  }

  @Test
  void success_clearsTheDemotion_atOnce() {
    replicas.failure(A);
    replicas.failure(A);
    replicas.failure(A);

    replicas.success(A);

    assertThat(replicas.order()).containsExactly(A, B, C);
    // And the next failure starts again from the first demotion.
    replicas.failure(A);
    time.advance(Duration.ofSeconds(30));
    assertThat(replicas.order()).containsExactly(A, B, C);
  }

  @Test
  void A2_allReplicasFailed_stillAllOffered() {
    replicas.failure(A);
    replicas.failure(B);
    replicas.failure(C);

    assertThat(replicas.order()).containsExactlyInAnyOrder(A, B, C).startsWith(A);
  }
}
