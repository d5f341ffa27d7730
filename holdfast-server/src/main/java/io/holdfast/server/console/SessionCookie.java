package io.holdfast.server.console;

import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * The console's session cookie, named and scoped by how the console was reached.
 *
 * <p>Over TLS it is {@code __Host-holdfast_console}, {@code Secure}, {@code Path=/} and without a
 * {@code Domain}: browsers accept a {@code __Host-} cookie only so, and then no plain-HTTP page
 * and no sibling subdomain can set or overwrite it (a planted session). The prefix requires
 * {@code Path=/}, so over TLS the cookie also travels to the API, which never reads cookies.
 * Over plain HTTP (a replica behind a TLS-terminating proxy, or loopback) it is
 * {@code holdfast_console} with {@code Path=/console}, as before. Stateless.
 */
final class SessionCookie {

  static final String PLAIN = "holdfast_console";
  static final String SECURE = "__Host-holdfast_console";

  private SessionCookie() {}

  /** The session id the request carries in the cookie for its transport. */
  static Optional<String> read(ServerRequest req) {
    return req.headers().cookies().first(req.isSecure() ? SECURE : PLAIN).asOptional();
  }

  /** A {@code Set-Cookie} value carrying {@code value}, or ending the cookie when {@code expire}. */
  static String header(String value, boolean secure, boolean expire) {
    String attributes = secure ? "; Path=/; Secure" : "; Path=/console";
    return (secure ? SECURE : PLAIN) + "=" + value + attributes + "; HttpOnly; SameSite=Strict"
        + (expire ? "; Max-Age=0" : "");
  }
}
