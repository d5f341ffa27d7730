package io.holdfast.cli.gameday;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows bad-change's change through the rollout engine: reads it on each call of {@link #ended()}
 * and prints a timeline line whenever its state, ring, gate verdict or outcome changes. Used from
 * the drill's thread only.
 */
final class ChangeWatch {

  private final BadChange badChange;
  private final long id;
  private final Timeline timeline;
  private JsonNode latest;
  private String printed = "";

  ChangeWatch(BadChange badChange, JsonNode created, Timeline timeline) {
    this.badChange = badChange;
    this.id = created.path("id").asLong();
    this.timeline = timeline;
    this.latest = created;
  }

  /** Reads the change again; whether it has ended (neither approved nor rolling out any more). */
  boolean ended() {
    latest = badChange.status(id);
    String line = describe(latest);
    if (!line.equals(printed)) {
      timeline.print(line);
      printed = line;
    }
    String state = latest.path("state").asText();
    return !state.equals("approved") && !state.equals("rolling_out");
  }

  /** The change as last read. */
  JsonNode latest() {
    return latest;
  }

  /** One line: id, state, ring, the gate's verdict and the outcome, as far as they exist. */
  static String describe(JsonNode change) {
    JsonNode gate = change.path("gate");
    return "change "
        + change.path("id").asLong()
        + ": "
        + change.path("state").asText()
        + (change.hasNonNull("currentRing")
            ? " in ring " + change.path("currentRing").asText()
            : "")
        + (gate.isObject()
            ? ", gate " + gate.path("decision").asText() + ": " + gate.path("reason").asText()
            : "")
        + (change.path("outcome").asText("").isEmpty()
            ? ""
            : ", outcome: " + change.path("outcome").asText());
  }
}
