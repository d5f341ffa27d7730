package io.holdfast.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A scrape is rendered at most once a second however many ask (FAULTS.md F3), on a clock the test
 * drives: concurrent scrapers share the one render in progress, later ones within the second get it
 * too, and the first scrape a second after it renders anew.
 */
class ScrapeMemoTest {

  private static final int SCRAPERS = 16;

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final AtomicInteger renders = new AtomicInteger();

  private byte[] render() {
    return ("render " + renders.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void concurrentScrapesWithinASecond_shareOneRender() throws Exception {
    CountDownLatch renderMayFinish = new CountDownLatch(1);
    ScrapeMemo memo =
        new ScrapeMemo(
            () -> {
              try {
                renderMayFinish.await(); // holds the first render open while the others arrive
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return render();
            },
            nanos::get);
    AtomicReferenceArray<byte[]> answers = new AtomicReferenceArray<>(SCRAPERS);
    List<Thread> scrapers = new ArrayList<>();
    for (int i = 0; i < SCRAPERS; i++) {
      int index = i;
      scrapers.add(Thread.ofPlatform().start(() -> answers.set(index, memo.get())));
    }
    // Every scraper is parked: one in the render, the others waiting for it.
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> scrapers.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
    renderMayFinish.countDown();
    for (Thread scraper : scrapers) {
      scraper.join(10_000);
    }

    assertThat(renders.get()).as("renders for %d concurrent scrapes", SCRAPERS).isEqualTo(1);
    for (int i = 0; i < SCRAPERS; i++) {
      assertThat(answers.get(i)).as("scraper %d", i).isSameAs(answers.get(0));
    }
    assertThat(text(answers.get(0))).isEqualTo("render 1");
  }

  @Test
  void aScrapeWithinTheSecond_getsTheSameRender_andOneASecondLater_rendersAgain() {
    ScrapeMemo memo = new ScrapeMemo(this::render, nanos::get);

    assertThat(text(memo.get())).isEqualTo("render 1");
    nanos.addAndGet(Duration.ofMillis(999).toNanos());
    assertThat(text(memo.get())).isEqualTo("render 1");
    assertThat(renders.get()).isEqualTo(1);

    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(text(memo.get())).isEqualTo("render 2");
    assertThat(text(memo.get())).isEqualTo("render 2");
    assertThat(renders.get()).isEqualTo(2);
  }

  @Test
  void aRenderThatFails_isNotKept_theNextScrapeRendersAgain() {
    AtomicInteger calls = new AtomicInteger();
    ScrapeMemo memo =
        new ScrapeMemo(
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("a gauge's source is down");
              }
              return render();
            },
            nanos::get);

    assertThatThrownBy(memo::get).isInstanceOf(IllegalStateException.class);
    assertThat(text(memo.get())).isEqualTo("render 1");
  }
}
