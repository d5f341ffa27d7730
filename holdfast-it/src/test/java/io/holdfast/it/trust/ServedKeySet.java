package io.holdfast.it.trust;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What {@code holdfast keys status} reads of a replica: the version of the key set it serves at
 * {@code GET /v1/keyset}. A replica other than the one a key set was published through serves it
 * only after its next store poll, and answers 404 before it serves any.
 */
final class ServedKeySet {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ServedKeySet() {}

  /** The version the replica on this loopback port serves; 0 while it serves none. */
  static long version(int port) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/keyset")).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? JSON.readTree(response.body()).findValue("version").asLong()
          : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
