package io.holdfast.cli.soak.history;

import io.holdfast.client.Status;
import java.util.Objects;

/**
 * What a client held for one namespace when the application read it.
 *
 * @param client the client's stable name
 * @param instance the instance it is a client of
 * @param namespace the namespace read
 * @param revision the revision of the document it held; 0 if none yet
 * @param contentHash the document's content hash, or {@code null} if none yet
 * @param status the namespace's status at the read
 * @param stamp the content's self-check members, or {@code null} if the document has none (the
 *     {@code subscriptions} document, or a client that holds nothing yet); a document that has some
 *     of them but not all is recorded with what it has and a {@code check} of {@code ""}
 */
public record Observed(
    long nanos,
    String client,
    String instance,
    String namespace,
    long revision,
    String contentHash,
    Status status,
    ContentStamp stamp)
    implements SoakEvent {

  public Observed {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(status, "status");
  }

  /** Whether the client held a document at all (nothing to check before the first one). */
  public boolean holdsDocument() {
    return revision > 0;
  }
}
