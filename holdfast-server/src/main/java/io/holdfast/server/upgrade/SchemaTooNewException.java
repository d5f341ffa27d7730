package io.holdfast.server.upgrade;

/**
 * The store's schema was contracted by a release newer than the one after this replica's: it may
 * have dropped or renamed what this replica reads, so the replica refuses to start rather than
 * misread it. The message says what to do.
 */
public final class SchemaTooNewException extends IllegalStateException {

  SchemaTooNewException(String message) {
    super(message);
  }
}
