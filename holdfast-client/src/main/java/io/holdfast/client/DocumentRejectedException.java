package io.holdfast.client;

import java.util.Objects;

/**
 * Thrown by a {@link DocumentValidator} to reject a document; its message is the reason shown in
 * the namespace's status and heartbeats.
 */
public final class DocumentRejectedException extends Exception {

  /**
   * @param reason why the document is rejected, in a few words ({@code "seats must be positive"})
   */
  public DocumentRejectedException(String reason) {
    super(Objects.requireNonNull(reason, "reason"));
  }
}
