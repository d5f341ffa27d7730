package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static io.holdfast.server.http.RolloutTestSupport.CHANGES;
import static io.holdfast.server.http.RolloutTestSupport.audit;
import static io.holdfast.server.http.RolloutTestSupport.body;
import static io.holdfast.server.http.RolloutTestSupport.served;
import static io.holdfast.server.http.SubscriptionTestSupport.fingerprint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FAULTS C3, a semantically dangerous change: taking a customer's seats to 0 (or cutting them by
 * more than half) in one change is refused unless the change says why with {@code force}; the
 * forced change is audited with its reason, and undoing it is one ordinary change (a new revision
 * with the old count), directly or through a change request alike.
 */
class DangerousChangeTest {

  private static final String SUBSCRIPTIONS = "/v1/admin/subscriptions";

  @TempDir Path dataDir;

  private ServerFixture server;
  private String token;
  private String subscription;

  @BeforeEach
  void start() {
    server = RolloutTestSupport.start(dataDir, 0);
    server.createNamespace("core");
    token = server.createInstance("acme-live", "live");
    server.admin("POST", "/v1/admin/applications", "{\"name\":\"crm\"}");
    subscription =
        server
            .admin(
                "POST",
                SUBSCRIPTIONS,
                "{\"instance\":\"acme-live\",\"application\":\"crm\","
                    + "\"quantity\":450,\"overage\":50,\"validFrom\":\"2026-01-01T00:00:00Z\",\"plan\":\"enterprise\"}")
            .get("id")
            .asText();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<byte[]> patch(String json) {
    return server.sendJson("PATCH", SUBSCRIPTIONS + "/" + subscription, server.adminToken(), json);
  }

  private JsonNode servedSubscription() {
    Envelope envelope = served(server, "acme-live", token, "subscriptions");
    return envelope.content().path("applications").path("crm").path(0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "seats 500 -> 0                     | {\"quantity\":0,\"overage\":0}",
        "quantity to 0, overage kept        | {\"quantity\":0}",
        "500 -> 249, more than half         | {\"quantity\":200,\"overage\":49}"
      })
  void C3_aDeepCutOfSeats_withoutForce_isRefused409_andChangesNothing(String name, String change) {
    String before = fingerprint(server, "core");
    long revision = served(server, "acme-live", token, "subscriptions").revision();

    JsonNode problem = assertProblem(patch(change), ProblemType.FORCE_REQUIRED);

    assertThat(problem.get("detail").asText())
        .contains(subscription)
        .contains("from 500")
        .contains("force");
    assertThat(fingerprint(server, "core")).isEqualTo(before);
    assertThat(served(server, "acme-live", token, "subscriptions").revision()).isEqualTo(revision);
    assertThat(servedSubscription().get("quantity").asLong()).isEqualTo(450);
  }

  @Test
  void C3_aCutOfHalfOrLess_andAnyRaise_needNoForce() {
    HttpResponse<byte[]> half = patch("{\"quantity\":200}");
    assertThat(half.statusCode()).as(text(half)).isEqualTo(200);
    HttpResponse<byte[]> raise = patch("{\"quantity\":1000}");
    assertThat(raise.statusCode()).as(text(raise)).isEqualTo(200);
  }

  @Test
  void C3_aForcedCut_isApplied_auditedWithItsReason_andUndoneByOneOrdinaryChange() {
    long before = served(server, "acme-live", token, "subscriptions").revision();
    HttpResponse<byte[]> forced =
        patch("{\"quantity\":0,\"overage\":0,\"force\":\"contract terminated, ticket 4711\"}");

    assertThat(forced.statusCode()).as(text(forced)).isEqualTo(200);
    assertThat(servedSubscription().get("quantity").asLong()).isZero();
    JsonNode entry = audit(server, "subscription:" + subscription).get(0);
    assertThat(entry.get("action").asText()).isEqualTo("subscription.change");
    assertThat(entry.get("after").get("forceReason").asText())
        .isEqualTo("contract terminated, ticket 4711");
    assertThat(entry.get("before").get("quantity").asLong()).isEqualTo(450);
    long cut = served(server, "acme-live", token, "subscriptions").revision();
    assertThat(cut).isGreaterThan(before);

    HttpResponse<byte[]> undo = patch("{\"quantity\":450,\"overage\":50}");

    assertThat(undo.statusCode()).as(text(undo)).isEqualTo(200);
    assertThat(servedSubscription().get("quantity").asLong()).isEqualTo(450);
    assertThat(servedSubscription().get("overage").asLong()).isEqualTo(50);
    assertThat(served(server, "acme-live", token, "subscriptions").revision()).isGreaterThan(cut);
    assertThat(audit(server, "subscription:" + subscription).get(0).get("after").has("forceReason"))
        .isFalse();
  }

  @Test
  void C3_aBlankForceReason_isInvalid() {
    assertProblem(patch("{\"quantity\":0,\"force\":\"  \"}"), ProblemType.INVALID_REQUEST);
    assertProblem(patch("{\"quantity\":0,\"force\":true}"), ProblemType.INVALID_REQUEST);
    assertThat(servedSubscription().get("quantity").asLong()).isEqualTo(450);
  }

  @Test
  void C3_aChangeRequestThatCutsSeatsTo0_needsForceToo_andKeepsTheReason() {
    String cut =
        "{\"subscription\":{\"id\":\"" + subscription + "\",\"quantity\":0,\"overage\":0}}";
    String before = fingerprint(server, "core");
    assertProblem(
        server.sendJson("POST", CHANGES, server.adminToken(), body("cut", cut)),
        ProblemType.FORCE_REQUIRED);
    assertThat(fingerprint(server, "core")).isEqualTo(before);

    String forced = cut.replace("\"overage\":0", "\"overage\":0,\"force\":\"customer left\"");
    HttpResponse<byte[]> created =
        server.sendJson("POST", CHANGES, server.adminToken(), body("cut", forced));

    assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
    assertThat(json(created).toString()).contains("customer left");
  }
}
