package io.holdfast.server.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.signing.SigningKeyFile;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import io.holdfast.testkit.ManualTime;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The probe against two real replicas on one SQLite store, each behind a fault proxy: every check
 * passes when they are healthy, and each fault of FAULTS section A that the probe exists for is
 * reported against the right replica and check, with the reason. Rounds are run directly and time
 * is manual; nothing sleeps.
 */
class ProbeFaultsTest {

  @TempDir Path dataDir;

  private ServerFixture a;
  private ServerFixture b;
  private FaultyReplica proxyA;
  private FaultyReplica proxyB;
  private String credential;
  private final ManualTime time = new ManualTime();
  private ProbeResults results;
  private SyntheticProbe probe;

  @BeforeEach
  void start() throws Exception {
    a = ServerFixture.start(dataDir);
    b = ServerFixture.start(dataDir);
    credential = a.createInstance(Canary.INSTANCE, "test");
    // B sees A's write within its refresh interval; wait for that state, not for a time.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                b.get("/v1/instances/" + Canary.INSTANCE + "/checksums", credential).statusCode()
                    == 200);
    proxyA = FaultyReplica.start(URI.create("http://127.0.0.1:" + a.server().port()));
    proxyB = FaultyReplica.start(URI.create("http://127.0.0.1:" + b.server().port()));
    results = new ProbeResults(Duration.ofSeconds(30), time.clock());
    probe =
        new SyntheticProbe(
            new CanaryProber(
                new CanaryTarget(Canary.INSTANCE, credential, Canary.NAMESPACE),
                List.of(a.server().verificationKey()),
                Duration.ofSeconds(2),
                time.clock()),
            List.of(proxyA.uri(), proxyB.uri()),
            results);
  }

  @AfterEach
  void stop() {
    probe.close();
    proxyA.close();
    proxyB.close();
    b.close();
    a.close();
  }

  @Test
  void healthyPair_everyCheckPassesOnBothReplicas() {
    List<ProbeResult> round = probe.runRound();

    assertThat(round)
        .hasSize(2)
        .allSatisfy(
            result -> {
              assertThat(result.passed()).as(result.failure()).isTrue();
              assertThat(result.checks())
                  .containsOnlyKeys(ProbeCheck.values())
                  .doesNotContainValue(CheckOutcome.FAILED)
                  .doesNotContainValue(CheckOutcome.NOT_RUN);
              assertThat(result.revision()).isPositive();
              assertThat(result.etag()).startsWith("\"");
            });
    assertThat(round.get(0).etag()).isEqualTo(round.get(1).etag());
    assertThat(results.statuses())
        .allSatisfy(
            status -> {
              assertThat(status.healthy()).isTrue();
              assertThat(status.contentAvailable()).isTrue();
              assertThat(status.checksumsAvailable()).isTrue();
              assertThat(status.lagging()).isFalse();
              assertThat(status.diverged()).isFalse();
              assertThat(status.lastSuccess()).isEqualTo(time.clock().instant());
            });
  }

  @Test
  void A9_checksumsAnswer503OnOneReplica_flagsItsChecksumsUnavailable_contentStillAvailable() {
    proxyB.fault("/checksums", Fault.status(503, "5"));

    probe.runRound();

    TargetStatus statusB = results.status(proxyB.uri()).orElseThrow();
    assertThat(statusB.checksumsAvailable()).isFalse();
    assertThat(statusB.contentAvailable()).isTrue();
    assertThat(statusB.latest().failedCheck()).isEqualTo(ProbeCheck.CHECKSUMS);
    assertThat(statusB.latest().failure()).contains("HTTP 503");
    assertThat(statusB.latest().outcome(ProbeCheck.NOT_MODIFIED)).isEqualTo(CheckOutcome.PASSED);
    assertThat(statusB.healthy()).isFalse();
    assertThat(results.status(proxyA.uri()).orElseThrow().healthy()).isTrue();
  }

  @Test
  void A6_A9_checksumsAnswerAnEmpty200_flagsChecksumsUnavailable() {
    proxyB.fault("/checksums", Fault.emptyBody());

    probe.runRound();

    TargetStatus statusB = results.status(proxyB.uri()).orElseThrow();
    assertThat(statusB.checksumsAvailable()).isFalse();
    assertThat(statusB.contentAvailable()).isTrue();
    assertThat(statusB.latest().failure()).contains("empty body");
  }

  @Test
  void A5_contentAnswers503OnOneReplica_flagsContentUnavailable_checksumsStillAvailable() {
    proxyA.fault("/config/", Fault.status(503));

    probe.runRound();

    TargetStatus statusA = results.status(proxyA.uri()).orElseThrow();
    assertThat(statusA.contentAvailable()).isFalse();
    assertThat(statusA.checksumsAvailable()).isTrue();
    assertThat(statusA.latest().failedCheck()).isEqualTo(ProbeCheck.CONTENT);
    assertThat(statusA.latest().failure()).isEqualTo("HTTP 503");
    assertThat(statusA.latest().outcome(ProbeCheck.DIGEST)).isEqualTo(CheckOutcome.NOT_RUN);
    assertThat(results.status(proxyB.uri()).orElseThrow().healthy()).isTrue();
  }

  @Test
  void A8_flippedByteInTheDocument_failsDigestFirstAndSignature_withThePreciseReason() {
    proxyB.fault("/config/", Fault.flipByte());

    probe.runRound();

    ProbeResult resultB = results.status(proxyB.uri()).orElseThrow().latest();
    assertThat(resultB.failedCheck()).isEqualTo(ProbeCheck.DIGEST);
    assertThat(resultB.failure()).isEqualTo("Repr-Digest does not match the body");
    assertThat(resultB.outcome(ProbeCheck.SIGNATURE)).isEqualTo(CheckOutcome.FAILED);
    assertThat(resultB.outcome(ProbeCheck.ETAG)).isEqualTo(CheckOutcome.FAILED);
    assertThat(resultB.contentAvailable())
        .as("a corrupted document is of no use to an instance")
        .isFalse();
  }

  @Test
  void A8_flippedByteInTheChecksums_failsTheChecksumsCheckOnTheirDigest() {
    proxyB.fault("/checksums", Fault.flipByte());

    probe.runRound();

    ProbeResult resultB = results.status(proxyB.uri()).orElseThrow().latest();
    assertThat(resultB.failedCheck()).isEqualTo(ProbeCheck.CHECKSUMS);
    assertThat(resultB.failure()).isEqualTo("checksums: Repr-Digest does not match the body");
    assertThat(resultB.checksumsAvailable()).isFalse();
  }

  @Test
  void A11_etagStrippedByAnIntermediary_failsEtag_andSkipsTheConditionalGet() {
    proxyB.fault("/config/", Fault.stripHeader("ETag"));

    probe.runRound();

    ProbeResult resultB = results.status(proxyB.uri()).orElseThrow().latest();
    assertThat(resultB.failedCheck()).isEqualTo(ProbeCheck.ETAG);
    assertThat(resultB.failure()).isEqualTo("no ETag header");
    assertThat(resultB.outcome(ProbeCheck.NOT_MODIFIED)).isEqualTo(CheckOutcome.NOT_RUN);
    assertThat(resultB.contentAvailable()).as("the document itself still verifies").isTrue();
  }

  @Test
  void aLastingFault_isLoggedOnceWhenItStarts_andOnceWhenItEnds() {
    Logger logger = (Logger) LoggerFactory.getLogger(SyntheticProbe.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    Level level = logger.getLevel();
    logger.setLevel(Level.INFO); // the test configuration logs warnings only
    try {
      proxyB.fault("/checksums", Fault.status(503));
      probe.runRound();
      probe.runRound();
      probe.runRound();
      proxyB.clear();
      probe.runRound();
      probe.runRound();
    } finally {
      logger.setLevel(level);
      logger.detachAppender(appender);
    }

    assertThat(appender.list)
        .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
        .containsExactly(
            tuple(
                Level.WARN, "probe of " + proxyB.uri() + ": checksums failed: checksums: HTTP 503"),
            tuple(Level.INFO, "probe of " + proxyB.uri() + ": every check passes again"));
  }

  @Test
  void A3_blackholedReplica_failsWithinTheDeadline_andTheOtherStaysHealthy() {
    proxyB.fault(Fault.blackhole());

    probe.runRound();

    TargetStatus statusB = results.status(proxyB.uri()).orElseThrow();
    assertThat(statusB.contentAvailable()).isFalse();
    assertThat(statusB.checksumsAvailable()).isFalse();
    assertThat(statusB.latest().failure()).contains("no answer within 2000 ms");
    assertThat(results.status(proxyA.uri()).orElseThrow().healthy()).isTrue();
  }

  @Test
  void D11_aStatementThatExpired_failsTheChecksumsCheck_sayingWhen() {
    // What a probe sees of a replica that stopped re-issuing a day and more ago: its clock is past
    // the statement the replicas serve now (24 h at most).
    ManualTime later = new ManualTime(Instant.now().plus(Duration.ofHours(25)));
    try (CanaryProber prober =
        new CanaryProber(
            new CanaryTarget(Canary.INSTANCE, credential, Canary.NAMESPACE),
            List.of(a.server().verificationKey()),
            Duration.ofSeconds(2),
            later.clock())) {

      ProbeResult result = prober.probe(proxyA.uri());

      assertThat(result.contentAvailable()).isTrue();
      assertThat(result.checks()).containsEntry(ProbeCheck.CHECKSUMS, CheckOutcome.FAILED);
      assertThat(result.failedCheck()).isEqualTo(ProbeCheck.CHECKSUMS);
      assertThat(result.failure()).contains("the freshness statement expired at");
    }
  }

  @Test
  void D11_checksumsWithoutAStatement_failTheChecksumsCheck_onThatReplicaOnly() throws Exception {
    // Genuine checksums, signed with the replica's own key, as a replica from before statements
    // existed would send them: verifiable, but no client can tell whether they are current.
    HttpResponse<byte[]> genuine =
        a.get("/v1/instances/" + Canary.INSTANCE + "/checksums", credential);
    Checksums current = Checksums.parse(genuine.body(), new StrictJson(1 << 20, 64));
    byte[] body =
        new Checksums(current.instance(), current.revision(), current.namespaces()).toBytes();
    DocumentSigner key = SigningKeyFile.loadOrCreate(dataDir.resolve("signing-key.pem"));
    proxyB.fault("/checksums", Fault.rawResponse(response(body, key)));

    probe.runRound();

    TargetStatus statusB = results.status(proxyB.uri()).orElseThrow();
    assertThat(statusB.healthy()).isFalse();
    assertThat(statusB.contentAvailable()).isTrue();
    // Fetched and verified, so available; but the check fails, which is what alerts.
    assertThat(statusB.latest().outcome(ProbeCheck.CHECKSUMS)).isEqualTo(CheckOutcome.FAILED);
    assertThat(statusB.latest().failedCheck()).isEqualTo(ProbeCheck.CHECKSUMS);
    assertThat(statusB.latest().failure()).contains("no freshness statement");
    TargetStatus statusA = results.status(proxyA.uri()).orElseThrow();
    assertThat(statusA.latest().passed()).isTrue();
    // A's checksums differ from B's at one revision, so the pair is also flagged as diverging.
    assertThat(statusA.diverged()).isTrue();
  }

  /** A whole 200 answer carrying {@code body} as a replica sends checksums. */
  private static byte[] response(byte[] body, DocumentSigner key) {
    String head =
        "HTTP/1.1 200 OK\r\n"
            + "Content-Type: "
            + HoldfastHeaders.ENVELOPE_MEDIA_TYPE
            + "\r\n"
            + HoldfastHeaders.REPR_DIGEST
            + ": "
            + ContentHash.of(body).reprDigest()
            + "\r\n"
            + HoldfastHeaders.SIGNATURE
            + ": "
            + key.sign(body).toHeaderValue()
            + "\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] whole = Arrays.copyOf(headBytes, headBytes.length + body.length);
    System.arraycopy(body, 0, whole, headBytes.length, body.length);
    return whole;
  }
}
