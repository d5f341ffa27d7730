package io.holdfast.server.model;

import java.util.regex.Pattern;

/**
 * The one rule for instance ids, ring names, namespace names and credential names: lower-case
 * letters, digits and inner hyphens, 1 to 63 characters (a DNS label). Such names are safe in URLs,
 * file names, metric labels and log lines without escaping.
 */
public final class Names {

  private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  private Names() {}

  /** Whether {@code value} is a valid name. */
  public static boolean isValid(String value) {
    return value != null && NAME.matcher(value).matches();
  }

  /**
   * Returns {@code value} if valid.
   *
   * @throws InvalidNameException saying what the name was for and what is allowed
   */
  public static String require(String what, String value) {
    if (!isValid(value)) {
      throw new InvalidNameException(
          what
              + " '"
              + abbreviate(value)
              + "' is invalid: use 1-63 lower-case letters,"
              + " digits and inner hyphens");
    }
    return value;
  }

  private static String abbreviate(String value) {
    if (value == null) {
      return "null";
    }
    return value.length() <= 80 ? value : value.substring(0, 80) + "…";
  }
}
