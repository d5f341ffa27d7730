package io.holdfast.cli.soak.history;

import java.util.Objects;

/**
 * A client (re)started. A client keeps its name across restarts, so what it saw before counts
 * against what it sees after, unless its cache directory was wiped.
 *
 * @param client the client's stable name ("c07")
 * @param instance the instance it is a client of
 * @param cacheKept whether it started on the disk cache of its previous run; {@code false} for a
 *     first start or a cold start on an empty cache directory, which resets what it may regress
 *     from
 */
public record ClientStarted(long nanos, String client, String instance, boolean cacheKept)
    implements SoakEvent {

  public ClientStarted {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(instance, "instance");
  }
}
