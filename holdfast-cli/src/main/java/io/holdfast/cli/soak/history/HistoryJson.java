package io.holdfast.cli.soak.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one JSON mapping of history events, shared by the recorder and the reader so that what one
 * writes the other reads. Unknown members are ignored: later runners may add members.
 */
final class HistoryJson {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private HistoryJson() {}

  /** The event as one line of JSON, without the line break. */
  static String line(SoakEvent event) {
    try {
      return JSON.writerFor(SoakEvent.class).writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a history event is always writable: " + event, e);
    }
  }

  /**
   * @throws IllegalArgumentException if the line is not a history event
   */
  static SoakEvent event(String line) {
    try {
      return JSON.readValue(line, SoakEvent.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }
}
