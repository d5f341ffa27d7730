package io.holdfast.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.exceptions.OpenFeatureError;
import io.holdfast.client.HoldfastClient;
import io.holdfast.protocol.signature.VerificationKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real client that has no document (its one replica refuses connections, and it has no disk
 * cache): the provider is not ready, and says so instead of serving defaults as if they were flags.
 */
class NotReadyTest {

  private static URI closedReplica() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }
  }

  @Test
  void initializingWithNoCache_failsInitialization_andEvaluatesToProviderNotReady()
      throws Exception {
    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    String domain = "holdfast-not-ready-" + UUID.randomUUID();
    try (HoldfastClient holdfast =
        HoldfastClient.builder()
            .replicas(closedReplica())
            .instance("acme-prod", "token-123")
            .trustedKey(
                VerificationKey.of(
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()))
            .namespaces("features")
            .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .startupTimeout(Duration.ZERO)
            .failWhenUnavailable(false)
            .heartbeatInterval(Duration.ZERO)
            .build()) {
      holdfast.start();
      Client client = api.getClient(domain);
      CountDownLatch error = new CountDownLatch(1);
      client.onProviderError(details -> error.countDown());
      HoldfastProvider provider =
          HoldfastProvider.builder(holdfast).initializationTimeout(Duration.ofMillis(50)).build();

      assertThatThrownBy(() -> api.setProviderAndWait(domain, provider))
          .isInstanceOf(OpenFeatureError.class)
          .hasMessageContaining("no document yet");
      assertThat(error.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(client.getProviderState()).isEqualTo(ProviderState.ERROR);

      FlagEvaluationDetails<Boolean> flag = client.getBooleanDetails("newCheckout", true);
      assertThat(flag.getValue()).isTrue();
      assertThat(flag.getErrorCode()).isEqualTo(ErrorCode.PROVIDER_NOT_READY);
      // The provider's own answer, not only the SDK's state check.
      assertThat(provider.getBooleanEvaluation("newCheckout", true, null).getErrorCode())
          .isEqualTo(ErrorCode.PROVIDER_NOT_READY);
      provider.shutdown();
    }
  }
}
