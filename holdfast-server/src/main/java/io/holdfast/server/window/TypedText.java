package io.holdfast.server.window;

/** The checks every text an operator types goes through before it is read. */
final class TypedText {

  private TypedText() {}

  /**
   * {@code text} without surrounding white space.
   *
   * @param what what the text is, for messages: "window", "range", "blackout"
   * @param howToWrite what to write instead of nothing, with an example
   * @throws InvalidWindowException for a missing, blank or over-long text
   */
  static String require(String text, String what, int maxLength, String howToWrite) {
    if (text == null || text.isBlank()) {
      throw new InvalidWindowException("a " + what + " is empty: write " + howToWrite);
    }
    if (text.length() > maxLength) {
      throw new InvalidWindowException(
          "a " + what + "'s text is at most " + maxLength + " characters; got " + text.length());
    }
    return text.strip();
  }
}
