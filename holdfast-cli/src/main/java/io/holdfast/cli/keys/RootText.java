package io.holdfast.cli.keys;

import io.holdfast.protocol.keyset.RootKeys;

/** How a root reads in the commands' output: its threshold and key ids. */
final class RootText {

  private RootText() {}

  /** For example {@code (2 of hf1-…, hf1-…, hf1-…)}. */
  static String ids(RootKeys root) {
    return "(" + root.threshold() + " of " + String.join(", ", root.keyIds()) + ")";
  }
}
