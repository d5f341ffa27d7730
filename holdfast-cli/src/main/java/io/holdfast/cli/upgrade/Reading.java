package io.holdfast.cli.upgrade;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One answer of a replica, read whole: its status, its header fields (names compared without regard
 * to case, the first value of each) and its body.
 */
record Reading(int status, Map<String, String> headers, byte[] body) {

  static Reading of(int status, Map<String, List<String>> fields, byte[] body) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    fields.forEach(
        (name, values) -> {
          if (!values.isEmpty()) {
            headers.putIfAbsent(name, values.get(0));
          }
        });
    return new Reading(status, headers, body);
  }

  /** The field's first value, or {@code null} when the answer has none. */
  String header(String name) {
    return headers.get(name);
  }

  /** The revision the answer names in {@code Holdfast-Revision}, or -1 without a valid one. */
  long revision() {
    String value = header(io.holdfast.protocol.http.HoldfastHeaders.REVISION);
    try {
      return value == null ? -1 : Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
