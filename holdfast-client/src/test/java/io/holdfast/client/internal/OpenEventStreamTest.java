package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An open stream keeps only the newest checksums event, and tells silence from quiet. */
class OpenEventStreamTest {

  private static List<ByteBuffer> bytes(String text) {
    return List.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void eventsArrivingFasterThanTaken_onlyTheNewestIsKept() throws InterruptedException {
    OpenEventStream stream = new OpenEventStream(1024);
    stream.onNext(bytes("event: checksums\nid: \"e1\"\ndata: {}\n\n"));
    stream.onNext(bytes("event: checksums\nid: \"e2\"\ndata: {}\n\nevent: other\ndata: x\n\n"));

    long far = System.nanoTime() + 1_000_000_000L;
    assertThat(stream.await(far, 1_000_000_000L)).isEqualTo(OpenEventStream.State.EVENT);
    assertThat(stream.take().id()).isEqualTo("\"e2\"");
    assertThat(stream.take()).isNull();
  }

  @Test
  void await_noByteForTheSilenceLimit_isSilent_butBytesKeepItQuiet() throws InterruptedException {
    OpenEventStream stream = new OpenEventStream(1024);
    stream.onNext(bytes(": keep-alive\n\n"));

    assertThat(stream.await(System.nanoTime() - 1, 60_000_000_000L))
        .isEqualTo(OpenEventStream.State.QUIET);
    assertThat(stream.await(System.nanoTime() + 60_000_000_000L, 1))
        .isEqualTo(OpenEventStream.State.SILENT);
  }

  @Test
  void await_afterTheServerEndsTheStream_isEnded() throws InterruptedException {
    OpenEventStream stream = new OpenEventStream(1024);
    stream.onComplete();

    assertThat(stream.await(System.nanoTime() + 1_000_000_000L, 1_000_000_000L))
        .isEqualTo(OpenEventStream.State.ENDED);
    assertThat(stream.endReason()).contains("ended");
  }
}
