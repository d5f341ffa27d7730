package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.SubscriptionTestSupport.SUBSCRIPTIONS;
import static io.holdfast.server.http.SubscriptionTestSupport.application;
import static io.holdfast.server.http.SubscriptionTestSupport.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log through the admin API: who changed what and how (the bootstrap credential
 * registered at start-up is the first row), filters, and the chain verification that catches a row
 * edited straight in the database.
 */
class AuditApiTest {

  @TempDir Path dataDir;

  private ServerFixture server;
  private String subscription;

  @BeforeEach
  void start() {
    server = ServerFixture.start(dataDir);
    server.createInstance("acme-prod", "live");
    application(server, "crm");
    subscription =
        subscribe(server, "acme-prod", "crm", 25, "2026-01-01T00:00:00Z", null).get("id").asText();
    server.admin("PATCH", SUBSCRIPTIONS + "/" + subscription, "{\"quantity\":30}");
    server.admin("POST", SUBSCRIPTIONS + "/" + subscription + "/end", null);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void auditLog_showsEverySubscriptionChangeNewestFirst_withAnIntactChain() {
    JsonNode audit = server.admin("GET", "/v1/admin/audit", null);

    JsonNode entries = audit.get("entries");
    assertThat(entries)
        .extracting(e -> e.get("action").asText())
        .containsExactly(
            "subscription.cancel",
            "subscription.change",
            "subscription.create",
            "application.create",
            "instance.create",
            "credential.bootstrap");
    assertThat(entries)
        .extracting(e -> e.get("actor").asText())
        .containsExactly(
            "admin:bootstrap",
            "admin:bootstrap",
            "admin:bootstrap",
            "admin:bootstrap",
            "admin:bootstrap",
            "system");
    JsonNode change = entries.get(1);
    assertThat(change.get("target").asText()).isEqualTo("subscription:" + subscription);
    assertThat(change.get("before").get("quantity").asLong()).isEqualTo(25);
    assertThat(change.get("after").get("quantity").asLong()).isEqualTo(30);
    assertThat(change.get("prevHash").asText()).isEqualTo(entries.get(2).get("hash").asText());
    JsonNode verification = audit.get("verification");
    assertThat(verification.get("intact").asBoolean()).isTrue();
    assertThat(verification.get("checked").asLong()).isEqualTo(6);
    assertThat(verification.get("lastHash").asText())
        .isEqualTo(entries.get(0).get("hash").asText());
  }

  @Test
  void auditLog_filtersByActionTargetActorSinceAndLimit() {
    assertThat(
            server.admin("GET", "/v1/admin/audit?action=subscription.change", null).get("entries"))
        .hasSize(1);
    assertThat(
            server
                .admin("GET", "/v1/admin/audit?target=subscription:" + subscription, null)
                .get("entries"))
        .hasSize(3);
    assertThat(server.admin("GET", "/v1/admin/audit?target=application:", null).get("entries"))
        .hasSize(1);
    assertThat(server.admin("GET", "/v1/admin/audit?actor=admin:someone-else", null).get("entries"))
        .isEmpty();
    assertThat(server.admin("GET", "/v1/admin/audit?limit=2", null).get("entries")).hasSize(2);
    assertThat(
            server.admin("GET", "/v1/admin/audit?since=2999-01-01T00:00:00Z", null).get("entries"))
        .isEmpty();
  }

  @Test
  void rowEditedInTheDatabase_isReportedByVerification() throws SQLException {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("holdfast.db"));
        Statement statement = c.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 5000");
      statement.executeUpdate(
          "UPDATE audit_log SET after = replace(after, '\"quantity\":30', '\"quantity\":300')"
              + " WHERE action = 'subscription.change'");
    }

    JsonNode verification = server.admin("GET", "/v1/admin/audit/verify", null);

    assertThat(verification.get("intact").asBoolean()).isFalse();
    assertThat(verification.get("firstBrokenSeq").asLong()).isEqualTo(5);
    assertThat(verification.get("problem").asText()).contains("row 5");
    assertThat(
            server
                .admin("GET", "/v1/admin/audit", null)
                .get("verification")
                .get("intact")
                .asBoolean())
        .isFalse();
  }

  @Test
  void listing_checksOnlyTheRowsSinceItsLastCheck_whileVerifyWalksThemAll() throws SQLException {
    assertThat(
            server.admin("GET", "/v1/admin/audit", null).get("verification").get("read").asLong())
        .isEqualTo(6);
    application(server, "billing");

    JsonNode listed = server.admin("GET", "/v1/admin/audit?limit=1", null).get("verification");
    assertThat(listed.get("read").asLong()).as("the checkpoint row and the new one").isEqualTo(2);
    assertThat(listed.get("checked").asLong()).isEqualTo(7);
    assertThat(listed.get("intact").asBoolean()).isTrue();
    assertThat(server.admin("GET", "/v1/admin/audit/verify", null).get("read").asLong())
        .isEqualTo(7);

    application(server, "search");
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("holdfast.db"));
        Statement statement = c.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 5000");
      statement.executeUpdate("UPDATE audit_log SET actor = 'admin:mallory' WHERE seq = 8");
    }

    JsonNode tampered = server.admin("GET", "/v1/admin/audit", null).get("verification");
    assertThat(tampered.get("intact").asBoolean()).isFalse();
    assertThat(tampered.get("firstBrokenSeq").asLong()).isEqualTo(8);
  }

  @Test
  void auditLog_isForAdminsOnly() {
    String publisher = HttpTestSupport.createCredential(server, "pub", "publisher");

    assertProblem(server.get("/v1/admin/audit", publisher), ProblemType.FORBIDDEN);
    assertProblem(server.get("/v1/admin/audit/verify", publisher), ProblemType.FORBIDDEN);
  }
}
