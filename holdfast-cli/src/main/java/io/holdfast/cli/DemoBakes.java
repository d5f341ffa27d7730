package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's compressed bake times, a DEMO SETTING never meant for production: every ring's bake
 * time is its real one divided by {@code --bake-scale}, so the 24 h and 48 h bakes of {@code dev}
 * and {@code beta} pass in seconds while you watch. The rings are changed through the admin API as
 * {@code holdfast ring update} would; the real bake times are kept in {@code demo-credentials.json}
 * the first time, so every start divides those, and {@code --bake-scale 1} puts them back.
 */
final class DemoBakes {

  /** 24 h becomes 10 s, 48 h 20 s: a change crosses the four rings in well under a minute. */
  static final long DEFAULT_SCALE = 8640;

  private static final String SAVED = "ringBakeSeconds";

  private DemoBakes() {}

  /**
   * Sets every ring's bake to its real one divided by {@code scale} (rounded up to whole seconds,
   * so a ring that bakes still bakes), recording the real ones in {@code saved} and running {@code
   * save} before any is changed, so an interrupted start never divides a compressed one.
   *
   * @return one line per ring whose bake time differs from its real one, as {@code dev 24h → 10s}
   */
  static List<String> apply(AdminClient admin, ObjectNode saved, long scale, Runnable save) {
    if (scale < 1) {
      throw new IllegalArgumentException("--bake-scale must be 1 or more, was " + scale);
    }
    ObjectNode real = saved.withObjectProperty(SAVED);
    JsonNode rings = admin.get("/v1/admin/rings").path("rings");
    for (JsonNode ring : rings) {
      if (!real.has(ring.path("name").asText())) {
        real.put(
            ring.path("name").asText(), Duration.parse(ring.path("bakeTime").asText()).toSeconds());
      }
    }
    save.run();
    List<String> compressed = new ArrayList<>();
    for (JsonNode ring : rings) {
      String name = ring.path("name").asText();
      long realSeconds = real.path(name).asLong();
      long wanted = (realSeconds + scale - 1) / scale;
      if (Duration.parse(ring.path("bakeTime").asText()).toSeconds() != wanted) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("bakeTime", wanted + "s");
        admin.patch("/v1/admin/rings/" + AdminClient.encode(name), body);
      }
      if (wanted != realSeconds) {
        compressed.add(name + " " + human(realSeconds) + " → " + human(wanted));
      }
    }
    return compressed;
  }

  private static String human(long seconds) {
    if (seconds >= 3600 && seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds >= 60 && seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
