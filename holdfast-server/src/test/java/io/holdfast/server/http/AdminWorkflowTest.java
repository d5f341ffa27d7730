package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.envelope;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.auth.CredentialTokens;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin workflow end to end: stage layers, publish, serve the RFC 7396 merge {@code default ←
 * ring ← instance}, move instances, read history, diff and historical effective documents. Each
 * test works in its own namespace and instances on one shared replica.
 */
class AdminWorkflowTest {

  private static final String DEFAULT_LAYER =
      "{\"limits\":{\"seats\":10,\"burst\":2},\"feature\":{\"x\":true},\"drop\":\"me\",\"list\":[1,2,3]}";
  private static final String BETA_LAYER =
      "{\"limits\":{\"seats\":20},\"drop\":null,\"list\":[9],\"betaOnly\":\"yes\"}";
  private static final String OWN_LAYER =
      "{\"limits\":{\"burst\":null,\"extra\":1},\"feature\":\"flat\"}";

  private static final String LIVE_MERGE =
      "{\"drop\":\"me\",\"feature\":{\"x\":true},\"limits\":{\"burst\":2,\"seats\":10},\"list\":[1,2,3]}";
  private static final String BETA_MERGE =
      "{\"betaOnly\":\"yes\",\"feature\":{\"x\":true},\"limits\":{\"burst\":2,\"seats\":20},\"list\":[9]}";
  private static final String OWN_MERGE =
      "{\"betaOnly\":\"yes\",\"feature\":\"flat\",\"limits\":{\"extra\":1,\"seats\":20},\"list\":[9]}";

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * A namespace with three instances: {@code live} in ring live, {@code beta} in ring beta, and
   * {@code own} in ring beta with its own instance layer; published once with the three layers.
   */
  private record Scenario(
      String ns,
      String live,
      String beta,
      String own,
      String liveToken,
      String betaToken,
      String ownToken,
      long firstRevision) {

    static Scenario publishFirst() {
      int n = SEQUENCE.incrementAndGet();
      String ns = "wf-" + n;
      server.createNamespace(ns);
      String live = "w" + n + "-live";
      String beta = "w" + n + "-beta";
      String own = "w" + n + "-own";
      String liveToken = server.createInstance(live, "live");
      String betaToken = server.createInstance(beta, "beta");
      String ownToken = server.createInstance(own, "beta");
      HttpTestSupport.stage(server, ns, "default", DEFAULT_LAYER);
      HttpTestSupport.stage(server, ns, "ring:beta", BETA_LAYER);
      HttpTestSupport.stage(server, ns, "instance:" + own, OWN_LAYER);
      JsonNode published =
          server.admin(
              "POST", "/v1/admin/namespaces/" + ns + "/publish", "{\"message\":\"first\"}");
      assertThat(published.get("namespace").asText()).isEqualTo(ns);
      assertThat(published.get("scopes"))
          .extracting(JsonNode::asText)
          .containsExactlyInAnyOrder("default", "ring:beta", "instance:" + own);
      return new Scenario(
          ns, live, beta, own, liveToken, betaToken, ownToken, published.get("revision").asLong());
    }

    HttpResponse<byte[]> read(String instance, String token) {
      HttpResponse<byte[]> response =
          server.get("/v1/instances/" + instance + "/config/" + ns, token);
      assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
      return response;
    }

    HttpResponse<byte[]> readLive() {
      return read(live, liveToken);
    }

    HttpResponse<byte[]> readBeta() {
      return read(beta, betaToken);
    }

    HttpResponse<byte[]> readOwn() {
      return read(own, ownToken);
    }

    long publish(String message) {
      return server
          .admin(
              "POST",
              "/v1/admin/namespaces/" + ns + "/publish",
              "{\"message\":\"" + message + "\"}")
          .get("revision")
          .asLong();
    }
  }

  private static JsonNode content(HttpResponse<byte[]> response) {
    return envelope(response.body()).content();
  }

  private static long revision(HttpResponse<byte[]> response) {
    return Long.parseLong(header(response, "Holdfast-Revision"));
  }

  // ------------------------------------------------------------------ merge

