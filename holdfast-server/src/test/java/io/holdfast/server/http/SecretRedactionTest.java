package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.auth.CredentialTokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * FAULTS D14: secrets are redacted everywhere. A replica is driven through every path that handles
 * a token (the configured bootstrap token, admin tokens created, rotated and revoked, instance
 * tokens, refused and accepted console logins, refused requests, malformed headers), with every
 * logger at DEBUG and the access log on; then the logs, every answer (problems, admin JSON, console
 * pages), the audit log, the metrics and the files the replica keeps besides the admin-token file
 * are searched. No token, and no token's hash, appears in any of them.
 */
class SecretRedactionTest {

  private static final String CONFIGURED = "hfa_configured-bootstrap-token-0123456789abcdef";

  @TempDir Path dataDir;

  private final List<String> secrets = new ArrayList<>();
  private final List<String> seen = new ArrayList<>();

  private HttpResponse<byte[]> keep(HttpResponse<byte[]> response) {
    seen.add(response.headers().map().toString());
    seen.add(new String(response.body(), StandardCharsets.UTF_8));
    return response;
  }

  private String secret(String token) {
    secrets.add(token);
    return token;
  }

  @Test
  void D14_tokensNeverAppear_inLogsProblemsPagesAuditMetricsOrFiles() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger access = (Logger) LoggerFactory.getLogger("holdfast.access");
    Level rootLevel = root.getLevel();
    Level accessLevel = access.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    access.setLevel(Level.DEBUG);
    secret(CONFIGURED);
    try (ServerFixture server =
        ServerFixture.startConfigured(dataDir, b -> b.adminToken(CONFIGURED))) {
      exercise(server);
      seen.add(server.server().metrics().scrape());
    } finally {
      root.setLevel(rootLevel);
      access.setLevel(accessLevel);
      root.detachAppender(logs);
    }
    for (ILoggingEvent event : logs.list) {
      seen.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        seen.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
      seen.add(String.valueOf(event.getMDCPropertyMap()));
    }
    try (Stream<Path> files = Files.list(dataDir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pem")).toList()) {
        seen.add(Files.readString(file));
      }
    }

    assertThat(logs.list).as("the logs were captured at all").isNotEmpty();
    assertThat(secrets).as("configured, two instance and two admin tokens").hasSize(5);
    String everything = String.join("\n", seen);
    for (String token : secrets) {
      assertThat(everything).as("a token").doesNotContain(token.substring(0, 12));
      assertThat(everything).as("a token's hash").doesNotContain(CredentialTokens.hash(token));
      // Not even a recognisable piece of it.
      assertThat(everything).doesNotContain(token.substring(4, 20));
    }
  }

  private void exercise(ServerFixture server) throws Exception {
    String admin = server.adminToken();
    assertThat(admin).isEqualTo(CONFIGURED);
    server.createNamespace("core");
    String instance = secret(server.createInstance("acme", "live"));
    keep(server.get("/v1/instances/acme/config/core", instance));
    keep(server.get("/v1/instances/acme/checksums", instance));
    keep(server.get("/v1/instances/other/config/core", instance));
    // The answers that mint a token show it, once, to the admin who asked: those alone are not
    // searched.
    String rotatedInstance =
        secret(
            ServerFixture.json(
                    server.send("POST", "/v1/admin/instances/acme/credential", admin, null))
                .get("credential")
                .asText());
    keep(server.get("/v1/instances/acme/config/core", instance));
    keep(server.get("/v1/instances/acme/config/core", rotatedInstance));

    String ops =
        secret(
            ServerFixture.json(
                    server.sendJson(
                        "POST",
                        "/v1/admin/credentials",
                        admin,
                        "{\"name\":\"ops\",\"role\":\"editor\"}"))
                .get("token")
                .asText());
    keep(server.get("/v1/admin/credentials", admin));
    keep(server.get("/v1/admin/credentials/ops", admin));
    keep(server.get("/v1/admin/credentials", ops)); // 403 for an editor
    String rotated =
        secret(
            ServerFixture.json(server.send("POST", "/v1/admin/credentials/ops/rotate", admin, null))
                .get("token")
                .asText());
    keep(server.get("/v1/admin/rings", ops)); // 401: rotated away
    keep(server.send("POST", "/v1/admin/credentials/ops/revoke", admin, null));
    keep(server.get("/v1/admin/rings", rotated)); // 401: revoked
    keep(
        server.get(
            "/v1/admin/rings", null, "Authorization", "Bearer " + rotated + " trailing junk"));
    keep(server.get("/v1/admin/rings", null, "Authorization", "Basic " + rotated));
    keep(
        server.get(
            "/v1/admin/rings", null, "Authorization", "Bearer " + rotated + "x".repeat(600)));
    keep(server.get("/v1/admin/rings?token=" + rotated.substring(0, 4), admin));
    keep(
        server.sendJson(
            "PATCH",
            "/v1/admin/credentials/bootstrap",
            admin,
            "{\"role\":\"viewer\"}")); // last admin

    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    for (String token : List.of(rotated, ops, instance, admin)) {
      HttpResponse<String> login =
          http.send(
              HttpRequest.newBuilder(server.uri("/console/login"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("token=" + token))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      seen.add(login.headers().map().toString());
      seen.add(login.body());
      String cookie =
          login
              .headers()
              .firstValue("Set-Cookie")
              .map(c -> c.substring(0, c.indexOf(';')))
              .orElse(null);
      if (cookie != null) {
        for (String page :
            List.of(
                "/console/fleet",
                "/console/audit",
                "/console/instances/acme",
                "/console/replicas")) {
          HttpResponse<String> answer =
              http.send(
                  HttpRequest.newBuilder(server.uri(page)).header("Cookie", cookie).build(),
                  HttpResponse.BodyHandlers.ofString());
          seen.add(answer.body());
        }
      }
    }
    keep(server.get("/v1/admin/audit?limit=1000", admin));
    keep(server.get("/v1/admin/audit/verify", admin));
    keep(server.get("/v1/admin/instances", admin));
    keep(server.get("/health/ready", null));
    // A record's toString names every component: the configuration must not, wherever it is
    // printed.
    seen.add(String.valueOf(server.server().config()));
  }
}
