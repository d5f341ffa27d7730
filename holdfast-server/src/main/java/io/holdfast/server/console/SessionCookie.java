package io.holdfast.server.console;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.holdfast.server.config.TrustedProxies;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * The console's session cookie, named and scoped by whether the browser reached the console over
 * TLS.
 *
 * <p>Over TLS it is {@code __Host-holdfast_console}, {@code Secure}, {@code Path=/} and without a
 * {@code Domain}: browsers accept a {@code __Host-} cookie only so, and then no plain-HTTP page and
 * no sibling subdomain can set or overwrite it (a planted session). The prefix requires {@code
 * Path=/}, so over TLS the cookie also travels to the API, which never reads cookies. Otherwise it
 * is {@code holdfast_console} with {@code Path=/console}. The browser's connection is over TLS when
 * the replica's is, or when a trusted proxy ({@code trusted-proxies}) that terminated TLS says so
 * ({@code X-Forwarded-Proto: https}, or {@code proto=https} in {@code Forwarded}, the last entry,
 * which that proxy wrote); anyone else's word on it is ignored. Immutable.
 */
final class SessionCookie {

  static final String PLAIN = "holdfast_console";
  static final String SECURE = "__Host-holdfast_console";

  private static final HeaderName X_FORWARDED_PROTO = HeaderNames.create("X-Forwarded-Proto");

  private final TrustedProxies trusted;

  SessionCookie(TrustedProxies trusted) {
    this.trusted = trusted;
  }

  /** The session id the request carries in the cookie for its transport. */
  Optional<String> read(ServerRequest req) {
    return req.headers().cookies().first(overTls(req) ? SECURE : PLAIN).asOptional();
  }

  /**
   * A {@code Set-Cookie} value carrying {@code value}, or ending the cookie when {@code expire}.
   */
  String header(ServerRequest req, String value, boolean expire) {
    boolean secure = overTls(req);
    String attributes = secure ? "; Path=/; Secure" : "; Path=/console";
    return (secure ? SECURE : PLAIN)
        + "="
        + value
        + attributes
        + "; HttpOnly; SameSite=Strict"
        + (expire ? "; Max-Age=0" : "");
  }

  /** Whether the browser's connection is over TLS. */
  boolean overTls(ServerRequest req) {
    if (req.isSecure()) {
      return true;
    }
    InetAddress peer =
        req.remotePeer().address() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    if (!trusted.trusts(peer)) {
      return false;
    }
    // The last entry is the word of the trusted proxy in front; entries before it may have been
    // written by the client itself (as with the forwarded address, ClientAddress).
    if (req.headers().contains(HeaderNames.FORWARDED)) {
      for (String pair : last(req.headers().values(HeaderNames.FORWARDED)).split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase("proto")) {
          return unquote(pair.substring(eq + 1).strip()).equalsIgnoreCase("https");
        }
      }
      return false;
    }
    if (req.headers().contains(X_FORWARDED_PROTO)) {
      return last(req.headers().values(X_FORWARDED_PROTO))
          .strip()
          .toLowerCase(Locale.ROOT)
          .equals("https");
    }
    return false;
  }

  /**
   * The last entry of a header's list; several header lines are one list, in order (RFC 9110
   * section 5.3).
   */
  private static String last(java.util.List<String> lines) {
    String list = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    return list.substring(list.lastIndexOf(',') + 1);
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }
}
