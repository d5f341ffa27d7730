package io.holdfast.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Console actions on a real replica: CSRF protection, buttons that follow the role, the server
 * enforcing the role whatever the page showed, validation that changes nothing, and the audit log
 * naming the operator.
 */
class ConsoleActionsTest {

  @TempDir Path dataDir;

  private ServerFixture server;

  @BeforeEach
  void start() {
    server = ServerFixture.start(dataDir);
    server.createNamespace("core");
    server.publishLayer("core", "default", "{\"maxUsers\":10}");
    server.createInstance("acme-prod", "live");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String credential(String name, String role) {
    return server
        .admin(
            "POST",
            "/v1/admin/credentials",
            "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}")
        .get("token")
        .asText();
  }

  private ConsoleClient as(String token) {
    return new ConsoleClient(server.server().port()).loggedIn(token);
  }

  /**
   * Proposes new content for a layer through the edit form, as written against what the form
   * showed.
   */
  private static HttpResponse<String> propose(
      ConsoleClient client, String scope, String content, String description) {
    String form = client.get("/console/namespaces/core/edit?scope=" + scope).body();
    Matcher base = Pattern.compile("name=\"baseRevision\" value=\"(\\d+)\"").matcher(form);
    assertThat(base.find()).as("the edit form of %s", scope).isTrue();
    return client.submit(
        "/console/namespaces/core/edit",
        "scope",
        scope,
        "baseRevision",
        base.group(1),
        "content",
        content,
        "description",
        description,
        "intent",
        "create");
  }

  private static long changeId(HttpResponse<String> created) {
    assertThat(created.statusCode()).isEqualTo(303);
    String location = created.headers().firstValue("Location").orElseThrow();
    assertThat(location).matches("/console/changes/\\d+");
    return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
  }

  private boolean frozen() {
    return server.admin("GET", "/v1/admin/rollouts", null).get("freeze").get("frozen").asBoolean();
  }

  @Test
  void aPostWithoutTheCsrfToken_isRefused_andChangesNothing() {
    ConsoleClient admin = as(server.adminToken());

    HttpResponse<String> missing = admin.post("/console/rollouts/freeze", "reason", "incident");
    HttpResponse<String> wrong =
        admin.post("/console/rollouts/freeze", "reason", "incident", "csrf", "forged");

    assertThat(missing.statusCode()).isEqualTo(403);
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.body()).contains("security token");
    assertThat(frozen()).isFalse();
  }

  @Test
  void aPostFromAnotherOrigin_isRefused_evenWithTheToken() {
    ConsoleClient admin = as(server.adminToken());

    HttpResponse<String> crossOrigin =
        admin.postWithHeaders(
            "/console/rollouts/freeze",
            List.of("Origin", "http://evil.example"),
            "reason",
            "incident",
            "csrf",
            admin.csrf());
    HttpResponse<String> crossSite =
        admin.postWithHeaders(
            "/console/rollouts/freeze",
            List.of("Sec-Fetch-Site", "cross-site"),
            "reason",
            "incident",
            "csrf",
            admin.csrf());

    assertThat(crossOrigin.statusCode()).isEqualTo(403);
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(frozen()).isFalse();
  }

