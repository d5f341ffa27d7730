package io.holdfast.it.trust;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.it.AdminApi;
import io.holdfast.it.AdminHttp;
import io.holdfast.it.process.JavaProcess;
import io.holdfast.it.process.ReplicaMain;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Two replicas in processes of their own on one SQLite store, as operators run them on one host:
 * they share {@code signing-key.pem}, which the test writes (the first key before they start, the
 * next ones to rotate) and which they reload every 200 ms instead of every 30 s. Close it to stop
 * both.
 */
final class ReplicaProcesses implements AutoCloseable {

  static final String TOKEN = "hfa_trust_drill_admin_token";

  private final Path dataDir;
  private final List<JavaProcess> processes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final AdminHttp http = new AdminHttp();

  private ReplicaProcesses(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** Starts both replicas, signing with {@code firstKey}. */
  static ReplicaProcesses start(Path dir, KeyPair firstKey) throws Exception {
    ReplicaProcesses replicas = new ReplicaProcesses(dir.resolve("data"));
    SigningKeys.install(replicas.signingKeyFile(), firstKey);
    try {
      for (String name : List.of("a", "b")) {
        JavaProcess process =
            JavaProcess.java(
                dir.resolve("replica-" + name + ".log"),
                ReplicaMain.class.getName(),
                replicas.dataDir.toString(),
                "0",
                TOKEN,
                "1000",
                "--signing-key-reload-ms=200");
        replicas.processes.add(process);
        replicas.ports.add(ReplicaMain.Ready.of(process, 60).port());
      }
      return replicas;
    } catch (Exception | Error e) {
      replicas.close();
      throw e;
    }
  }

  /** Both replicas' base URIs, A first. */
  List<URI> uris() {
    return ports.stream().map(port -> URI.create("http://127.0.0.1:" + port)).toList();
  }

  /** Admin calls through replica A. */
  AdminApi admin() {
    return new AdminApi(http, ports.get(0), TOKEN);
  }

  /** What an operator does to switch the replicas to another key: replace the shared file. */
  void installSigningKey(KeyPair key) {
    SigningKeys.install(signingKeyFile(), key);
  }

  /** {@code holdfast keys publish}: puts a signed key set on replica A. */
  void publishKeySet(String signedKeySet) {
    admin().call("PUT", "/v1/admin/keyset", signedKeySet);
  }

  /** Whether every replica lists exactly this key at {@code GET /v1/keys}: it signs with it. */
  boolean allSignWith(String keyId) {
    return ports.stream().allMatch(port -> keyIds(port).equals(List.of(keyId)));
  }

  /** Whether every replica serves key set {@code version} at {@code GET /v1/keyset}. */
  boolean allServeKeySet(long version) {
    return ports.stream().allMatch(port -> ServedKeySet.version(port) == version);
  }

  private List<String> keyIds(int port) {
    JsonNode keys = http.call(port, TOKEN, "GET", "/v1/keys", null).path("keys");
    return StreamSupport.stream(keys.spliterator(), false)
        .map(key -> key.path("keyId").asText())
        .toList();
  }

  private Path signingKeyFile() {
    return dataDir.resolve("signing-key.pem");
  }

  @Override
  public void close() {
    processes.forEach(JavaProcess::close);
    http.close();
  }
}