  @Test
  void effectiveDocument_isTheMergePatchOfDefaultThenRingThenInstance() {
    Scenario s = Scenario.publishFirst();

    assertThat(content(s.readLive())).isEqualTo(json(LIVE_MERGE));
    assertThat(content(s.readBeta())).isEqualTo(json(BETA_MERGE));
    assertThat(content(s.readOwn())).isEqualTo(json(OWN_MERGE));
    assertThat(envelope(s.readOwn().body()).revision()).isEqualTo(s.firstRevision());

    JsonNode reviewed =
        server.admin("GET", "/v1/admin/namespaces/" + s.ns() + "/effective/" + s.own(), null);
    assertThat(reviewed.get("content")).isEqualTo(json(OWN_MERGE));
    assertThat(reviewed.get("ring").asText()).isEqualTo("beta");
    assertThat(reviewed.get("atRevision").asLong()).isGreaterThanOrEqualTo(s.firstRevision());
  }

  @Test
  void removingTheInstanceLayer_fallsBackToTheRingMerge_andLeavesOtherInstancesEtagsAlone() {
    Scenario s = Scenario.publishFirst();
    HttpResponse<byte[]> betaBefore = s.readBeta();
    HttpResponse<byte[]> ownBefore = s.readOwn();

    server.admin("DELETE", "/v1/admin/namespaces/" + s.ns() + "/layers/instance:" + s.own(), null);
    long removal = s.publish("remove the instance layer");

    HttpResponse<byte[]> ownAfter = s.readOwn();
    assertThat(content(ownAfter)).isEqualTo(json(BETA_MERGE));
    assertThat(revision(ownAfter)).isEqualTo(removal).isGreaterThan(revision(ownBefore));
    assertThat(header(ownAfter, "ETag")).isNotEqualTo(header(ownBefore, "ETag"));
    HttpResponse<byte[]> betaAfter = s.readBeta();
    assertThat(header(betaAfter, "ETag"))
        .as("an unaffected instance keeps its tag (A11)")
        .isEqualTo(header(betaBefore, "ETag"));
    assertThat(betaAfter.body()).isEqualTo(betaBefore.body());
  }

  // ------------------------------------------------------------------ publishing

  @Test
  void secondPublish_raisesRevisionAndChangesEtag_sameContentAgain_is409AndChangesNothing() {
    Scenario s = Scenario.publishFirst();
    HttpResponse<byte[]> first = s.readLive();

    HttpTestSupport.stage(server, s.ns(), "default", "{\"limits\":{\"seats\":15,\"burst\":2}}");
    long second = s.publish("more seats");
    HttpResponse<byte[]> afterSecond = s.readLive();
    assertThat(second).isGreaterThan(s.firstRevision());
    assertThat(revision(afterSecond)).isEqualTo(second);
    assertThat(header(afterSecond, "ETag")).isNotEqualTo(header(first, "ETag"));
    assertThat(content(afterSecond)).isEqualTo(json("{\"limits\":{\"burst\":2,\"seats\":15}}"));
    assertThat(
            server
                .get(
                    "/v1/instances/" + s.live() + "/config/" + s.ns(),
                    s.liveToken(),
                    "If-None-Match",
                    header(first, "ETag"))
                .statusCode())
        .as("the old tag no longer matches")
        .isEqualTo(200);

    HttpTestSupport.stage(server, s.ns(), "default", "{\"limits\":{\"burst\":2,\"seats\":15}}");
    long storeBefore = HttpTestSupport.storeRevision(server, s.ns());
    HttpResponse<byte[]> again =
        server.sendJson(
            "POST",
            "/v1/admin/namespaces/" + s.ns() + "/publish",
            server.adminToken(),
            "{\"message\":\"same again\"}");
    assertProblem(again, ProblemType.NO_PENDING_CHANGES);
    HttpResponse<byte[]> afterAgain = s.readLive();
    assertThat(header(afterAgain, "ETag")).isEqualTo(header(afterSecond, "ETag"));
    assertThat(revision(afterAgain)).isEqualTo(second);
    assertThat(HttpTestSupport.storeRevision(server, s.ns()))
        .as("no revision was spent")
        .isEqualTo(storeBefore);
  }

