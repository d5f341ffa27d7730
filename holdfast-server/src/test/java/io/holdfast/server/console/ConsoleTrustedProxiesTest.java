package io.holdfast.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.config.TrustedProxies;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The login throttle and the audit of refused logins name the client by its forwarded address only
 * when the direct peer is a configured trusted proxy; otherwise the forwarding headers are ignored,
 * so nobody can pose as another address or dodge the throttle by inventing new ones. Tests connect
 * from 127.0.0.1, which plays the proxy.
 */
class ConsoleTrustedProxiesTest {

  @TempDir Path dataDir;

  private static ServerFixture behindProxy(Path dir) {
    return ServerFixture.startConfigured(
        dir, b -> b.trustedProxies(TrustedProxies.of(List.of("127.0.0.1/32"))));
  }

  @Test
  void behindATrustedProxy_fiveFailuresLockOutThatClientOnly_notEveryOperatorBehindTheProxy() {
    try (ServerFixture server = behindProxy(dataDir)) {
      ConsoleClient client = new ConsoleClient(server.server().port());
      for (int i = 0; i < 5; i++) {
        assertThat(
                client
                    .postWithHeaders(
                        "/console/login",
                        List.of("X-Forwarded-For", "203.0.113.5"),
                        "token",
                        "hfa_wrong-" + i)
                    .statusCode())
            .isEqualTo(401);
      }

      assertThat(
              client
                  .postWithHeaders(
                      "/console/login",
                      List.of("X-Forwarded-For", "203.0.113.5"),
                      "token",
                      server.adminToken())
                  .statusCode())
          .as("that client is locked out")
          .isEqualTo(429);
      assertThat(
              new ConsoleClient(server.server().port())
                  .postWithHeaders(
                      "/console/login",
                      List.of("X-Forwarded-For", "203.0.113.6"),
                      "token",
                      server.adminToken())
                  .statusCode())
          .as("another operator behind the same proxy is not")
          .isEqualTo(303);
      JsonNode failed =
          server.admin("GET", "/v1/admin/audit?action=console.login-failed", null).get("entries");
      assertThat(failed).hasSize(5);
      failed.forEach(
          e -> assertThat(e.get("after").get("address").asText()).isEqualTo("203.0.113.5"));
    }
  }

  @Test
  void theClientIsTheLastUntrustedHopOfTheChain_soWhatItWritesItselfIsNotBelieved() {
    try (ServerFixture server = behindProxy(dataDir)) {
      ConsoleClient client = new ConsoleClient(server.server().port());
      // The client wrote 192.0.2.99 itself; the proxy appended the 198.51.100.7 it saw, then a
      // second trusted hop (127.0.0.1) appended itself.
      client.postWithHeaders(
          "/console/login",
          List.of("X-Forwarded-For", "192.0.2.99, 198.51.100.7, 127.0.0.1"),
          "token",
          "hfa_wrong");
      client.postWithHeaders(
          "/console/login",
          List.of("Forwarded", "for=192.0.2.98, for=\"[2001:db8::7]:4711\""),
          "token",
          "hfa_wrong");

      JsonNode failed =
          server.admin("GET", "/v1/admin/audit?action=console.login-failed", null).get("entries");
      assertThat(failed.get(1).get("after").get("address").asText()).isEqualTo("198.51.100.7");
      assertThat(failed.get(0).get("after").get("address").asText())
          .isEqualTo("2001:db8:0:0:0:0:0:7");
    }
  }

  @Test
  void withoutTrustedProxies_forwardingHeadersAreIgnored() {
    try (ServerFixture server = ServerFixture.start(dataDir)) {
      ConsoleClient client = new ConsoleClient(server.server().port());
      for (int i = 0; i < 5; i++) {
        // A new made-up address each time would dodge the throttle if it were believed.
        client.postWithHeaders(
            "/console/login", List.of("X-Forwarded-For", "203.0.113." + i), "token", "hfa_wrong");
      }

      assertThat(
              client
                  .postWithHeaders(
                      "/console/login",
                      List.of("X-Forwarded-For", "203.0.113.200"),
                      "token",
                      server.adminToken())
                  .statusCode())
          .as("the peer's own address is locked out")
          .isEqualTo(429);
      JsonNode failed =
          server.admin("GET", "/v1/admin/audit?action=console.login-failed", null).get("entries");
      failed.forEach(
          e -> assertThat(e.get("after").get("address").asText()).isEqualTo("127.0.0.1"));
    }
  }

  @Test
  void behindATrustedProxyThatTerminatedTls_theSessionCookieIsSecureAndHostPrefixed() {
    try (ServerFixture server = behindProxy(dataDir)) {
      ConsoleClient client = new ConsoleClient(server.server().port());
      String cookie =
          client
              .postWithHeaders(
                  "/console/login",
                  List.of("X-Forwarded-Proto", "https"),
                  "token",
                  server.adminToken())
              .headers()
              .firstValue("Set-Cookie")
              .orElseThrow();
      assertThat(cookie)
          .startsWith("__Host-holdfast_console=")
          .contains("; Secure")
          .contains("; Path=/;");
      String session = cookie.substring(0, cookie.indexOf(';'));
      assertThat(
              client
                  .get("/console/fleet", "Cookie", session, "X-Forwarded-Proto", "https")
                  .statusCode())
          .isEqualTo(200);

      String forwarded =
          new ConsoleClient(server.server().port())
              .postWithHeaders(
                  "/console/login",
                  List.of("Forwarded", "for=192.0.2.1;proto=http, for=198.51.100.7;proto=https"),
                  "token",
                  server.adminToken())
              .headers()
              .firstValue("Set-Cookie")
              .orElseThrow();
      assertThat(forwarded).startsWith("__Host-holdfast_console=").contains("; Secure");
      // What a client wrote ahead of the proxy's own entry is not believed.
      String written =
          new ConsoleClient(server.server().port())
              .postWithHeaders(
                  "/console/login",
                  List.of("X-Forwarded-Proto", "https, http"),
                  "token",
                  server.adminToken())
              .headers()
              .firstValue("Set-Cookie")
              .orElseThrow();
      assertThat(written).startsWith("holdfast_console=").doesNotContain("Secure");
    }
  }

  @Test
  void withoutTrustedProxies_aForwardedProtoDoesNotMakeTheCookieSecure() {
    try (ServerFixture server = ServerFixture.start(dataDir)) {
      String cookie =
          new ConsoleClient(server.server().port())
              .postWithHeaders(
                  "/console/login",
                  List.of("X-Forwarded-Proto", "https"),
                  "token",
                  server.adminToken())
              .headers()
              .firstValue("Set-Cookie")
              .orElseThrow();
      assertThat(cookie)
          .startsWith("holdfast_console=")
          .contains("; Path=/console")
          .doesNotContain("Secure");
    }
  }
}
