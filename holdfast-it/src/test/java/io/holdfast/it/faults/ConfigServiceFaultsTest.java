package io.holdfast.it.faults;

import static io.holdfast.it.faults.FaultFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.ExpiredPolicy;
import io.holdfast.client.Status;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import io.holdfast.testkit.ManualTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * FAULTS.md section A, config-service faults: the Holdfast client against two real replicas on one
 * store, each behind a fault proxy. Every scenario checks, besides its own expectations, the global
 * invariants through a {@link Probe}: the content never empties or goes back (I1, I2, I4), status
 * and reason are always reported (I5), and reads never throw.
 *
 * <p>Time that matters to the client's state (grace, staleness, replica demotion, the poll
 * schedule) is a {@link ManualTime} that stands still unless a test moves it; request deadlines and
 * backoff waits are real and short.
 */
class ConfigServiceFaultsTest extends FaultScenarios {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The LKG is exactly what was published at {@code version}: the entitlement floor (I2). */
  private static void assertServes(Probe probe, long revision, int version) {
    ConfigSnapshot snapshot = probe.read();
    assertThat(snapshot.revision()).as("revision").isEqualTo(revision);
    assertThat(snapshot.getInt("seats", -1)).as("seats").isEqualTo(25);
    assertThat(snapshot.getInt("v", -1)).as("v").isEqualTo(version);
  }

  /** Every change delivered carries a whole document: both members, from the same publish. */
  private static void assertWholeChanges(Probe probe) {
    for (ConfigSnapshot change : probe.changes()) {
      assertThat(change.getInt("seats", -1)).as("seats in %s", change).isEqualTo(25);
      assertThat(change.getInt("v", -1)).as("v in %s", change).isPositive();
    }
  }

  /**
   * The fault on replica A's documents fired, and replica B was asked for the document, with no
   * fault of its own, since the counts were last reset: the document adopted came from B. A rule
   * that stopped matching would leave A's count at zero, and A would have served it.
   */
  private static void assertFaultedOnAServedByB() {
    assertThat(fx.proxyA().faulted()).as("replica A's fault fired").isPositive();
    assertThat(fx.proxyB().faulted()).as("replica B is not faulted").isZero();
    assertThat(fx.proxyB().requests("/config/"))
        .as("replica B was asked for the document")
        .isPositive();
  }

  // ---------------------------------------------------------------------------------------------
  // A1-A5: replicas unavailable

  @Test
  void A1_oneReplicaDown_failsOverWithoutGoingStale() {
    long r1 = fx.instance("a1-one-down", doc(1));
    Probe probe = startFresh(fx.builder("a1-one-down", new ManualTime()));

    fx.proxyA().fault(Fault.refuseConnections());
    fx.proxyB().resetCount();
    eventually().until(() -> fx.proxyB().requests() >= 1);
    assertServes(probe, r1, 1);
    assertThat(probe.status()).isEqualTo(Status.FRESH);

    long r2 = fx.publish("a1-one-down", doc(2));
    eventually().until(() -> probe.revision() == r2);
    assertServes(probe, r2, 2);
    assertThat(probe.status()).isEqualTo(Status.FRESH);
    eventually().until(() -> probe.changedRevisions().contains(r2));
    assertThat(probe.changedRevisions())
        .as("each revision applied once, in order")
        .containsExactly(r1, r2);
    assertThat(probe.events())
        .as("no STALE: the failover was quicker than staleness")
        .extracting(Probe.Event::to)
        .containsExactly(Status.FRESH);
    assertThat(fx.proxyB().requests("/events"))
        .as("the failover went to replica B's event stream, not its long poll")
        .isPositive();
    probe.assertHeld();
  }

