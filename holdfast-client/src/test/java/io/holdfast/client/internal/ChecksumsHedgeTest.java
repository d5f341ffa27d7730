package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The race itself, with answers the test completes by hand. The hedge delay here is half of a 40 ms
 * request timeout, so a silent replica costs 20 ms of real time: that is the behaviour under test,
 * not a sleep.
 */
class ChecksumsHedgeTest {

  private static final URI A = URI.create("http://a.example");
  private static final URI B = URI.create("http://b.example");
  private static final URI C = URI.create("http://c.example");

  /** Answers per replica, as the test prepared them; unprepared ones never answer. */
  private final Map<URI, CompletableFuture<Transport.Response>> prepared = new LinkedHashMap<>();

  private final List<URI> asked = new ArrayList<>();

  private ChecksumsHedge hedge() {
    return new ChecksumsHedge(
        replica -> {
          asked.add(replica);
          return prepared.computeIfAbsent(replica, r -> new CompletableFuture<>());
        },
        new ReplicaLatency(Duration.ofMillis(40)));
  }

  private static CompletableFuture<Transport.Response> answered(int status) {
    return CompletableFuture.completedFuture(
        new Transport.Response(status, HttpHeaders.of(Map.of(), (a, b) -> true), new byte[0]));
  }

  @Test
  void silentFirstReplica_nextIsAsked_firstGoodAnswerWins_silentOneCancelled() {
    prepared.put(B, answered(200));
    ChecksumsHedge.Race race = hedge().run(List.of(A, B, C));

    assertThat(race.winner()).isEqualTo(B);
    assertThat(asked).containsExactly(A, B);
    assertThat(race.abandoned()).containsOnlyKeys(A);
    assertThat(prepared.get(A)).as("the silent request is abandoned").isCancelled();
    assertThat(race.order(List.of(A, B, C))).containsExactly(B, A, C);
    assertThat(race.answer(B)).isDone();
    assertThat(race.answer(C)).as("never asked").isNull();
  }

  @Test
  void firstReplicaAnswersAtOnce_noHedge() {
    prepared.put(A, answered(200));
    ChecksumsHedge.Race race = hedge().run(List.of(A, B));

    assertThat(race.winner()).isEqualTo(A);
    assertThat(asked).containsExactly(A);
    assertThat(race.abandoned()).isEmpty();
  }

  @Test
  void firstReplicaFailsFast_raceEnds_cycleGoesOnAsWithoutHedging() {
    prepared.put(A, answered(503));
    ChecksumsHedge.Race race = hedge().run(List.of(A, B));

    assertThat(race.winner()).isNull();
    assertThat(asked).as("the next replica is left to the cycle, in order").containsExactly(A);
    assertThat(race.answer(A).join().status()).isEqualTo(503);
    assertThat(race.order(List.of(A, B))).containsExactly(A, B);
  }

  @Test
  void silentThenFailing_waitsForTheHedgedAnswer() {
    CompletableFuture<Transport.Response> slowFailure = new CompletableFuture<>();
    prepared.put(A, slowFailure);
    CompletableFuture<Transport.Response> hedged = new CompletableFuture<>();
    prepared.put(B, hedged);
    // A fails once B has been asked; B then answers.
    ChecksumsHedge hedge =
        new ChecksumsHedge(
            replica -> {
              asked.add(replica);
              if (replica.equals(B)) {
                slowFailure.complete(
                    new Transport.Response(
                        500, HttpHeaders.of(Map.of(), (a, b) -> true), new byte[0]));
                hedged.complete(
                    new Transport.Response(
                        200, HttpHeaders.of(Map.of(), (a, b) -> true), new byte[0]));
              }
              return prepared.get(replica);
            },
            new ReplicaLatency(Duration.ofMillis(40)));
    ChecksumsHedge.Race race = hedge.run(List.of(A, B));

    assertThat(race.winner()).isEqualTo(B);
    assertThat(race.answer(A).join().status())
        .as("A's answer is kept for the cycle")
        .isEqualTo(500);
    assertThat(race.abandoned()).isEmpty();
  }

  @Test
  void silentThenHedgeFails_waitsForTheSilentOnesDeadline_noWinner() {
    ChecksumsHedge hedge =
        new ChecksumsHedge(
            replica -> {
              asked.add(replica);
              CompletableFuture<Transport.Response> answer = new CompletableFuture<>();
              if (replica.equals(A)) {
                // The transport's deadline ends the silent request, 60 ms after it was sent.
                answer.completeOnTimeout(null, 60, TimeUnit.MILLISECONDS);
                return answer.thenCompose(
                    none ->
                        CompletableFuture.failedFuture(
                            new Transport.TransportException("no complete answer", null)));
              }
              answer.completeExceptionally(new Transport.TransportException("refused", null));
              return answer;
            },
            new ReplicaLatency(Duration.ofMillis(40)));
    ChecksumsHedge.Race race = hedge.run(List.of(A, B));

    assertThat(asked).containsExactly(A, B);
    assertThat(race.winner()).isNull();
    assertThat(race.answer(A))
        .as("the silent one may still answer: awaited")
        .isCompletedExceptionally();
    assertThat(race.answer(B)).isCompletedExceptionally();
    assertThat(race.abandoned()).isEmpty();
  }
}
