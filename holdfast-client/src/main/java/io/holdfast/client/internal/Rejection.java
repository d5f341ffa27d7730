package io.holdfast.client.internal;

/** A response or stored copy that failed verification; the message says which check failed. */
final class Rejection extends Exception {
  Rejection(String reason) {
    super(reason);
  }
}
