package io.holdfast.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The checks of single builder settings, each naming the setting and the bad value: the builder
 * calls them as values arrive, and {@link ClientSettings} checks how settings fit together.
 */
public final class SettingChecks {

  /** Far beyond any sensible setting, and far below where nanosecond arithmetic overflows. */
  static final Duration MAX_DURATION = Duration.ofDays(3650);

  private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  private SettingChecks() {}

  /** A duration above zero and at most ten years. */
  public static Duration positive(String what, Duration value) {
    Objects.requireNonNull(value, what);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive, was " + value);
    }
    if (value.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          what + " must be at most " + MAX_DURATION.toDays() + " days, was " + value);
    }
    return value;
  }

  /** A duration from zero (which means "none") to ten years. */
  public static Duration zeroOrMore(String what, Duration value) {
    Objects.requireNonNull(value, what);
    if (value.isNegative() || value.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          what + " must be between 0 and " + MAX_DURATION.toDays() + " days, was " + value);
    }
    return value;
  }

  /** An instance id or namespace: 1-63 lower-case letters, digits and inner hyphens. */
  public static String name(String what, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " must be 1-63 lower-case letters, digits and inner hyphens, was " + value);
    }
    return value;
  }

  /** A credential: a non-empty token of printable ASCII, without spaces. */
  public static String credential(String credential) {
    if (credential == null
        || credential.isBlank()
        || credential.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException(
          "credential must be a non-empty token of printable ASCII characters");
    }
    return credential;
  }

  /** A replica's base URL ({@code scheme://authority/}) from an http or https URL with a host. */
  public static URI replicaBase(URI uri) {
    Objects.requireNonNull(uri, "replica");
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "replica must be an http or https URL with a host, was " + uri);
    }
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + "/");
  }
}
