package io.holdfast.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.internal.ManualTime;
import io.holdfast.client.internal.TestDocuments;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The application's health: a small value the client stamps with its clock and carries in
 * heartbeats, sending one at once when the status changes.
 */
class ApplicationHealthTest {

  private static final TestDocuments DOCS = new TestDocuments();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ManualTime time = new ManualTime();

  private HoldfastClient.Builder builder(URI replica) {
    return HoldfastClient.builder()
        .replicas(replica)
        .instance(TestDocuments.INSTANCE, "token-123")
        .trustedKey(DOCS.key())
        .namespaces("core")
        .watch(false)
        .pollInterval(Duration.ofMillis(50))
        .ticker(time.ticker())
        .clock(time.clock())
        // No regular heartbeat comes during a test: any that arrives was sent for the change.
        .heartbeatInterval(Duration.ofHours(1));
  }

  private static boolean applicationIs(JsonNode heartbeat, String status) {
    return heartbeat.path("application").path("status").asText().equals(status);
  }

  @Test
  void factories_setStatusAndReason_andLeaveSinceToTheClient() {
    assertThat(ApplicationHealth.ok().status()).isEqualTo(ApplicationHealth.Status.OK);
    assertThat(ApplicationHealth.ok().reason()).isNull();
    assertThat(ApplicationHealth.degraded("slow database").status())
        .isEqualTo(ApplicationHealth.Status.DEGRADED);
    assertThat(ApplicationHealth.failing(null).reason()).isNull();
    assertThat(ApplicationHealth.of(ApplicationHealth.Status.FAILING, "checkout errors"))
        .isEqualTo(ApplicationHealth.failing("checkout errors"));
    assertThat(ApplicationHealth.failing("checkout errors").since()).isNull();
  }

  @Test
  void reasonLongerThanTheLimit_isCut_withoutSplittingASurrogatePair() {
    assertThat(ApplicationHealth.failing("x".repeat(501)).reason()).hasSize(500);
    assertThat(ApplicationHealth.failing("x".repeat(500)).reason()).hasSize(500);
    String emojiAcrossTheLimit = "x".repeat(499) + "\uD83D\uDE00" + "tail";

    assertThat(ApplicationHealth.failing(emojiAcrossTheLimit).reason()).isEqualTo("x".repeat(499));
  }

  @Test
  void since_isStampedByTheClientsClockWhenTheStatusChanges_andKeptWhenOnlyTheReasonDoes() {
    try (HoldfastClient client = builder(URI.create("http://127.0.0.1:9")).build()) {
      assertThat(client.applicationHealth()).isEmpty();

      client.reportApplicationHealth(ApplicationHealth.failing("checkout errors"));
      Instant failingSince = time.now();
      time.advance(Duration.ofMinutes(1));
      client.reportApplicationHealth(ApplicationHealth.failing("checkout and login errors"));

      ApplicationHealth held = client.applicationHealth().orElseThrow();
      assertThat(held.status()).isEqualTo(ApplicationHealth.Status.FAILING);
      assertThat(held.reason()).isEqualTo("checkout and login errors");
      assertThat(held.since()).isEqualTo(failingSince);

      time.advance(Duration.ofMinutes(1));
      client.reportApplicationHealth(ApplicationHealth.ok());

      assertThat(client.applicationHealth().orElseThrow().since()).isEqualTo(time.now());
    }
  }

  @Test
  void statusChange_sendsAHeartbeatAtOnce_carryingTheApplicationMember() throws Exception {
    try (InProcessReplica replica =
            new InProcessReplica(DOCS, DOCS.envelope("core", 2, "{\"seats\":10}"));
        HoldfastClient client = builder(replica.uri()).build()) {
      client.start();

      client.reportApplicationHealth(ApplicationHealth.failing("checkout error rate 12 %"));

      JsonNode failing =
          replica.nextHeartbeat(h -> applicationIs(h, "FAILING"), WAIT).path("application");
      assertThat(failing.path("reason").asText()).isEqualTo("checkout error rate 12 %");
      assertThat(failing.path("since").asText()).isEqualTo(time.now().toString());
      assertThat(failing.size()).isEqualTo(3);

      time.advance(Duration.ofSeconds(30));
      client.reportApplicationHealth(ApplicationHealth.ok());

      JsonNode ok = replica.nextHeartbeat(h -> applicationIs(h, "OK"), WAIT).path("application");
      assertThat(ok.path("reason").isNull()).isTrue();
      assertThat(ok.path("since").asText()).isEqualTo(time.now().toString());
    }
  }

  @Test
  void healthReportedBeforeStart_isSentAsSoonAsTheClientStarts() throws Exception {
    try (InProcessReplica replica =
            new InProcessReplica(DOCS, DOCS.envelope("core", 2, "{\"seats\":10}"));
        HoldfastClient client = builder(replica.uri()).build()) {
      client.reportApplicationHealth(ApplicationHealth.degraded("warming caches"));

      client.start();

      JsonNode heartbeat = replica.nextHeartbeat(h -> applicationIs(h, "DEGRADED"), WAIT);
      assertThat(heartbeat.path("application").path("reason").asText()).isEqualTo("warming caches");
      assertThat(heartbeat.path("sdkVersion").asText()).isEqualTo(HoldfastClient.VERSION);
    }
  }
}
