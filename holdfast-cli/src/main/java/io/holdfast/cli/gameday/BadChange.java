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
 * and revokes it at once. Every step is in the audit log under those names. A change the gate did
 * not end is ended by {@link #endIfOpen}, so the next game day does not start with it still open.
 * Not thread-safe; one drill's thread uses it.
 */
final class BadChange {

  static final String BAD_VALUE = "lots";
  static final int APPROVER_MINUTES = 15;
  static final String CLEANUP_REASON = "game day cleanup: the gate did not end the change";

  private final AdminClient admin;
  private final Function<String, AdminClient> asToken;
  private final Timeline timeline;

  /**
   * @param admin the game day's admin client
   * @param asToken a client of the same replica with another token
   * @param timeline where a credential or change left behind is named
   */
  BadChange(AdminClient admin, Function<String, AdminClient> asToken, Timeline timeline) {
    this.admin = admin;
    this.asToken = asToken;
    this.timeline = timeline;
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
      } catch (RuntimeException e) {
        revoke(name, e);
        throw e;
      }
      revoke(name, null);
    }
  }

  /**
   * Revokes a throwaway approver. If that fails, the credential stays live until it expires: it is
   * named on the timeline, and the failure is added to {@code pending} (the approval's own, which
   * matters more) or, if there is none, thrown.
   */
  private void revoke(String name, RuntimeException pending) {
    try {
      admin.post("/v1/admin/credentials/" + name + "/revoke", null);
    } catch (AdminClient.RefusedException | AdminClient.UnreachableException e) {
      timeline.print(
          "approver credential "
              + name
              + " NOT revoked ("
              + e.getMessage()
              + "): it stays live until it expires within "
              + APPROVER_MINUTES
              + " minutes; revoke it with `holdfast credential revoke "
              + name
              + "`");
      if (pending == null) {
        throw e;
      }
      pending.addSuppressed(e);
    }
  }

  /**
   * Ends the change if the gate left it open (a pending change would hold the canaries' layers for
   * later game days): cancels it while draft or approved, backs it out while it rolls out, and says
   * so on the timeline. Failures are printed, not thrown, as this runs on the way out of the drill.
   *
   * @return whether it ended the change
   */
  boolean endIfOpen(long id) {
    try {
      String state = status(id).path("state").asText();
      if (state.equals("draft") || state.equals("approved")) {
        try {
          return end(id, state, "cancel", "cancelled");
        } catch (AdminClient.RefusedException e) {
          // The engine may have released it meanwhile; then it is backed out below.
          state = status(id).path("state").asText();
        }
      }
      return state.equals("rolling_out") && end(id, state, "backout", "backed out");
    } catch (AdminClient.RefusedException | AdminClient.UnreachableException e) {
      timeline.print(
          "CLEANUP FAILED: change "
              + id
              + " may still be open ("
              + e.getMessage()
              + "); end it with `holdfast change cancel "
              + id
              + "` or `holdfast change backout "
              + id
              + "`");
      return false;
    }
  }

  private boolean end(long id, String state, String action, String done) {
    ObjectNode reason = JsonNodeFactory.instance.objectNode();
    reason.put("reason", CLEANUP_REASON);
    admin.post("/v1/admin/changes/" + id + "/" + action, reason);
    timeline.print(
        "CLEANUP: change "
            + id
            + " was still "
            + state
            + "; "
            + done
            + " (\""
            + CLEANUP_REASON
            + "\")");
    return true;
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
