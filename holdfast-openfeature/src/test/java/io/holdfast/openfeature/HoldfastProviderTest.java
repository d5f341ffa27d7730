package io.holdfast.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import io.holdfast.client.Status;
import io.holdfast.testkit.FixedConfig;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider under the real OpenFeature SDK, over testkit's FixedConfig: each status of the
 * namespace gives its reason, each fault its error code, and each transition its event. Every test
 * binds its provider to a domain of its own, as the SDK's API object is process-wide.
 */
class HoldfastProviderTest {

  private static final String FLAGS =
      """
      {"newCheckout": true, "banner": "hello", "maxItems": 12, "ratio": 0.25,
       "limits": {"daily": 5, "tags": ["a", "b"]}, "dotted.name": "x"}""";

  private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();
  private final String domain = "holdfast-test-" + UUID.randomUUID();
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<EventDetails> changes = new LinkedBlockingQueue<>();
  private FixedConfig config;
  private Client client;

  @BeforeEach
  void provider() {
    config = FixedConfig.builder().namespace("features", FLAGS).namespace("core", "{}").build();
    client = api.getClient(domain);
    client.onProviderReady(details -> events.add("READY"));
    client.onProviderStale(details -> events.add("STALE"));
    // The SDK passes an error event's message on, but not its error code.
    client.onProviderError(details -> events.add("ERROR " + details.getMessage()));
    client.onProviderConfigurationChanged(
        details -> {
          events.add("CHANGED");
          changes.add(details);
        });
    api.setProviderAndWait(domain, HoldfastProvider.builder(config).build());
    assertThat(nextEvent()).isEqualTo("READY");
  }

  @AfterEach
  void shutDown() {
    api.getProvider(domain).shutdown();
  }

