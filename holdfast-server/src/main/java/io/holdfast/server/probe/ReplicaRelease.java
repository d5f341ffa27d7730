package io.holdfast.server.probe;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Which release and schema a replica runs, as its {@code /health/ready} says (issue 23), so that
 * the probe's report and {@code holdfast probe} show a rolling upgrade replica by replica. A
 * replica that does not say (one of a release before 0.2, or one that does not answer) is {@link
 * #UNKNOWN}: that is no failed check.
 *
 * @param release the release, or {@code null} if unknown
 * @param schema the schema it understands; 0 if unknown
 */
public record ReplicaRelease(String release, int schema) {

  public static final ReplicaRelease UNKNOWN = new ReplicaRelease(null, 0);

  /** Readiness answers are small; a larger one is not read. */
  private static final int MAX_BYTES = 64 * 1024;

  private static final StrictJson JSON = new StrictJson(MAX_BYTES, 16);

  /** Asks {@code replica}'s {@code /health/ready} (any status: a draining replica says too). */
  static ReplicaRelease read(HttpClient http, URI replica, Duration timeout) {
    String base = replica.toString().endsWith("/") ? replica.toString() : replica + "/";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "health/ready")).timeout(timeout).GET().build();
    try {
      HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (answer.body().length > MAX_BYTES) {
        return UNKNOWN;
      }
      JsonNode version = JSON.parse(answer.body()).path("version");
      String release = version.path("holdfast").asText(null);
      return release == null
          ? UNKNOWN
          : new ReplicaRelease(release, version.path("schema").asInt());
    } catch (IOException | JsonInputException | RuntimeException e) {
      return UNKNOWN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNKNOWN;
    }
  }

  /** "0.2.0 (schema 9)", or "unknown". */
  public String label() {
    return release == null ? "unknown" : release + " (schema " + schema + ")";
  }
}
