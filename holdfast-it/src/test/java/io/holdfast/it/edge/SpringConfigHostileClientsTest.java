package io.holdfast.it.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spring Cloud Config's routes ({@code /{application}/{profile}[/{label}]} and the file forms) are
 * network-facing and take HTTP Basic, so they get their own hostile clients, against a real replica
 * process: malformed credentials of every kind, HTTP/1.0, other methods, garbage validators, and
 * paths that try traversal, oversized or oddly encoded segments. Each must get a clean 4xx problem
 * (never a 500 or a stack trace in the log), and none may change what the instance is served.
 */
class SpringConfigHostileClientsTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir static Path dir;
  static EdgeReplica replica;

  @BeforeAll
  static void start() throws Exception {
    replica = new EdgeReplica(dir, 4096, 10_000, 5_000, 10_000, 20_000, 256, 4, 16);
  }

  @AfterAll
  static void stop() {
    if (replica != null) {
      replica.close();
    }
  }

  @Test
  void malformedAuthorizationHeaders_are401Problems_andChangeNothing() {
    String served = environment("/core/default", basic("acme:" + replica.acme));
    assertThat(served).contains("\"maxUsers\":100").contains("holdfast:acme/core@");

    Map<String, String> unauthenticated = new LinkedHashMap<>();
    unauthenticated.put("not base64", "Basic !!!not*base64!!!");
    unauthenticated.put("base64 without a colon", basic("acme" + replica.acme));
    unauthenticated.put("an empty user", basic(":" + replica.acme));
    unauthenticated.put("an empty password", basic("acme:"));
    unauthenticated.put("only a colon", basic(":"));
    unauthenticated.put("Basic with nothing after it", "Basic ");
    unauthenticated.put("Basic with no space", "Basic");
    unauthenticated.put(
        "not UTF-8",
        "Basic "
            + Base64.getEncoder()
                .encodeToString(new byte[] {'a', 'c', 'm', 'e', ':', (byte) 0xff, (byte) 0xfe}));
    unauthenticated.put("another instance's token", basic("acme:" + replica.globex));
    unauthenticated.put("the admin token as the password", basic("admin:" + EdgeReplica.ADMIN));
    unauthenticated.put("a wrong token", basic("acme:hfi_" + "x".repeat(40)));
    unauthenticated.put("a 10 KB password", basic("acme:" + "p".repeat(10 * 1024)));
    unauthenticated.put("an unknown scheme", "Digest username=\"acme\", response=\"00\"");
    unauthenticated.put("a scheme alone", "Negotiate");
    unauthenticated.put("an empty bearer", "Bearer ");

    for (String path : List.of("/core/default", "/core/default/main", "/core-default.properties")) {
      for (Map.Entry<String, String> header : unauthenticated.entrySet()) {
        RawHttp.Exchange seen = get(path, "Authorization: " + header.getValue());
        assertProblem(seen, 401, path + " with " + header.getKey());
        assertThat(seen.text())
            .as("%s with %s: the challenge Spring's client answers", path, header.getKey())
            .contains("WWW-Authenticate: Basic realm=\"holdfast\"");
        assertThat(seen.text()).doesNotContain("maxUsers");
      }
      RawHttp.Exchange twice =
          get(
              path,
              "Authorization: " + basic("acme:" + replica.acme),
              "Authorization: " + basic("acme:" + replica.acme));
      assertProblem(twice, 401, path + " with two Authorization headers");
      assertProblem(
          get(path, "Authorization: Bearer " + EdgeReplica.ADMIN),
          403,
          path + " with the admin token as a bearer");
    }

    // A 100 KB header is beyond the replica's 16 KB header block: refused before any route.
    RawHttp.Exchange huge =
        get("/core/default", "Authorization: " + basic("acme:" + "p".repeat(100 * 1024)));
    assertThat(huge.statuses()).as(huge.text()).containsExactly(431);
    assertThat(huge.text()).contains("application/problem+json");

    assertThat(environment("/core/default", basic("acme:" + replica.acme)))
        .as("what acme is served, after all of it")
        .isEqualTo(served);
    assertThat(replica.read("acme", replica.acme)).isEqualTo(200);
    assertNoServerErrors();
  }

  @Test
  void http10Requests_areAnsweredAndClosed() {
    RawHttp.Exchange read =
        RawHttp.exchange(
            replica.port,
            "GET /core/default HTTP/1.0\r\nAuthorization: "
                + basic("acme:" + replica.acme)
                + "\r\n\r\n",
            WAIT);
    assertThat(read.statuses()).as(read.text()).containsExactly(200);
    assertThat(read.text())
        .contains("Content-Length:")
        .doesNotContain("chunked")
        .contains("\"maxUsers\":100");
    assertThat(read.closed()).as("HTTP/1.0 without keep-alive closes after the answer").isTrue();

    RawHttp.Exchange properties =
        RawHttp.exchange(
            replica.port,
            "GET /main/core-default.properties HTTP/1.0\r\nAuthorization: Bearer "
                + replica.acme
                + "\r\n\r\n",
            WAIT);
    assertThat(properties.statuses()).as(properties.text()).containsExactly(200);
    assertThat(properties.text()).contains("maxUsers: 100");

    RawHttp.Exchange anonymous =
        RawHttp.exchange(replica.port, "GET /core/default HTTP/1.0\r\n\r\n", WAIT);
    assertThat(anonymous.statuses()).containsExactly(401);
    assertThat(anonymous.text())
        .contains("application/problem+json")
        .contains("WWW-Authenticate: Basic realm=\"holdfast\"");
    assertThat(anonymous.closed()).isTrue();
    assertNoServerErrors();
  }

  @Test
  void traversalOversizedAndOddlyEncodedSegments_are4xxProblems() {
    String auth = "Authorization: " + basic("acme:" + replica.acme);
    List<String> paths =
        List.of(
            "/../../etc/passwd/default",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/core/default/..%2F..%2Fetc%2Fpasswd",
            "/core/default/%2e%2e",
            "/core%2Fdefault/main",
            "/core%2F..%2F..%2Fv1%2Fadmin/default",
            "/..%5c..%5cetc/default",
            "/core/%ff%fe/main",
            "/core/default/%c0%ae%c0%ae",
            "/core/%00/main",
            "/core/default/%0d%0aSet-Cookie:%20x=1",
            "/core/%zz/main",
            "/core/default/%",
            "/" + "a".repeat(600) + "/default",
            "/core/" + "p".repeat(600),
            "/core/default/" + "l".repeat(600),
            "/core/default/main/extra",
            "/,,/default",
            "/core,,features/default",
            "/" + "core,".repeat(65) + "x/default",
            "/nope/default",
            "/caf%C3%A9/default",
            "/%20/default",
            "/core;jsessionid=1/default",
            "/..;/default",
            "/core-.properties",
            "/-default.yml",
            "/main/" + "a".repeat(600) + "-default.json",
            "/core/default/main/..%2F..%2F..%2Fv1%2Fadmin%2Fnamespaces");
    Map<String, String> wrong = new LinkedHashMap<>();
    for (String path : paths) {
      RawHttp.Exchange seen = get(path, auth);
      List<Integer> statuses = seen.statuses();
      boolean clean =
          statuses.size() == 1
              && statuses.get(0) >= 400
              && statuses.get(0) < 500
              && seen.text().contains("application/problem+json")
              && !seen.text().contains("maxUsers")
              // The path is echoed in the problem, JSON-escaped: no header may come of it.
              && !seen.text().contains("\r\nSet-Cookie");
      if (!clean) {
        wrong.put(path, seen.text());
      }
    }
    assertThat(wrong).as("paths not answered with one 4xx problem").isEmpty();
    assertNoServerErrors();
  }

  @Test
  void otherMethodsAndGarbageValidators_getCleanAnswers() {
    String auth = "Authorization: " + basic("acme:" + replica.acme);
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      RawHttp.Exchange seen =
          RawHttp.exchange(
              replica.port,
              method
                  + " /core/default HTTP/1.1\r\nHost: x\r\n"
                  + auth
                  + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                  + "Connection: close\r\n\r\n{}",
              WAIT);
      assertThat(seen.statuses()).as("%s: %s", method, seen.text()).hasSize(1);
      assertThat(seen.statuses().get(0)).as("%s: %s", method, seen.text()).isBetween(400, 499);
      assertThat(seen.text()).as(method).contains("application/problem+json");
    }
    for (String validator :
        List.of(
            "\"",
            "*",
            "W/",
            "\"" + "e".repeat(8000) + "\"",
            "\"a\", \"b\", " + "\"c\", ".repeat(500) + "\"d\"",
            "\u0000")) {
      RawHttp.Exchange seen = get("/core/default", auth, "If-None-Match: " + validator);
      assertThat(seen.statuses())
          .as("If-None-Match %s: %s", validator.length(), seen.text())
          .hasSize(1);
      int status = seen.statuses().get(0);
      assertThat(status == 200 || status == 304 || (status >= 400 && status < 500))
          .as("If-None-Match of %s characters: %s", validator.length(), seen.text())
          .isTrue();
    }
    assertNoServerErrors();
  }

  /** The body of an authenticated Environment read, which must succeed. */
  private static String environment(String path, String authorization) {
    RawHttp.Exchange seen = get(path, "Authorization: " + authorization);
    assertThat(seen.statuses()).as(seen.text()).containsExactly(200);
    return seen.text().substring(seen.text().indexOf("\r\n\r\n") + 4);
  }

  private static RawHttp.Exchange get(String path, String... headers) {
    StringBuilder request =
        new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: x\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    return RawHttp.exchange(replica.port, request.toString(), WAIT);
  }

  private static String basic(String userAndPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertProblem(RawHttp.Exchange seen, int status, String what) {
    assertThat(seen.statuses()).as("%s: %s", what, seen.text()).containsExactly(status);
    assertThat(seen.text()).as(what).contains("application/problem+json");
  }

  private static void assertNoServerErrors() {
    assertThat(replica.logLines("Exception")).as("no stack trace for a client's mistake").isEmpty();
    assertThat(replica.logLines("\"status\":500")).as("never a 500").isEmpty();
    assertThat(replica.logLines(" 500 ")).as("never a 500").isEmpty();
  }
}
