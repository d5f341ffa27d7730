package io.holdfast.server.audit;

import java.time.Instant;

/**
 * Which audit rows to read, newest first; a {@code null} field does not filter.
 *
 * @param target exact target, such as {@code subscription:<id>}, or a prefix ending in {@code :}
 *     ({@code subscription:}) for every target of a kind
 * @param since rows at or after this instant
 * @param limit at most this many rows
 */
public record AuditQuery(String action, String target, String actor, Instant since, int limit) {

  public AuditQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
  }

  public static AuditQuery latest(int limit) {
    return new AuditQuery(null, null, null, null, limit);
  }
}
