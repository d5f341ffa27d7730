package io.holdfast.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.ServerFixture;
import io.holdfast.server.config.TlsSettings;
import io.holdfast.testkit.TestPki;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's session cookie when the console is served over TLS. */
class ConsoleTlsCookieTest {

  @TempDir Path dir;

  private ServerFixture server;
  private TestPki pki;
  private ConsoleClient client;

  @BeforeEach
  void start() {
    pki = TestPki.create(dir, "console");
    TestPki.Issued certificate = pki.server("replica");
    server =
        ServerFixture.startConfigured(
            dir.resolve("data"),
            config ->
                config.tls(
                    TlsSettings.of(certificate.certificate(), certificate.privateKey(), null)));
    client = newClient();
  }

  private ConsoleClient newClient() {
    return new ConsoleClient(
        "https://127.0.0.1:" + server.server().port(),
        HttpClient.newBuilder().sslContext(pki.trustingContext()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void overTls_theSessionCookieIsSecure_andHostPrefixed_andOpensTheConsole() {
    HttpResponse<String> login = client.login(server.adminToken());

    assertThat(login.statusCode()).isEqualTo(303);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    // What browsers require of a __Host- cookie: Secure, Path=/, no Domain.
    assertThat(cookie)
        .startsWith("__Host-holdfast_console=")
        .contains("; Secure")
        .contains("; Path=/;")
        .contains("; HttpOnly")
        .contains("; SameSite=Strict")
        .doesNotContain("Domain");
    assertThat(client.get("/console/fleet").statusCode()).isEqualTo(200);
  }

  @Test
  void overTls_theSessionIdUnderThePlainName_isNotASession() {
    client.login(server.adminToken());
    String id = client.cookie().substring(client.cookie().indexOf('=') + 1);

    // What a plain-HTTP page or a sibling domain could set is not read over TLS.
    HttpResponse<String> fleet =
        newClient().get("/console/fleet", "Cookie", "holdfast_console=" + id);

    assertThat(fleet.statusCode()).isEqualTo(303);
    assertThat(fleet.headers().firstValue("Location")).hasValue("/console/login");
  }
}
