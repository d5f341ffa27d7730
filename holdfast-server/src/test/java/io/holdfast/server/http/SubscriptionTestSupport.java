package io.holdfast.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.ServerFixture;

/** Requests the subscription tests share, made as the bootstrap admin. */
final class SubscriptionTestSupport {

  static final String SUBSCRIPTIONS = "/v1/admin/subscriptions";

  private SubscriptionTestSupport() {}

  static void application(ServerFixture server, String name) {
    server.admin(
        "POST",
        "/v1/admin/applications",
        "{\"name\":\"" + name + "\",\"displayName\":\"The " + name + "\"}");
  }

  /**
   * Creates a subscription of {@code quantity} seats for {@code [from, until)}; {@code until} may
   * be null.
   */
  static JsonNode subscribe(
      ServerFixture server,
      String instance,
      String application,
      long quantity,
      String from,
      String until) {
    return server.admin(
        "POST",
        SUBSCRIPTIONS,
        "{\"instance\":\""
            + instance
            + "\",\"application\":\""
            + application
            + "\",\"quantity\":"
            + quantity
            + ",\"validFrom\":\""
            + from
            + "\",\"validUntil\":"
            + (until == null ? "null" : "\"" + until + "\"")
            + ",\"plan\":\"enterprise\",\"notes\":\"deal 42\"}");
  }

  /**
   * What the admin API shows of applications, subscriptions and the audit log, plus the store's
   * revision (read through namespace {@code ns}). Equal fingerprints mean nothing changed.
   */
  static String fingerprint(ServerFixture server, String ns) {
    return "revision="
        + HttpTestSupport.storeRevision(server, ns)
        + "\n"
        + server.admin("GET", "/v1/admin/applications", null)
        + "\n"
        + server.admin("GET", SUBSCRIPTIONS, null)
        + "\n"
        + auditWithoutReadCount(server)
        + "\n";
  }

  /**
   * The audit listing, less how many rows this listing's chain check read (it depends on the
   * checkpoint).
   */
  private static String auditWithoutReadCount(ServerFixture server) {
    com.fasterxml.jackson.databind.JsonNode audit =
        server.admin("GET", "/v1/admin/audit?limit=1000", null);
    ((com.fasterxml.jackson.databind.node.ObjectNode) audit.get("verification")).remove("read");
    return audit.toString();
  }
}