  @Test
  void
      A2_allReplicasRefuse_keepsLkg_staleThenExpiredAfterGrace_policyApplies_freshAgainAfterRecovery() {
    long r1 = fx.instance("a2-all-refuse", doc(1));
    ManualTime time = new ManualTime();
    Probe keep = startFresh(fx.builder("a2-all-refuse", time));
    Probe defaults = startFresh(fx.builder("a2-all-refuse", time), ExpiredPolicy.USE_DEFAULTS);

    fx.refuseBoth();
    eventually().until(() -> keep.status() == Status.STALE && defaults.status() == Status.STALE);
    assertServes(keep, r1, 1);
    assertServes(defaults, r1, 1);
    ConfigSnapshot stale = keep.read();
    assertThat(stale.freshness().reason()).contains("unreachable").contains("all 2 replicas tried");
    assertThat(stale.freshness().graceRemaining()).isEqualTo(Duration.ofHours(8));

    time.advance(Duration.ofHours(8));
    ConfigSnapshot expired = keep.read();
    assertThat(expired.status()).isEqualTo(Status.EXPIRED);
    assertThat(expired.freshness().reason()).contains("grace period");
    assertThat(expired.freshness().graceRemaining()).isZero();
    assertServes(keep, r1, 1); // SERVE_LAST_KNOWN_GOOD: still the LKG
    ConfigSnapshot emptied = defaults.read();
    assertThat(emptied.status()).isEqualTo(Status.EXPIRED);
    assertThat(emptied.getInt("seats", -1))
        .as("USE_DEFAULTS: getters return the default")
        .isEqualTo(-1);
    assertThat(emptied.has("v")).isFalse();

    fx.clearFaults();
    eventually().until(() -> keep.status() == Status.FRESH && defaults.status() == Status.FRESH);
    assertServes(keep, r1, 1);
    assertServes(defaults, r1, 1);
    for (Probe probe : List.of(keep, defaults)) {
      eventually()
          .untilAsserted(
              () ->
                  assertThat(probe.events())
                      .extracting(Probe.Event::to)
                      .containsExactly(Status.FRESH, Status.STALE, Status.EXPIRED, Status.FRESH));
      probe.assertHeld();
    }
  }

  @Test
  void A2_outage_statusListenerGetsOneEventPerTransition_noStorm() {
    long r1 = fx.instance("a2-events", doc(1));
    Probe probe = startFresh(fx.builder("a2-events", new ManualTime()));

    for (int outage = 1; outage <= 2; outage++) {
      fx.faultBoth("", Fault.status(502));
      eventually().until(() -> probe.status() == Status.STALE);
      fx.resetCounts();
      eventually().until(() -> fx.requests() >= 40); // ten or more failed cycles
      assertServes(probe, r1, 1);
      assertThat(probe.status()).isEqualTo(Status.STALE);
      fx.clearFaults();
      eventually().until(() -> probe.status() == Status.FRESH);
      int expected = 1 + 2 * outage;
      eventually().until(() -> probe.events().size() >= expected);
      assertThat(probe.events()).as("after outage %d", outage).hasSize(expected);
    }
    assertThat(probe.events())
        .extracting(Probe.Event::to)
        .containsExactly(Status.FRESH, Status.STALE, Status.FRESH, Status.STALE, Status.FRESH);
    assertThat(probe.events().get(1).reason()).contains("HTTP 502");
    probe.assertHeld();
  }

  @Test
  void A3_blackholedReplica_deadlineFires_otherReplicaServes_staysFresh() {
    long r1 = fx.instance("a3-blackhole", doc(1));
    Probe probe =
        startFresh(
            fx.builder("a3-blackhole", new ManualTime()).requestTimeout(Duration.ofMillis(500)));

    fx.proxyA().fault(Fault.blackhole());
    fx.resetCounts();
    eventually().until(() -> fx.proxyA().requests() >= 1 && fx.proxyB().requests() >= 1);
    assertServes(probe, r1, 1);

    long r2 = fx.publish("a3-blackhole", doc(2));
    eventually().until(() -> probe.revision() == r2);
    assertServes(probe, r2, 2);
    assertThat(probe.status()).isEqualTo(Status.FRESH);
    assertThat(probe.events()).extracting(Probe.Event::to).containsExactly(Status.FRESH);
    assertThat(fx.proxyB().requests("/events"))
        .as("replica B's event stream carried the publish")
        .isPositive();
    probe.assertHeld();
  }

