package io.holdfast.bench.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The push benchmarks' requests on loopback: a free port, and requests that must succeed. */
final class BenchHttp {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchHttp() {}

  /** Sends {@code request}, which must answer 200 with JSON; the JSON. */
  static JsonNode json(HttpClient http, HttpRequest.Builder request) throws Exception {
    return JSON.readTree(send(http, request, 200));
  }

  /** Sends {@code request}; its body, or a failure naming what it answered instead. */
  static String send(HttpClient http, HttpRequest.Builder request, int expected) throws Exception {
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
