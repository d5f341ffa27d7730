package io.holdfast.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.testkit.ManualTime;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Console sessions are worth only as much as the credential that opened them: a revoked, rotated or
 * expired credential ends its sessions on every replica (at once where the change was made, within
 * one refresh interval on another replica over the same SQLite file). Refused logins are audited,
 * with the credential's name when the token was a revoked one, and never the token.
 */
class ConsoleCredentialLifecycleTest {

  private static final Duration PROPAGATION = Duration.ofSeconds(5);

  @TempDir Path dataDir;

  private ServerFixture replicaA;
  private ServerFixture replicaB;

  @BeforeEach
  void start() {
    replicaA = ServerFixture.start(dataDir);
    replicaB = ServerFixture.start(dataDir);
  }

  @AfterEach
  void stop() {
    replicaB.close();
    replicaA.close();
  }

  private String createOps() {
    String token =
        replicaA
            .admin("POST", "/v1/admin/credentials", "{\"name\":\"ops\",\"role\":\"editor\"}")
            .get("token")
            .asText();
    Awaitility.await()
        .atMost(PROPAGATION)
        .until(() -> replicaB.get("/v1/admin/rings", token).statusCode() == 200);
    return token;
  }

  private static boolean inSession(ConsoleClient client) {
    return client.get("/console/fleet").statusCode() == 200;
  }

  @Test
  void revokingACredential_endsItsConsoleSessions_onBothReplicas() {
    String token = createOps();
    ConsoleClient onA = new ConsoleClient(replicaA.server().port()).loggedIn(token);
    ConsoleClient onB = new ConsoleClient(replicaB.server().port()).loggedIn(token);
    assertThat(inSession(onA)).isTrue();
    assertThat(inSession(onB)).isTrue();

    replicaA.admin("POST", "/v1/admin/credentials/ops/revoke", null);

    HttpResponse<String> page = onA.get("/console/fleet");
    assertThat(page.statusCode()).as("ended at once on the replica that revoked it").isEqualTo(303);
    assertThat(page.headers().firstValue("Location")).hasValue("/console/login");
    Awaitility.await().atMost(PROPAGATION).until(() -> !inSession(onB));
    assertThat(new ConsoleClient(replicaB.server().port()).login(token).statusCode())
        .as("and the token cannot log in again")
        .isEqualTo(401);
  }

  @Test
  void rotatingACredential_endsItsConsoleSessions_andTheNewTokenLogsIn() {
    String token = createOps();
    ConsoleClient onA = new ConsoleClient(replicaA.server().port()).loggedIn(token);
    ConsoleClient onB = new ConsoleClient(replicaB.server().port()).loggedIn(token);

    String fresh =
        replicaB.admin("POST", "/v1/admin/credentials/ops/rotate", null).get("token").asText();

    assertThat(inSession(onB)).as("at once where it was rotated").isFalse();
    Awaitility.await().atMost(PROPAGATION).until(() -> !inSession(onA));
    Awaitility.await()
        .atMost(PROPAGATION)
        .until(() -> new ConsoleClient(replicaA.server().port()).login(fresh).statusCode() == 303);
  }

  @Test
  void failedLogins_areAudited_withTheAddress_andTheNameOfARevokedCredential_neverTheToken() {
    String token = createOps();
    replicaA.admin("POST", "/v1/admin/credentials/ops/revoke", null);
    ConsoleClient client = new ConsoleClient(replicaA.server().port());

    assertThat(client.login("hfa_no-such-token-at-all").statusCode()).isEqualTo(401);
    assertThat(client.login(token).statusCode()).isEqualTo(401);

    JsonNode entries =
        replicaA.admin("GET", "/v1/admin/audit?action=console.login-failed", null).get("entries");
    assertThat(entries).hasSize(2);
    JsonNode revoked = entries.get(0);
    assertThat(revoked.get("actor").asText()).isEqualTo("unknown");
    assertThat(revoked.get("target").asText()).isEqualTo("credential:ops");
    assertThat(revoked.get("after").get("credential").asText()).isEqualTo("ops");
    assertThat(revoked.get("after").get("address").asText()).isEqualTo("127.0.0.1");
    JsonNode unknown = entries.get(1);
    assertThat(unknown.get("target").asText()).isEqualTo("console");
    assertThat(unknown.get("after").has("credential")).isFalse();
    String audit = replicaA.admin("GET", "/v1/admin/audit", null).toString();
    assertThat(audit)
        .doesNotContain(token)
        .doesNotContain(CredentialTokens.hash(token))
        .doesNotContain("hfa_no-such-token-at-all");
  }

  @Test
  void anExpiringCredential_endsItsSessionWhenItExpires(@TempDir Path ownDir) {
    ManualTime time = new ManualTime(Instant.now());
    try (ServerFixture replica = ServerFixture.startWithClock(ownDir, time.clock())) {
      Instant expiry = time.clock().instant().plus(Duration.ofMinutes(10));
      String token =
          replica
              .admin(
                  "POST",
                  "/v1/admin/credentials",
                  "{\"name\":\"temp\",\"role\":\"viewer\",\"expiresAt\":\"" + expiry + "\"}")
              .get("token")
              .asText();
      ConsoleClient client = new ConsoleClient(replica.server().port()).loggedIn(token);
      time.advance(Duration.ofMinutes(9));
      assertThat(inSession(client)).isTrue();

      time.advance(Duration.ofMinutes(1));

      assertThat(inSession(client)).isFalse();
      assertThat(new ConsoleClient(replica.server().port()).login(token).statusCode())
          .isEqualTo(401);
    }
  }
}