  @Test
  void A4_tricklingDocument_abandonedAtTheDeadline_otherReplicaUsed_noPartialContent() {
    long r1 = fx.instance("a4-trickle", doc(1));
    Probe probe =
        startFresh(
            fx.builder("a4-trickle", new ManualTime()).requestTimeout(Duration.ofMillis(500)));

    fx.proxyA().fault("/config/", Fault.trickle(Duration.ofMillis(200)));
    fx.resetCounts();
    long r2 = fx.publish("a4-trickle", doc(2));
    eventually().until(() -> probe.revision() == r2);
    assertServes(probe, r2, 2);
    assertFaultedOnAServedByB();
    assertThat(probe.status()).isEqualTo(Status.FRESH);
    eventually().until(() -> probe.changedRevisions().contains(r2));
    assertThat(probe.changedRevisions()).containsExactly(r1, r2);
    assertWholeChanges(probe);
    assertThat(probe.events()).extracting(Probe.Event::to).containsExactly(Status.FRESH);
    probe.assertHeld();
  }

  @Test
  void A5_serviceUnavailable_keepsLkg_backsOff_andHonoursRetryAfter() {
    long r1 = fx.instance("a5-unavailable", doc(1));
    Probe probe = startFresh(fx.builder("a5-unavailable", new ManualTime()));

    // Without Retry-After: capped, jittered backoff bounds the rate (a tight loop makes thousands).
    fx.faultBoth("", Fault.status(503));
    eventually().until(() -> probe.status() == Status.STALE);
    assertThat(probe.read().freshness().reason()).contains("HTTP 503");
    fx.resetCounts();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .pollInterval(FaultFixture.POLL)
        .until(() -> fx.requests() < 200);
    assertThat(fx.requests()).as("still retrying").isPositive();
    assertServes(probe, r1, 1);

    // With Retry-After: 2 the client waits 2 s after each failed cycle (4 requests a cycle).
    fx.faultBoth("", Fault.status(503, "2"));
    fx.resetCounts();
    eventually().until(() -> fx.requests() >= 4);
    fx.resetCounts();
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .pollInterval(FaultFixture.POLL)
        .until(() -> fx.requests() <= 8);
    assertServes(probe, r1, 1);
    assertThat(probe.status()).isEqualTo(Status.STALE);

    fx.clearFaults();
    eventually().until(() -> probe.status() == Status.FRESH);
    assertServes(probe, r1, 1);
    assertThat(probe.count(Status.FRESH, Status.STALE)).isEqualTo(1);
    probe.assertHeld();
  }

  // ---------------------------------------------------------------------------------------------
  // A6-A10: bad bodies and headers are rejected; the LKG stays

  /**
   * Applies {@code fault} to the documents of both replicas, publishes a new revision (so the
   * client must fetch one), and checks that it is refused: STALE, the reason naming the failed
   * check, the LKG unchanged; then that the genuine document arrives once the fault is gone.
   */
  private static void rejectedOnBothReplicas(String id, Fault fault, String reasonContains) {
    long r1 = fx.instance(id, doc(1));
    Probe probe = startFresh(fx.builder(id, new ManualTime()));

    fx.faultBoth("/config/", fault);
    long r2 = fx.publish(id, doc(2));
    eventually().until(() -> probe.status() == Status.STALE);
    eventually().until(() -> probe.read().freshness().reason().contains(reasonContains));
    assertServes(probe, r1, 1);
    assertThat(probe.changedRevisions()).containsExactly(r1);

    fx.clearFaults();
    eventually().until(() -> probe.revision() == r2 && probe.status() == Status.FRESH);
    assertServes(probe, r2, 2);
    assertWholeChanges(probe);
    probe.assertHeld();
  }

