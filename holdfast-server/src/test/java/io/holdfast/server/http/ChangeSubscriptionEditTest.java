package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.RolloutTestSupport.CHANGES;
import static io.holdfast.server.http.RolloutTestSupport.body;
import static io.holdfast.server.http.RolloutTestSupport.fingerprint;
import static io.holdfast.server.http.RolloutTestSupport.perform;
import static io.holdfast.server.http.RolloutTestSupport.reason;
import static io.holdfast.server.http.RolloutTestSupport.served;
import static io.holdfast.server.http.RolloutTestSupport.tick;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Subscription edits inside change requests over HTTP: they reach an instance's signed {@code
 * subscriptions} document with its ring, are stored only on completion, hold the subscriptions
 * against direct writes, and are checked like the subscription API's own writes.
 */
class ChangeSubscriptionEditTest {

  private static final String FROM = "2026-01-01T00:00:00Z";

  private ServerFixture server;
  private String inTest;
  private String inLive;
  private String testSubscription;
  private String liveSubscription;

  @BeforeEach
  void start(@org.junit.jupiter.api.io.TempDir Path dir) {
    server = RolloutTestSupport.start(dir, 0);
    server.createNamespace("core");
    inTest = server.createInstance("acme-test", "test");
    inLive = server.createInstance("acme-live", "live");
    server.admin("POST", "/v1/admin/applications", "{\"name\":\"crm\",\"displayName\":\"CRM\"}");
    testSubscription = subscribe("acme-test", 25);
    liveSubscription = subscribe("acme-live", 25);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String subscribe(String instance, long quantity) {
    return server
        .admin(
            "POST",
            "/v1/admin/subscriptions",
            "{\"instance\":\""
                + instance
                + "\",\"application\":\"crm\","
                + "\"quantity\":"
                + quantity
                + ",\"validFrom\":\""
                + FROM
                + "\",\"plan\":\"enterprise\"}")
        .get("id")
        .asText();
  }

  private static String change(String id, String fields) {
    return "{\"subscription\":{\"id\":\"" + id + "\"," + fields + "}}";
  }

  private long quantityServed(String instance, String token) {
    return served(server, instance, token, "subscriptions")
        .content()
        .path("applications")
        .path("crm")
        .path(0)
        .path("quantity")
        .asLong();
  }

  @Test
  void aSubscriptionEdit_isServedRingByRing_andStoredOnlyOnCompletion() {
    JsonNode created =
        json(
            server.sendJson(
                "POST",
                CHANGES,
                server.adminToken(),
                body(
                    "more seats",
                    change(testSubscription, "\"quantity\":40"),
                    change(liveSubscription, "\"quantity\":40"))));
    long id = created.get("id").asLong();
    assertThat(created.get("edits"))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.get("kind").asText()).isEqualTo("change"));

    tick(server);
    assertThat(quantityServed("acme-test", inTest)).isEqualTo(40);
    assertThat(quantityServed("acme-live", inLive)).isEqualTo(25);
    assertThat(
            server
                .admin("GET", "/v1/admin/subscriptions/" + testSubscription, null)
                .get("quantity")
                .asLong())
        .isEqualTo(25);

