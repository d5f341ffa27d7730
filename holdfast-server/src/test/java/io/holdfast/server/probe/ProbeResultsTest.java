package io.holdfast.server.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.testkit.ManualTime;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link ProbeResults} derives from rounds of results, on a manual clock. */
class ProbeResultsTest {

  private static final URI A = URI.create("http://a:7070");
  private static final URI B = URI.create("http://b:7070");
  private static final Duration TOLERANCE = Duration.ofSeconds(30);

  private final ManualTime time = new ManualTime();
  private final ProbeResults results = new ProbeResults(TOLERANCE, time.clock());

  @Test
  void beforeAnyRound_thereIsNothingToReport() {
    assertThat(results.latest()).isEmpty();
    assertThat(results.statuses()).isEmpty();
    assertThat(results.lastRound()).isEmpty();
    assertThat(results.status(A)).isEmpty();
  }

  @Test
  void A16_behindForLessThanTheTolerance_isNotLagging_thenIs_andCatchingUpClearsIt() {
    results.record(List.of(ok(A, 10, "\"x\"", 12, "\"c12\""), ok(B, 10, "\"x\"", 11, "\"c11\"")));
    assertThat(results.status(B).orElseThrow().behindSince()).isEqualTo(time.clock().instant());
    assertThat(results.status(B).orElseThrow().lagging()).isFalse();

    time.advance(TOLERANCE.minusMillis(1));
    assertThat(results.status(B).orElseThrow().lagging()).isFalse();
    time.advance(Duration.ofMillis(1));
    assertThat(results.status(B).orElseThrow().lagging()).isTrue();
    assertThat(results.status(A).orElseThrow().lagging()).isFalse();

    results.record(List.of(ok(B, 10, "\"x\"", 12, "\"c12\"")));
    assertThat(results.status(B).orElseThrow().lagging()).isFalse();
    assertThat(results.status(B).orElseThrow().behindSince()).isNull();
  }

  @Test
  void A16_stillBehindInLaterRounds_keepsWhenItFellBehind() {
    results.record(List.of(ok(A, 10, "\"x\"", 12, "\"c12\""), ok(B, 10, "\"x\"", 11, "\"c11\"")));
    var fellBehind = time.clock().instant();
    time.advance(Duration.ofSeconds(20));
    results.record(List.of(ok(A, 10, "\"x\"", 13, "\"c13\""), ok(B, 10, "\"x\"", 12, "\"c12\"")));

    assertThat(results.status(B).orElseThrow().behindSince()).isEqualTo(fellBehind);
    time.advance(Duration.ofSeconds(10));
    assertThat(results.status(B).orElseThrow().lagging()).isTrue();
  }

  @Test
  void anUnreachableReplica_keepsItsLastLagVerdict_andItsLastSuccess() {
    results.record(List.of(ok(A, 10, "\"x\"", 12, "\"c12\""), ok(B, 10, "\"x\"", 12, "\"c12\"")));
    var success = time.clock().instant();
    time.advance(Duration.ofMinutes(5));

    results.record(List.of(ok(A, 10, "\"x\"", 14, "\"c14\""), unreachable(B)));

    TargetStatus b = results.status(B).orElseThrow();
    assertThat(b.behindSince()).as("nothing read, nothing learnt").isNull();
    assertThat(b.lastSuccess()).isEqualTo(success);
    assertThat(b.contentAvailable()).isFalse();
    assertThat(b.healthy()).isFalse();
    assertThat(results.status(A).orElseThrow().lastSuccess()).isEqualTo(time.clock().instant());
  }

  @Test
  void A17_sameRevisionDifferentTags_flagsBoth_differentRevisionsDoNot() {
    results.record(List.of(ok(A, 10, "\"x\"", 12, "\"c12\""), ok(B, 10, "\"y\"", 12, "\"c12\"")));
    assertThat(results.statuses()).allSatisfy(s -> assertThat(s.diverged()).isTrue());

    results.record(List.of(ok(A, 10, "\"x\"", 12, "\"c12\""), ok(B, 11, "\"y\"", 13, "\"c13\"")));
    assertThat(results.statuses()).allSatisfy(s -> assertThat(s.diverged()).isFalse());

    results.record(
        List.of(ok(A, 11, "\"y\"", 13, "\"c13-a\""), ok(B, 11, "\"y\"", 13, "\"c13-b\"")));
    assertThat(results.statuses())
        .as("checksums diverge too")
        .allSatisfy(s -> assertThat(s.diverged()).isTrue());
  }

  @Test
  void statuses_keepTheOrderTargetsWereFirstProbedIn() {
    results.record(List.of(ok(B, 1, "\"x\"", 1, "\"c\""), ok(A, 1, "\"x\"", 1, "\"c\"")));
    results.record(List.of(ok(A, 1, "\"x\"", 1, "\"c\"")));

    assertThat(results.statuses()).extracting(TargetStatus::target).containsExactly(B, A);
    assertThat(results.latest()).extracting(ProbeResult::target).containsExactly(B, A);
  }

  private ProbeResult ok(
      URI target, long revision, String etag, long checksumsRevision, String checksumsEtag) {
    Map<ProbeCheck, CheckOutcome> checks = new EnumMap<>(ProbeCheck.class);
    for (ProbeCheck check : ProbeCheck.values()) {
      checks.put(check, CheckOutcome.PASSED);
    }
    return new ProbeResult(
        target,
        time.clock().instant(),
        checks,
        true,
        true,
        revision,
        etag,
        checksumsRevision,
        checksumsEtag,
        Duration.ofMillis(2),
        null,
        null,
        ReplicaRelease.UNKNOWN);
  }

  private ProbeResult unreachable(URI target) {
    return new ProbeResult(
        target,
        time.clock().instant(),
        Map.of(ProbeCheck.CONTENT, CheckOutcome.FAILED, ProbeCheck.CHECKSUMS, CheckOutcome.FAILED),
        false,
        false,
        0,
        null,
        0,
        null,
        Duration.ZERO,
        ProbeCheck.CONTENT,
        "unreachable (ConnectException)",
        ReplicaRelease.UNKNOWN);
  }
}
