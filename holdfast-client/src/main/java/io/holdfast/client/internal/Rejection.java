package io.holdfast.client.internal;

/**
 * A response or stored copy that failed verification; the message says which check failed. It
 * carries no stack trace: it is a verdict, reported by its message and never logged as a failure of
 * the code, and a client that distrusts a held document's signer meets one every cycle.
 */
final class Rejection extends Exception {
  Rejection(String reason) {
    super(reason, null, false, false);
  }
}
