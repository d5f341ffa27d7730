package io.holdfast.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.server.model.Names;
import java.util.Map;
import java.util.Set;

/**
 * What a heartbeat body may hold, checked member by member before anything is stored: an instance
 * reports its SDK version, when it sent the report, its last success and error, the state of each
 * namespace it reads, the seats in use per application, and, once the application reported any, its
 * own health (which a staged rollout's health gate reads). Unknown members are rejected, at every
 * level, so the stored report holds nothing the server did not check. Stateless.
 */
final class HeartbeatBody {

  /** Largest accepted body: a status report, far smaller than a document. */
  static final int MAX_BYTES = 16 * 1024;

  /** Deepest accepted nesting; a valid report nests three deep. */
  static final int MAX_DEPTH = 8;

  static final int MAX_SDK_VERSION_LENGTH = 64;
  static final int MAX_ERROR_LENGTH = 1000;
  static final int MAX_ENTRIES = 256;
  static final int MAX_ETAG_LENGTH = 100;
  static final int MAX_REASON_LENGTH = 500;

  /** The freshness states of the client SDK. */
  static final Set<String> STATUSES = Set.of("INITIALIZING", "FRESH", "STALE", "EXPIRED");

  /** What an application may say of its own health. */
  static final Set<String> APPLICATION_STATUSES = Set.of("OK", "DEGRADED", "FAILING");

  private static final Set<String> MEMBERS =
      Set.of(
          "sdkVersion",
          "sentAt",
          "lastSuccessAt",
          "lastError",
          "namespaces",
          "seatsInUse",
          "application");
  private static final Set<String> NAMESPACE_MEMBERS =
      Set.of(
          "revision",
          "etag",
          "status",
          "since",
          "reason",
          "graceRemainingSeconds",
          "lastVerifiedAt");
  private static final Set<String> APPLICATION_MEMBERS = Set.of("status", "reason", "since");

  private HeartbeatBody() {}

  /**
   * Checks {@code body} and returns it unchanged.
   *
   * @throws io.holdfast.server.problem.ProblemException {@code UNKNOWN_FIELD} or {@code
   *     INVALID_REQUEST}
   * @throws io.holdfast.server.model.InvalidNameException for a namespace or application name that
   *     breaks the naming rule
   */
  static ObjectNode validate(ObjectNode body) {
    JsonObjectReader reader = JsonObjectReader.of(body, MEMBERS);
    reader.requiredString("sdkVersion", MAX_SDK_VERSION_LENGTH);
    reader.requiredTimestamp("sentAt");
    reader.optionalTimestamp("lastSuccessAt");
    reader.optionalString("lastError", MAX_ERROR_LENGTH);
    ObjectNode namespaces = entries(reader, "namespaces");
    if (namespaces != null) {
      for (Map.Entry<String, JsonNode> entry : namespaces.properties()) {
        String path =
            "namespaces." + Names.require("namespace name in 'namespaces'", entry.getKey());
        if (!entry.getValue().isObject()) {
          throw JsonObjectReader.invalid("member '" + path + "' must be an object");
        }
        JsonObjectReader namespace =
            JsonObjectReader.of((ObjectNode) entry.getValue(), NAMESPACE_MEMBERS, path);
        namespace.requiredNonNegativeLong("revision");
        namespace.optionalString("etag", MAX_ETAG_LENGTH);
        String status = namespace.requiredString("status");
        if (!STATUSES.contains(status)) {
          throw JsonObjectReader.invalid(
              "member '"
                  + namespace.pathOf("status")
                  + "' must be one of "
                  + "INITIALIZING, FRESH, STALE, EXPIRED");
        }
        namespace.requiredTimestamp("since");
        namespace.optionalString("reason", MAX_REASON_LENGTH);
        namespace.optionalNonNegativeLong("graceRemainingSeconds");
        namespace.optionalTimestamp("lastVerifiedAt");
      }
    }
    ObjectNode seats = entries(reader, "seatsInUse");
    if (seats != null) {
      for (Map.Entry<String, JsonNode> entry : seats.properties()) {
        Names.require("application name in 'seatsInUse'", entry.getKey());
        JsonNode count = entry.getValue();
        if (!count.isIntegralNumber() || !count.canConvertToLong() || count.asLong() < 0) {
          throw JsonObjectReader.invalid(
              "member 'seatsInUse."
                  + entry.getKey()
                  + "' must be a whole number from 0 to "
                  + Long.MAX_VALUE);
        }
      }
    }
    ObjectNode application = reader.optionalObject("application");
    if (application != null) {
      JsonObjectReader health =
          JsonObjectReader.of(application, APPLICATION_MEMBERS, "application");
      if (!APPLICATION_STATUSES.contains(health.requiredString("status"))) {
        throw JsonObjectReader.invalid(
            "member '" + health.pathOf("status") + "' must be one of OK, DEGRADED, FAILING");
      }
      health.optionalString("reason", MAX_REASON_LENGTH);
      health.requiredTimestamp("since");
    }
    return body;
  }

  private static ObjectNode entries(JsonObjectReader reader, String name) {
    ObjectNode entries = reader.optionalObject(name);
    if (entries != null && entries.size() > MAX_ENTRIES) {
      throw JsonObjectReader.invalid(
          "member '"
              + name
              + "' must have at most "
              + MAX_ENTRIES
              + " entries, has "
              + entries.size());
    }
    return entries;
  }
}
