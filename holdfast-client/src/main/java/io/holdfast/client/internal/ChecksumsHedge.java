package io.holdfast.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Hedged requests for the checksums that open a polling cycle, so that a blackholed replica costs a
 * few hundred milliseconds instead of a whole request timeout (issue 21).
 *
 * <p>Design memo. The first replica in preference order is asked; when it stays silent for longer
 * than it usually takes ({@link ReplicaLatency}), the next one is asked as well, and so on; the
 * first 200 wins and every request still in flight is cancelled. Only the checksums are hedged:
 * they are one small signed document per instance, so a second copy costs a replica little, and
 * they decide which replica the rest of the cycle talks to. Nothing is adopted here: the answers go
 * to {@link ReplicaSync} one replica at a time, on the sync loop's thread, through the same
 * verification, ordering and adoption as an answer it asked for itself, so hedging can neither
 * adopt twice nor move a revision backwards.
 *
 * <p>A replica that answers quickly but not with a 200 (503, a reset, a refused connection) ends
 * the race when nothing else is in flight: the cycle then goes on exactly as without hedging (the
 * documents may still be fetched from it, FAULTS A9, and the next replica is asked after it). Used
 * by the sync loop's thread only.
 */
final class ChecksumsHedge {

  /** What a race left: the answers that came, the winner, and who was abandoned in silence. */
  record Race(
      Map<URI, CompletableFuture<Transport.Response>> answers,
      URI winner,
      Map<URI, Duration> abandoned) {

    /** The winner first, then the rest in preference order. */
    List<URI> order(List<URI> preferred) {
      List<URI> order = new ArrayList<>(preferred.size());
      if (winner != null) {
        order.add(winner);
      }
      for (URI replica : preferred) {
        if (!replica.equals(winner)) {
          order.add(replica);
        }
      }
      return order;
    }

    /** The replica's answer, complete, or {@code null} if it was not asked or was abandoned. */
    CompletableFuture<Transport.Response> answer(URI replica) {
      return answers.get(replica);
    }
  }

  private final Function<URI, CompletableFuture<Transport.Response>> request;
  private final ReplicaLatency latency;

  ChecksumsHedge(
      Function<URI, CompletableFuture<Transport.Response>> request, ReplicaLatency latency) {
    this.request = request;
    this.latency = latency;
  }

  /**
   * Runs one race over the replicas in preference order. Returns when one answered with a 200, or
   * when every request sent has ended.
   */
  Race run(List<URI> order) {
    Map<URI, CompletableFuture<Transport.Response>> inFlight = new LinkedHashMap<>();
    Map<URI, Long> sentAt = new LinkedHashMap<>();
    Map<URI, CompletableFuture<Transport.Response>> answers = new LinkedHashMap<>();
    BlockingQueue<URI> ended = new LinkedBlockingQueue<>();
    URI winner = null;
    int next = 0;
    long hedgeAt = 0;
    try {
      while (winner == null && (next == 0 || !inFlight.isEmpty())) {
        URI ender = null;
        if (next > 0) {
          long wait = next < order.size() ? hedgeAt - System.nanoTime() : Long.MAX_VALUE;
          ender = wait == Long.MAX_VALUE ? ended.take() : ended.poll(wait, TimeUnit.NANOSECONDS);
        }
        if (ender == null) {
          // The last replica asked has been silent for longer than it usually takes.
          URI replica = order.get(next++);
          long now = System.nanoTime();
          CompletableFuture<Transport.Response> answer = request.apply(replica);
          inFlight.put(replica, answer);
          sentAt.put(replica, now);
          answer.whenComplete((response, error) -> ended.add(replica));
          hedgeAt = now + latency.hedgeDelay(replica).toNanos();
          continue;
        }
        CompletableFuture<Transport.Response> answer = inFlight.remove(ender);
        answers.put(ender, answer);
        if (!answer.isCompletedExceptionally()) {
          latency.record(ender, System.nanoTime() - sentAt.get(ender));
          if (answer.join().status() == 200) {
            winner = ender;
          }
        }
      }
    } catch (InterruptedException e) {
      // Closing: the requests are abandoned below, and the cycle ends as the loop stops.
      Thread.currentThread().interrupt();
    }
    Map<URI, Duration> abandoned = new LinkedHashMap<>();
    long now = System.nanoTime();
    for (Map.Entry<URI, CompletableFuture<Transport.Response>> silent : inFlight.entrySet()) {
      silent.getValue().cancel(true);
      abandoned.put(silent.getKey(), Duration.ofNanos(now - sentAt.get(silent.getKey())));
    }
    return new Race(answers, winner, abandoned);
  }
}
