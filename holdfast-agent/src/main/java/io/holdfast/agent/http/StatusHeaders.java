package io.holdfast.agent.http;

import com.sun.net.httpserver.Headers;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.Freshness;
import io.holdfast.protocol.http.HoldfastHeaders;
import java.nio.charset.StandardCharsets;

/**
 * The headers every answer about a namespace carries, so a program written in any language reads a
 * value and how far to trust it from one response: {@code Holdfast-Status} (FRESH, STALE, EXPIRED,
 * INITIALIZING), {@code Holdfast-Status-Since}, {@code Holdfast-Status-Reason}, {@code
 * Holdfast-Grace-Remaining} (whole seconds), {@code Holdfast-Last-Verified-At}, {@code
 * Holdfast-Revision} and {@code ETag}. Stateless.
 */
final class StatusHeaders {

  static final String STATUS = "Holdfast-Status";
  static final String SINCE = "Holdfast-Status-Since";
  static final String REASON = "Holdfast-Status-Reason";
  static final String GRACE_REMAINING = "Holdfast-Grace-Remaining";
  static final String LAST_VERIFIED_AT = "Holdfast-Last-Verified-At";

  /** Longest reason sent, in bytes before encoding: a header, not a log. */
  static final int MAX_REASON_BYTES = 500;

  private StatusHeaders() {}

  static void apply(Headers headers, ConfigSnapshot snapshot) {
    Freshness freshness = snapshot.freshness();
    headers.set(STATUS, freshness.status().name());
    headers.set(SINCE, freshness.since().toString());
    headers.set(REASON, encodeReason(freshness.reason()));
    headers.set(GRACE_REMAINING, Long.toString(freshness.graceRemaining().toSeconds()));
    if (freshness.lastVerifiedAt() != null) {
      headers.set(LAST_VERIFIED_AT, freshness.lastVerifiedAt().toString());
    }
    headers.set(HoldfastHeaders.REVISION, Long.toString(snapshot.revision()));
    if (snapshot.etag() != null) {
      headers.set("ETag", snapshot.etag());
    }
  }

  /**
   * The reason as printable ASCII: a reason may hold any text (a validator's message, a replica's
   * error), and a header must not. Bytes outside 0x20..0x7E, and {@code %}, are percent-encoded
   * UTF-8, as in RFC 3986, so a reader that decodes gets the exact text and one that does not still
   * reads an English reason as it is.
   */
  static String encodeReason(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(Math.min(bytes.length, MAX_REASON_BYTES) + 16);
    int limit = Math.min(bytes.length, MAX_REASON_BYTES);
    for (int i = 0; i < limit; i++) {
      int b = bytes[i] & 0xff;
      if (b >= 0x20 && b <= 0x7e && b != '%') {
        out.append((char) b);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
