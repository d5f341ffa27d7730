package io.holdfast.server.instance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * The latest status report an instance sent: the body as the server accepted it, and when the
 * server received it (by the receiving replica's clock, not the instance's). Not a revision:
 * recording one changes nothing that replicas serve.
 *
 * @param receivedAt when a replica received it, to the millisecond
 * @param body the validated heartbeat object; callers must not modify it
 */
public record Heartbeat(String instance, Instant receivedAt, JsonNode body) {

  public Heartbeat {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(body, "body");
  }
}
