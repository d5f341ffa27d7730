package io.holdfast.server.store;

import io.holdfast.server.model.Scope;
import java.time.Instant;

/**
 * A layer that a rolling-out change released to an instance's ring while the instance's change
 * window was closed (issue 22). Until the window opens it waits: the instance is served the layer
 * as published, as if its ring had not been reached. Once delivered, the instance is served the
 * change's layer at the revision of its delivery, not of the ring's release: its documents changed
 * then, and a document's revision must move whenever its content does.
 *
 * @param revision the revision of the delivery; {@code null} while it waits
 * @param deliveredAt when it was delivered; {@code null} while it waits
 */
public record InstanceDelivery(
    String instance, String namespace, Scope scope, Long revision, Instant deliveredAt) {

  /** Whether the instance still waits for its window. */
  public boolean waiting() {
    return revision == null;
  }
}