  /**
   * Applies {@code fault} to replica A's documents only, publishes, and checks that the genuine
   * document from B is adopted without the client going STALE.
   */
  private static void genuineDocumentFromOtherReplica(String id, Fault fault) {
    long r1 = fx.instance(id, doc(1));
    Probe probe = startFresh(fx.builder(id, new ManualTime()));

    fx.proxyA().fault("/config/", fault);
    fx.resetCounts();
    long r2 = fx.publish(id, doc(2));
    eventually().until(() -> probe.revision() == r2);
    assertServes(probe, r2, 2);
    assertThat(probe.status()).isEqualTo(Status.FRESH);
    assertFaultedOnAServedByB();
    eventually().until(() -> probe.changedRevisions().contains(r2));
    assertThat(probe.changedRevisions()).containsExactly(r1, r2);
    assertWholeChanges(probe);
    assertThat(probe.events()).extracting(Probe.Event::to).containsExactly(Status.FRESH);
    probe.assertHeld();
  }

  @Test
  void A6_emptyBody_rejected_staleWithLkg() {
    rejectedOnBothReplicas("a6-empty", Fault.emptyBody(), "empty body");
  }

  @Test
  void A7_truncatedBody_rejected_staleWithLkg() {
    rejectedOnBothReplicas("a7-truncated-both", Fault.truncate(20), "fetching the document failed");
  }

  @Test
  void A7_truncatedBodyOnOneReplica_genuineDocumentAdoptedFromTheOther() {
    genuineDocumentFromOtherReplica("a7-truncated-one", Fault.truncate(20));
  }

  @Test
  void A8_flippedByte_rejectedByDigest_staleWithLkg() {
    rejectedOnBothReplicas("a8-flipped-both", Fault.flipByte(), "Repr-Digest does not match");
  }

  @Test
  void A8_flippedByteOnOneReplica_genuineDocumentAdoptedFromTheOther() {
    genuineDocumentFromOtherReplica("a8-flipped-one", Fault.flipByte());
  }