  private String nextEvent() {
    try {
      String event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("an event within 10 s").isNotNull();
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void fresh_everyType_isStatic_withRevisionAndEtagInTheMetadata() {
    FlagEvaluationDetails<Boolean> flag = client.getBooleanDetails("newCheckout", false);
    assertThat(flag.getValue()).isTrue();
    assertThat(flag.getReason()).isEqualTo(Reason.STATIC.name());
    assertThat(flag.getErrorCode()).isNull();
    assertThat(flag.getFlagMetadata().getLong("revision")).isEqualTo(1L);
    assertThat(flag.getFlagMetadata().getString("etag")).isEqualTo("\"fixed-features-1\"");
    assertThat(flag.getFlagMetadata().getString("namespace")).isEqualTo("features");

    assertThat(client.getStringValue("banner", "")).isEqualTo("hello");
    assertThat(client.getIntegerValue("maxItems", 0)).isEqualTo(12);
    assertThat(client.getDoubleValue("ratio", 0.0)).isEqualTo(0.25);
    assertThat(client.getDoubleValue("maxItems", 0.0)).isEqualTo(12.0);
    assertThat(client.getIntegerValue("limits.daily", 0)).isEqualTo(5);
    assertThat(client.getStringValue("/dotted.name", "")).isEqualTo("x");

    Value limits = client.getObjectValue("limits", new Value());
    assertThat(limits.asStructure().getValue("daily").asInteger()).isEqualTo(5);
    assertThat(limits.asStructure().getValue("tags").asList())
        .containsExactly(new Value("a"), new Value("b"));
    assertThat(client.getObjectDetails("limits", new Value()).getReason())
        .isEqualTo(Reason.STATIC.name());
  }

  @Test
  void missingFlag_isFlagNotFound_withTheDefault() {
    FlagEvaluationDetails<Boolean> flag = client.getBooleanDetails("noSuchFlag", true);
    assertThat(flag.getValue()).isTrue();
    assertThat(flag.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertThat(flag.getReason()).isEqualTo(Reason.ERROR.name());
  }

  @Test
  void wrongType_isTypeMismatch_withTheDefault() {
    assertThat(client.getBooleanDetails("banner", false).getErrorCode())
        .isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(client.getStringDetails("maxItems", "d").getErrorCode())
        .isEqualTo(ErrorCode.TYPE_MISMATCH);
    FlagEvaluationDetails<Integer> ratio = client.getIntegerDetails("ratio", 7);
    assertThat(ratio.getValue()).isEqualTo(7);
    assertThat(ratio.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(client.getDoubleDetails("banner", 1.0).getErrorCode())
        .isEqualTo(ErrorCode.TYPE_MISMATCH);
  }

  @Test
  void stale_servesTheValue_withReasonStale_andEmitsProviderStale_thenReadyOnRecovery() {
    config.status("features", Status.STALE, "replicas unreachable");
    assertThat(nextEvent()).isEqualTo("STALE");
    assertThat(client.getProviderState()).isEqualTo(ProviderState.STALE);
    FlagEvaluationDetails<Boolean> flag = client.getBooleanDetails("newCheckout", false);
    assertThat(flag.getValue()).isTrue();
    assertThat(flag.getReason()).isEqualTo("STALE");
    assertThat(flag.getErrorCode()).isNull();

    config.status("features", Status.FRESH, "verified");
    assertThat(nextEvent()).isEqualTo("READY");
    assertThat(client.getBooleanDetails("newCheckout", false).getReason())
        .isEqualTo(Reason.STATIC.name());
  }

  @Test
  void expired_servingLastKnownGood_isStale() {
    config.status("features", Status.EXPIRED, "grace period over");
    assertThat(nextEvent()).isEqualTo("STALE");
    FlagEvaluationDetails<String> flag = client.getStringDetails("banner", "default");
    assertThat(flag.getValue()).isEqualTo("hello");
    assertThat(flag.getReason()).isEqualTo("STALE");
  }

  @Test
  void expired_servingDefaults_isAnError_andEmitsProviderError() {
    // What a client with ExpiredPolicy.USE_DEFAULTS serves once expired: an empty document.
    config.publish("features", "{}");
    assertThat(nextEvent()).isEqualTo("CHANGED");
    config.status("features", Status.EXPIRED, "grace period over");
    assertThat(nextEvent()).startsWith("ERROR ").contains("EXPIRED");
    FlagEvaluationDetails<Boolean> flag = client.getBooleanDetails("newCheckout", false);
    assertThat(flag.getValue()).isFalse();
    assertThat(flag.getErrorCode()).isEqualTo(ErrorCode.GENERAL);
    assertThat(flag.getErrorMessage()).contains("USE_DEFAULTS");
  }

  @Test
  void publish_emitsConfigurationChanged_withTheChangedFlagKeys() throws Exception {
    config.publish(
        "features",
        """
        {"newCheckout": false, "banner": "hello", "maxItems": 12, "ratio": 0.25,
         "limits": {"daily": 6, "tags": ["a", "b"]}, "dotted.name": "x", "added": 1}""");
    assertThat(nextEvent()).isEqualTo("CHANGED");
    EventDetails details = changes.poll(10, TimeUnit.SECONDS);
    assertThat(details).isNotNull();
    assertThat(details.getFlagsChanged())
        .containsExactlyInAnyOrder("newCheckout", "limits", "limits.daily", "added");
    assertThat(details.getEventMetadata().getLong("revision")).isEqualTo(2L);
    FlagEvaluationDetails<Boolean> flag = client.getBooleanDetails("newCheckout", true);
    assertThat(flag.getValue()).isFalse();
    assertThat(flag.getFlagMetadata().getLong("revision")).isEqualTo(2L);
    assertThat(flag.getFlagMetadata().getString("etag")).isEqualTo("\"fixed-features-2\"");
  }

  @Test
  void changesToOtherNamespaces_emitNothing() {
    config.publish("core", "{\"x\": 1}");
    config.status("core", Status.STALE, "replicas unreachable");
    config.publish("features", "{\"only\": true}");
    // The first event after the other namespace's changes is this namespace's own.
    assertThat(nextEvent()).isEqualTo("CHANGED");
  }

  @Test
  void aNamespaceTheConfigDoesNotHave_failsWhenBuilt() {
    assertThatThrownBy(() -> HoldfastProvider.builder(config).namespace("nope").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void changedFlags_listEveryChangedPath_andPointersForDottedNames() {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(
            ChangedFlags.between(
                json.valueToTree(java.util.Map.of("a.b", 1, "c", java.util.Map.of("d", 1))),
                json.valueToTree(java.util.Map.of("a.b", 2, "c", java.util.Map.of("d", 1)))))
        .containsExactly("/a.b");
    assertThat(ChangedFlags.between(null, json.valueToTree(java.util.Map.of("k", 1))))
        .containsExactly("k");
  }
}
