package io.holdfast.cli.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.cli.soak.history.ContentStamp;
import java.util.Objects;

/**
 * One instance of the soak's fleet: its id, credential, its subscription to the soak's application,
 * and how many application nodes (clients) it runs.
 */
record Tenant(String id, String credential, String subscriptionId, int nodes) {

  /** The namespace the publishers write and the clients read. */
  static final String NAMESPACE = "app";

  /** The application every tenant subscribes to. */
  static final String APPLICATION = "soak-app";

  Tenant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(subscriptionId, "subscriptionId");
  }

  /** The layer scope the tenant's publisher writes. */
  String scope() {
    return "instance:" + id;
  }

  /**
   * The self-check members of a document's content, or {@code null} if it has no {@code owner}; a
   * missing {@code seq} reads as -1 and a missing {@code check} as empty, which never match.
   */
  static ContentStamp stamp(JsonNode content) {
    if (!content.has("owner")) {
      return null;
    }
    return new ContentStamp(
        content.path("owner").asText(),
        content.path("seq").asLong(-1),
        content.path("check").asText());
  }

  /** The seat table its nodes share in the seat database. */
  String seatTable() {
    return "seats_" + id.replace('-', '_');
  }
}
