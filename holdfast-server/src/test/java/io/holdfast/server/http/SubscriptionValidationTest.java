package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.SubscriptionTestSupport.SUBSCRIPTIONS;
import static io.holdfast.server.http.SubscriptionTestSupport.application;
import static io.holdfast.server.http.SubscriptionTestSupport.fingerprint;
import static io.holdfast.server.http.SubscriptionTestSupport.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.subscription.SubscriptionRules;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mistaken subscription and application requests (DESIGN invariant 6): each gets its own problem
 * type, and changes nothing: not the revision, not the subscriptions, not the audit log.
 */
class SubscriptionValidationTest {

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static String existing;
  private static String cancelled;

  private String before;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
    server.createNamespace("core");
    server.createInstance("acme-prod", "live");
    application(server, "crm");
    existing =
        subscribe(server, "acme-prod", "crm", 25, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z")
            .get("id")
            .asText();
    String ended =
        subscribe(server, "acme-prod", "crm", 5, "2028-01-01T00:00:00Z", null).get("id").asText();
    server.admin("POST", SUBSCRIPTIONS + "/" + ended + "/end", null);
    cancelled = ended;
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void takeFingerprint() {
    before = fingerprint(server, "core");
  }

  private void assertNothingChanged() {
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  /** A valid creation body with one member replaced (or, with a null value, removed). */
  private static String create(String member, String json) {
    StringBuilder body = new StringBuilder("{");
    String[][] members = {
      {"instance", "\"acme-prod\""},
      {"application", "\"crm\""},
      {"quantity", "10"},
      {"validFrom", "\"2030-01-01T00:00:00Z\""},
      {"validUntil", "\"2031-01-01T00:00:00Z\""},
      {"plan", "\"team\""}
    };
    boolean replaced = false;
    for (String[] m : members) {
      String value = m[0].equals(member) ? json : m[1];
      replaced |= m[0].equals(member);
      if (value != null) {
        body.append(body.length() > 1 ? "," : "")
            .append('"')
            .append(m[0])
            .append("\":")
            .append(value);
      }
    }
    if (!replaced && json != null) {
      body.append(",\"").append(member).append("\":").append(json);
    }
    return body.append('}').toString();
  }

  private static Arguments of(
      String name, String method, String path, String body, ProblemType type) {
    return Arguments.of(name, method, path, body, type);
  }

  static Stream<Arguments> rejected() {
    String one = SUBSCRIPTIONS + "/" + "%s";
    ProblemType invalid = ProblemType.INVALID_REQUEST;
    return Stream.of(
        of("negative quantity", "POST", SUBSCRIPTIONS, create("quantity", "-1"), invalid),
        of("negative overage", "POST", SUBSCRIPTIONS, create("overage", "-3"), invalid),
        of(
            "quantity one above the maximum",
            "POST",
            SUBSCRIPTIONS,
            create("quantity", "1000000001"),
            invalid),
        of(
            "overage one above the maximum",
            "POST",
            SUBSCRIPTIONS,
            create("overage", "1000000001"),
            invalid),
        of(
            "quantity and overage at Long.MAX_VALUE",
            "POST",
            SUBSCRIPTIONS,
            create("quantity", "9223372036854775807,\"overage\":9223372036854775807"),
            invalid),
        of(
            "quantity beyond a long",
            "POST",
            SUBSCRIPTIONS,
            create("quantity", "9223372036854775808"),
            invalid),
        of(
            "change of quantity one above the maximum",
            "PATCH",
            one,
            "{\"quantity\":1000000001}",
            invalid),
        of(
            "change of overage to Long.MAX_VALUE",
            "PATCH",
            one,
            "{\"overage\":9223372036854775807}",
            invalid),
        of("fractional quantity", "POST", SUBSCRIPTIONS, create("quantity", "2.5"), invalid),
        of("quantity as a string", "POST", SUBSCRIPTIONS, create("quantity", "\"25\""), invalid),
        of("quantity missing", "POST", SUBSCRIPTIONS, create("quantity", null), invalid),
        of("plan missing", "POST", SUBSCRIPTIONS, create("plan", null), invalid),
        of("plan blank", "POST", SUBSCRIPTIONS, create("plan", "\"  \""), invalid),
        of("plan a number", "POST", SUBSCRIPTIONS, create("plan", "7"), invalid),
        of(
            "validFrom not a date",
            "POST",
            SUBSCRIPTIONS,
            create("validFrom", "\"next monday\""),
            invalid),
        of(
            "validFrom with fractional seconds",
            "POST",
            SUBSCRIPTIONS,
            create("validFrom", "\"2030-01-01T00:00:00.5Z\""),
            invalid),
        of(
            "validUntil equal to validFrom",
            "POST",
            SUBSCRIPTIONS,
            create("validUntil", "\"2030-01-01T00:00:00Z\""),
            invalid),
        of(
            "validUntil before validFrom",
            "POST",
            SUBSCRIPTIONS,
            create("validUntil", "\"2029-01-01T00:00:00Z\""),
            invalid),
        of(
            "concurrent seats",
            "POST",
            SUBSCRIPTIONS,
            create("seatModel", "\"concurrent\""),
            invalid),
        of(
            "unknown field",
            "POST",
            SUBSCRIPTIONS,
            create("discount", "10"),
            ProblemType.UNKNOWN_FIELD),
        of(
            "status on create",
            "POST",
            SUBSCRIPTIONS,
            create("status", "\"active\""),
            ProblemType.UNKNOWN_FIELD),
        of(
            "id on create",
            "POST",
            SUBSCRIPTIONS,
            create("id", "\"chosen\""),
            ProblemType.UNKNOWN_FIELD),
        of(
            "unknown application",
            "POST",
            SUBSCRIPTIONS,
            create("application", "\"payroll\""),
            ProblemType.APPLICATION_NOT_FOUND),
        of(
            "unknown instance",
            "POST",
            SUBSCRIPTIONS,
            create("instance", "\"nobody\""),
            ProblemType.INSTANCE_NOT_FOUND),
        of(
            "invalid instance name",
            "POST",
            SUBSCRIPTIONS,
            create("instance", "\"Acme\""),
            ProblemType.INVALID_NAME),
        of(
            "overlapping period",
            "POST",
            SUBSCRIPTIONS,
            create("validFrom", "\"2026-06-01T00:00:00Z\""),
            ProblemType.SUBSCRIPTION_OVERLAP),
        of(
            "open-ended overlapping the cancelled one and the existing one",
            "POST",
            SUBSCRIPTIONS,
            create("validUntil", "null").replace("2030-01-01", "2025-01-01"),
            ProblemType.SUBSCRIPTION_OVERLAP),
        of("malformed JSON", "POST", SUBSCRIPTIONS, "{\"quantity\":", ProblemType.MALFORMED_JSON),
        of(
            "duplicate member",
            "POST",
            SUBSCRIPTIONS,
            create("quantity", "1,\"quantity\":2"),
            ProblemType.DUPLICATE_KEY),
        of("change with negative quantity", "PATCH", one, "{\"quantity\":-5}", invalid),
        of("change with a quantity string", "PATCH", one, "{\"quantity\":\"5\"}", invalid),
        of(
            "change ending before the start",
            "PATCH",
            one,
            "{\"validUntil\":\"2025-12-31T00:00:00Z\"}",
            invalid),
        of("change with an unknown status", "PATCH", one, "{\"status\":\"paused\"}", invalid),
        of(
            "change of validFrom",
            "PATCH",
            one,
            "{\"validFrom\":\"2026-02-01T00:00:00Z\"}",
            ProblemType.UNKNOWN_FIELD),
        of(
            "change of the instance",
            "PATCH",
            one,
            "{\"instance\":\"other\"}",
            ProblemType.UNKNOWN_FIELD),
        of("empty change", "PATCH", one, "{}", invalid),
        of(
            "change of an unknown subscription",
            "PATCH",
            SUBSCRIPTIONS + "/no-such-id",
            "{\"quantity\":1}",
            ProblemType.SUBSCRIPTION_NOT_FOUND),
        of(
            "application with a bad name",
            "POST",
            "/v1/admin/applications",
            "{\"name\":\"CRM\"}",
            ProblemType.INVALID_NAME),
        of(
            "duplicate application",
            "POST",
            "/v1/admin/applications",
            "{\"name\":\"crm\"}",
            ProblemType.ALREADY_EXISTS),
        of(
            "application with an unknown field",
            "POST",
            "/v1/admin/applications",
            "{\"name\":\"hr\",\"seats\":3}",
            ProblemType.UNKNOWN_FIELD),
        of(
            "rename of an unknown application",
            "PATCH",
            "/v1/admin/applications/payroll",
            "{\"displayName\":\"P\"}",
            ProblemType.APPLICATION_NOT_FOUND),
        of("rename without a name", "PATCH", "/v1/admin/applications/crm", "{}", invalid));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("rejected")
  void badInput_getsItsProblemType_andChangesNothing(
      String name, String method, String path, String body, ProblemType expected) {
    HttpResponse<byte[]> response =
        server.sendJson(method, path.formatted(existing), server.adminToken(), body);

    assertProblem(response, expected);
    assertNothingChanged();
  }

  @Test
  void theMaximumQuantityAndOverage_areAccepted_andOneMoreIsRefusedWithTheMaximumNamed() {
    long max = SubscriptionRules.MAX_SEATS;
    assertThat(max).isEqualTo(1_000_000_000L);
    JsonNode problem =
        assertProblem(
            server.sendJson(
                "POST",
                SUBSCRIPTIONS,
                server.adminToken(),
                create("quantity", String.valueOf(max + 1))),
            ProblemType.INVALID_REQUEST);
    assertThat(problem.get("detail").asText()).contains("quantity").contains("1000000000");
    assertNothingChanged();

    HttpResponse<byte[]> created =
        server.sendJson(
            "POST",
            SUBSCRIPTIONS,
            server.adminToken(),
            create("quantity", max + ",\"overage\":" + max)
                .replace("2030-", "2040-")
                .replace("2031-", "2041-"));
    assertThat(created.statusCode()).as(HttpTestSupport.text(created)).isEqualTo(201);
    JsonNode subscription = HttpTestSupport.json(created);
    assertThat(subscription.get("quantity").asLong()).isEqualTo(max);
    assertThat(subscription.get("overage").asLong()).isEqualTo(max);
    String id = subscription.get("id").asText();
    assertThat(
            server
                .admin(
                    "PATCH", SUBSCRIPTIONS + "/" + id, "{\"quantity\":" + max + ",\"overage\":0}")
                .get("quantity")
                .asLong())
        .isEqualTo(max);
    server.admin("POST", SUBSCRIPTIONS + "/" + id + "/end", null);
  }

  @Test
  void overlap_namesTheSubscriptionInTheWay() {
    JsonNode problem =
        assertProblem(
            server.sendJson(
                "POST",
                SUBSCRIPTIONS,
                server.adminToken(),
                create("validFrom", "\"2026-06-01T00:00:00Z\"")),
            ProblemType.SUBSCRIPTION_OVERLAP);

    assertThat(problem.get("detail").asText())
        .contains(existing)
        .contains("acme-prod")
        .contains("crm");
    assertNothingChanged();
  }

  @Test
  void changingACancelledSubscription_isSubscriptionEnded() {
    assertProblem(
        server.sendJson(
            "PATCH", SUBSCRIPTIONS + "/" + cancelled, server.adminToken(), "{\"quantity\":3}"),
        ProblemType.SUBSCRIPTION_ENDED);
    assertNothingChanged();
  }

  @Test
  void badQueryParameters_areInvalidRequests() {
    assertProblem(
        server.get(SUBSCRIPTIONS + "?status=paused", server.adminToken()),
        ProblemType.INVALID_REQUEST);
    assertProblem(
        server.get("/v1/admin/subscriptions/usage?overAllocated=yes", server.adminToken()),
        ProblemType.INVALID_REQUEST);
    assertProblem(
        server.get("/v1/admin/audit?limit=0", server.adminToken()), ProblemType.INVALID_REQUEST);
    assertProblem(
        server.get("/v1/admin/audit?since=yesterday", server.adminToken()),
        ProblemType.INVALID_REQUEST);
    assertProblem(
        server.get("/v1/admin/instances/nobody/subscriptions/usage", server.adminToken()),
        ProblemType.INSTANCE_NOT_FOUND);
    assertNothingChanged();
  }
}
