package io.holdfast.cli.soak.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.client.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryRecorderTest {

  @TempDir Path dir;

  @Test
  void everyEventKind_roundTripsThroughTheFile() throws IOException {
    Path file = dir.resolve("history.jsonl");
    AtomicLong clock = new AtomicLong(1_000);
    SoakHeader header =
        SoakHeader.of(42, Instant.parse("2026-12-06T19:00:00Z"), Map.of("replicas", "3"));
    List<SoakEvent> recorded = new ArrayList<>();
    try (HistoryRecorder recorder = HistoryRecorder.open(file, header, clock::get, List.of())) {
      recorded.add(header);
      clock.addAndGet(5);
      recorded.add(
          recorder.record(t -> new Published(t, "p1", "acme", "core", 3, "h3", 7L, "layer-edit")));
      recorded.add(
          recorder.record(t -> new PublishIndeterminate(t, "p1", "acme", "core", 8L, "timeout")));
      recorded.add(
          recorder.record(
              t -> new SubscriptionChanged(t, "p2", "acme", "crm", 5, 1, "ACTIVE", null)));
      recorded.add(recorder.record(t -> new ClientStarted(t, "c01", "acme", false)));
      recorded.add(
          recorder.record(
              t ->
                  new Observed(
                      t,
                      "c01",
                      "acme",
                      "core",
                      3,
                      "h3",
                      Status.FRESH,
                      ContentStamp.of("acme", 7))));
      recorded.add(
          recorder.record(
              t ->
                  new Decision(
                      t,
                      "c01",
                      "acme",
                      "crm",
                      "u1",
                      Decision.Operation.ADMIT,
                      false,
                      DecisionOutcome.ADMITTED,
                      "seat assigned",
                      1,
                      6L,
                      4)));
      recorded.add(recorder.record(t -> new SeatCount(t, "acme", "crm", 1, 6L)));
      recorded.add(
          recorder.record(
              t -> ApplicationError.of(t, "c01", "acme", "admit", new IllegalStateException())));
      recorded.add(recorder.record(t -> new StatusChange(t, "c01", "acme", Status.STALE)));
      recorded.add(
          recorder.record(t -> new Fault(t, "f1", Fault.Phase.START, "kill", "replica-1", "")));
      recorded.add(recorder.record(Heal::new));
      recorded.add(
          recorder.record(
              t ->
                  new Served(
                      t, "replica-1", "acme", "core", 3, "h3", ContentStamp.of("acme", 7), null)));
    }

    History read = HistoryFile.read(file);

    assertThat(read).isEqualTo(History.of(recorded));
    assertThat(read.events().get(0).nanos()).isEqualTo(5);
    assertThat(read.header().seed()).isEqualTo(42);
  }

  @Test
  void historyFile_isCheckedWithTheSameVerdictAsInMemory() throws IOException {
    History planted =
        Soaks.soak(
            b -> b.admit("c01", "acme", "u1", true, DecisionOutcome.DENIED_LIMIT_REACHED, 3),
            b -> b.observed("c01", "acme", "core", 1, "h1", 1));
    Path file = dir.resolve("planted.jsonl");

    HistoryFile.write(file, planted);

    SoakSummary fromFile = HistoryChecker.check(file, Soaks.FRESH_BOUND);
    assertThat(fromFile).isEqualTo(Soaks.check(planted));
    assertThat(fromFile.violationCounts())
        .containsOnlyKeys(ViolationKind.SEAT_HOLDER_DENIED, ViolationKind.REVISION_WENT_BACKWARDS);
    assertThat(HistoryFile.read(file)).isEqualTo(planted);
  }

  @Test
  void recorderFromManyThreads_writesEveryEventInTimeOrder_andFeedsALiveChecker() throws Exception {
    Path file = dir.resolve("concurrent.jsonl");
    HistoryChecker live = HistoryChecker.create(Soaks.FRESH_BOUND);
    int threads = 4;
    int perThread = 500;
    try (HistoryRecorder recorder =
        HistoryRecorder.open(file, SoakHeader.of(7, Instant.now(), Map.of()), List.of(live))) {
      List<Thread> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String client = "c0" + t;
        running.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = 1; i <= perThread; i++) {
                        long revision = i;
                        recorder.record(
                            n ->
                                new Observed(
                                    n, client, "acme", "core", revision, null, Status.FRESH, null));
                      }
                    }));
      }
      for (Thread thread : running) {
        thread.join(Duration.ofSeconds(30));
        assertThat(thread.isAlive()).as("recording thread finished").isFalse();
      }
      recorder.record(Heal::new);
    }

    History read = HistoryFile.read(file);
    assertThat(read.events()).hasSize(threads * perThread + 1);
    assertThat(read.events()).extracting(SoakEvent::nanos).isSorted();
    SoakSummary fromFile = HistoryChecker.check(file, Soaks.FRESH_BOUND);
    assertThat(live.finish()).isEqualTo(fromFile);
    // Nothing published, so every revision the clients held is unverified; none went backwards.
    assertThat(fromFile.violationCounts())
        .containsOnlyKeys(ViolationKind.UNVERIFIED_ADOPTED, ViolationKind.NOT_FRESH_AFTER_HEAL);
  }

  @Test
  void aFileWithoutHeader_isRejectedNamingTheLine() throws IOException {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, "\n{\"type\":\"heal\",\"nanos\":3}\n");

    assertThatThrownBy(() -> HistoryFile.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("starts with its header");
  }

  @Test
  void aLineThatIsNotAnEvent_isRejectedNamingTheLine() throws IOException {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(
        file,
        HistoryJson.line(SoakHeader.of(1, Instant.EPOCH, Map.of()))
            + "\n{\"type\":\"nonsense\"}\n");

    assertThatThrownBy(() -> HistoryFile.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2 is not a history event");
  }

  @Test
  void contentStamp_detectsAnAlteredSeq() {
    ContentStamp stamp = ContentStamp.of("acme", 7);

    assertThat(stamp.consistent()).isTrue();
    assertThat(new ContentStamp("acme", 8, stamp.check()).consistent()).isFalse();
  }
}
