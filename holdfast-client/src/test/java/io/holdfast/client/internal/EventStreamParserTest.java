package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Server-sent-events parsing, as bytes arrive in arbitrary pieces. */
class EventStreamParserTest {

  private final List<EventStreamParser.Event> events = new ArrayList<>();
  private final EventStreamParser parser = new EventStreamParser(64, events::add);

  private void feed(String text) {
    parser.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void feed_eventSplitAcrossPieces_isDispatchedOnceWhole() {
    feed(": opening\n\nevent: check");
    feed("sums\nid: \"e1\"\nda");
    assertThat(events).isEmpty();
    feed("ta: {\"a\":1}\n\n");

    assertThat(events)
        .containsExactly(new EventStreamParser.Event("checksums", "\"e1\"", "{\"a\":1}"));
  }

  @Test
  void feed_crlfLinesAndSeveralDataLines_joinWithLf() {
    feed("data: one\r\ndata:two\r\n\r\n");

    assertThat(events).containsExactly(new EventStreamParser.Event("message", null, "one\ntwo"));
  }

  @Test
  void feed_commentsAndBlankLinesAlone_dispatchNothing() {
    feed(": keep-alive\n\n\n: keep-alive\n\nretry: 10\n\n");

    assertThat(events).isEmpty();
  }

  @Test
  void feed_manyShortDataLinesBeyondTheLimit_failInsteadOfGrowing() {
    feed("data: " + "x".repeat(30) + "\n");
    feed("data: " + "x".repeat(30) + "\n");
    assertThatThrownBy(() -> feed("data: " + "x".repeat(30) + "\n"))
        .isInstanceOf(EventStreamParser.OversizedLineException.class);
    assertThat(events).isEmpty();
  }

  @Test
  void feed_lineLongerThanTheLimit_failsInsteadOfGrowing() {
    assertThatThrownBy(() -> feed("data: " + "x".repeat(100)))
        .isInstanceOf(EventStreamParser.OversizedLineException.class);
  }
}
