package io.holdfast.server.http;

import static io.holdfast.server.http.SubscriptionTestSupport.SUBSCRIPTIONS;
import static io.holdfast.server.http.SubscriptionTestSupport.application;
import static io.holdfast.server.http.SubscriptionTestSupport.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Utilisation: the subscription in force now against the seats each instance reports in its
 * heartbeat, per instance and fleet-wide, with over-allocation flagged. Periods lie far in the past
 * or future, so that "now" (the server's clock) falls clearly inside or outside them.
 */
class SubscriptionUsageTest {

  private static final String ALWAYS = "2000-01-01T00:00:00Z";
  private static final String FAR_FUTURE = "2999-01-01T00:00:00Z";

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static String acmeToken;
  private static String globexToken;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
    acmeToken = server.createInstance("acme-prod", "live");
    globexToken = server.createInstance("globex-beta", "beta");
    server.createInstance("silent-co", "dev");
    application(server, "crm");
    application(server, "billing");
    application(server, "hr");
    // acme-prod: crm 20 seats + 2 overage now; billing only from the far future; hr suspended.
    JsonNode crm = subscribe(server, "acme-prod", "crm", 20, ALWAYS, null);
    server.admin("PATCH", SUBSCRIPTIONS + "/" + crm.get("id").asText(), "{\"overage\":2}");
    subscribe(server, "acme-prod", "billing", 50, FAR_FUTURE, null);
    JsonNode hr = subscribe(server, "acme-prod", "hr", 10, ALWAYS, null);
    server.admin(
        "PATCH", SUBSCRIPTIONS + "/" + hr.get("id").asText(), "{\"status\":\"suspended\"}");
    // globex-beta: crm 5 seats now.
    subscribe(server, "globex-beta", "crm", 5, ALWAYS, null);
    // silent-co: a subscription but never a heartbeat.
    subscribe(server, "silent-co", "crm", 3, ALWAYS, null);

    heartbeat("acme-prod", acmeToken, "{\"crm\":21,\"billing\":4,\"hr\":1}");
    heartbeat("globex-beta", globexToken, "{\"crm\":5,\"payroll\":2}");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static void heartbeat(String instance, String token, String seats) {
    HttpResponse<byte[]> response =
        server.sendJson(
            "POST",
            "/v1/instances/" + instance + "/heartbeat",
            token,
            "{\"sdkVersion\":\"1.0.0\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"seatsInUse\":"
                + seats
                + "}");
    assertThat(response.statusCode()).isEqualTo(204);
  }

  private static JsonNode row(JsonNode usage, String instance, String application) {
    for (JsonNode row : usage.get("usage")) {
      if (row.get("instance").asText().equals(instance)
          && row.get("application").asText().equals(application)) {
        return row;
      }
    }
    throw new AssertionError("no usage row for " + instance + "/" + application + " in " + usage);
  }

  @Test
  void instanceUsage_joinsTheSubscriptionInForceWithTheReportedSeats() {
    JsonNode usage = server.admin("GET", "/v1/admin/instances/acme-prod/subscriptions/usage", null);

    assertThat(usage.get("usage"))
        .extracting(r -> r.get("application").asText())
        .containsExactly("billing", "crm", "hr");
    JsonNode crm = row(usage, "acme-prod", "crm");
    assertThat(crm.get("status").asText()).isEqualTo("active");
    assertThat(crm.get("quantity").asLong()).isEqualTo(20);
    assertThat(crm.get("overage").asLong()).isEqualTo(2);
    assertThat(crm.get("seatsInUse").asLong()).isEqualTo(21);
    assertThat(crm.get("utilisation").asDouble()).isEqualTo(1.05);
    assertThat(crm.get("overAllocated").asBoolean())
        .as("21 in use is within 20 + 2 overage")
        .isFalse();
    assertThat(crm.get("reportedAt").isTextual()).isTrue();
  }

  @Test
  void seatsInUseWithoutASubscriptionInForce_areOverAllocated() {
    JsonNode usage = server.admin("GET", "/v1/admin/instances/acme-prod/subscriptions/usage", null);

    JsonNode billing = row(usage, "acme-prod", "billing");
    assertThat(billing.get("subscription").isNull())
        .as("the only billing subscription starts in the future")
        .isTrue();
    assertThat(billing.get("quantity").asLong()).isZero();
    assertThat(billing.get("utilisation").isNull()).isTrue();
    assertThat(billing.get("overAllocated").asBoolean()).isTrue();
    JsonNode hr = row(usage, "acme-prod", "hr");
    assertThat(hr.get("status").asText()).isEqualTo("suspended");
    assertThat(hr.get("quantity").asLong()).as("a suspended subscription grants no seats").isZero();
    assertThat(hr.get("overAllocated").asBoolean()).isTrue();
  }

  @Test
  void fleetUsage_coversEveryInstance_andCanListOnlyTheOverAllocated() {
    JsonNode all = server.admin("GET", "/v1/admin/subscriptions/usage", null);

    JsonNode silent = row(all, "silent-co", "crm");
    assertThat(silent.get("seatsInUse").isNull()).as("no heartbeat: seats in use unknown").isTrue();
    assertThat(silent.get("overAllocated").asBoolean()).isFalse();
    assertThat(row(all, "globex-beta", "crm").get("utilisation").asDouble()).isEqualTo(1.0);
    assertThat(row(all, "globex-beta", "payroll").get("overAllocated").asBoolean())
        .as("seats reported for an application without any subscription")
        .isTrue();

    JsonNode over = server.admin("GET", "/v1/admin/subscriptions/usage?overAllocated=true", null);
    List<String> flagged = new ArrayList<>();
    over.get("usage")
        .forEach(
            r -> flagged.add(r.get("instance").asText() + "/" + r.get("application").asText()));
    assertThat(flagged).containsExactly("acme-prod/billing", "acme-prod/hr", "globex-beta/payroll");
  }

  @Test
  void aNewHeartbeat_replacesTheSeatsInUse_andALowerQuantityFlagsOverAllocation() {
    JsonNode before =
        server.admin("GET", "/v1/admin/instances/globex-beta/subscriptions/usage", null);
    assertThat(row(before, "globex-beta", "crm").get("overAllocated").asBoolean()).isFalse();
    String id = row(before, "globex-beta", "crm").get("subscription").asText();

    server.admin("PATCH", SUBSCRIPTIONS + "/" + id, "{\"quantity\":4}");

    JsonNode lowered =
        server.admin("GET", "/v1/admin/instances/globex-beta/subscriptions/usage", null);
    assertThat(row(lowered, "globex-beta", "crm").get("overAllocated").asBoolean()).isTrue();

    heartbeat("globex-beta", globexToken, "{\"crm\":3,\"payroll\":2}");
    JsonNode released =
        server.admin("GET", "/v1/admin/instances/globex-beta/subscriptions/usage", null);
    assertThat(row(released, "globex-beta", "crm").get("seatsInUse").asLong()).isEqualTo(3);
    assertThat(row(released, "globex-beta", "crm").get("overAllocated").asBoolean()).isFalse();
  }
}
