package io.holdfast.cli.soak.history;

import java.util.Objects;

/**
 * What one replica serves for one instance's namespace after the final heal, read directly with the
 * instance's credential.
 *
 * @param replica the replica's name
 * @param revision the served revision; 0 if nothing was served
 * @param contentHash the served content hash, or {@code null} if nothing was served
 * @param stamp the served content's self-check members, or {@code null} if it has none
 * @param error why nothing was served (status code, exception), or {@code null} if it was
 */
public record Served(
    long nanos,
    String replica,
    String instance,
    String namespace,
    long revision,
    String contentHash,
    ContentStamp stamp,
    String error)
    implements SoakEvent {

  public Served {
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(namespace, "namespace");
  }
}
