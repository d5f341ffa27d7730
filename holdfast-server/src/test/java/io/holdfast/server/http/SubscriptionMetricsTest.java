package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.ServerFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subscription utilisation on {@code /metrics}, the series SubscriptionOverAllocated reads. */
class SubscriptionMetricsTest {

  @TempDir static Path dataDir;

  private static ServerFixture server;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
    String acme = server.createInstance("acme-prod", "live");
    String globex = server.createInstance("globex-beta", "beta");
    SubscriptionTestSupport.application(server, "crm");
    SubscriptionTestSupport.application(server, "hr");
    SubscriptionTestSupport.subscribe(server, "acme-prod", "crm", 10, "2020-01-01T00:00:00Z", null);
    SubscriptionTestSupport.subscribe(
        server, "globex-beta", "crm", 20, "2020-01-01T00:00:00Z", null);
    SubscriptionTestSupport.subscribe(server, "acme-prod", "hr", 4, "2020-01-01T00:00:00Z", null);
    heartbeat("acme-prod", acme, "{\"crm\":12,\"hr\":2}");
    heartbeat("globex-beta", globex, "{\"crm\":5}");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static void heartbeat(String instance, String token, String seats) {
    assertThat(
            server
                .sendJson(
                    "POST",
                    "/v1/instances/" + instance + "/heartbeat",
                    token,
                    "{\"sdkVersion\":\"1.0.0\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"seatsInUse\":"
                        + seats
                        + "}")
                .statusCode())
        .isEqualTo(204);
  }

  @Test
  void overAllocatedInstancesAndHighestUtilisation_perApplication() {
    String text = server.scrapeMetrics();

    assertThat(text)
        .contains("holdfast_subscription_over_allocated_instances{application=\"crm\"} 1.0");
    assertThat(text)
        .contains("holdfast_subscription_over_allocated_instances{application=\"hr\"} 0.0");
    assertThat(text).contains("holdfast_subscription_utilisation_ratio{application=\"crm\"} 1.2");
    assertThat(text).contains("holdfast_subscription_utilisation_ratio{application=\"hr\"} 0.5");
    assertThat(text).doesNotContain("acme-prod").doesNotContain("globex-beta");
  }
}
