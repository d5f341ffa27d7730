package io.holdfast.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every console page of a real replica with data in it: it renders, carries the security headers,
 * escapes what operators and instances put in, and never shows a secret.
 */
class ConsolePagesTest {

  private static final String HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>";

  @TempDir Path dataDir;

  private ServerFixture server;
  private String instanceToken;
  private String editorToken;
  private long change;

  @BeforeEach
  void start() {
    server = ServerFixture.start(dataDir);
    server.createNamespace("core");
    server.publishLayer(
        "core",
        "default",
        "{\"maxUsers\":10,\"banner\":\"" + HOSTILE.replace("\"", "\\\"") + "\"}");
    instanceToken =
        server
            .admin(
                "POST",
                "/v1/admin/instances",
                "{\"id\":\"acme-prod\",\"ring\":\"live\","
                    + "\"labels\":{\"owner\":\""
                    + HOSTILE.replace("\"", "\\\"")
                    + "\"}}")
            .get("credential")
            .asText();
    editorToken =
        server
            .admin("POST", "/v1/admin/credentials", "{\"name\":\"ed\",\"role\":\"editor\"}")
            .get("token")
            .asText();
    change =
        server
            .admin(
                "POST",
                "/v1/admin/changes",
                "{\"description\":\""
                    + HOSTILE.replace("\"", "\\\"")
                    + "\",\"edits\":[{\"namespace\":\"core\",\"scope\":\"default\",\"content\":{\"maxUsers\":20}}]}")
            .get("id")
            .asLong();
    server.admin("POST", "/v1/admin/applications", "{\"name\":\"crm\"}");
    server.admin(
        "POST",
        "/v1/admin/subscriptions",
        "{\"instance\":\"acme-prod\",\"application\":\"crm\",\"quantity\":5,"
            + "\"validFrom\":\"2026-01-01T00:00:00Z\",\"plan\":\""
            + "gold"
            + "\",\"notes\":\""
            + HOSTILE.replace("\"", "\\\"")
            + "\"}");
    HttpResponse<byte[]> heartbeat =
        server.sendJson(
            "POST",
            "/v1/instances/acme-prod/heartbeat",
            instanceToken,
            "{\"sdkVersion\":\"1.0.0\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"lastError\":\""
                + HOSTILE.replace("\"", "\\\"")
                + "\",\"namespaces\":{\"core\":{\"revision\":1,\"status\":\"STALE\",\"since\":\"2026-11-25T18:00:00Z\","
                + "\"reason\":\"replica unreachable\",\"graceRemainingSeconds\":7000}},\"seatsInUse\":{\"crm\":9}}");
    assertThat(heartbeat.statusCode()).isBetween(200, 299);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private List<String> pages() {
    return List.of(
        "/console/fleet",
        "/console/fleet/live",
        "/console/fleet?state=stale",
        "/console/instances/acme-prod",
        "/console/namespaces",
        "/console/namespaces/core",
        "/console/namespaces/core/edit?scope=default",
        "/console/rollouts",
        "/console/rollouts/live",
        "/console/changes/" + change,
        "/console/changes/" + change + "/live",
        "/console/subscriptions",
        "/console/subscriptions?over=true",
        "/console/replicas",
        "/console/audit");
  }

  @Test
  void replicasPage_namesTheReleaseAndSchemaThisReplicaRuns() {
    ConsoleClient admin = new ConsoleClient(server.server().port()).loggedIn(server.adminToken());
    String body = admin.get("/console/replicas").body();
    assertThat(body)
        .contains(
            "Holdfast "
                + server.server().version().release()
                + " (schema "
                + server.server().version().schema().understood()
                + ") · serving revision");
  }

  @Test
  void everyPage_renders_withTheSecurityHeaders() {
    ConsoleClient admin = new ConsoleClient(server.server().port()).loggedIn(server.adminToken());
    for (String page : pages()) {
      HttpResponse<String> response = admin.get(page);
      assertThat(response.statusCode()).as(page).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .as(page)
          .hasValue("text/html; charset=utf-8");
      assertThat(response.headers().firstValue("Cache-Control")).as(page).hasValue("no-store");
      assertThat(response.headers().firstValue("Content-Security-Policy").orElseThrow())
          .as(page)
          .contains("script-src 'self'")
          .contains("frame-ancestors 'none'")
          .doesNotContain("unsafe-inline");
      assertThat(response.headers().firstValue("X-Frame-Options")).as(page).hasValue("DENY");
      assertThat(response.headers().firstValue("X-Content-Type-Options"))
          .as(page)
          .hasValue("nosniff");
      assertThat(response.headers().firstValue("Referrer-Policy")).as(page).hasValue("same-origin");
      // No inline script or style for the CSP to have to allow.
      assertThat(response.body())
          .as(page)
          .doesNotContain("<script>")
          .doesNotContain("style=")
          .doesNotContain(" onclick=");
    }
  }

  @Test
  void noPage_showsATokenOrACredentialHash() {
    ConsoleClient admin = new ConsoleClient(server.server().port()).loggedIn(server.adminToken());
    String sessionId = admin.cookie().substring(admin.cookie().indexOf('=') + 1);
    for (String page : pages()) {
      String body = admin.get(page).body();
      assertThat(body)
          .as(page)
          .doesNotContain(server.adminToken())
          .doesNotContain(instanceToken)
          .doesNotContain(editorToken)
          .doesNotContain(io.holdfast.server.auth.CredentialTokens.hash(server.adminToken()))
          .doesNotContain(io.holdfast.server.auth.CredentialTokens.hash(instanceToken))
          .doesNotContain(sessionId)
          .doesNotContain("hfa_")
          .doesNotContain("hfi_");
    }
  }

  @Test
  void whatOperatorsAndInstancesWrite_isEscaped_onEveryPage() {
    ConsoleClient admin = new ConsoleClient(server.server().port()).loggedIn(server.adminToken());
    int shown = 0;
    for (String page : pages()) {
      String body = admin.get(page).body();
      assertThat(body).as(page).doesNotContain("<script>alert").doesNotContain("<img src=x");
      if (body.contains(
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;")) {
        shown++;
      }
    }
    // The hostile text is shown, escaped: in the layer, the labels, the change, the heartbeat's
    // error, the audit log.
    assertThat(shown).isGreaterThanOrEqualTo(5);
  }

  @Test
  void theFleet_showsInstancesByRing_withStateLagAndGrace() {
    ConsoleClient viewer = new ConsoleClient(server.server().port()).loggedIn(server.adminToken());

    String fleet = viewer.get("/console/fleet/live").body();

    assertThat(fleet)
        .contains("id=\"ring-live\"")
        .contains("id=\"instance-acme-prod\" data-state=\"stale\"")
        .contains("replica unreachable")
        .contains("id=\"count-stale\"><span class=\"count\">1<");
    assertThat(viewer.get("/console/subscriptions").body())
        .contains("data-over=\"true\"")
        .contains("<meter")
        .contains("1 over-allocated");
  }

  @Test
  void changeWindows_showOnTheRolloutsPage_andTheInstancePage() {
    ConsoleClient viewer =
        new ConsoleClient(server.server().port())
            .loggedIn(
                server
                    .admin("POST", "/v1/admin/credentials", "{\"name\":\"v\",\"role\":\"viewer\"}")
                    .get("token")
                    .asText());
    server.createInstance("acme-tokyo", "beta");
    server.admin(
        "PATCH", "/v1/admin/rings/beta", "{\"changeWindow\":\"Sat-Sun all day in Europe/London\"}");
    server.admin("PATCH", "/v1/admin/instances/acme-tokyo", "{\"zone\":\"Asia/Tokyo\"}");
    server.admin(
        "PATCH",
        "/v1/admin/instances/acme-prod",
        "{\"zone\":\"America/New_York\",\"changeWindow\":\"Mon-Fri 19:00-07:00 in America/New_York\"}");
    long blackout =
        server
            .admin(
                "POST",
                "/v1/admin/blackouts",
                "{\"level\":\"instance\",\"target\":\"acme-prod\",\"from\":\"2027-03-29\","
                    + "\"to\":\"2027-03-31\",\"reason\":\""
                    + HOSTILE.replace("\"", "\\\"")
                    + "\"}")
            .get("id")
            .asLong();

    String rollouts = viewer.get("/console/rollouts").body();
    String own = viewer.get("/console/instances/acme-prod").body();
    String ringsOnly = viewer.get("/console/instances/acme-tokyo").body();

    assertThat(rollouts)
        .contains("id=\"window-beta\">Sat-Sun all day in Europe/London<")
        .contains("id=\"window-live\">always open<")
        .contains("id=\"blackout-" + blackout + "\"")
        .contains("instance acme-prod")
        .contains("2027-03-29 to 2027-03-31 in each instance&#39;s zone")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        .doesNotContain("<script>alert");
    assertThat(own)
        .contains("id=\"zone\">America/New_York<")
        .contains("id=\"change-window\">Mon-Fri 19:00-07:00 in America/New_York<")
        .contains("id=\"instance-blackouts\">2027-03-29..2027-03-31: &lt;script&gt;");
    assertThat(ringsOnly)
        .contains("id=\"zone\">Asia/Tokyo<")
        .as("the ring's window, read in the instance's zone")
        .contains(
            "id=\"change-window\">– (ring beta&#39;s, read in its zone: Sat-Sun all day in Asia/Tokyo)<")
        .contains("id=\"instance-blackouts\">–<");
  }

  @Test
  void assets_areServedFromTheJar_withTheirTypes_andCachedWhenVersioned() {
    ConsoleClient anonymous = new ConsoleClient(server.server().port());
    String login = anonymous.get("/console/login").body();
    Matcher css =
        Pattern.compile("href=\"(/console/assets/console\\.css\\?v=[0-9a-f]+)\"").matcher(login);
    Matcher js =
        Pattern.compile("src=\"(/console/assets/console\\.js\\?v=[0-9a-f]+)\"").matcher(login);
    assertThat(css.find()).isTrue();
    assertThat(js.find()).isTrue();

    HttpResponse<String> style = anonymous.get(css.group(1));
    HttpResponse<String> script = anonymous.get(js.group(1));
    HttpResponse<String> unversioned = anonymous.get("/console/assets/console.js");

    assertThat(style.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    assertThat(style.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
    assertThat(script.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(script.body()).contains("data-live");
    assertThat(unversioned.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(anonymous.get("/console/assets/secrets.txt").statusCode()).isEqualTo(404);
  }
}
