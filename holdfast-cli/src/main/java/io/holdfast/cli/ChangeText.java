package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Renders the admin API's change, dry-run and rollout views as text for people; {@code --json}
 * prints the views themselves. Reads only members the API documents and tolerates absent ones.
 * Stateless.
 */
final class ChangeText {

  private static final int MAX_VALUE = 60;

  private ChangeText() {}

  /** One change: state, ring, approvals, edits, releases, the gate's verdict and the outcome. */
  static void change(PrintWriter out, JsonNode c) {
    StringBuilder head =
        new StringBuilder("change ")
            .append(c.path("id").asLong())
            .append(": ")
            .append(c.path("state").asText());
    if (c.hasNonNull("currentRing") && c.path("state").asText().equals("rolling_out")) {
      head.append(" in ring ")
          .append(c.path("currentRing").asText())
          .append(" since ")
          .append(c.path("releasedAt").asText())
          .append(" (revision ")
          .append(c.path("releaseRevision").asLong())
          .append(')');
    } else if (c.hasNonNull("currentRing")) {
      head.append(" (last released to ring ").append(c.path("currentRing").asText()).append(')');
    }
    if (c.path("paused").asBoolean(false)) {
      head.append(", paused");
    }
    head.append(" [version ").append(c.path("version").asLong()).append(']');
    out.println(head);
    line(out, "description", c.path("description").asText());
    line(out, "author", c.path("author").asText());
    line(
        out,
        "approvals",
        c.path("approvals").size() + " of " + c.path("requiredApprovals").asInt() + " required");
    for (JsonNode a : c.path("approvals")) {
      String comment = a.path("comment").asText("");
      line(
          out,
          "",
          a.path("approver").asText()
              + " at "
              + a.path("approvedAt").asText()
              + (comment.isEmpty() ? "" : ": " + comment));
    }
    String label = "edits";
    for (JsonNode e : c.path("edits")) {
      if (e.has("subscription")) {
        JsonNode fields = e.path("subscription").deepCopy();
        String target =
            "subscription "
                + fields.path("id").asText()
                + " of "
                + fields.path("instance").asText();
        ((ObjectNode) fields).remove(List.of("id", "instance"));
        line(
            out,
            label,
            target + ": " + e.path("kind").asText() + " " + abbreviate(fields.toString()));
      } else {
        String what =
            e.path("remove").asBoolean(false)
                ? "remove"
                : "set " + abbreviate(e.path("content").toString());
        line(
            out,
            label,
            e.path("namespace").asText() + " " + e.path("scope").asText() + ": " + what);
      }
      label = "";
    }
    label = "releases";
    for (JsonNode r : c.path("releases")) {
      line(
          out,
          label,
          r.path("ring").asText()
              + " at "
              + r.path("releasedAt").asText()
              + " (revision "
              + r.path("revision").asLong()
              + ", "
              + r.path("mode").asText()
              + ", by "
              + r.path("actor").asText()
              + ")");
      label = "";
    }
    if (c.path("releases").isEmpty()) {
      line(out, label, "none yet");
    }
    JsonNode gate = c.path("gate");
    if (gate.isObject()) {
      line(
          out,
          "gate",
          gate.path("decision").asText()
              + ": "
              + gate.path("watched").asInt()
              + " watched, "
              + gate.path("acknowledged").asInt()
              + " acknowledged, "
              + gate.path("failing").asInt()
              + " failing, "
              + gate.path("erroring").asInt()
              + " erroring; "
              + gate.path("reason").asText());
    }
    String windowsLabel = "windows";
    for (JsonNode w : c.path("windows")) {
      line(out, windowsLabel, window(w, ZoneId.systemDefault()));
      windowsLabel = "";
    }
    if (!c.path("outcome").asText("").isEmpty()) {
      line(out, "outcome", c.path("outcome").asText());
    }
    if (c.hasNonNull("finalRevision")) {
      line(out, "final revision", c.path("finalRevision").asText());
    }
    out.flush();
  }

  /**
   * One ring's progress through its change windows: who has the change, who waits, and when the
   * next window opens, in the customer's zone and in the operator's ({@code here}).
   */
  static String window(JsonNode w, ZoneId here) {
    StringBuilder text =
        new StringBuilder("ring ")
            .append(w.path("ring").asText())
            .append(": ")
            .append(w.path("received").asInt())
            .append(" of ")
            .append(w.path("instances").asInt())
            .append(" instances have it, ")
            .append(w.path("waiting").asInt())
            .append(" wait for their window");
    JsonNode next = w.path("nextOpening");
    if (next.isObject()) {
      Instant at = Instant.parse(next.path("at").asText());
      text.append("; next opens ")
          .append(at)
          .append(" for ")
          .append(next.path("instance").asText())
          .append(" (")
          .append(next.path("local").asText())
          .append(" in ")
          .append(next.path("zone").asText())
          .append("; ")
          .append(at.atZone(here).toLocalDateTime())
          .append(" here, ")
          .append(here.getId())
          .append(')');
    }
    return text.toString();
  }

