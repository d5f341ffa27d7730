package io.holdfast.cli.soak.history;

/** Comparing content hashes that may be unknown ({@code null}). Stateless. */
final class ContentHashes {

  private ContentHashes() {}

  /** Whether both hashes are known and differ. */
  static boolean conflict(String one, String other) {
    return one != null && other != null && !one.equals(other);
  }
}
