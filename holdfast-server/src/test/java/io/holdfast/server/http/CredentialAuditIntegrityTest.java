package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS D15, for access control: every credential action (bootstrap, create, change of role and
 * expiry, rotation, revocation, a refused console login) leaves exactly one audit row naming its
 * actor, target and before/after, in the chain; a row edited or deleted in the database afterwards
 * is found by the chain check, at that row.
 */
class CredentialAuditIntegrityTest {

  @TempDir Path dataDir;

  private ServerFixture server;

  @BeforeEach
  void start() throws Exception {
    server = ServerFixture.start(dataDir);
    server.admin("POST", "/v1/admin/credentials", "{\"name\":\"ops\",\"role\":\"viewer\"}");
    server.admin(
        "PATCH",
        "/v1/admin/credentials/ops",
        "{\"role\":\"admin\",\"expiresAt\":\"2100-01-01T00:00:00Z\"}");
    server.admin("POST", "/v1/admin/credentials/ops/rotate", null);
    server.admin("PATCH", "/v1/admin/credentials/ops", "{\"role\":\"editor\"}");
    server.admin("POST", "/v1/admin/credentials/ops/revoke", null);
    HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(server.uri("/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=hfa_guess"))
                .build(),
            HttpResponse.BodyHandlers.discarding());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void D15_everyCredentialAction_hasOneAuditRow_withActorTargetAndBeforeAfter() {
    JsonNode audit = server.admin("GET", "/v1/admin/audit?target=credential:", null);
    JsonNode entries = audit.get("entries");

    assertThat(entries)
        .extracting(e -> e.get("action").asText())
        .containsExactly(
            "credential.revoke",
            "credential.update",
            "credential.rotate",
            "credential.update",
            "credential.create",
            "credential.bootstrap");
    for (JsonNode entry : entries) {
      String action = entry.get("action").asText();
      assertThat(entry.get("actor").asText())
          .as(action)
          .isEqualTo(action.equals("credential.bootstrap") ? "system" : "admin:bootstrap");
      assertThat(entry.get("after").get("name").asText()).as(action).isIn("ops", "bootstrap");
      if (!action.equals("credential.create") && !action.equals("credential.bootstrap")) {
        assertThat(entry.get("before").isObject())
            .as("%s says what it was before", action)
            .isTrue();
      }
    }
    JsonNode promoted = entries.get(3);
    assertThat(promoted.get("before").get("role").asText()).isEqualTo("viewer");
    assertThat(promoted.get("after").get("role").asText()).isEqualTo("admin");
    assertThat(promoted.get("after").get("expiresAt").asText()).isEqualTo("2100-01-01T00:00:00Z");
    JsonNode login =
        server.admin("GET", "/v1/admin/audit?action=console.login-failed", null).get("entries");
    assertThat(login).hasSize(1);
    assertThat(login.get(0).get("actor").asText()).isEqualTo("unknown");
    assertThat(audit.get("verification").get("intact").asBoolean()).isTrue();
  }

  @Test
  void D15_aCredentialRowEditedInTheDatabase_isFoundByTheChainCheck_atThatRow() throws Exception {
    long seq;
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("holdfast.db"));
        Statement statement = c.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 5000");
      try (ResultSet rs =
          statement.executeQuery("SELECT seq FROM audit_log WHERE action = 'credential.revoke'")) {
        rs.next();
        seq = rs.getLong(1);
      }
      // Someone hides who revoked the credential.
      statement.executeUpdate("UPDATE audit_log SET actor = 'admin:nobody' WHERE seq = " + seq);
    }

    JsonNode verification = server.admin("GET", "/v1/admin/audit/verify", null);

    assertThat(verification.get("intact").asBoolean()).isFalse();
    assertThat(verification.get("firstBrokenSeq").asLong()).isEqualTo(seq);
  }

  @Test
  void D15_aCredentialRowDeletedFromTheDatabase_isFoundByTheChainCheck() throws Exception {
    long seq;
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("holdfast.db"));
        Statement statement = c.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 5000");
      try (ResultSet rs =
          statement.executeQuery("SELECT seq FROM audit_log WHERE action = 'credential.rotate'")) {
        rs.next();
        seq = rs.getLong(1);
      }
      // Someone removes the trace of a rotation.
      statement.executeUpdate("DELETE FROM audit_log WHERE seq = " + seq);
    }

    JsonNode verification = server.admin("GET", "/v1/admin/audit/verify", null);

    assertThat(verification.get("intact").asBoolean()).isFalse();
    assertThat(verification.get("firstBrokenSeq").asLong()).isEqualTo(seq + 1);
  }
}
