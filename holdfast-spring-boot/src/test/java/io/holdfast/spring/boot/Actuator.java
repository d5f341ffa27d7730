package io.holdfast.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A test application's Actuator endpoints read over HTTP, as a load balancer or an operator reads
 * them. Going through HTTP also keeps the tests free of Spring Boot's health types, which moved
 * between 3.5 and 4.0: the same tests run on both.
 */
final class Actuator {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Actuator() {}

  /** {@code /actuator/health/holdfast} as JSON (whatever its HTTP status). */
  static Map<String, Object> health(ConfigurableApplicationContext app) {
    return get(app, "/actuator/health/holdfast");
  }

  /** The health details of one namespace. */
  static Map<String, Object> namespace(Map<String, Object> health, String namespace) {
    return map(map(map(health.get("details")).get("namespaces")).get(namespace));
  }

  /** {@code /actuator/info} as JSON. */
  static Map<String, Object> info(ConfigurableApplicationContext app) {
    return get(app, "/actuator/info");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return new LinkedHashMap<>((Map<String, Object>) value);
  }

  private static Map<String, Object> get(ConfigurableApplicationContext app, String path) {
    String port = app.getEnvironment().getRequiredProperty("local.server.port");
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return map(JSON.readValue(response.body(), Map.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
