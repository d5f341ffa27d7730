package io.holdfast.server.datadir;

/** A secret file others can read: the replica refuses to start, and says which file and why. */
public final class UnsafePermissionsException extends RuntimeException {

  public UnsafePermissionsException(String message) {
    super(message);
  }
}
