package io.holdfast.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.FetchEvent;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.signature.SignatureHeader;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real replica (port 0, SQLite file) whose signing-key file is replaced while it runs: what it
 * serves afterwards is signed with the new key, {@code GET /v1/keys} lists it, and a client that
 * trusts both keys stays FRESH across the swap; a file that cannot be used changes nothing. The
 * reload check is run by hand ({@code signing-key-reload-interval} 0), never waited for.
 */
class SigningKeyReloadReplicaTest {

  private static final String INSTANCE = "rotating-1";
  private static final String NAMESPACE = "core";

  @TempDir Path dataDir;

  private ServerFixture replica;
  private String credential;
  private VerificationKey oldKey;
  private Path keyFile;

  @BeforeEach
  void start() {
    replica =
        ServerFixture.startConfigured(
            dataDir,
            b -> b.signingKeyReloadInterval(Duration.ZERO).refreshInterval(Duration.ofMinutes(10)));
    replica.createNamespace(NAMESPACE);
    credential = replica.createInstance(INSTANCE, "live");
    replica.publishLayer(NAMESPACE, "instance:" + INSTANCE, "{\"seats\":10}");
    oldKey = replica.server().verificationKey();
    keyFile = replica.server().config().signingKey();
  }

  @AfterEach
  void stop() {
    replica.close();
  }

