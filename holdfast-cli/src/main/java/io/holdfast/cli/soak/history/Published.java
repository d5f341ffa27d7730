package io.holdfast.cli.soak.history;

import java.util.Objects;

/**
 * An acknowledged write: the admin API answered 2xx, so the instance's effective document of the
 * namespace now has this revision and content. A write that changes several instances' documents
 * (an edit of a shared layer) is recorded once per instance. The documents the runner seeds before
 * the soak starts are recorded as Published too, so that every revision a client may see is known.
 *
 * @param publisher who wrote it (a publisher's name)
 * @param instance the instance whose effective document changed
 * @param namespace the namespace
 * @param revision the revision the effective document has after the write
 * @param contentHash the effective document's content hash at that revision, in the same form the
 *     clients' {@link Observed#contentHash()} and the replicas' {@link Served#contentHash()} use;
 *     {@code null} if the runner does not know it (then only the revision is checked)
 * @param seq the {@code seq} the publisher wrote into the instance's layer, or {@code null} if the
 *     write did not touch it
 * @param operation what the write was, in words ("layer-edit", "change-request", "seed" ...)
 */
public record Published(
    long nanos,
    String publisher,
    String instance,
    String namespace,
    long revision,
    String contentHash,
    Long seq,
    String operation)
    implements SoakEvent {

  public Published {
    Objects.requireNonNull(publisher, "publisher");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(operation, "operation");
  }
}
