package io.holdfast.server.model;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Validation of instance labels: free-form key/value tags with bounded size. */
public final class Labels {

  /** At most this many labels per instance. */
  public static final int MAX_LABELS = 64;

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");
  private static final int MAX_VALUE_LENGTH = 256;

  private Labels() {}

  /**
   * Returns a sorted copy of the labels if every key and value is valid.
   *
   * @throws IllegalArgumentException naming the offending label
   */
  public static Map<String, String> validate(Map<String, String> labels) {
    if (labels == null) {
      return Map.of();
    }
    if (labels.size() > MAX_LABELS) {
      throw new IllegalArgumentException(
          "an instance has at most " + MAX_LABELS + " labels; got " + labels.size());
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (e.getKey() == null || !KEY.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException(
            "label key '" + e.getKey() + "' is invalid: 1-63 letters, digits, . _ / -");
      }
      if (e.getValue() == null || e.getValue().length() > MAX_VALUE_LENGTH) {
        throw new IllegalArgumentException(
            "label '"
                + e.getKey()
                + "' needs a value of at most "
                + MAX_VALUE_LENGTH
                + " characters");
      }
      sorted.put(e.getKey(), e.getValue());
    }
    return java.util.Collections.unmodifiableSortedMap(sorted);
  }
}
