package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.envelope;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.SubscriptionTestSupport.SUBSCRIPTIONS;
import static io.holdfast.server.http.SubscriptionTestSupport.application;
import static io.holdfast.server.http.SubscriptionTestSupport.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applications and subscriptions through the admin API, and what instances receive: the reserved,
 * signed {@code subscriptions} document, identical on two replicas over one store, behind the
 * tenant wall.
 */
class SubscriptionAdminTest {

  private static final String DOCUMENT = "/v1/instances/%s/config/subscriptions";

  @TempDir static Path dataDir;

  private static ServerFixture replicaA;
  private static ServerFixture replicaB;
  private static String acmeToken;
  private static String globexToken;
  private static String emptyToken;
  private static String quietToken;

  @BeforeAll
  static void start() {
    replicaA = ServerFixture.start(dataDir);
    replicaB = ServerFixture.start(dataDir);
    replicaA.createNamespace("core");
    acmeToken = replicaA.createInstance("acme-prod", "live");
    globexToken = replicaA.createInstance("globex-beta", "beta");
    quietToken = replicaA.createInstance("quiet-co", "dev");
    emptyToken = replicaA.createInstance("empty-co", "test");
    application(replicaA, "crm");
    application(replicaA, "billing");
  }

  @AfterAll
  static void stop() {
    if (replicaB != null) {
      replicaB.close();
    }
    if (replicaA != null) {
      replicaA.close();
    }
  }

  private static HttpResponse<byte[]> document(
      ServerFixture replica, String instance, String token) {
    return replica.get(DOCUMENT.formatted(instance), token);
  }

  private static String content(HttpResponse<byte[]> response) {
    return new String(
        CanonicalJson.toBytes(envelope(response.body()).content()), StandardCharsets.UTF_8);
  }

  @Test
  void applications_areCreatedListedReadAndRenamed() {
    JsonNode created =
        replicaA.admin(
            "POST", "/v1/admin/applications", "{\"name\":\"hr\",\"displayName\":\"HR\"}");
    assertThat(created.get("name").asText()).isEqualTo("hr");
    assertThat(created.get("displayName").asText()).isEqualTo("HR");

    JsonNode renamed =
        replicaA.admin("PATCH", "/v1/admin/applications/hr", "{\"displayName\":\"People\"}");

    assertThat(renamed.get("displayName").asText()).isEqualTo("People");
    assertThat(replicaA.admin("GET", "/v1/admin/applications/hr", null).get("displayName").asText())
        .isEqualTo("People");
    assertThat(replicaA.admin("GET", "/v1/admin/applications", null).get("applications"))
        .extracting(a -> a.get("name").asText())
        .contains("billing", "crm", "hr");
    assertProblem(
        replicaA.get("/v1/admin/applications/payroll", replicaA.adminToken()),
        ProblemType.APPLICATION_NOT_FOUND);
  }

