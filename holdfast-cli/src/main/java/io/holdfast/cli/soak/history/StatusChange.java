package io.holdfast.cli.soak.history;

import io.holdfast.client.Status;
import java.util.Objects;

/**
 * A client's overall status (the worst of its namespaces) changed. A client is {@link
 * Status#INITIALIZING} until its first StatusChange, and again after each {@link ClientStarted}.
 */
public record StatusChange(long nanos, String client, String instance, Status status)
    implements SoakEvent {

  public StatusChange {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(status, "status");
  }
}
