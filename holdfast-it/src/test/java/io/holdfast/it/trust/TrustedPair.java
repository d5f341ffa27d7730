package io.holdfast.it.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.client.HoldfastClient;
import io.holdfast.it.ReplicaPair;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;

/**
 * A {@link ReplicaPair} as operators run it once they have a root of trust: key set 1, signed by
 * the test's {@link OfflineRoot}, lists the key the replicas sign with, which the test made and so
 * holds (the key an attacker may have stolen). The replicas' clock is a {@link ManualTime} the test
 * drives; their freshness statements hold 10 minutes (the least {@code checksums-validity}) and
 * they reload {@code signing-key.pem} every 100 ms. Close it to stop both.
 */
public final class TrustedPair implements AutoCloseable {

  /** The namespace every instance reads. */
  public static final String NAMESPACE = "core";

  /** The replicas' {@code checksums-validity}. */
  public static final Duration VALIDITY = Duration.ofMinutes(10);

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dataDir;
  private final ManualTime serverTime;
  private final OfflineRoot root;
  private final ReplicaPair pair;

  private TrustedPair(Path dataDir, ManualTime serverTime, OfflineRoot root, ReplicaPair pair) {
    this.dataDir = dataDir;
    this.serverTime = serverTime;
    this.root = root;
    this.pair = pair;
  }

  /**
   * Starts the replicas at {@code serverStart}, signing with {@code key}, and publishes key set 1.
   */
  public static TrustedPair start(Path dataDir, Instant serverStart, KeyPair key) {
    ManualTime serverTime = new ManualTime(serverStart);
    SigningKeys.install(dataDir.resolve("signing-key.pem"), key);
    ReplicaPair pair =
        ReplicaPair.start(
            dataDir,
            serverTime.clock(),
            settings ->
                settings
                    .checksumsValidity(VALIDITY)
                    .signingKeyReloadInterval(Duration.ofMillis(100)));
    try {
      TrustedPair trusted =
          new TrustedPair(dataDir, serverTime, new OfflineRoot(serverTime.clock()), pair);
      pair.createNamespace(NAMESPACE);
      trusted.publishKeySet(trusted.root.keySet(1, List.of(SigningKeys.publicKey(key)), Set.of()));
      return trusted;
    } catch (RuntimeException | Error e) {
      pair.close();
      throw e;
    }
  }

  public ReplicaPair pair() {
    return pair;
  }

  public OfflineRoot root() {
    return root;
  }

  /** The replicas' clock. */
  public ManualTime serverTime() {
    return serverTime;
  }

  /** {@code PUT /v1/admin/keyset} through replica A; waits until both replicas serve it. */
  public void publishKeySet(String signedKeySet) {
    pair.admin("PUT", "/v1/admin/keyset", signedKeySet);
    long version;
    try {
      version = JSON.readTree(signedKeySet).findValue("version").asLong();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
    Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                ServedKeySet.version(pair.serverA().port()) >= version
                    && ServedKeySet.version(pair.serverB().port()) >= version);
  }

  /**
   * Step 4 of the runbooks: writes {@code next} as {@code signing-key.pem} and waits until both
   * replicas sign with it.
   */
  public void switchSigningKey(KeyPair next) {
    SigningKeys.install(dataDir.resolve("signing-key.pem"), next);
    String keyId = SigningKeys.publicKey(next).keyId();
    Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                pair.serverA().verificationKey().keyId().equals(keyId)
                    && pair.serverB().verificationKey().keyId().equals(keyId));
  }

  /**
   * A client of {@code instance} through both proxies pinning the root (no key), in the style of
   * the fault tests: time driven by {@code time}, short deadlines, a fast loop, no heartbeats.
   */
  public HoldfastClient.Builder client(String instance, String credential, ManualTime time) {
    return pair.untrustingClientBuilder(pair.replicas(), instance, credential, time)
        .trustedRoot(root.root())
        .namespaces(NAMESPACE);
  }

  /** The key the replicas sign with now. */
  public VerificationKey signingKey() {
    return pair.serverA().verificationKey();
  }

  @Override
  public void close() {
    pair.close();
  }
}
