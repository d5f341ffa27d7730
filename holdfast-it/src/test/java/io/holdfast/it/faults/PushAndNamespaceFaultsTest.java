package io.holdfast.it.faults;

import static io.holdfast.it.faults.FaultFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import io.holdfast.testkit.ManualTime;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FAULTS.md A22, A25, B11 and B16: push events that are lost, repeated or replayed; namespaces that
 * fail alone; a long pause during a long-poll; a refresh that fails part-way. The Holdfast client
 * against two real replicas behind fault proxies.
 */
class PushAndNamespaceFaultsTest extends FaultScenarios {

  private static String auth(String id) {
    return "Bearer " + fx.token(id);
  }

  /** How long the proxies take to see {@code count} more requests; the loop's pace. */
  private static Duration timeForRequests(int count) throws InterruptedException {
    fx.resetCounts();
    long start = System.nanoTime();
    eventually().until(() -> fx.requests() >= count);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void A22_burstOfPublishes_appliedInOrder_intermediateRevisionsMayBeSkipped() {
    String id = "a22-burst";
    long r1 = fx.instance(id, doc(1));
    Probe probe = startFresh(fx.builder(id, new ManualTime()));

    List<Long> published = new ArrayList<>();
    for (int v = 2; v <= 6; v++) {
      published.add(fx.publish(id, doc(v)));
    }
    long last = published.get(published.size() - 1);
    eventually().until(() -> probe.revision() == last);
    eventually().until(() -> probe.changedRevisions().contains(last));
    List<Long> applied = probe.changedRevisions();
    assertThat(applied)
        .as("never backwards, never twice")
        .isSortedAccordingTo(Comparator.naturalOrder())
        .doesNotHaveDuplicates();
    assertThat(applied.get(0)).isEqualTo(r1);
    assertThat(applied.subList(1, applied.size())).isSubsetOf(published);
    assertThat(probe.read().getInt("v", -1)).isEqualTo(6);
    probe.assertHeld();
  }

  @Test
  void A22_duplicatedEventDeliveredAgainAndAgain_changesNothing_andIsNotAHotLoop()
      throws Exception {
    String id = "a22-duplicate";
    fx.instance(id, doc(1));
    long r2 = fx.publish(id, doc(2));
    Probe probe = startFresh(fx.builder(id, new ManualTime()));
    FaultyReplica.Recorded current =
        fx.proxyA().record("/v1/instances/" + id + "/checksums", "Authorization", auth(id));
    // Listeners run on their own thread: the first load's event may still be on its way.
    eventually().until(() -> probe.changedRevisions().contains(r2));
    int changes = probe.changes().size();

    // Every watch is answered at once with the event the client already applied.
    fx.faultBoth("/watch", Fault.replay(current));
    Duration tenRequests = timeForRequests(10);

    assertThat(probe.revision()).isEqualTo(r2);
    assertThat(probe.status()).isEqualTo(Status.FRESH);
    assertThat(probe.changes()).as("no change event for a duplicate").hasSize(changes);
    // Paced by the 100 ms poll interval (jittered by at most 10 %); a hot loop would take ~10 ms.
    assertThat(tenRequests).as("ten requests").isGreaterThan(Duration.ofMillis(500));
    probe.assertHeld();
  }

  @Test
  void A22_oldEventReplayedAfterAReconnect_neverAppliedOverTheNewerRevision() throws Exception {
    String id = "a22-replay";
    fx.instance(id, doc(1));
    FaultyReplica.Recorded old =
        fx.proxyA().record("/v1/instances/" + id + "/checksums", "Authorization", auth(id));
    long r2 = fx.publish(id, doc(2));
    Probe probe = startFresh(fx.builder(id, new ManualTime()));
    // Listeners run on their own thread: the first load's event may still be on its way.
    eventually().until(() -> probe.changedRevisions().contains(r2));
    int changes = probe.changes().size();

    // Both the watch and the full poll hand out the old event, as a reconnect that resumes from
    // an old position would; the documents themselves are current.
    fx.faultBoth("/watch", Fault.replay(old));
    fx.faultBoth("/checksums", Fault.replay(old));
    Duration tenRequests = timeForRequests(10);

    assertThat(probe.revision()).isEqualTo(r2);
    assertThat(probe.read().getInt("v", -1)).isEqualTo(2);
    assertThat(probe.status()).as("the documents are confirmed current").isEqualTo(Status.FRESH);
    assertThat(probe.changes()).hasSize(changes);
    assertThat(tenRequests)
        .as("old checksums make the client poll, not spin")
        .isGreaterThan(Duration.ofMillis(250));

    fx.clearFaults();
    long r3 = fx.publish(id, doc(3));
    eventually().until(() -> probe.revision() == r3);
    probe.assertHeld();
  }

  @Test
  void A25_oneNamespaceTimesOut_theOtherIsStillAdopted_eachKeepsItsOwnLkgAndStatus() {
    String id = "a25-partial";
    String extra = "a25-extra";
    fx.pair().createNamespace(extra);
    fx.instance(id, doc(1));
    long e1 = fx.publish(extra, id, "{\"flag\":1}");
    // The failing namespace first: its timeout must not keep the other from being fetched.
    HoldfastClient client =
        fx.build(fx.builder(id, new ManualTime(), extra, FaultFixture.NAMESPACE));
    client.start();
    String core = FaultFixture.NAMESPACE;
    assertThat(client.statuses().values()).allMatch(f -> f.status() == Status.FRESH);

    fx.faultBoth("/config/" + extra, Fault.blackhole());
    long r2 = fx.publish(id, doc(2));
    long e2 = fx.publish(extra, id, "{\"flag\":2}");
    eventually().until(() -> client.snapshot(core).revision() == r2);
    eventually().until(() -> client.status(extra).status() == Status.STALE);

    assertThat(client.status(core).status()).isEqualTo(Status.FRESH);
    assertThat(client.snapshot(core).getInt("v", -1)).isEqualTo(2);
    ConfigSnapshot held = client.snapshot(extra);
    assertThat(held.revision()).isEqualTo(e1);
    assertThat(held.getInt("flag", -1)).isEqualTo(1);
    assertThat(held.freshness().reason()).contains("fetching the document failed");

    fx.clearFaults();
    eventually().until(() -> client.snapshot(extra).revision() == e2);
    assertThat(client.status(extra).status()).isEqualTo(Status.FRESH);
    assertThat(client.snapshot(extra).getInt("flag", -1)).isEqualTo(2);
    assertThat(client.snapshot(core).revision()).isEqualTo(r2);
  }

  @Test
  void A25_oneNamespaceAnswers500Everywhere_theOthersStillUpdateFromTheSameReplica() {
    String id = "a25-error";
    String broken = "a25-broken";
    fx.pair().createNamespace(broken);
    fx.instance(id, doc(1));
    fx.publish(broken, id, "{\"flag\":1}");
    HoldfastClient client =
        fx.build(fx.builder(id, new ManualTime(), broken, FaultFixture.NAMESPACE));
    client.start();

    fx.faultBoth("/config/" + broken, Fault.status(500));
    long r2 = fx.publish(id, doc(2));
    fx.publish(broken, id, "{\"flag\":2}");
    eventually().until(() -> client.snapshot(FaultFixture.NAMESPACE).revision() == r2);
    eventually().until(() -> client.status(broken).status() == Status.STALE);

    assertThat(client.status(FaultFixture.NAMESPACE).status()).isEqualTo(Status.FRESH);
    assertThat(client.snapshot(broken).getInt("flag", -1)).isEqualTo(1);
    assertThat(client.status(broken).reason()).contains("HTTP 500");
  }

  @Test
  void
      B16_thirdOfFiveNamespacesFailsVerification_itKeepsItsWholePreviousDocument_theOthersMoveOn() {
    String id = "b16-partial";
    fx.instance(id, doc(1));
    List<String> names = List.of("b16-n1", "b16-n2", "b16-n3", "b16-n4", "b16-n5");
    List<Long> first = new ArrayList<>();
    for (String name : names) {
      fx.pair().createNamespace(name);
      first.add(fx.publish(name, id, "{\"a\":1,\"b\":1,\"c\":1}"));
    }
    HoldfastClient client =
        fx.build(fx.builder(id, new ManualTime(), names.toArray(String[]::new)));
    client.start();
    assertThat(client.statuses().values()).allMatch(f -> f.status() == Status.FRESH);

    fx.faultBoth("/config/b16-n3", Fault.flipByte());
    List<Long> second = new ArrayList<>();
    for (String name : names) {
      second.add(fx.publish(name, id, "{\"a\":2,\"b\":2,\"c\":2}"));
    }
    for (int i = 0; i < names.size(); i++) {
      if (i == 2) {
        continue;
      }
      String name = names.get(i);
      long revision = second.get(i);
      eventually().until(() -> client.snapshot(name).revision() == revision);
    }
    eventually().until(() -> client.status("b16-n3").status() == Status.STALE);

    ConfigSnapshot third = client.snapshot("b16-n3");
    assertThat(third.revision()).isEqualTo(first.get(2));
    assertThat(List.of(third.getInt("a", -1), third.getInt("b", -1), third.getInt("c", -1)))
        .as("all of the previous document, none of the new")
        .containsOnly(1);
    assertThat(third.freshness().reason()).contains("Repr-Digest");
    for (String name : List.of("b16-n1", "b16-n2", "b16-n4", "b16-n5")) {
      ConfigSnapshot other = client.snapshot(name);
      assertThat(other.status()).isEqualTo(Status.FRESH);
      assertThat(List.of(other.getInt("a", -1), other.getInt("b", -1), other.getInt("c", -1)))
          .containsOnly(2);
    }

    fx.clearFaults();
    eventually().until(() -> client.snapshot("b16-n3").revision() == second.get(2));
    assertThat(client.snapshot("b16-n3").getInt("c", -1)).isEqualTo(2);
  }

  @Test
  void B11_longPauseDuringALongPoll_oneResync_noDuplicateApply_graceOnlyCountsThePause()
      throws IOException {
    String id = "b11-pause";
    long r1 = fx.instance(id, doc(1));
    ManualTime time = new ManualTime();
    Probe probe = startFresh(fx.builder(id, time).watchTimeout(Duration.ofSeconds(5)));
    fx.resetCounts();
    eventually().until(() -> fx.requests() >= 1); // a watch is held by the server

    // The process "sleeps" 30 s: the monotonic clock jumps while the long-poll is outstanding.
    time.advance(Duration.ofSeconds(30));
    assertThat(probe.read().status()).as("30 s is inside stale-after").isEqualTo(Status.FRESH);
    fx.resetCounts();
    long r2 = fx.publish(id, doc(2)); // what the client missed while paused
    eventually().until(() -> probe.revision() == r2);

    assertThat(fx.requests())
        .as("the held watch answers, one fetch, one new watch: no burst")
        .isLessThanOrEqualTo(4);
    eventually().until(() -> probe.changedRevisions().contains(r2));
    assertThat(probe.changedRevisions()).as("applied once each").containsExactly(r1, r2);
    assertThat(probe.events()).extracting(Probe.Event::to).containsExactly(Status.FRESH);
    eventually().until(() -> probe.read().freshness().graceRemaining().equals(Duration.ofHours(8)));
    probe.assertHeld();
  }
}
