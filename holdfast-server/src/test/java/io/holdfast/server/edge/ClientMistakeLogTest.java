package io.holdfast.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ClientMistakeLogTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final ClientMistakeLog log = new ClientMistakeLog(now::get);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private Logger logger;
  private ch.qos.logback.classic.Level before;

  @BeforeEach
  void capture() {
    logger = (Logger) LoggerFactory.getLogger("holdfast.edge");
    before = logger.getLevel();
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
    logger.setLevel(before);
  }

  @Test
  void F8_mistakes_areLoggedOncePerKindPerInterval_withTheNumberSuppressed() {
    for (int i = 0; i < 1_000; i++) {
      log.mistake("bad-method", "127.0.0.2", "unimplemented method");
    }
    log.mistake("line-too-long", "127.0.0.2", "the request line is too long");
    assertThat(lines.list).hasSize(2);
    now.addAndGet(ClientMistakeLog.INTERVAL.toNanos() - 1);
    log.mistake("bad-method", "127.0.0.2", "unimplemented method");
    assertThat(lines.list).as("still within the interval").hasSize(2);
    now.addAndGet(1);
    log.mistake("bad-method", "127.0.0.3", "unimplemented method");
    assertThat(lines.list).hasSize(3);
    assertThat(lines.list.get(2).getFormattedMessage())
        .contains("(1000 more of this kind in the last 10 s)");
    assertThat(lines.list)
        .allSatisfy(
            e -> {
              assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
              assertThat(e.getThrowableProxy())
                  .as("no stack trace for a client's mistake")
                  .isNull();
            });
  }

  @Test
  void F8_excerpt_stripsControlCharactersAndTruncates() {
    String hostile = "GET /\u001b[31mred\r\nX-Forged: yes\u0000" + "a".repeat(10_000);
    String excerpt = ClientMistakeLog.excerpt(hostile);
    assertThat(excerpt).hasSize(ClientMistakeLog.EXCERPT_CHARS + 3).endsWith("...");
    assertThat(excerpt.chars()).allMatch(c -> c >= 0x20 && c != 0x7f);
    assertThat(excerpt).startsWith("GET /?[31mred??X-Forged: yes?");
  }

  @Test
  void F8_aClientNameWithAnEscape_cannotForgeALine() {
    log.mistake("bad-method", "evil\nINFO forged line", "unimplemented method");
    assertThat(lines.list.get(0).getFormattedMessage())
        .doesNotContain("\n")
        .contains("evil?INFO forged line");
  }
}