  /**
   * FAULTS C13, client side: a malicious replica answers with a gzip body that would inflate a
   * thousandfold (64 KiB to 64 MiB). The SDK never inflates it: the answer is refused for its
   * Content-Encoding before any parser runs, and the last-known-good document stays.
   */
  @Test
  void C13_gzipBombFromBothReplicas_isRefusedWithoutInflating_lkgKept() throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write("{\"content\":{\"pad\":\"".getBytes(StandardCharsets.US_ASCII));
      byte[] run = new byte[64 * 1024];
      Arrays.fill(run, (byte) 'x');
      for (int i = 0; i < 1024; i++) {
        gzip.write(run);
      }
      gzip.write("\"}}".getBytes(StandardCharsets.US_ASCII));
    }
    byte[] body = compressed.toByteArray();
    assertThat(body.length).as("a thousandfold bomb").isLessThan(64 * 1024 * 1024 / 500);
    byte[] head =
        ("HTTP/1.1 200 OK\r\nContent-Type: "
                + HoldfastHeaders.ENVELOPE_MEDIA_TYPE
                + "\r\nContent-Encoding: gzip\r\nContent-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] response = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, response, head.length, body.length);

    rejectedOnBothReplicas("c13-gzip-bomb", Fault.rawResponse(response), "Content-Encoding gzip");
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {404, 500})
  void A9_checksumsAndWatchMissing_documentsFetchedDirectly_newPublishArrives_fresh(int status) {
    String id = "a9-checksums-" + status;
    long r1 = fx.instance(id, doc(1));
    Probe probe = startFresh(fx.builder(id, new ManualTime()));

    fx.faultBoth("/checksums", Fault.status(status));
    fx.faultBoth("/watch", Fault.status(status));
    fx.resetCounts();
    eventually().until(() -> fx.requests() >= 10); // several cycles without checksums
    assertServes(probe, r1, 1);
    assertThat(probe.status()).isEqualTo(Status.FRESH);

    long r2 = fx.publish(id, doc(2));
    eventually().until(() -> probe.revision() == r2);
    assertServes(probe, r2, 2);
    assertThat(probe.status()).isEqualTo(Status.FRESH);
    assertThat(probe.events()).extracting(Probe.Event::to).containsExactly(Status.FRESH);
    probe.assertHeld();
  }

  @Test
  void A9_checksumsThenDocumentsMissingOnBothReplicas_checksumsWarnedOncePerReplica() {
    String id = "a9-checksums-logged-once";
    fx.instance(id, doc(1));
    Logger sdkLog = (Logger) LoggerFactory.getLogger("io.holdfast.client");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    sdkLog.addAppender(lines);
    sdkLog.setLevel(ch.qos.logback.classic.Level.INFO); // "usable again" is INFO
    try {
      Probe probe = startFresh(fx.builder(id, new ManualTime()));
      fx.faultBoth("/checksums", Fault.status(503));
      fx.faultBoth("/watch", Fault.status(503));
      // The documents too, as in the incident: every cycle now tries A, then B, then A again.
      fx.faultBoth("/config/", Fault.status(503));
      eventually().until(() -> probe.status() == Status.STALE);
      fx.resetCounts();
      eventually().until(() -> fx.requests() >= 40); // ten or more cycles across both replicas
      assertThat(count(lines, "fetching documents directly"))
          .as("one warning per replica for the whole outage")
          .isEqualTo(2);
      fx.clearFaults();
      // Over the event stream a healthy client sits on one open stream and sends few requests
      // (the long poll sent one a second): wait for the recovery itself, not for request churn.
      eventually().until(() -> count(lines, "usable again") >= 1);
      assertThat(count(lines, "usable again")).isBetween(1L, 2L);
      probe.assertHeld();
    } finally {
      sdkLog.detachAppender(lines);
      sdkLog.setLevel(null);
    }
  }

  private static long count(ListAppender<ILoggingEvent> lines, String fragment) {
    List<ILoggingEvent> copy;
    synchronized (lines) { // the appender appends under its own lock
      copy = List.copyOf(lines.list);
    }
    return copy.stream().filter(e -> e.getFormattedMessage().contains(fragment)).count();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Repr-Digest", "Holdfast-Signature"})
  void A9_integrityHeaderStripped_rejected_staleNamingTheHeader(String header) {
    rejectedOnBothReplicas(
        "a9-strip-" + header.toLowerCase(Locale.ROOT), Fault.stripHeader(header), "no " + header);
  }

  @Test
  void A10_weakDigestAlgorithmOnly_rejectedEvenWhenItMatches() throws Exception {
    String id = "a10-md5";
    long r1 = fx.instance(id, doc(1));
    Probe probe = startFresh(fx.builder(id, new ManualTime()));

    // Hold the new document back while its md5 is computed, so the digest offered is correct.
    fx.faultBoth("/config/", Fault.status(503));
    long r2 = fx.publish(id, doc(2));
    FaultyReplica.Recorded current =
        fx.proxyA()
            .record(
                "/v1/instances/" + id + "/config/core", "Authorization", "Bearer " + fx.token(id));
    assertThat(current.status()).isEqualTo(200);
    String md5 = "md5=:" + Base64.getEncoder().encodeToString(digest("MD5", current.body())) + ":";
    fx.faultBoth("/config/", Fault.setHeader("Repr-Digest", md5));

    eventually()
        .until(
            () ->
                probe.status() == Status.STALE
                    && probe.read().freshness().reason().contains("no accepted algorithm"));
    assertServes(probe, r1, 1);
    assertThat(probe.read().freshness().reason()).contains("Repr-Digest");

    fx.clearFaults();
    eventually().until(() -> probe.revision() == r2 && probe.status() == Status.FRESH);
    assertServes(probe, r2, 2);
    probe.assertHeld();
  }

  private static byte[] digest(String algorithm, byte[] bytes) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance(algorithm).digest(bytes);
  }

  // ---------------------------------------------------------------------------------------------
  // A11-A12: entity tags the client cannot use

  @Test
  void A11_etagsRewrittenByAMiddlebox_stillConverges_noSpuriousChangeOrCacheWrite(
      @TempDir Path cache) throws IOException {
    String id = "a11-etag-rewrite";
    long r1 = fx.instance(id, doc(1));
    // Long poll only, for now: with the checksums (and so the stream) answering 500, the client
    // over the stream does not reach 30 requests within the wait; not yet resolved, see the
    // faulty-stream report.
    Probe probe =
        startFresh(fx.builder(id, new ManualTime()).cacheDirectory(cache).eventStream(false));

    fx.faultBoth("", Fault.setHeader("ETag", "W/\"other\""));
    long r2 = fx.publish(id, doc(2));
    eventually().until(() -> probe.revision() == r2);
    assertServes(probe, r2, 2);
    Path file = cacheFile(cache);
    eventually().until(() -> probe.changedRevisions().contains(r2) && cachedRevision(file) == r2);
    FileTime written = Files.getLastModifiedTime(file);

    // The watch now ends with 304s carrying the rewritten tag; nothing changed, so the client
    // must neither go STALE nor announce a change.
    fx.resetCounts();
    eventually().until(() -> fx.requests() >= 4);
    assertThat(probe.status()).isEqualTo(Status.FRESH);

    // Without checksums, every cycle refetches the document: a 304 with the foreign tag, then
    // the same bytes again. Same revision, same content: no listener call and no cache write.
    fx.faultBoth("/checksums", Fault.status(500));
    fx.faultBoth("/watch", Fault.status(500));
    fx.resetCounts();
    eventually().until(() -> fx.requests() >= 30);
    assertServes(probe, r2, 2);
    assertThat(probe.status()).isEqualTo(Status.FRESH);
    assertThat(probe.changedRevisions()).as("one change per publish").containsExactly(r1, r2);
    assertThat(Files.getLastModifiedTime(file))
        .as("the cache file is not rewritten")
        .isEqualTo(written);

    long r3 = fx.publish(id, doc(3));
    eventually().until(() -> probe.revision() == r3);
    assertServes(probe, r3, 3);
    eventually().until(() -> probe.changedRevisions().contains(r3));
    assertThat(probe.changedRevisions()).containsExactly(r1, r2, r3);
    assertThat(probe.entered(Status.STALE)).as("went STALE").isFalse();
    probe.assertHeld();
  }

  /** The revision of the document a cache file holds. */
  private static long cachedRevision(Path file) throws IOException {
    JsonNode stored = JSON.readTree(Files.readAllBytes(file));
    byte[] body = Base64.getDecoder().decode(stored.path("body").asText());
    return JSON.readTree(body).path("revision").asLong();
  }

  private static Path cacheFile(Path cache) throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      List<Path> lkg = files.filter(f -> f.getFileName().toString().endsWith(".lkg")).toList();
      assertThat(lkg).as("cache files").hasSize(1);
      return lkg.get(0);
    }
  }

  @Test
  void A12_notModifiedForATagTheClientDoesNotHold_neverConfirms_newRevisionFromTheOtherReplica() {
    String id = "a12-bogus-304";
    long r1 = fx.instance(id, doc(1));
    Probe probe = startFresh(fx.builder(id, new ManualTime()));

    fx.proxyA().fault("/config/", Fault.notModified("\"bogus\""));
    fx.resetCounts();
    long r2 = fx.publish(id, doc(2));
    eventually().until(() -> probe.revision() == r2);
    assertServes(probe, r2, 2);
    assertThat(probe.status()).isEqualTo(Status.FRESH);
    assertFaultedOnAServedByB();
    assertThat(probe.events())
        .as("status events %s", probe.events())
        .extracting(Probe.Event::to)
        .containsExactly(Status.FRESH);
    probe.assertHeld();

    // A client with no stored body at all: the 304 confirms nothing; it loads from replica B.
    fx.resetCounts();
    Probe cold = startFresh(fx.builder(id, new ManualTime()));
    assertServes(cold, r2, 2);
    assertFaultedOnAServedByB();
    cold.assertHeld();
  }

  // ---------------------------------------------------------------------------------------------
  // A16, A21

  @Test
  void A16_staleReplicaServesAnOlderSignedRevision_refusedAsRollback_contentStaysNewer()
      throws Exception {
    String id = "a16-rollback";
    long r1 = fx.instance(id, doc(1));
    String auth = "Bearer " + fx.token(id);
    FaultyReplica.Recorded oldDocument =
        fx.proxyA().record("/v1/instances/" + id + "/config/core", "Authorization", auth);
    FaultyReplica.Recorded oldChecksums =
        fx.proxyA().record("/v1/instances/" + id + "/checksums", "Authorization", auth);
    assertThat(oldDocument.status()).isEqualTo(200);
    assertThat(oldChecksums.status()).isEqualTo(200);
    long r2 = fx.publish(id, doc(2));
    Probe probe = startFresh(fx.builder(id, new ManualTime()));
    assertServes(probe, r2, 2);

    // Replica A is "partitioned" and still serves revision r1, validly signed; B is down.
    fx.proxyB().fault(Fault.refuseConnections());
    fx.proxyA().fault("/checksums", Fault.replay(oldChecksums));
    fx.proxyA().fault("/watch", Fault.replay(oldChecksums));
    fx.proxyA().fault("/config/", Fault.replay(oldDocument));
    eventually().until(() -> probe.status() == Status.STALE);
    eventually().until(() -> probe.read().freshness().reason().contains("rollback"));
    assertThat(probe.read().freshness().reason()).contains("older");
    assertServes(probe, r2, 2);
    assertThat(probe.changedRevisions()).containsExactly(r2);
    assertThat(r1).isLessThan(r2);

    fx.clearFaults();
    eventually().until(() -> probe.status() == Status.FRESH);
    assertServes(probe, r2, 2);
    probe.assertHeld();
  }

  @Test
  void A21_watchStallsSilently_periodicChecksumPollStillDeliversAPublish() {
    String id = "a21-stalled-watch";
    long r1 = fx.instance(id, doc(1));
    ManualTime time = new ManualTime();
    Probe probe = startFresh(fx.builder(id, time));

    fx.faultBoth("/watch", Fault.blackhole());
    fx.resetCounts();
    // A new request means the watch in flight before the fault is over: from now on every watch
    // hangs, and the only way to learn of a publish is the periodic poll of the checksums.
    eventually().until(() -> fx.requests() >= 1);
    long r2 = fx.publish(id, doc(2));
    time.advance(Duration.ofMillis(150)); // past the 100 ms poll interval, on the loop's ticker
    eventually().until(() -> probe.revision() == r2);
    assertServes(probe, r2, 2);
    eventually().until(() -> probe.changedRevisions().contains(r2));
    ConfigSnapshot change = probe.changes().get(probe.changes().size() - 1);
    assertThat(change.revision()).isEqualTo(r2);
    assertThat(change.status()).as("adopted as verified").isEqualTo(Status.FRESH);
    assertThat(probe.read().freshness().reason()).isNotBlank();
    assertThat(r1).isLessThan(r2);
    probe.assertHeld();
  }
}
