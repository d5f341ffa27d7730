package io.holdfast.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedLimitTest {

  @Test
  void tryEnter_admitsUpToTheMaxPerKey_andOtherKeysKeepTheirOwnShare() {
    KeyedLimit limit = new KeyedLimit(2);
    assertThat(limit.tryEnter("a")).isTrue();
    assertThat(limit.tryEnter("a")).isTrue();
    assertThat(limit.tryEnter("a")).as("a's third").isFalse();
    assertThat(limit.tryEnter("b")).as("b is not touched by a's flood").isTrue();
    limit.exit("a");
    assertThat(limit.tryEnter("a")).isTrue();
  }

  @Test
  void exit_forgetsAKeyWhenNothingIsHeld() {
    KeyedLimit limit = new KeyedLimit(3);
    limit.tryEnter("a");
    limit.exit("a");
    assertThat(limit.held("a")).isZero();
    limit.exit("a"); // an extra exit does not go negative or hand out extra places
    assertThat(limit.tryEnter("a")).isTrue();
    assertThat(limit.tryEnter("a")).isTrue();
    assertThat(limit.tryEnter("a")).isTrue();
    assertThat(limit.tryEnter("a")).isFalse();
  }

  /** Runs {@code body} on {@code threads} platform threads started together; waits for all. */
  private static void race(int threads, Runnable body) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      started.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    body.run();
                  }));
    }
    start.countDown();
    for (Thread t : started) {
      t.join();
    }
  }

  @Test
  void tryEnter_underContention_neverAdmitsMoreThanTheMax() throws Exception {
    KeyedLimit limit = new KeyedLimit(5);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    race(
        16,
        () -> {
          for (int i = 0; i < 2_000; i++) {
            if (limit.tryEnter("k")) {
              most.accumulateAndGet(inside.incrementAndGet(), Math::max);
              inside.decrementAndGet();
              limit.exit("k");
            }
          }
        });
    assertThat(most.get()).isBetween(1, 5);
    assertThat(limit.held("k")).isZero();
  }

  @Test
  void enteringAndLeavingTogether_neverLosesAPlace_andForgetsTheKeyWhenAllHaveLeft()
      throws Exception {
    // Many holders entering and leaving at once walk a key's counter through zero again and again:
    // the lock-free path must neither hand out a place on a retired counter nor lose one.
    KeyedLimit limit = new KeyedLimit(3);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    race(
        8,
        () -> {
          for (int i = 0; i < 20_000; i++) {
            String key = i % 2 == 0 ? "a" : "b";
            if (limit.tryEnter(key)) {
              if (key.equals("a")) {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                inside.decrementAndGet();
              }
              limit.exit(key);
            }
          }
        });
    assertThat(most.get()).isBetween(1, 3);
    assertThat(limit.keys()).as("no counter is left behind").isZero();
    for (int i = 0; i < 3; i++) {
      assertThat(limit.tryEnter("a")).as("place %d is back", i + 1).isTrue();
    }
    assertThat(limit.tryEnter("a")).isFalse();
  }
}
