package io.holdfast.cli.gameday;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.cli.AdminClient;
import io.holdfast.cli.fleet.FleetMember;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code bad-change} scenario's change request: {@code core}'s {@code maxUploadMb} set to
 * {@value #BAD_VALUE} in each canary's own instance layer, so it reaches the canaries and nobody
 * else. The canaries' validators reject it and report STALE; the health gate of their ring should
 * then back it out on its own.
 *
 * <p>A change needs approvals from someone other than its author. The game day holds one admin
 * token, so it makes a short-lived publisher credential per approval needed ({@code
 * gameday-approver-<change>-<n>}, expiring in {@value #APPROVER_MINUTES} minutes), approves with it
 * and revokes it at once. Every step is in the audit log under those names. Not thread-safe; one
 * drill's thread uses it.
 */
final class BadChange {

  static final String BAD_VALUE = "lots";
  static final int APPROVER_MINUTES = 15;

  private final AdminClient admin;
  private final Function<String, AdminClient> asToken;

  /**
   * @param admin the game day's admin client
   * @param asToken a client of the same replica with another token
   */
  BadChange(AdminClient admin, Function<String, AdminClient> asToken) {
    this.admin = admin;
    this.asToken = asToken;
  }

  /**
   * Checks that the change can run at all: rollouts are not frozen and the canaries are in the
   * first ring (in a later one it would first bake through the earlier rings, 24 h and more).
   *
   * @throws IllegalStateException naming what stands in the way
   */
  void requireRunnable(String canaryRing) {
    JsonNode rollouts = admin.get("/v1/admin/rollouts");
    if (rollouts.path("freeze").path("frozen").asBoolean()) {
      throw new IllegalStateException(
          "rollouts are frozen ("
              + rollouts.path("freeze").path("reason").asText()
              + "); bad-change cannot start a change");
    }
    String first = firstRing(rollouts.path("rings"));
    if (first != null && !first.equals(canaryRing)) {
      throw new IllegalStateException(
          "bad-change needs the canaries in the first ring ("
              + first
              + "), not "
              + canaryRing
              + ": a change reaches a later ring only after the earlier rings' bake times");
    }
  }

  private static String firstRing(JsonNode rings) {
    String first = null;
    int position = Integer.MAX_VALUE;
    for (JsonNode ring : rings) {
      if (ring.path("position").asInt() < position) {
        position = ring.path("position").asInt();
        first = ring.path("name").asText();
      }
    }
    return first;
  }

  /** Creates the change; returns its view. */
  JsonNode create(List<FleetMember> canaries) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put(
        "description",
        "holdfast gameday bad-change: core maxUploadMb \""
            + BAD_VALUE
            + "\" for the game day's canaries; their validators reject it and the gate should"
            + " back it out");
    ArrayNode edits = body.putArray("edits");
    for (FleetMember canary : canaries) {
      ObjectNode edit = edits.addObject();
      edit.put("namespace", "core");
      edit.put("scope", "instance:" + canary.instance());
      edit.putObject("content").put("maxUploadMb", BAD_VALUE);
    }
    return admin.post("/v1/admin/changes", body);
  }

  /**
   * Gives the change the approvals it needs: the first from {@code approverToken} if not null, the
   * others each from a throwaway publisher credential.
   */
  void approve(JsonNode change, String approverToken) {
    long id = change.path("id").asLong();
    int required = change.path("requiredApprovals").asInt();
    int first = 1;
    if (approverToken != null && required > 0) {
      asToken.apply(approverToken).post("/v1/admin/changes/" + id + "/approve", comment());
      first = 2;
    }
    for (int n = first; n <= required; n++) {
      String name = "gameday-approver-" + id + "-" + n;
      ObjectNode credential = JsonNodeFactory.instance.objectNode();
      credential.put("name", name);
      credential.put("role", "publisher");
      credential.put(
          "expiresAt", Instant.now().plus(Duration.ofMinutes(APPROVER_MINUTES)).toString());
      String token = admin.post("/v1/admin/credentials", credential).path("token").asText();
      try {
        asToken.apply(token).post("/v1/admin/changes/" + id + "/approve", comment());
      } finally {
        admin.post("/v1/admin/credentials/" + name + "/revoke", null);
      }
    }
  }

  private static ObjectNode comment() {
    ObjectNode comment = JsonNodeFactory.instance.objectNode();
    comment.put("comment", "holdfast gameday bad-change drill");
    return comment;
  }

  /** The change as the API shows it now, with the gate's verdict while it rolls out. */
  JsonNode status(long id) {
    return admin.get("/v1/admin/changes/" + id);
  }
}