  /** A table of changes, newest first, as the API lists them. */
  static void changes(PrintWriter out, JsonNode list) {
    out.printf(
        "%-6s %-12s %-8s %-9s %-24s %s%n",
        "ID", "STATE", "RING", "APPROVED", "AUTHOR", "DESCRIPTION");
    for (JsonNode c : list.path("changes")) {
      out.printf(
          "%-6d %-12s %-8s %-9s %-24s %s%n",
          c.path("id").asLong(),
          c.path("state").asText(),
          c.hasNonNull("currentRing") ? c.path("currentRing").asText() : "-",
          c.path("approvals").size() + "/" + c.path("requiredApprovals").asInt(),
          c.path("author").asText(),
          abbreviate(c.path("description").asText()));
    }
    out.flush();
  }

  /** What a change would do: the diff per target (ring or instance) and any schema violations. */
  static void dryRun(PrintWriter out, JsonNode report) {
    for (JsonNode p : report.path("previews")) {
      out.println(p.path("namespace").asText() + " for " + p.path("target").asText() + ":");
      if (p.path("diff").isEmpty()) {
        out.println("  unchanged");
      }
      for (JsonNode d : p.path("diff")) {
        String path = d.path("path").asText().isEmpty() ? "/" : d.path("path").asText();
        switch (d.path("op").asText()) {
          case "add" -> out.println("  + " + path + ": " + d.path("after"));
          case "remove" -> out.println("  - " + path + ": " + d.path("before"));
          default ->
              out.println("  ~ " + path + ": " + d.path("before") + " -> " + d.path("after"));
        }
      }
    }
    if (!report.path("changesAnything").asBoolean(true)) {
      out.println("the change leaves every effective document as it is");
    }
    if (!report.path("violations").isEmpty()) {
      out.println("schema violations (the change would be refused):");
      for (JsonNode v : report.path("violations")) {
        out.println("  " + v.asText());
      }
    }
    out.flush();
  }

  /** The freeze, the approvals a change needs, and every ring's bake time and gate. */
  static void rollouts(PrintWriter out, JsonNode overview) {
    freeze(out, overview.path("freeze"));
    out.println("approvals required: " + overview.path("requiredApprovals").asInt());
    out.printf(
        "%-12s %8s %8s %8s %12s %11s %9s %11s%n",
        "RING",
        "POSITION",
        "BAKE",
        "MIN ACK",
        "ACK DEADLINE",
        "MAX FAILING",
        "MAX ERROR",
        "ALLOW EMPTY");
    for (JsonNode r : overview.path("rings")) {
      JsonNode g = r.path("gate");
      out.printf(
          "%-12s %8d %8s %8s %12s %11s %9s %11s%n",
          r.path("name").asText(),
          r.path("position").asInt(),
          duration(r.path("bakeTime").asText()),
          g.path("minAckRatio").asText(),
          duration(g.path("ackDeadline").asText()),
          g.path("maxFailingRatio").asText(),
          g.path("maxErrorRatio").asText(),
          g.path("allowEmpty").asBoolean(false) ? "yes" : "no");
      // On a line of its own: a window's text is longer than any column could be.
      if (r.hasNonNull("changeWindow")) {
        out.println("  window: " + r.get("changeWindow").asText());
      }
    }
    out.flush();
  }

  static void freeze(PrintWriter out, JsonNode freeze) {
    if (freeze.path("frozen").asBoolean(false)) {
      out.println(
          "rollouts: frozen since "
              + freeze.path("since").asText()
              + " by "
              + freeze.path("actor").asText()
              + ": "
              + freeze.path("reason").asText());
    } else {
      out.println("rollouts: not frozen");
    }
    out.flush();
  }

  /** {@code PT24H} as {@code 24h}, {@code PT1H30M} as {@code 1h30m}; anything else as it is. */
  static String duration(String iso) {
    Duration d;
    try {
      d = Duration.parse(iso);
    } catch (DateTimeParseException e) {
      return iso;
    }
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    append(text, d.toDaysPart(), "d");
    append(text, d.toHoursPart(), "h");
    append(text, d.toMinutesPart(), "m");
    append(text, d.toSecondsPart(), "s");
    return text.isEmpty() ? iso : text.toString();
  }

  private static void append(StringBuilder text, long amount, String unit) {
    if (amount != 0) {
      text.append(amount).append(unit);
    }
  }

  private static void line(PrintWriter out, String label, String value) {
    out.printf("  %-15s %s%n", label.isEmpty() ? "" : label + ":", value);
  }

  private static String abbreviate(String text) {
    return text.length() <= MAX_VALUE ? text : text.substring(0, MAX_VALUE - 3) + "...";
  }
}
