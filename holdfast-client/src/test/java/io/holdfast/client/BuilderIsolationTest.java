package io.holdfast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.client.internal.ManualTime;
import io.holdfast.client.internal.TestDocuments;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code build()} copies the builder: configuring it afterwards changes nothing in the client
 * built. (It used to share the builder's lists: a namespace added after {@code build()} reached the
 * sync loop without a tracker, and every cycle failed with a NullPointerException.)
 */
class BuilderIsolationTest {

  private static final TestDocuments DOCS = new TestDocuments();

  private final ManualTime time = new ManualTime();

  @Test
  void configuringTheBuilderAfterBuild_changesNothingInTheClient() {
    try (InProcessReplica replica =
        new InProcessReplica(DOCS, DOCS.envelope("core", 3, "{\"seats\":10}"))) {
      HoldfastClient.Builder builder =
          HoldfastClient.builder()
              .replicas(replica.uri())
              .instance(TestDocuments.INSTANCE, "token-123")
              .trustedKey(DOCS.key())
              .namespaces("core")
              .watch(false)
              .heartbeatInterval(Duration.ZERO)
              .ticker(time.ticker())
              .clock(time.clock());

      try (HoldfastClient client = builder.build()) {
        builder
            .namespaces("features")
            .replicas(URI.create("http://127.0.0.1:1/"))
            .trustedKey(new TestDocuments().key())
            .validator(
                "core",
                content -> {
                  throw new DocumentRejectedException(
                      "the validator set after build() must not run");
                })
            .startupTimeout(Duration.ZERO)
            .failWhenUnavailable(false);

        client.start();

        assertThat(client.statuses()).containsOnlyKeys("core");
        assertThat(client.status("core").status()).isEqualTo(Status.FRESH);
        assertThat(client.snapshot("core").getInt("seats", -1)).isEqualTo(10);
        assertThatThrownBy(() -> client.snapshot("features"))
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Test
  void aBuilderBuildsAgain_withWhatWasAddedSince() {
    HoldfastClient.Builder builder =
        HoldfastClient.builder()
            .replicas(URI.create("http://127.0.0.1:1/"))
            .instance(TestDocuments.INSTANCE, "token-123")
            .trustedKey(DOCS.key())
            .namespaces("core");
    try (HoldfastClient first = builder.build();
        HoldfastClient second = builder.namespaces("features").build()) {
      assertThat(first.statuses()).containsOnlyKeys("core");
      assertThat(second.statuses()).containsOnlyKeys("core", "features");
    }
  }
}
