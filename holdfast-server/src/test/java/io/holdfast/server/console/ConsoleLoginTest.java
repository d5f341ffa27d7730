package io.holdfast.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.ServerFixture;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.model.Role;
import io.holdfast.server.store.ConfigStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logging in and out of the console of a real replica, and what ends a session. */
class ConsoleLoginTest {

  @TempDir Path dataDir;

  private ServerFixture server;
  private final AtomicReference<ConfigStore> store = new AtomicReference<>();

  @BeforeEach
  void start() {
    server =
        ServerFixture.start(
            dataDir,
            s -> {
              store.set(s);
              return s;
            });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ConsoleClient client() {
    return new ConsoleClient(server.server().port());
  }

  @Test
  void login_withAdminToken_setsAHardenedSessionCookie_andOpensTheFleet() {
    ConsoleClient client = client();
    HttpResponse<String> login = client.login(server.adminToken());

    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Location")).hasValue("/console/fleet");
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie)
        .startsWith("holdfast_console=")
        .contains("; Path=/console")
        .contains("; HttpOnly")
        .contains("; SameSite=Strict")
        .doesNotContain("Secure")
        .doesNotContain(server.adminToken());
    // 256 random bits, URL-safe base64 without padding.
    assertThat(client.cookie().substring("holdfast_console=".length()))
        .matches("[A-Za-z0-9_-]{43}");

    HttpResponse<String> fleet = client.get("/console/fleet");
    assertThat(fleet.statusCode()).isEqualTo(200);
    assertThat(fleet.body()).contains("<h1>Fleet</h1>").contains("id=\"operator\">bootstrap<");
  }

  @Test
  void login_withUnknownToken_isRefused_andOpensNoSession() {
    ConsoleClient client = client();
    HttpResponse<String> login = client.login("hfa_not-a-real-token");

    assertThat(login.statusCode()).isEqualTo(401);
    assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(login.body())
        .contains("Authentication required")
        .doesNotContain("hfa_not-a-real-token");
    assertThat(client.get("/console/fleet").statusCode()).isEqualTo(303);
  }

  @Test
  void login_withAnInstanceCredential_isForbidden() {
    String instanceToken = server.createInstance("acme-prod", "live");

    HttpResponse<String> login = client().login(instanceToken);

    assertThat(login.statusCode()).isEqualTo(403);
    assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void login_afterFiveFailuresFromOneAddress_isLockedOut_evenWithTheRightToken() {
    ConsoleClient client = client();
    for (int i = 0; i < 5; i++) {
      assertThat(client.login("hfa_wrong-" + i).statusCode()).isEqualTo(401);
    }

    HttpResponse<String> locked = client.login(server.adminToken());

    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("Retry-After")).isPresent();
    assertThat(locked.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void login_fromAnotherSite_isRefused_withoutCountingAgainstTheOperatorsAddress() {
    ConsoleClient client = client();
    HttpResponse<String> login = null;
    // A hostile page the operator visits can post the login form many times over.
    for (int attempt = 0; attempt < 10; attempt++) {
      login =
          client.postWithHeaders(
              "/console/login",
              List.of("Sec-Fetch-Site", "cross-site"),
              "token",
              "hfa_guess-" + attempt);
    }

    assertThat(login.statusCode()).isEqualTo(403);
    assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(client.login(server.adminToken()).statusCode())
        .as("the operator's own login from the same address still works")
        .isEqualTo(303);
  }

  @Test
  void pagesWithoutASession_redirectToLogin_andLiveFragmentsAnswer401() {
    ConsoleClient anonymous = client();

    HttpResponse<String> page = anonymous.get("/console/rollouts");
    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(page.headers().firstValue("Location")).hasValue("/console/login");
    assertThat(anonymous.get("/console/fleet/live").statusCode()).isEqualTo(401);
    assertThat(anonymous.post("/console/rollouts/freeze", "reason", "x").statusCode())
        .isEqualTo(303);
    assertThat(
            server.admin("GET", "/v1/admin/rollouts", null).get("freeze").get("frozen").asBoolean())
        .isFalse();
  }

  @Test
  void logout_endsTheSession_forEveryLaterRequestWithItsCookie() {
    ConsoleClient client = client().loggedIn(server.adminToken());

    HttpResponse<String> logout = client.submit("/console/logout");

    assertThat(logout.statusCode()).isEqualTo(303);
    assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(client.get("/console/fleet").statusCode()).isEqualTo(303);
  }

  @Test
  void aRotatedCredential_endsItsSessions() {
    String token =
        server
            .admin("POST", "/v1/admin/credentials", "{\"name\":\"ops\",\"role\":\"publisher\"}")
            .get("token")
            .asText();
    ConsoleClient client = client().loggedIn(token);
    assertThat(client.get("/console/fleet").statusCode()).isEqualTo(200);

    store
        .get()
        .ensureAdminCredential("ops", Role.PUBLISHER, CredentialTokens.hash("hfa_a-new-token"));

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.get("/console/fleet").statusCode() == 303);
  }

  @Test
  void aCredentialsNewRole_appliesToItsOpenSession() {
    String token =
        server
            .admin("POST", "/v1/admin/credentials", "{\"name\":\"ops\",\"role\":\"publisher\"}")
            .get("token")
            .asText();
    ConsoleClient client = client().loggedIn(token);
    assertThat(client.get("/console/rollouts").body()).contains("id=\"freeze\"");

    store.get().ensureAdminCredential("ops", Role.VIEWER, CredentialTokens.hash(token));

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> client.get("/console/rollouts").body().contains("id=\"operator-role\">viewer<"));
    assertThat(client.get("/console/rollouts").body()).doesNotContain("id=\"freeze\"");
  }
}
