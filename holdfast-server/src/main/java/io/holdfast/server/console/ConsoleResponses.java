package io.holdfast.server.console;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * How the console answers: HTML pages and fragments, redirects, and the headers every console
 * response carries.
 *
 * <p>The Content-Security-Policy allows scripts, styles and fetches from this origin only, and no
 * inline script or style at all, so even markup that slipped past escaping could not run; the
 * console may not be framed (clickjacking); pages are never cached, since they show who may do
 * what; and no Referer leaks console URLs to other sites.
 */
final class ConsoleResponses {

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; "
          + "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private ConsoleResponses() {}

  /** Headers every console response carries, assets included. */
  static void secure(ServerResponse res) {
    res.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    res.header("X-Frame-Options", "DENY");
    res.header("X-Content-Type-Options", "nosniff");
    // same-origin rather than no-referrer: under no-referrer browsers send "Origin: null" with the
    // console's own form posts, and ConsoleGuard could no longer tell them from a sandboxed
    // attacker's.
    res.header("Referrer-Policy", "same-origin");
    res.header("Cross-Origin-Opener-Policy", "same-origin");
    res.header("Cross-Origin-Resource-Policy", "same-origin");
  }

  static void html(ServerResponse res, Status status, Html html) {
    secure(res);
    res.status(status);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
    res.send(html.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * 303 See Other: after a form post, the browser GETs {@code location}, so reloading does not post
   * again.
   */
  static void redirect(ServerResponse res, String location) {
    secure(res);
    res.status(Status.SEE_OTHER_303);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.header(HeaderNames.LOCATION, location);
    res.send();
  }

  /**
   * 401 with no body, for a live fragment whose session ended: the page's script reloads into the
   * login page.
   */
  static void sessionEnded(ServerResponse res) {
    secure(res);
    res.status(Status.UNAUTHORIZED_401);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send();
  }
}
