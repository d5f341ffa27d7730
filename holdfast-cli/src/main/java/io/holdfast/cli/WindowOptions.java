package io.holdfast.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A window setting's pair of options: one sets it ({@code --window}), one removes it. */
final class WindowOptions {

  private WindowOptions() {}

  /**
   * Puts {@code member} into {@code body}: the value given with {@code setOption}, or {@code null}
   * when {@code removeOption} was given; nothing when neither was.
   *
   * @throws IllegalArgumentException when both were given
   */
  static void put(
      ObjectNode body,
      String member,
      String setOption,
      String value,
      String removeOption,
      boolean remove) {
    if (value != null && remove) {
      throw new IllegalArgumentException(
          "give " + setOption + " or " + removeOption + ", not both");
    }
    if (value != null) {
      body.put(member, value);
    } else if (remove) {
      body.putNull(member);
    }
  }
}
