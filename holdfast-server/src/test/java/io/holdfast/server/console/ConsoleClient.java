package io.holdfast.server.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A console user without a browser: keeps the session cookie, does not follow redirects (tests look
 * at them), and reads the CSRF token from the last page, as a form would send it.
 */
final class ConsoleClient {

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private final HttpClient http;
  private final String base;
  private String cookie;
  private String csrf;

  ConsoleClient(int port) {
    this("http://127.0.0.1:" + port, HttpClient.newBuilder());
  }

  /** A client of {@code base} (such as {@code https://127.0.0.1:7070}) built from {@code http}. */
  ConsoleClient(String base, HttpClient.Builder http) {
    this.base = base;
    this.http =
        http.followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** Logs in with {@code token}; the answer is the login's (a 303 on success). */
  HttpResponse<String> login(String token) {
    HttpResponse<String> response = post("/console/login", "token", token);
    response
        .headers()
        .firstValue("Set-Cookie")
        .ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
    return response;
  }

  /** Logs in and fails the test unless it worked; then reads a page so a CSRF token is at hand. */
  ConsoleClient loggedIn(String token) {
    HttpResponse<String> response = login(token);
    if (response.statusCode() != 303 || cookie == null) {
      throw new AssertionError("login answered " + response.statusCode() + ": " + response.body());
    }
    get("/console/fleet");
    return this;
  }

  HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder request = request(path, headers).GET();
    return send(request);
  }

  /** Posts a form of name/value pairs as they are, without the CSRF token. */
  HttpResponse<String> post(String path, String... fields) {
    return postWithHeaders(path, List.of(), fields);
  }

  /** Posts a form with the CSRF token of the last page read. */
  HttpResponse<String> submit(String path, String... fields) {
    List<String> all = new ArrayList<>(List.of(fields));
    all.add("csrf");
    all.add(csrf);
    return post(path, all.toArray(String[]::new));
  }

  HttpResponse<String> postWithHeaders(String path, List<String> headers, String... fields) {
    StringBuilder form = new StringBuilder();
    for (int i = 0; i < fields.length; i += 2) {
      if (form.length() > 0) {
        form.append('&');
      }
      form.append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
    }
    HttpRequest.Builder request =
        request(path, headers.toArray(String[]::new))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    return send(request);
  }

  String cookie() {
    return cookie;
  }

  String csrf() {
    return csrf;
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return request;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Matcher token = CSRF.matcher(response.body());
      if (token.find()) {
        csrf = token.group(1);
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
