package io.holdfast.it.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Reason;
import io.holdfast.client.ExpiredPolicy;
import io.holdfast.client.HoldfastClient;
import io.holdfast.it.ReplicaPair;
import io.holdfast.openfeature.HoldfastProvider;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenFeature provider over a real client of two real replicas behind fault proxies, under the
 * real OpenFeature SDK: a publish reaches the application as PROVIDER_CONFIGURATION_CHANGED with
 * the changed flag keys, an outage of both replicas as PROVIDER_STALE with reason STALE on every
 * evaluation, the recovery as PROVIDER_READY, and an expired namespace under USE_DEFAULTS as
 * PROVIDER_ERROR.
 */
class OpenFeatureProviderTest {

  private static final String INSTANCE = "flags-1";
  private static final String NAMESPACE = "features";

  @TempDir static Path dataDir;
  private static ReplicaPair pair;
  private static String credential;

  private final ManualTime time = new ManualTime();
  private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();
  private final String domain = "holdfast-it-" + UUID.randomUUID();
  private final BlockingQueue<EventDetails> ready = new LinkedBlockingQueue<>();
  private final BlockingQueue<EventDetails> stale = new LinkedBlockingQueue<>();
  private final BlockingQueue<EventDetails> errors = new LinkedBlockingQueue<>();
  private final BlockingQueue<EventDetails> changed = new LinkedBlockingQueue<>();

  @BeforeAll
  static void replicas() {
    pair = ReplicaPair.start(dataDir);
    pair.createNamespace(NAMESPACE);
    credential = pair.createInstance(INSTANCE, "live");
    publish("{\"newCheckout\": false, \"banner\": \"hello\"}");
  }

  @AfterAll
  static void stop() {
    pair.close();
  }

  @AfterEach
  void healReplicas() {
    pair.proxyA().clear();
    pair.proxyB().clear();
  }

  /** Publishes through replica A and waits until B serves it too. */
  private static long publish(String content) {
    long revision = pair.publish(NAMESPACE, "instance:" + INSTANCE, content);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> pair.serverB().snapshots().current().revision() >= revision);
    return revision;
  }

  private static EventDetails next(BlockingQueue<EventDetails> events) throws InterruptedException {
    EventDetails event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("an event within 10 s").isNotNull();
    return event;
  }

  private Client openFeature(HoldfastClient holdfast) {
    Client client = api.getClient(domain);
    client.onProviderReady(ready::add);
    client.onProviderStale(stale::add);
    client.onProviderError(errors::add);
    client.onProviderConfigurationChanged(changed::add);
    api.setProviderAndWait(domain, HoldfastProvider.builder(holdfast).build());
    return client;
  }

  @Test
  void publish_isAChangeEvent_andAnOutage_isStale_untilTheReplicasAreBack() throws Exception {
    try (HoldfastClient holdfast =
        pair.clientBuilder(INSTANCE, credential, time).namespaces(NAMESPACE).build()) {
      holdfast.start();
      assertThat(holdfast.awaitFresh(Duration.ofSeconds(10))).isTrue();
      Client client = openFeature(holdfast);
      next(ready);
      try {
        FlagEvaluationDetails<Boolean> flag = client.getBooleanDetails("newCheckout", true);
        assertThat(flag.getValue()).isFalse();
        assertThat(flag.getReason()).isEqualTo(Reason.STATIC.name());
        long revision = flag.getFlagMetadata().getLong("revision");
        assertThat(flag.getFlagMetadata().getString("etag"))
            .isEqualTo(holdfast.snapshot(NAMESPACE).etag());

        long published = publish("{\"newCheckout\": true, \"banner\": \"hello\"}");
        EventDetails change = next(changed);
        assertThat(published).isGreaterThan(revision);
        assertThat(change.getFlagsChanged()).containsExactly("newCheckout");
        assertThat(change.getEventMetadata().getLong("revision")).isEqualTo(published);
        flag = client.getBooleanDetails("newCheckout", false);
        assertThat(flag.getValue()).isTrue();
        assertThat(flag.getFlagMetadata().getLong("revision")).isEqualTo(published);

        // Both replicas fail: the last-known-good flags are served, marked STALE.
        pair.proxyA().fault(Fault.status(503));
        pair.proxyB().fault(Fault.status(503));
        next(stale);
        assertThat(client.getProviderState()).isEqualTo(ProviderState.STALE);
        flag = client.getBooleanDetails("newCheckout", false);
        assertThat(flag.getValue()).isTrue();
        assertThat(flag.getReason()).isEqualTo("STALE");
        assertThat(flag.getErrorCode()).isNull();

        pair.proxyA().clear();
        pair.proxyB().clear();
        next(ready);
        assertThat(client.getBooleanDetails("newCheckout", false).getReason())
            .isEqualTo(Reason.STATIC.name());
      } finally {
        api.getProvider(domain).shutdown();
      }
    }
  }

  @Test
  void expiredUnderUseDefaults_isProviderError_andEvaluatesToTheDefault() throws Exception {
    try (HoldfastClient holdfast =
        pair.clientBuilder(INSTANCE, credential, time)
            .namespaces(NAMESPACE)
            .expiredPolicy(ExpiredPolicy.USE_DEFAULTS)
            .build()) {
      holdfast.start();
      assertThat(holdfast.awaitFresh(Duration.ofSeconds(10))).isTrue();
      Client client = openFeature(holdfast);
      next(ready);
      try {
        pair.proxyA().fault(Fault.refuseConnections());
        pair.proxyB().fault(Fault.refuseConnections());
        next(stale);
        time.advance(Duration.ofHours(9));
        assertThat(next(errors).getMessage()).contains("EXPIRED");
        FlagEvaluationDetails<String> flag = client.getStringDetails("banner", "fallback");
        assertThat(flag.getValue()).isEqualTo("fallback");
        assertThat(flag.getErrorCode()).isEqualTo(ErrorCode.GENERAL);
        assertThat(flag.getErrorMessage()).contains("USE_DEFAULTS");
      } finally {
        api.getProvider(domain).shutdown();
      }
    }
  }
}