  @Test
  void aPostWithTheToken_acts_asTheLoggedInCredential_inTheAuditLog() {
    ConsoleClient publisher = as(credential("oncall", "publisher"));

    HttpResponse<String> freeze =
        publisher.submit("/console/rollouts/freeze", "reason", "incident 42");

    assertThat(freeze.statusCode()).isEqualTo(303);
    assertThat(freeze.headers().firstValue("Location")).hasValue("/console/rollouts");
    assertThat(frozen()).isTrue();
    JsonNode audit =
        server.admin("GET", "/v1/admin/audit?action=rollouts.freeze", null).get("entries");
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).get("actor").asText()).isEqualTo("admin:oncall");
    assertThat(publisher.get("/console/rollouts").body())
        .contains("Rollouts frozen")
        .contains("incident 42");
  }

  @Test
  void aViewer_seesNoControls_andIsRefusedWhenPostingAnyway() {
    ConsoleClient viewer = as(credential("watcher", "viewer"));

    String rollouts = viewer.get("/console/rollouts").body();
    String namespace = viewer.get("/console/namespaces/core").body();
    assertThat(rollouts)
        .doesNotContain("id=\"freeze\"")
        .doesNotContain("action=\"/console/rollouts/freeze\"");
    assertThat(namespace)
        .doesNotContain("id=\"edit-default\"")
        .doesNotContain("Edit another layer");
    assertThat(viewer.get("/console/fleet").body()).doesNotContain("href=\"/console/audit\"");

    HttpResponse<String> freeze =
        viewer.submit("/console/rollouts/freeze", "reason", "I should not");
    assertThat(freeze.statusCode()).isEqualTo(303);
    assertThat(frozen()).isFalse();
    assertThat(viewer.get("/console/rollouts").body())
        .contains("Not permitted for this role")
        .contains("this needs the publisher role; credential &#39;watcher&#39; has viewer");
    assertThat(viewer.get("/console/audit").statusCode()).isEqualTo(403);
    assertThat(viewer.get("/console/namespaces/core/edit?scope=default").statusCode())
        .isEqualTo(403);
  }

  @Test
  void buttons_followTheRole_editorEdits_publisherSteers_adminLiftsTheFreeze() {
    ConsoleClient editor = as(credential("ed", "editor"));
    ConsoleClient publisher = as(credential("pub", "publisher"));
    ConsoleClient admin = as(server.adminToken());
    admin.submit("/console/rollouts/freeze", "reason", "release window");

    assertThat(editor.get("/console/namespaces/core").body()).contains("id=\"edit-default\"");
    assertThat(editor.get("/console/rollouts").body())
        .doesNotContain("id=\"freeze\"")
        .doesNotContain("id=\"unfreeze\"");
    assertThat(publisher.get("/console/rollouts").body())
        .contains("id=\"freeze\"")
        .doesNotContain("id=\"unfreeze\"");
    assertThat(admin.get("/console/rollouts").body())
        .contains("id=\"freeze\"")
        .contains("id=\"unfreeze\"");
    assertThat(admin.get("/console/fleet").body()).contains("href=\"/console/audit\"");
  }

  @Test
  void anEditorsChange_needsAnotherPublishersApproval_andTheAuthorSeesNoApproveButton() {
    ConsoleClient editor = as(credential("ed", "editor"));
    long id = changeId(propose(editor, "default", "{\"maxUsers\": 20}", "more users"));
    assertThat(server.admin("GET", "/v1/admin/changes/" + id, null).get("author").asText())
        .isEqualTo("admin:ed");

    ConsoleClient author = as(credential("pubauthor", "publisher"));
    long own = changeId(propose(author, "ring:live", "{\"maxUsers\": 30}", "live only"));
    assertThat(author.get("/console/changes/" + own).body())
        .contains("id=\"own-change\"")
        .doesNotContain("id=\"approve\"");

    ConsoleClient publisher = as(credential("pub", "publisher"));
    String page = publisher.get("/console/changes/" + id).body();
    assertThat(page).contains("id=\"approve\"");
    HttpResponse<String> approve =
        publisher.submit(
            "/console/changes/" + id + "/approve",
            "version",
            String.valueOf(
                server.admin("GET", "/v1/admin/changes/" + id, null).get("version").asLong()));
    assertThat(approve.statusCode()).isEqualTo(303);
    assertThat(publisher.get("/console/changes/" + id).body()).contains("Approve: done");
    assertThat(
            server
                .admin("GET", "/v1/admin/changes/" + id, null)
                .get("approvals")
                .get(0)
                .get("approver")
                .asText())
        .isEqualTo("admin:pub");
  }

  @Test
  void anInvalidLayer_isShownWithItsProblem_andCreatesNoChange() {
    ConsoleClient editor = as(credential("ed", "editor"));
    editor.get("/console/namespaces/core/edit?scope=default");

    HttpResponse<String> malformed =
        editor.submit(
            "/console/namespaces/core/edit",
            "scope",
            "default",
            "baseRevision",
            "0",
            "content",
            "{\"maxUsers\": ",
            "description",
            "broken",
            "intent",
            "create");
    HttpResponse<String> notAnObject =
        editor.submit(
            "/console/namespaces/core/edit",
            "scope",
            "default",
            "baseRevision",
            "0",
            "content",
            "[1, 2]",
            "description",
            "broken",
            "intent",
            "create");
    HttpResponse<String> duplicate =
        editor.submit(
            "/console/namespaces/core/edit",
            "scope",
            "default",
            "baseRevision",
            "0",
            "content",
            "{\"a\":1,\"a\":2}",
            "description",
            "broken",
            "intent",
            "create");
    HttpResponse<String> noDescription =
        editor.submit(
            "/console/namespaces/core/edit",
            "scope",
            "default",
            "baseRevision",
            "0",
            "content",
            "{\"maxUsers\": 11}",
            "description",
            " ",
            "intent",
            "create");
    HttpResponse<String> negativeBase =
        editor.submit(
            "/console/namespaces/core/edit",
            "scope",
            "default",
            "baseRevision",
            "-1",
            "content",
            "{\"maxUsers\": 11}",
            "description",
            "edit",
            "intent",
            "create");
    HttpResponse<String> noBase =
        editor.submit(
            "/console/namespaces/core/edit",
            "scope",
            "default",
            "content",
            "{\"maxUsers\": 11}",
            "description",
            "edit",
            "intent",
            "create");

    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body())
        .contains("Malformed JSON")
        .contains("{&quot;maxUsers&quot;: </textarea>");
    assertThat(notAnObject.statusCode()).isEqualTo(400);
    assertThat(notAnObject.body()).contains("a layer must be a JSON object");
    assertThat(duplicate.body()).contains("Duplicate JSON member");
    assertThat(noDescription.statusCode()).isEqualTo(400);
    assertThat(negativeBase.statusCode()).isEqualTo(400);
    assertThat(negativeBase.body()).contains("baseRevision must be the published revision");
    assertThat(noBase.statusCode()).isEqualTo(400);
    assertThat(server.admin("GET", "/v1/admin/changes", null).get("changes")).isEmpty();
  }

  @Test
  void preview_showsTheDiffPerRing_andStoresNothing() {
    ConsoleClient editor = as(credential("ed", "editor"));
    editor.get("/console/namespaces/core/edit?scope=default");

    HttpResponse<String> preview =
        editor.submit(
            "/console/namespaces/core/edit",
            "scope",
            "default",
            "baseRevision",
            "0",
            "content",
            "{\"maxUsers\": 25, \"theme\": \"dark\"}",
            "description",
            "",
            "intent",
            "preview");

    assertThat(preview.statusCode()).isEqualTo(200);
    assertThat(preview.body())
        .contains("id=\"preview-result\"")
        .contains("core for ring:live")
        .contains("<code>/maxUsers</code>")
        .contains("<code>10</code>")
        .contains("<code>25</code>")
        .contains("<code>/theme</code>");
    assertThat(server.admin("GET", "/v1/admin/changes", null).get("changes")).isEmpty();
  }

  @Test
  void aChangeActionOnAVersionThatMovedOn_isRefused_andTheChangeStaysAsItIs() {
    ConsoleClient editor = as(credential("ed", "editor"));
    long id = changeId(propose(editor, "default", "{\"maxUsers\": 20}", "more"));

    HttpResponse<String> cancel =
        editor.submit("/console/changes/" + id + "/cancel", "version", "999", "reason", "oops");

    assertThat(cancel.statusCode()).isEqualTo(303);
    assertThat(server.admin("GET", "/v1/admin/changes/" + id, null).get("state").asText())
        .isEqualTo("draft");
    assertThat(editor.get("/console/changes/" + id).body()).contains("Changed since you read it");
  }
}
