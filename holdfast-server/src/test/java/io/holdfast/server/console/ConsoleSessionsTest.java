package io.holdfast.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.testkit.ManualTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Session ids, expiry and the bound on how many sessions a replica keeps, on a driven clock. */
class ConsoleSessionsTest {

  private final ManualTime time = new ManualTime();
  private final ConsoleSettings settings =
      new ConsoleSettings(
          Duration.ofMinutes(30), Duration.ofHours(12), 3, 5, Duration.ofMinutes(5));
  private final ConsoleSessions sessions =
      new ConsoleSessions(settings, time.clock(), new SecureRandom());

  @Test
  void aSession_isFoundByItsId_andNotByItsKeyOrAnotherId() {
    ConsoleSessions.Created created = sessions.create("hash");

    assertThat(sessions.find(created.id())).containsSame(created.session());
    assertThat(sessions.find(created.session().key())).isEmpty();
    assertThat(sessions.find(created.id() + "x")).isEmpty();
    assertThat(created.session().csrfToken()).isNotEqualTo(created.id()).hasSize(43);
  }

  @Test
  void aSession_idleForTheTimeout_ends_butUseKeepsItAlive() {
    ConsoleSessions.Created busy = sessions.create("a");
    ConsoleSessions.Created idle = sessions.create("b");

    time.advance(Duration.ofMinutes(20));
    assertThat(sessions.find(busy.id())).isPresent();
    time.advance(Duration.ofMinutes(10));

    assertThat(sessions.find(busy.id())).isPresent();
    assertThat(sessions.find(idle.id())).isEmpty();
  }

  @Test
  void aSession_polledByItsOpenPageOnly_stillEndsAtTheIdleTimeout() {
    ConsoleSessions.Created left = sessions.create("a");

    for (int poll = 0; poll < 29 * 30; poll++) { // every 2 s for 29 minutes
      time.advance(Duration.ofSeconds(2));
      assertThat(sessions.find(left.id(), false)).isPresent();
    }
    time.advance(Duration.ofMinutes(1));

    assertThat(sessions.find(left.id(), false)).isEmpty();
    assertThat(sessions.find(left.id())).isEmpty();
  }

  @Test
  void aSession_endsAtItsMaximumLifetime_howeverBusy() {
    ConsoleSessions.Created busy = sessions.create("a");
    Duration elapsed = Duration.ZERO;
    while (elapsed.plusMinutes(29).compareTo(Duration.ofHours(12)) < 0) {
      time.advance(Duration.ofMinutes(29));
      elapsed = elapsed.plusMinutes(29);
      assertThat(sessions.find(busy.id())).as("after %s", elapsed).isPresent();
    }

    time.advance(Duration.ofHours(12).minus(elapsed)); // idle far less than 30 minutes

    assertThat(sessions.find(busy.id())).isEmpty();
  }

  @Test
  void beyondTheLimit_theLeastRecentlyUsedSessionIsDropped() {
    ConsoleSessions.Created first = sessions.create("a");
    time.advance(Duration.ofSeconds(1));
    ConsoleSessions.Created second = sessions.create("b");
    time.advance(Duration.ofSeconds(1));
    ConsoleSessions.Created third = sessions.create("c");
    time.advance(Duration.ofSeconds(1));
    sessions.find(first.id()); // used again: now the second is the least recently used

    ConsoleSessions.Created fourth = sessions.create("d");

    assertThat(sessions.size()).isEqualTo(3);
    assertThat(sessions.find(second.id())).isEmpty();
    assertThat(sessions.find(first.id())).isPresent();
    assertThat(sessions.find(third.id())).isPresent();
    assertThat(sessions.find(fourth.id())).isPresent();
  }

  @Test
  void concurrentLogins_atTheCap_neverKeepMoreSessionsThanTheCap() throws Exception {
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger mostSeen = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> logins = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        logins.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < 5_000; i++) {
                    sessions.create("hash");
                    mostSeen.accumulateAndGet(sessions.size(), Math::max);
                  }
                  return null;
                }));
      }
      go.countDown(); // every thread starts creating at once, into a full table
      for (Future<?> login : logins) {
        login.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(mostSeen.get()).isEqualTo(settings.maxSessions());
    assertThat(sessions.size()).isEqualTo(settings.maxSessions());
  }

  @Test
  void loginThrottle_locksAnAddressOut_andLetsItTryAgainAfterTheLockout() {
    LoginThrottle throttle = new LoginThrottle(settings, time.clock());
    for (int i = 0; i < 4; i++) {
      throttle.failed("10.0.0.1");
    }
    assertThat(throttle.lockedFor("10.0.0.1")).isZero();
    throttle.failed("10.0.0.1");

    assertThat(throttle.lockedFor("10.0.0.1")).isEqualTo(Duration.ofMinutes(5));
    assertThat(throttle.lockedFor("10.0.0.2")).isZero();
    time.advance(Duration.ofMinutes(5));
    assertThat(throttle.lockedFor("10.0.0.1")).isZero();
  }
}
