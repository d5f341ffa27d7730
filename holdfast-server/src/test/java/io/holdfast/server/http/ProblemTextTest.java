package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.ServerFixture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's mistake is answered in our words: no problem a replica sends, for any malformed body
 * or header in a battery of them, names a Java class, package, exception or parser setting (which
 * tells a client nothing, and an attacker which libraries to aim at), and none is a 500. Every
 * request goes over a raw socket to a real replica, so that nothing is tidied on the way.
 */
class ProblemTextTest {

  /**
   * A qualified Java name ({@code com.fasterxml.jackson.core.JsonParseException}, {@code
   * java.lang.String}), an exception or error class, a Jackson feature or constraint method, or a
   * Java stack frame.
   */
  private static final Pattern JAVA_NAMES =
      Pattern.compile(
          "\\b(?:java|javax|jdk|sun|com|org|io|net)\\.[a-z]"
              + "|\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z]"
              + "|\\b[A-Z][A-Za-z0-9]*(?:Exception|Error|Feature|Constraints|Factory|Mapper|Node)\\b"
              + "|\\bat [a-z]+\\.[a-z]+\\.[^ ]+\\(|\\$[A-Z][a-z]+\\b|`");

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static String instanceToken;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
    server.createNamespace("core");
    instanceToken = server.createInstance("acme-prod", "live");
    server.publishLayer("core", "default", "{\"seats\":1}");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * One request of the battery: a name for the report, and the raw bytes. A request that is not
   * HTTP/1.1 at all may be answered by closing the connection (connection handling decides); if it
   * is answered, the answer is held to the same rule.
   */
  private record Attempt(String name, byte[] request, boolean mayGoUnanswered) {
    Attempt(String name, byte[] request) {
      this(name, request, false);
    }
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A request with a body and a correct Content-Length; {@code headers} are whole lines. */
  private static byte[] request(
      String method, String path, String token, byte[] body, String... headers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder head =
        new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (token != null) {
      head.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  private static List<Attempt> battery() {
    String admin = server.adminToken();
    String json = "Content-Type: application/json";
    List<Attempt> attempts = new ArrayList<>();
    String[][] targets = {
      {"PUT", "/v1/admin/namespaces/core/layers/default", admin},
      {"POST", "/v1/admin/instances", admin},
      {"POST", "/v1/admin/subscriptions", admin},
      {"POST", "/v1/admin/changes", admin},
      {"PUT", "/v1/admin/namespaces/core/schema", admin},
      {"POST", "/v1/instances/acme-prod/heartbeat", instanceToken}
    };
    List<byte[]> bodies =
        List.of(
            utf8("{"),
            utf8("{\"a\":}"),
            utf8("[1,2"),
            utf8("{\"a\":1}}"),
            utf8("{} {}"),
            utf8("{'a':1}"),
            utf8("{\"a\":tru}"),
            utf8("{\"a\":NaN}"),
            utf8("{\"a\":01}"),
            utf8("{\"a\":1e999999999}"),
            utf8("{\"a\":\"\\ud800\"}"),
            utf8("{\"a\":\"\\x41\"}"),
            utf8("{\"a\":\"" + '\u0001' + "\"}"),
            utf8("{\"a\":" + "1".repeat(1500) + "}"),
            utf8("{\"" + "k".repeat(60_000) + "\":1}"),
            utf8("[".repeat(10_000)),
            utf8("{\"a\":".repeat(40) + "1" + "}".repeat(40)),
            utf8("{\"seats\":10,\"seats\":0}"),
            utf8("\uFEFF{}"),
            utf8(""),
            utf8("null"),
            utf8("1"),
            utf8("\"text\""),
            utf8("{\"unknown\":[1,{\"x\":null}]}"),
            utf8("{\"id\":7,\"ring\":[],\"quantity\":\"many\"}"),
            utf8("{\"type\":12,\"properties\":[]}"),
            utf8("{\"$ref\":\"#\"}"),
            utf8("{\"pattern\":\"(\"}"),
            bytes('{', '"', 'a', '"', ':', '"', 0xC3, 0x28, '"', '}'),
            bytes('{', '"', 'a', '"', ':', '"', 0xC0, 0xAF, '"', '}'),
            bytes('{', '"', 'a', '"', ':', '"', 0xFF, '"', '}'),
            bytes('{', '"', 'a', '"', ':', '"', 0xE2, 0x82),
            bytes(0xFE, 0xFF, 0, '{', 0, '}'),
            bytes(0, 0, 0, '{'));
    for (String[] target : targets) {
      for (byte[] body : bodies) {
        attempts.add(
            new Attempt(
                target[0] + " " + target[1] + " with " + abbreviate(body),
                request(target[0], target[1], target[2], body, json)));
      }
    }
    String[][] shaped = {
      {
        "POST",
        "/v1/admin/rings",
        "{\"name\":\"r1\",\"position\":5,\"bakeTime\":\"99999999999999999d\"}"
      },
      {"POST", "/v1/admin/rings", "{\"name\":\"r2\",\"position\":\"first\",\"bakeTime\":\"\"}"},
      {"POST", "/v1/admin/rings", "{\"name\":\"r3\",\"position\":1e400,\"bakeTime\":\"PT\"}"},
      {
        "PATCH",
        "/v1/admin/rings/live",
        "{\"gate\":{\"minAckRatio\":\"most\",\"ackDeadline\":\"-5s\"}}"
      },
      {"PATCH", "/v1/admin/rings/live", "{\"gate\":[1,2]}"},
      {
        "POST",
        "/v1/admin/instances",
        "{\"id\":\"x1\",\"ring\":\"live\",\"labels\":{\"bad key!\":\"v\"}}"
      },
      {"POST", "/v1/admin/instances", "{\"id\":\"x2\",\"ring\":\"live\",\"labels\":{\"k\":7}}"},
      {"POST", "/v1/admin/credentials", "{\"name\":\"c1\",\"role\":\"root\"}"},
      {"POST", "/v1/admin/changes", "{\"description\":\"d\",\"edits\":[{\"namespace\":7}]}"},
      {
        "POST",
        "/v1/admin/changes",
        "{\"description\":\"d\",\"edits\":[{\"subscription\":{\"id\":[]}}]}"
      },
      {"POST", "/v1/admin/changes", "{\"description\":\"d\",\"edits\":{}}"},
      {
        "POST",
        "/v1/admin/namespaces/core/publish",
        "{\"message\":\"m\",\"scopes\":[\"ring:\",\"instance:../x\"]}"
      },
      {
        "POST",
        "/v1/admin/subscriptions",
        "{\"instance\":\"acme-prod\",\"application\":\"crm\",\"quantity\":1,"
            + "\"validFrom\":\"2026-02-30T25:00:00Z\",\"plan\":\"p\"}"
      },
      {
        "PUT",
        "/v1/admin/namespaces/core/schema",
        "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/x\"}}}"
      },
      {"PUT", "/v1/admin/namespaces/core/schema", "{\"properties\":{\"a\":{\"pattern\":\"[\"}}}"},
      {
        "PUT",
        "/v1/admin/namespaces/core/schema",
        "{\"$schema\":\"http://json-schema.org/draft-07/schema#\","
            + "\"type\":\"thing\",\"minimum\":\"x\"}"
      }
    };
    for (String[] c : shaped) {
      attempts.add(
          new Attempt(
              c[0] + " " + c[1] + " with " + c[2], request(c[0], c[1], admin, utf8(c[2]), json)));
    }
    String layer = "/v1/admin/namespaces/core/layers/default";
    byte[] ok = utf8("{\"seats\":2}");
    String[] contentTypes = {
      "Content-Type: application/json; charset",
      "Content-Type: application/json; charset=\"",
      "Content-Type: ;;;",
      "Content-Type: application/json; charset=x-unknown-charset",
      "Content-Type: application/json; charset=utf-16",
      "Content-Type: /",
      "Content-Type: application/",
      "Content-Type: application/json; q=\"unterminated",
      "Content-Type: text/html",
      "Content-Encoding: gzip\r\n" + json,
      "Content-Encoding: x-unknown\r\n" + json
    };
    for (String contentType : contentTypes) {
      attempts.add(
          new Attempt(
              "PUT layer with " + contentType, request("PUT", layer, admin, ok, contentType)));
    }
    String config = "/v1/instances/acme-prod/config/core";
    String[][] headerCases = {
      {config, "If-None-Match: \"unterminated"},
      {config, "If-None-Match: " + "\"x\",".repeat(5000)},
      {config, "If-None-Match: W/"},
      {config, "Authorization: Bearer"},
      {config, "Authorization: Basic Zm9vOmJhcg=="},
      {config, "Authorization: Bearer hfi_" + "z".repeat(500)},
      {layer, "If-Match: garbage"},
      {"/v1/instances/acme-prod/watch?ns=core:%zz", ""},
      {"/v1/instances/acme-prod/watch?ns=core&timeout=soon", ""},
      {"/v1/instances/acme-prod/watch?ns=" + "x".repeat(3000), ""},
      {"/v1/admin/audit?limit=-1", ""},
      {"/v1/admin/audit?since=%E0%A4%A", ""},
      {"/v1/admin/namespaces/%00/layers", ""},
      {"/v1/admin/namespaces/core/diff?from=yesterday", ""},
      {"/v1/admin/changes?state=%ff", ""}
    };
    for (String[] c : headerCases) {
      String token =
          c[0].startsWith("/v1/admin")
              ? admin
              : c[1].startsWith("Authorization") ? null : instanceToken;
      String method = c[1].startsWith("If-Match") ? "PUT" : "GET";
      byte[] body = method.equals("PUT") ? ok : null;
      attempts.add(
          new Attempt(
              method + " " + abbreviate(utf8(c[0])) + " with " + abbreviate(utf8(c[1])),
              c[1].isEmpty()
                  ? request(method, c[0], token, body)
                  : request(
                      method,
                      c[0],
                      token,
                      body,
                      c[1],
                      method.equals("PUT") ? json : "X-Nothing: 1")));
    }
    attempts.add(
        new Attempt(
            "Content-Length not a number",
            ("PUT "
                    + layer
                    + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + admin
                    + "\r\n"
                    + json
                    + "\r\nContent-Length: lots\r\nConnection: close\r\n\r\n{}")
                .getBytes(StandardCharsets.ISO_8859_1)));
    attempts.add(
        new Attempt(
            "two Content-Lengths",
            ("PUT "
                    + layer
                    + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + admin
                    + "\r\n"
                    + json
                    + "\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}")
                .getBytes(StandardCharsets.ISO_8859_1)));
    attempts.add(
        new Attempt(
            "a chunked body with a bad chunk size",
            ("PUT "
                    + layer
                    + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + admin
                    + "\r\n"
                    + json
                    + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1)));
    attempts.add(
        new Attempt(
            "a request line of garbage",
            "GET\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            true));
    attempts.add(
        new Attempt(
            "HTTP/9.9",
            "GET /health/live HTTP/9.9\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            true));
    attempts.add(
        new Attempt(
            "a header without a colon",
            "GET /health/live HTTP/1.1\r\nHost: x\r\nno colon here\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1)));
    attempts.add(
        new Attempt(
            "a header with a NUL",
            bytes(
                'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n',
                'H', 'o', 's', 't', ':', ' ', 'x', 0, 'y', '\r', '\n', '\r', '\n')));
    attempts.add(
        new Attempt(
            "a path with a bad escape",
            "GET /v1/instances/%zz/config/core HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1)));
    return attempts;
  }

  private static String abbreviate(byte[] body) {
    String text = new String(body, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?");
    return text.length() <= 40 ? text : text.substring(0, 40) + "…(" + body.length + " bytes)";
  }

  @Test
  void problems_neverNameJavaClasses_andAreNever500_forABatteryOfMalformedRequests() {
    List<String> offences = new ArrayList<>();
    List<Attempt> attempts = battery();
    for (Attempt attempt : attempts) {
      RawHttp.Response response;
      try {
        response = RawHttp.exchange(server.server().port(), attempt.request());
      } catch (AssertionError | RuntimeException e) {
        if (!attempt.mayGoUnanswered()) {
          offences.add(attempt.name() + " -> no answer: " + e.getMessage());
        }
        continue;
      }
      String body = new String(response.rest(), StandardCharsets.UTF_8);
      String problemText = body.replaceAll("\"instance\":\"[^\"]*\"", "");
      // 501 (a method no route has) and 505 (another HTTP version) say what is not supported;
      // neither is a fault of the server.
      if (response.status() >= 500 && response.status() != 501 && response.status() != 505) {
        offences.add(attempt.name() + " -> " + response.status() + " " + body);
      } else if (JAVA_NAMES.matcher(problemText).find()) {
        offences.add(attempt.name() + " -> " + body);
      }
    }

    assertThat(attempts).hasSizeGreaterThan(200);
    assertThat(offences).isEmpty();
  }

  @Test
  void thePattern_catchesWhatItIsFor() {
    for (String leak :
        List.of(
            "Cannot deserialize value of type `java.lang.String`",
            "class com.fasterxml.jackson.databind.node.ObjectNode",
            "java.lang.StackOverflowError",
            "JsonParseException",
            "exceeds (from `StreamReadConstraints.getMaxNumberLength()`)",
            "io.holdfast.server.http.HeartbeatBody",
            "StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION")) {
      assertThat(JAVA_NAMES.matcher(leak).find()).as(leak).isTrue();
    }
    for (String fine :
        List.of(
            "member 'seats' must be a whole number from 0 to 1000000000",
            "the document nests deeper than the limit of 32",
            "send the body as application/json in UTF-8",
            "Unexpected character ('}' (code 125)): was expecting double-quote to start field name (line 1, column 7)")) {
      assertThat(JAVA_NAMES.matcher(fine).find()).as(fine).isFalse();
    }
  }
}