  private static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
  }

  /** The key id of a served document's signature, after checking that {@code key} verifies it. */
  private static String signedBy(HttpResponse<byte[]> response, VerificationKey key) {
    assertThat(response.statusCode()).isEqualTo(200);
    SignatureHeader signature =
        SignatureHeader.parse(
            response.headers().firstValue(HoldfastHeaders.SIGNATURE).orElseThrow());
    assertThat(key.verifies(response.body(), signature))
        .as("signature by %s verifies with %s", signature.keyId(), key.keyId())
        .isTrue();
    return signature.keyId();
  }

  private HttpResponse<byte[]> document() {
    return replica.get("/v1/instances/" + INSTANCE + "/config/" + NAMESPACE, credential);
  }

  private HttpResponse<byte[]> checksums() {
    return replica.get("/v1/instances/" + INSTANCE + "/checksums", credential);
  }

  private List<String> listedKeyIds() {
    JsonNode keys = ServerFixture.json(replica.get("/v1/keys", null)).get("keys");
    return java.util.stream.StreamSupport.stream(keys.spliterator(), false)
        .map(k -> k.get("keyId").asText())
        .toList();
  }

  @Test
  void newKeyOnDisk_resignsEverything_listsItInKeys_andAClientTrustingBothStaysFresh()
      throws Exception {
    KeyPair next = KeyFiles.newPair("Ed25519");
    VerificationKey newKey = VerificationKey.of(next.getPublic());
    assertThat(signedBy(document(), oldKey)).isEqualTo(oldKey.keyId());

    List<Status> statuses = new CopyOnWriteArrayList<>();
    List<FetchEvent> refused = new CopyOnWriteArrayList<>();
    try (HoldfastClient client =
        HoldfastClient.builder()
            .replicas(replica.uri(""))
            .instance(INSTANCE, credential)
            .trustedKey(oldKey)
            .trustedKey(newKey)
            .namespaces(NAMESPACE)
            .requestTimeout(Duration.ofSeconds(2))
            .watchTimeout(Duration.ofSeconds(1))
            .pollInterval(Duration.ofMillis(100))
            .heartbeatInterval(Duration.ZERO)
            .build()) {
      client.addStatusListener((ns, previous, current) -> statuses.add(current.status()));
      client.addFetchListener(
          e -> {
            if (e.outcome() == FetchEvent.Outcome.REJECTED
                || e.outcome() == FetchEvent.Outcome.REFUSED) {
              refused.add(e);
            }
          });
      client.start();
      assertThat(client.awaitFresh(Duration.ofSeconds(10))).isTrue();

      KeyFiles.write(keyFile, KeyFiles.pem(next), "rw-------");
      assertThat(replica.server().signingKey().check()).isTrue();

      // Everything served from now on, documents and checksums, is signed with the new key.
      assertThat(replica.server().snapshots().current().keyId()).isEqualTo(newKey.keyId());
      assertThat(signedBy(document(), newKey)).isEqualTo(newKey.keyId());
      assertThat(signedBy(checksums(), newKey)).isEqualTo(newKey.keyId());
      assertThat(listedKeyIds()).containsExactly(newKey.keyId());
      assertThat(replica.server().verificationKey().keyId()).isEqualTo(newKey.keyId());

      // A publish after the swap reaches the client, signed with the new key, and it stays FRESH.
      replica.publishLayer(NAMESPACE, "instance:" + INSTANCE, "{\"seats\":11}");
      eventually().until(() -> client.snapshot(NAMESPACE).getInt("seats", 0) == 11);
      assertThat(client.status(NAMESPACE).status()).isEqualTo(Status.FRESH);
      assertThat(statuses).containsOnly(Status.FRESH);
      assertThat(refused).isEmpty();
    }
    eventually()
        .untilAsserted(
            () ->
                assertThat(replica.scrapeMetrics())
                    .contains("holdfast_signing_key_reloads_total 1.0")
                    .contains("holdfast_signing_key_refusing 0.0"));
  }

  @Test
  void unusableFileOnDisk_keepsSigningWithTheOldKey_andShowsInMetrics() throws Exception {
    String whole = KeyFiles.pem(KeyFiles.newPair("Ed25519"));
    KeyFiles.write(keyFile, whole.substring(0, whole.length() / 2), "rw-------");
    assertThat(replica.server().signingKey().check()).isFalse();
    KeyFiles.write(keyFile, whole, "rw-r--r--");
    assertThat(replica.server().signingKey().check()).isFalse();

    assertThat(signedBy(document(), oldKey)).isEqualTo(oldKey.keyId());
    assertThat(signedBy(checksums(), oldKey)).isEqualTo(oldKey.keyId());
    assertThat(listedKeyIds()).containsExactly(oldKey.keyId());
    // A publish while the bad file lies there is signed with the old key too.
    replica.publishLayer(NAMESPACE, "instance:" + INSTANCE, "{\"seats\":12}");
    assertThat(signedBy(document(), oldKey)).isEqualTo(oldKey.keyId());
    assertThat(Files.readString(keyFile)).isEqualTo(whole); // nothing rewrote the operator's file
    eventually()
        .untilAsserted(
            () ->
                assertThat(replica.scrapeMetrics())
                    .contains("holdfast_signing_key_refusals_total 2.0")
                    .contains("holdfast_signing_key_refusing 1.0")
                    .contains("holdfast_signing_key_reloads_total 0.0"));
  }

  @Test
  void probe_followsTheReloadedKey_withTheCanarysNewCredential() throws Exception {
    Path probeDir = dataDir.resolve("probing");
    try (ServerFixture probing =
        ServerFixture.startConfigured(
            probeDir,
            b ->
                b.signingKeyReloadInterval(Duration.ZERO)
                    .probeEnabled(true)
                    .probeInterval(Duration.ofHours(1)))) {
      String before = probing.server().probe().canaryCredential();
      assertThat(probing.server().probe().running().orElseThrow().runRound())
          .allSatisfy(r -> assertThat(r.passed()).as(r.failure()).isTrue());

      KeyFiles.write(
          probing.server().config().signingKey(),
          KeyFiles.pem(KeyFiles.newPair("Ed25519")),
          "rw-------");
      assertThat(probing.server().signingKey().check()).isTrue();

      String after = probing.server().probe().canaryCredential();
      assertThat(after).isNotEqualTo(before);
      String canary = "/v1/instances/" + io.holdfast.server.probe.Canary.INSTANCE + "/checksums";
      assertThat(probing.get(canary, after).statusCode()).isEqualTo(200);
      assertThat(probing.get(canary, before).statusCode()).isEqualTo(401);
      assertThat(probing.server().probe().running().orElseThrow().runRound())
          .allSatisfy(r -> assertThat(r.passed()).as(r.failure()).isTrue());
    }
  }
}