    for (int i = 0; i < 3; i++) {
      perform(server, server.adminToken(), id, "promote", null);
    }
    assertThat(quantityServed("acme-live", inLive)).isEqualTo(40);
    JsonNode done = perform(server, server.adminToken(), id, "promote", null);
    assertThat(done.get("state").asText()).isEqualTo("completed");
    assertThat(
            server
                .admin("GET", "/v1/admin/subscriptions/" + liveSubscription, null)
                .get("quantity")
                .asLong())
        .isEqualTo(40);
    JsonNode audit =
        server
            .admin("GET", "/v1/admin/audit?target=subscription:" + liveSubscription, null)
            .get("entries");
    assertThat(audit.get(0).get("action").asText()).isEqualTo("subscription.change");
    assertThat(audit.get(0).get("after").get("quantity").asLong()).isEqualTo(40);
  }

  @Test
  void aNewSubscription_inAChange_appearsWithItsRing_andABackOutTakesItAway() {
    String second = server.createInstance("other-test", "test");
    long id =
        json(server.sendJson(
                "POST",
                CHANGES,
                server.adminToken(),
                body(
                    "new customer",
                    "{\"subscription\":{\"instance\":\"other-test\",\"application\":\"crm\",\"quantity\":5,\"validFrom\":\""
                        + FROM
                        + "\",\"plan\":\"starter\"}}")))
            .get("id")
            .asLong();
    tick(server);
    assertThat(quantityServed("other-test", second)).isEqualTo(5);
    long during = served(server, "other-test", second, "subscriptions").revision();

    perform(server, server.adminToken(), id, "backout", reason("wrong customer"));
    assertThat(
            served(server, "other-test", second, "subscriptions")
                .content()
                .path("applications")
                .has("crm"))
        .isFalse();
    assertThat(served(server, "other-test", second, "subscriptions").revision())
        .isGreaterThan(during);
    assertThat(
            server
                .admin("GET", "/v1/admin/subscriptions?instance=other-test", null)
                .get("subscriptions"))
        .isEmpty();
  }

  @Test
  void heldSubscriptions_refuseDirectWrites_andNothingChanges() {
    json(
        server.sendJson(
            "POST",
            CHANGES,
            server.adminToken(),
            body("more seats", change(testSubscription, "\"quantity\":40"))));
    String before = fingerprint(server, "core");
    assertProblem(
        server.sendJson(
            "PATCH",
            "/v1/admin/subscriptions/" + testSubscription,
            server.adminToken(),
            "{\"quantity\":99}"),
        ProblemType.LAYER_HELD);
    assertProblem(
        server.sendJson(
            "POST",
            "/v1/admin/subscriptions",
            server.adminToken(),
            "{\"instance\":\"acme-test\",\"application\":\"crm\",\"quantity\":1,\"validFrom\":\"2030-01-01T00:00:00Z\","
                + "\"plan\":\"x\"}"),
        ProblemType.LAYER_HELD);
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  static Stream<Arguments> badSubscriptionEdits() {
    return Stream.of(
        Arguments.of(
            "unknown subscription",
            "{\"subscription\":{\"id\":\"no-such\",\"quantity\":3}}",
            ProblemType.SUBSCRIPTION_NOT_FOUND),
        Arguments.of(
            "negative quantity",
            "{\"subscription\":{\"id\":\"%s\",\"quantity\":-1}}",
            ProblemType.INVALID_REQUEST),
        Arguments.of(
            "no field to change",
            "{\"subscription\":{\"id\":\"%s\"}}",
            ProblemType.INVALID_REQUEST),
        Arguments.of(
            "quantity above the maximum",
            "{\"subscription\":{\"id\":\"%s\",\"quantity\":1000000001}}",
            ProblemType.INVALID_REQUEST),
        Arguments.of(
            "new subscription with overage above the maximum",
            "{\"subscription\":{\"instance\":\"acme-test\","
                + "\"application\":\"crm\",\"quantity\":5,\"overage\":9223372036854775807,\"validFrom\":\"2040-01-01T00:00:00Z\","
                + "\"plan\":\"x\"}}",
            ProblemType.INVALID_REQUEST),
        Arguments.of(
            "a create field on a change",
            "{\"subscription\":{\"id\":\"%s\",\"instance\":\"acme-test\"}}",
            ProblemType.UNKNOWN_FIELD),
        Arguments.of(
            "overlapping new subscription",
            "{\"subscription\":{\"instance\":\"acme-test\",\"application\":\"crm\","
                + "\"quantity\":5,\"validFrom\":\""
                + FROM
                + "\",\"plan\":\"x\"}}",
            ProblemType.SUBSCRIPTION_OVERLAP),
        Arguments.of(
            "unknown application",
            "{\"subscription\":{\"instance\":\"acme-test\",\"application\":\"erp\","
                + "\"quantity\":5,\"validFrom\":\""
                + FROM
                + "\",\"plan\":\"x\"}}",
            ProblemType.APPLICATION_NOT_FOUND),
        Arguments.of("not an object", "{\"subscription\":7}", ProblemType.INVALID_REQUEST),
        Arguments.of(
            "the same subscription twice",
            "{\"subscription\":{\"id\":\"%s\",\"quantity\":3}},"
                + "{\"subscription\":{\"id\":\"%s\",\"quantity\":4}}",
            ProblemType.INVALID_REQUEST));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSubscriptionEdits")
  void aBadSubscriptionEdit_getsItsProblem_andChangesNothing(
      String name, String edit, ProblemType type) {
    String before = fingerprint(server, "core");
    assertProblem(
        server.sendJson(
            "POST",
            CHANGES,
            server.adminToken(),
            body("bad", edit.replace("%s", testSubscription))),
        type);
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void theDryRun_showsTheInstancesSubscriptionsBeforeAndAfter() {
    JsonNode report =
        json(
            server.sendJson(
                "POST",
                CHANGES + "?dryRun=true",
                server.adminToken(),
                body("more seats", change(testSubscription, "\"quantity\":40"))));
    assertThat(report.get("changesAnything").asBoolean()).isTrue();
    assertThat(report.get("previews"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.get("target").asText()).isEqualTo("instance:acme-test");
              assertThat(p.get("namespace").asText()).isEqualTo("subscriptions");
              assertThat(p.get("diff").toString())
                  .contains("quantity")
                  .contains("25")
                  .contains("40");
            });
  }

  @Test
  void twoChangesThatPassTheSchemaAlone_butBreakItTogether_areRefused() {
    server.admin(
        "PUT", "/v1/admin/namespaces/core/schema", "{\"not\":{\"required\":[\"a\",\"b\"]}}");
    json(
        server.sendJson(
            "POST",
            CHANGES,
            server.adminToken(),
            body("a", RolloutTestSupport.edit("core", "default", "{\"a\":1}"))));
    String before = fingerprint(server, "core");
    assertProblem(
        server.sendJson(
            "POST",
            CHANGES,
            server.adminToken(),
            body("b", RolloutTestSupport.edit("core", "ring:test", "{\"b\":1}"))),
        ProblemType.SCHEMA_VIOLATION);
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }
}
