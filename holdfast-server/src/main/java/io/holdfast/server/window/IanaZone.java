package io.holdfast.server.window;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a time zone name. Only IANA region names (and {@code UTC}) are accepted: a fixed offset
 * such as {@code +01:00} would silently ignore summer time, which is the very thing a customer's
 * evening follows.
 */
public final class IanaZone {

  /** Longer than any IANA name (the longest has 32 characters); input beyond it is refused. */
  static final int MAX_LENGTH = 64;

  // The JDK returns a fresh copy of the set on every call; the names do not change at run time.
  private static final Set<String> KNOWN = Set.copyOf(ZoneId.getAvailableZoneIds());
  private static final Map<String, String> BY_LOWER_CASE =
      KNOWN.stream()
          .collect(
              Collectors.toMap(
                  id -> id.toLowerCase(Locale.ROOT), Function.identity(), (a, b) -> a));

  private IanaZone() {}

  /**
   * The zone named {@code id}, exactly as IANA spells it.
   *
   * @throws InvalidWindowException for a missing, unknown or fixed-offset zone, suggesting the
   *     correct spelling when only the case is wrong
   */
  public static ZoneId parse(String id) {
    if (id == null || id.isBlank()) {
      throw new InvalidWindowException("a time zone is required, e.g. Europe/London");
    }
    if (id.length() > MAX_LENGTH) {
      throw new InvalidWindowException(
          "time zone name is " + id.length() + " characters; IANA names are at most 32");
    }
    if (KNOWN.contains(id)) {
      return ZoneId.of(id);
    }
    String sameButCase = BY_LOWER_CASE.get(id.toLowerCase(Locale.ROOT));
    if (sameButCase != null) {
      throw new InvalidWindowException(
          "unknown time zone '" + id + "'; did you mean '" + sameButCase + "'?");
    }
    if (id.startsWith("+") || id.startsWith("-")) {
      throw new InvalidWindowException(
          "'"
              + id
              + "' is a fixed offset, not a time zone: name the IANA zone whose clocks the"
              + " customer follows, e.g. Europe/London");
    }
    throw new InvalidWindowException(
        "unknown time zone '"
            + id
            + "': use an IANA name such as Europe/London, America/New_York or UTC");
  }

  /** {@code zone} itself if {@link #parse} would accept its id; the checks are the same. */
  static ZoneId require(ZoneId zone) {
    parse(zone.getId());
    return zone;
  }
}