  @Test
  void subscription_isCreatedReadListedChangedAndEnded() {
    JsonNode created =
        subscribe(
            replicaA, "quiet-co", "billing", 10, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
    String id = created.get("id").asText();
    assertThat(created.get("status").asText()).isEqualTo("active");
    assertThat(created.get("overage").asLong()).as("overage defaults to 0").isZero();
    assertThat(created.get("seatModel").asText())
        .as("seat model defaults to named")
        .isEqualTo("named");
    assertThat(created.get("notes").asText()).isEqualTo("deal 42");

    assertThat(replicaA.admin("GET", SUBSCRIPTIONS + "/" + id, null)).isEqualTo(created);
    assertThat(
            replicaA
                .admin("GET", SUBSCRIPTIONS + "?instance=quiet-co&application=billing", null)
                .get("subscriptions"))
        .extracting(s -> s.get("id").asText())
        .containsExactly(id);

    JsonNode changed =
        replicaA.admin(
            "PATCH",
            SUBSCRIPTIONS + "/" + id,
            "{\"quantity\":15,\"overage\":2,\"validUntil\":null,\"plan\":\"premium\",\"notes\":\"upsold\",\"status\":\"suspended\"}");
    assertThat(changed.get("quantity").asLong()).isEqualTo(15);
    assertThat(changed.get("overage").asLong()).isEqualTo(2);
    assertThat(changed.get("validUntil").isNull()).isTrue();
    assertThat(changed.get("plan").asText()).isEqualTo("premium");
    assertThat(changed.get("notes").asText()).isEqualTo("upsold");
    assertThat(changed.get("status").asText()).isEqualTo("suspended");
    assertThat(changed.get("revision").asLong()).isGreaterThan(created.get("revision").asLong());

    JsonNode ended = replicaA.admin("POST", SUBSCRIPTIONS + "/" + id + "/end", null);
    assertThat(ended.get("status").asText()).isEqualTo("cancelled");
    assertThat(
            replicaA.admin("GET", SUBSCRIPTIONS + "?status=cancelled", null).get("subscriptions"))
        .extracting(s -> s.get("id").asText())
        .contains(id);
    assertProblem(
        replicaA.send("POST", SUBSCRIPTIONS + "/" + id + "/end", replicaA.adminToken(), null),
        ProblemType.SUBSCRIPTION_ENDED);
  }

  @Test
  void instanceWithoutSubscriptions_receivesAnEmptySignedDocument() {
    HttpResponse<byte[]> response = document(replicaA, "empty-co", emptyToken);

    assertThat(response.statusCode()).isEqualTo(200);
    Envelope envelope = envelope(response.body());
    assertThat(envelope.instance()).isEqualTo("empty-co");
    assertThat(envelope.namespace()).isEqualTo("subscriptions");
    assertThat(content(response)).isEqualTo("{\"applications\":{}}");
    assertThat(
            HttpTestSupport.announcedKey(replicaA)
                .verifies(
                    response.body(),
                    io.holdfast.protocol.signature.SignatureHeader.parse(
                        header(response, "Holdfast-Signature"))))
        .isTrue();
  }

  @Test
  void subscriptionChanges_reachTheInstanceAsNewRevisions_identicalOnBothReplicas() {
    HttpResponse<byte[]> empty = document(replicaA, "acme-prod", acmeToken);
    JsonNode created =
        subscribe(replicaA, "acme-prod", "crm", 25, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
    String id = created.get("id").asText();

    HttpResponse<byte[]> first = document(replicaA, "acme-prod", acmeToken);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(content(first))
        .isEqualTo(
            "{\"applications\":{\"crm\":[{\"id\":\""
                + id
                + "\",\"overage\":0,"
                + "\"plan\":\"enterprise\",\"quantity\":25,\"seatModel\":\"named\",\"status\":\"active\","
                + "\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":\"2027-01-01T00:00:00Z\"}]}}");
    assertThat(new String(first.body(), StandardCharsets.UTF_8))
        .as("notes are for operators")
        .doesNotContain("deal 42");
    assertThat(envelope(first.body()).revision()).isGreaterThan(envelope(empty.body()).revision());
    assertThat(header(first, "ETag")).isNotEqualTo(header(empty, "ETag"));
    awaitIdentical(first);

    replicaA.admin("PATCH", SUBSCRIPTIONS + "/" + id, "{\"quantity\":30}");

    HttpResponse<byte[]> second = document(replicaA, "acme-prod", acmeToken);
    assertThat(envelope(second.body()).revision()).isGreaterThan(envelope(first.body()).revision());
    assertThat(content(second)).contains("\"quantity\":30");
    awaitIdentical(second);
    HttpResponse<byte[]> notModified =
        document(replicaB, "acme-prod", acmeToken, "If-None-Match", header(second, "ETag"));
    assertThat(notModified.statusCode())
        .as("replica A's ETag validates on replica B")
        .isEqualTo(304);
  }

  private static HttpResponse<byte[]> document(
      ServerFixture replica, String instance, String token, String... headers) {
    return replica.get(DOCUMENT.formatted(instance), token, headers);
  }

  /**
   * Waits until replica B serves exactly what replica A served: same bytes and ETag, and a
   * signature that verifies (replicas batch their signatures differently, docs/protocol.md).
   */
  private static void awaitIdentical(HttpResponse<byte[]> fromA) {
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> {
              HttpResponse<byte[]> fromB = document(replicaB, "acme-prod", acmeToken);
              assertThat(fromB.body()).isEqualTo(fromA.body());
              assertThat(header(fromB, "ETag")).isEqualTo(header(fromA, "ETag"));
              assertThat(
                      HttpTestSupport.announcedKey(replicaA)
                          .verifies(
                              fromB.body(),
                              io.holdfast.protocol.signature.SignatureHeader.parse(
                                  header(fromB, "Holdfast-Signature"))))
                  .isTrue();
            });
  }

  @Test
  void instanceCredential_cannotReadAnotherInstancesSubscriptions_norTheAdminApi() {
    subscribe(replicaA, "globex-beta", "billing", 5, "2026-01-01T00:00:00Z", null);

    assertProblem(document(replicaA, "globex-beta", acmeToken), ProblemType.INSTANCE_NOT_FOUND);
    assertProblem(
        replicaA.get("/v1/instances/globex-beta/checksums", acmeToken),
        ProblemType.INSTANCE_NOT_FOUND);
    assertProblem(
        replicaA.get(SUBSCRIPTIONS + "?instance=globex-beta", acmeToken), ProblemType.FORBIDDEN);
    assertProblem(
        replicaA.get("/v1/admin/instances/globex-beta/subscriptions/usage", acmeToken),
        ProblemType.FORBIDDEN);
    assertThat(content(document(replicaA, "globex-beta", globexToken))).contains("billing");
  }

  @Test
  void watchOnTheOtherReplica_endsWhenTheInstancesSubscriptionsChange() {
    application(replicaA, "watched");
    String checksums = "/v1/instances/quiet-co/checksums";
    // Start from a replica B that has caught up, so that only the change below can end the watch.
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                header(replicaB.get(checksums, quietToken), "ETag")
                    .equals(header(replicaA.get(checksums, quietToken), "ETag")));
    String etag = header(replicaB.get(checksums, quietToken), "ETag");
    String path =
        "/v1/instances/quiet-co/watch?timeout=30s&etag="
            + java.net.URLEncoder.encode(etag, StandardCharsets.UTF_8);
    CompletableFuture<HttpResponse<byte[]>> watch =
        CompletableFuture.supplyAsync(() -> replicaB.get(path, quietToken));
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                json(replicaB.get("/health/ready", null)).path("watchers").path("waiting").asInt()
                    == 1);