  @Test
  void publishingOnlyChosenScopes_leavesTheOtherDraftsStaged() {
    Scenario s = Scenario.publishFirst();
    HttpTestSupport.stage(server, s.ns(), "default", "{\"fromDefault\":1}");
    HttpTestSupport.stage(server, s.ns(), "ring:beta", "{\"fromRing\":1}");

    JsonNode published =
        server.admin(
            "POST",
            "/v1/admin/namespaces/" + s.ns() + "/publish",
            "{\"message\":\"ring only\",\"scopes\":[\"ring:beta\"]}");
    assertThat(published.get("scopes")).extracting(JsonNode::asText).containsExactly("ring:beta");
    assertThat(content(s.readBeta()))
        .isEqualTo(
            json(
                "{\"drop\":\"me\",\"feature\":{\"x\":true},\"fromRing\":1,\"limits\":{\"burst\":2,\"seats\":10},\"list\":[1,2,3]}"));
    assertThat(content(s.readLive()))
        .as("default is still staged, not published")
        .isEqualTo(json(LIVE_MERGE));
    JsonNode drafts =
        server.admin("GET", "/v1/admin/namespaces/" + s.ns() + "/layers", null).get("drafts");
    assertThat(drafts).extracting(d -> d.get("scope").asText()).containsExactly("default");
  }

  // ------------------------------------------------------------------ instances

  @Test
  void movingAnInstanceToAnotherRing_changesItsDocumentAndRaisesItsRevision() {
    Scenario s = Scenario.publishFirst();
    HttpResponse<byte[]> before = s.readBeta();
    HttpResponse<byte[]> liveBefore = s.readLive();

    JsonNode moved =
        server.admin("PATCH", "/v1/admin/instances/" + s.beta(), "{\"ring\":\"live\"}");
    assertThat(moved.get("ring").asText()).isEqualTo("live");

    HttpResponse<byte[]> after = s.readBeta();
    assertThat(content(after)).isEqualTo(json(LIVE_MERGE));
    assertThat(revision(after)).isGreaterThan(revision(before));
    assertThat(envelope(after.body()).revision()).isEqualTo(revision(after));
    assertThat(header(after, "ETag")).isNotEqualTo(header(before, "ETag"));
    assertThat(header(s.readLive(), "ETag")).isEqualTo(header(liveBefore, "ETag"));
    assertThat(server.admin("GET", "/v1/admin/instances/" + s.beta(), null).get("ring").asText())
        .isEqualTo("live");
  }

  @Test
  void changingOnlyLabels_leavesTheDocumentAndItsEtagAlone() {
    Scenario s = Scenario.publishFirst();
    HttpResponse<byte[]> before = s.readBeta();

    JsonNode updated =
        server.admin(
            "PATCH", "/v1/admin/instances/" + s.beta(), "{\"labels\":{\"region\":\"eu-1\"}}");
    assertThat(updated.get("labels").get("region").asText()).isEqualTo("eu-1");
    assertThat(updated.get("ring").asText()).isEqualTo("beta");

    HttpResponse<byte[]> after = s.readBeta();
    assertThat(after.body()).isEqualTo(before.body());
    assertThat(header(after, "ETag")).isEqualTo(header(before, "ETag"));
    assertThat(revision(after)).isEqualTo(revision(before));
  }

  @Test
  void instanceCredential_isShownOnceAtCreation_andNeverByTheAdminReads() {
    int n = SEQUENCE.incrementAndGet();
    String id = "cred-" + n;
    JsonNode created =
        server.admin(
            "POST",
            "/v1/admin/instances",
            "{\"id\":\"" + id + "\",\"ring\":\"test\",\"labels\":{\"tier\":\"gold\"}}");
    String token = created.get("credential").asText();
    assertThat(token).startsWith("hfi_");
    assertThat(created.get("instance").get("id").asText()).isEqualTo(id);
    String hash = CredentialTokens.hash(token);

    JsonNode rotated = server.admin("POST", "/v1/admin/instances/" + id + "/credential", null);
    String rotatedToken = rotated.get("credential").asText();
    for (String path : List.of("/v1/admin/instances", "/v1/admin/instances/" + id)) {
      HttpResponse<byte[]> response = server.get(path, server.adminToken());
      assertThat(response.statusCode()).isEqualTo(200);
      String body = text(response);
      assertThat(body)
          .contains(id)
          .doesNotContain(token)
          .doesNotContain(hash)
          .doesNotContain(rotatedToken)
          .doesNotContain(CredentialTokens.hash(rotatedToken))
          .doesNotContainIgnoringCase("credential")
          .doesNotContainIgnoringCase("hash");
    }
    JsonNode view = server.admin("GET", "/v1/admin/instances/" + id, null);
    assertThat(view.get("labels").get("tier").asText()).isEqualTo("gold");
    List<String> members = new ArrayList<>();
    view.properties().forEach(e -> members.add(e.getKey()));
    assertThat(members)
        .containsExactlyInAnyOrder(
            "id", "ring", "labels", "zone", "changeWindow", "createdAt", "updatedAt");
  }

