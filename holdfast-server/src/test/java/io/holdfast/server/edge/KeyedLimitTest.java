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

  @Test
  void tryEnter_underContention_neverAdmitsMoreThanTheMax() throws Exception {
    KeyedLimit limit = new KeyedLimit(5);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    for (int i = 0; i < 2_000; i++) {
                      if (limit.tryEnter("k")) {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        inside.decrementAndGet();
                        limit.exit("k");
                      }
                    }
                  }));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(most.get()).isBetween(1, 5);
    assertThat(limit.held("k")).isZero();
  }
}