    subscribe(replicaA, "quiet-co", "watched", 3, "2026-01-01T00:00:00Z", null);

    HttpResponse<byte[]> watched = watch.orTimeout(5, TimeUnit.SECONDS).join();
    assertThat(watched.statusCode()).isEqualTo(200);
    assertThat(header(watched, "ETag")).isNotEqualTo(etag);
    assertThat(json(watched).get("namespaces").get("subscriptions").get("etag").asText())
        .isEqualTo(header(document(replicaB, "quiet-co", quietToken), "ETag"));
    assertThat(content(document(replicaB, "quiet-co", quietToken))).contains("\"watched\"");
  }

  @Test
  void checksums_listTheSubscriptionsDocument() {
    HttpResponse<byte[]> checksums = replicaA.get("/v1/instances/acme-prod/checksums", acmeToken);
    HttpResponse<byte[]> subscriptions = document(replicaA, "acme-prod", acmeToken);

    JsonNode entry = json(checksums).get("namespaces").get("subscriptions");
    assertThat(entry.get("etag").asText()).isEqualTo(header(subscriptions, "ETag"));
    assertThat(entry.get("revision").asLong())
        .isEqualTo(Long.parseLong(header(subscriptions, "Holdfast-Revision")));
  }

  @Test
  void reservedNamespace_cannotBeEditedThroughTheNamespaceApi() {
    assertProblem(
        replicaA.sendJson(
            "PUT",
            "/v1/admin/namespaces/subscriptions/layers/default",
            replicaA.adminToken(),
            "{\"applications\":{}}"),
        ProblemType.NAMESPACE_NOT_FOUND);
    assertProblem(
        replicaA.sendJson(
            "POST", "/v1/admin/namespaces", replicaA.adminToken(), "{\"name\":\"subscriptions\"}"),
        ProblemType.INVALID_NAME);
  }
}
