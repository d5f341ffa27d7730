package io.holdfast.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.ExpiredPolicy;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every fault scenario class shares: one pair of real replicas behind fault proxies for the
 * class, healed after each test, and clients started under a {@link Probe}.
 */
abstract class FaultScenarios {

  @TempDir static Path dir;

  static FaultFixture fx;

  @BeforeAll
  static void startReplicas() {
    fx = FaultFixture.start(dir.resolve("store"));
  }

  @AfterAll
  static void stopReplicas() {
    if (fx != null) {
      fx.close();
      fx = null;
    }
  }

  @AfterEach
  void heal() {
    fx.heal();
  }

  static String doc(int version) {
    return "{\"seats\":25,\"v\":" + version + "}";
  }

  /** Builds and starts a client, probed from its first load, and checks it came up FRESH. */
  static Probe startFresh(HoldfastClient.Builder builder) {
    return startFresh(builder, ExpiredPolicy.SERVE_LAST_KNOWN_GOOD);
  }

  static Probe startFresh(HoldfastClient.Builder builder, ExpiredPolicy policy) {
    HoldfastClient client = fx.build(builder.expiredPolicy(policy));
    Probe probe = Probe.on(client, policy);
    client.start();
    assertThat(probe.status()).as("status after start").isEqualTo(Status.FRESH);
    return probe;
  }
}
