package io.holdfast.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.cli.HoldfastCommand;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.protocol.tls.CaBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast keys status}: for each replica, the key set it serves ({@code GET /v1/keyset}:
 * version, expiry, root, listed and revoked signing keys) and the key it signs documents with
 * ({@code GET /v1/keys}), and whether that key set lets clients trust that key now. Both routes are
 * public, so no token is needed. Exits 3 if a replica cannot be reached or answers garbage, after
 * reporting every replica.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show the key set each replica serves and the key it signs with.")
final class KeysStatusCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(
      names = "--replica",
      paramLabel = "URL",
      description = "A replica's base URL; repeat for several (default: env HOLDFAST_URL).")
  List<URI> replicas = new ArrayList<>();

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      defaultValue = "${env:HOLDFAST_CACERT}",
      description =
          "PEM bundle of the certificate authorities to trust for https replicas (env HOLDFAST_CACERT).")
  Path caCert;

  @Override
  public Integer call() {
    List<URI> targets = new ArrayList<>(replicas);
    if (targets.isEmpty()) {
      String env = System.getenv("HOLDFAST_URL");
      targets.add(URI.create(env == null || env.isBlank() ? "http://127.0.0.1:7070" : env));
    }
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (caCert != null) {
      builder.sslContext(CaBundle.sslContext(caCert));
    }
    HttpClient http = builder.build();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Instant now = Instant.now();
    int failed = 0;
    for (URI replica : targets) {
      out.println("replica " + replica);
      try {
        report(out, http, replica, now);
      } catch (IOException e) {
        failed++;
        out.println("  error          " + message(e));
        err.println("error: cannot read " + replica + ": " + message(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return HoldfastCommand.EXIT_UNREACHABLE;
      }
    }
    out.flush();
    err.flush();
    return failed == 0 ? 0 : HoldfastCommand.EXIT_UNREACHABLE;
  }

  private static void report(PrintWriter out, HttpClient http, URI replica, Instant now)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> keys = get(http, replica.resolve("/v1/keys"));
    if (keys.statusCode() != 200) {
      throw new IOException("GET /v1/keys answered " + keys.statusCode());
    }
    List<String> signsWith = new ArrayList<>();
    for (JsonNode key : JSON.readTree(keys.body()).path("keys")) {
      signsWith.add(key.path("keyId").asText());
    }
    HttpResponse<byte[]> served = get(http, replica.resolve("/v1/keyset"));
    KeySet keySet = null;
    if (served.statusCode() == 404) {
      out.println("  key set        none published");
    } else if (served.statusCode() != 200) {
      throw new IOException("GET /v1/keyset answered " + served.statusCode());
    } else {
      try {
        keySet = SignedKeySet.parse(served.body()).keySet();
      } catch (JsonInputException e) {
        throw new IOException("GET /v1/keyset is not a key set: " + e.getMessage(), e);
      }
      describe(out, keySet, now);
    }
    for (String keyId : signsWith) {
      out.println(
          "  signs with     "
              + keyId
              + (keySet == null ? "" : " (" + verdict(keySet.status(keyId, now)) + ")"));
    }
  }

  private static void describe(PrintWriter out, KeySet keySet, Instant now) {
    out.println("  version        " + keySet.version());
    out.println("  issued         " + keySet.issuedAt());
    out.println(
        "  expires        "
            + keySet.expires()
            + (now.isBefore(keySet.expires()) ? "" : " (EXPIRED: clients trust no key under it)"));
    out.println(
        "  root           "
            + keySet.root().threshold()
            + " of "
            + String.join(", ", keySet.root().keyIds()));
    if (keySet.signingKeys().isEmpty()) {
      out.println("  signing keys   none");
    }
    for (KeySet.SigningKey key : keySet.signingKeys()) {
      out.println(
          "  signing key    "
              + key.keyId()
              + " valid "
              + key.notBefore()
              + " to "
              + key.notAfter());
    }
    out.println(
        "  revoked        "
            + (keySet.revoked().isEmpty() ? "none" : String.join(", ", keySet.revoked())));
    keySet
        .recovery()
        .ifPresent(
            r ->
                out.println(
                    "  recovery       epoch "
                        + r.epoch()
                        + " voids "
                        + String.join(", ", r.keyIds())));
  }

  /** How a client holding this key set treats documents signed by the replica's key now. */
  private static String verdict(KeySet.KeyStatus status) {
    return switch (status) {
      case VALID -> "listed, valid now";
      default -> status.name() + ": clients that pin the root refuse its documents";
    };
  }

  private static HttpResponse<byte[]> get(HttpClient http, URI uri)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