  // ------------------------------------------------------------------ history and diff

  @Test
  void history_listsRevisionsNewestFirstWithTheirScopes() {
    Scenario s = Scenario.publishFirst();
    HttpTestSupport.stage(server, s.ns(), "default", "{\"v\":2}");
    long second = s.publish("second");

    JsonNode history =
        server.admin("GET", "/v1/admin/namespaces/" + s.ns() + "/history", null).get("history");
    assertThat(history).hasSize(3);
    assertThat(history.get(0).get("revision").asLong()).isEqualTo(second);
    assertThat(history.get(0).get("kind").asText()).isEqualTo("publish");
    assertThat(history.get(0).get("message").asText()).isEqualTo("second");
    assertThat(history.get(0).get("actor").asText()).isEqualTo("admin:bootstrap");
    assertThat(history.get(0).get("scopes"))
        .extracting(JsonNode::asText)
        .containsExactly("default");
    assertThat(history.get(1).get("revision").asLong()).isEqualTo(s.firstRevision());
    assertThat(history.get(1).get("message").asText()).isEqualTo("first");
    assertThat(history.get(1).get("scopes"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("default", "ring:beta", "instance:" + s.own());
    assertThat(history.get(2).get("kind").asText()).isEqualTo("namespace");
    assertThat(history.get(2).get("scopes")).isEmpty();
    assertThat(history.get(0).get("revision").asLong())
        .isGreaterThan(history.get(1).get("revision").asLong());
    assertThat(history.get(1).get("revision").asLong())
        .isGreaterThan(history.get(2).get("revision").asLong());

    JsonNode limited =
        server
            .admin("GET", "/v1/admin/namespaces/" + s.ns() + "/history?limit=1", null)
            .get("history");
    assertThat(limited).hasSize(1);
    assertThat(limited.get(0).get("revision").asLong()).isEqualTo(second);
  }

  /** The op and path of each change, in order. */
  private static List<String> ops(JsonNode changes) {
    List<String> ops = new ArrayList<>();
    for (JsonNode change : changes) {
      ops.add(change.get("op").asText() + " " + change.get("path").asText());
    }
    return ops;
  }

  @Test
  void diff_byScope_byInstance_andAcrossAllLayers_usesJsonPointerPaths() {
    Scenario s = Scenario.publishFirst();
    long first = s.firstRevision();
    HttpTestSupport.stage(
        server,
        s.ns(),
        "default",
        "{\"limits\":{\"seats\":15,\"burst\":2},\"feature\":{\"x\":true},\"list\":[1,2,3],"
            + "\"new\":true,\"a/b\":1,\"t~x\":2}");
    long second = s.publish("second");
    String base = "/v1/admin/namespaces/" + s.ns() + "/diff?from=" + first + "&to=" + second;

    JsonNode byScope = server.admin("GET", base + "&scope=default", null);
    assertThat(byScope.get("scope").asText()).isEqualTo("default");
    assertThat(byScope.get("from").asLong()).isEqualTo(first);
    assertThat(byScope.get("to").asLong()).isEqualTo(second);
    JsonNode changes = byScope.get("changes");
    assertThat(ops(changes))
        .containsExactly(
            "add /a~1b", "remove /drop", "replace /limits/seats", "add /new", "add /t~0x");
    assertThat(changes.get(1).get("before").asText()).isEqualTo("me");
    assertThat(changes.get(1).has("after")).isFalse();
    assertThat(changes.get(2).get("before").asInt()).isEqualTo(10);
    assertThat(changes.get(2).get("after").asInt()).isEqualTo(15);
    assertThat(changes.get(3).has("before")).isFalse();
    assertThat(changes.get(3).get("after").asBoolean()).isTrue();

    JsonNode live = server.admin("GET", base + "&instance=" + s.live(), null);
    assertThat(live.get("instance").asText()).isEqualTo(s.live());
    assertThat(ops(live.get("changes")))
        .containsExactly(
            "add /a~1b", "remove /drop", "replace /limits/seats", "add /new", "add /t~0x");
    // The beta ring overrides seats and removes drop, so its instances see only the additions.
    JsonNode beta = server.admin("GET", base + "&instance=" + s.beta(), null);
    assertThat(ops(beta.get("changes"))).containsExactly("add /a~1b", "add /new", "add /t~0x");

    JsonNode all = server.admin("GET", base, null);
    List<String> changedScopes = new ArrayList<>();
    all.get("scopes").properties().forEach(e -> changedScopes.add(e.getKey()));
    assertThat(changedScopes).containsExactly("default");
    assertThat(all.get("scopes").get("default")).isEqualTo(changes);

    JsonNode untilNow =
        server.admin(
            "GET",
            "/v1/admin/namespaces/" + s.ns() + "/diff?from=" + first + "&scope=default",
            null);
    assertThat(untilNow.get("to").asLong()).isGreaterThanOrEqualTo(second);
    assertThat(untilNow.get("changes")).isEqualTo(changes);

    JsonNode none =
        server.admin(
            "GET",
            "/v1/admin/namespaces/" + s.ns() + "/diff?from=" + second + "&to=" + second,
            null);
    assertThat(none.get("scopes").size()).isZero();
  }

  @Test
  void diff_toDraft_showsWhatAPublishWouldChange() {
    Scenario s = Scenario.publishFirst();
    HttpTestSupport.stage(
        server,
        s.ns(),
        "ring:beta",
        "{\"limits\":{\"seats\":25},\"list\":[9],\"betaOnly\":\"yes\"}");

    JsonNode diff =
        server.admin(
            "GET",
            "/v1/admin/namespaces/"
                + s.ns()
                + "/diff?from="
                + s.firstRevision()
                + "&to=draft&scope=ring:beta",
            null);
    assertThat(diff.get("to").asText()).isEqualTo("draft");
    assertThat(ops(diff.get("changes"))).containsExactly("remove /drop", "replace /limits/seats");
    assertThat(diff.get("changes").get(0).get("before").isNull())
        .as("the removed member was a null patch")
        .isTrue();
  }

  @Test
  void effectiveAtAnEarlierRevision_returnsThatRevisionsMerge() {
    Scenario s = Scenario.publishFirst();
    HttpTestSupport.stage(server, s.ns(), "instance:" + s.own(), "{\"feature\":\"round\"}");
    long second = s.publish("second");
    String path = "/v1/admin/namespaces/" + s.ns() + "/effective/" + s.own();

    JsonNode then = server.admin("GET", path + "?revision=" + s.firstRevision(), null);
    assertThat(then.get("atRevision").asLong()).isEqualTo(s.firstRevision());
    assertThat(then.get("content")).isEqualTo(json(OWN_MERGE));

    JsonNode now = server.admin("GET", path, null);
    assertThat(now.get("atRevision").asLong()).isGreaterThanOrEqualTo(second);
    assertThat(now.get("content"))
        .isEqualTo(
            json(
                "{\"betaOnly\":\"yes\",\"feature\":\"round\",\"limits\":{\"burst\":2,\"seats\":20},\"list\":[9]}"));
    assertThat(now.get("content")).isEqualTo(content(s.readOwn()));

    JsonNode beforeAnyLayer = server.admin("GET", path + "?revision=1", null);
    assertThat(beforeAnyLayer.get("content")).isEqualTo(json("{}"));

    assertProblem(
        server.get(path + "?revision=" + (second + 1_000_000), server.adminToken()),
        ProblemType.REVISION_NOT_FOUND);
    assertProblem(
        server.get(path + "?revision=-3", server.adminToken()), ProblemType.INVALID_REQUEST);
  }
}
