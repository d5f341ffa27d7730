package io.holdfast.server.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Marks every answer on an authenticated route ({@code /v1/instances/…}, {@code /v1/admin…}, and
 * Spring Cloud Config's routes at the root, {@link SpringConfigApi}) with {@code Vary:
 * Authorization}: documents and their 304s, checksums, watches, admin answers and every problem
 * (401, 403, 404, 503…) sent there.
 *
 * <p>Why: those answers depend on the credential, and {@code Cache-Control: private, no-cache} or
 * {@code no-store} only protect them from caches that obey it. A proxy cache configured to ignore
 * {@code Cache-Control} (FAULTS F6) still honours {@code Vary}, so it keys what it stores by the
 * credential and never serves tenant A's document, A's 404 or an admin listing to tenant B or to an
 * anonymous caller. A 304 must carry the same {@code Vary} as its 200 (FAULTS I11), which one
 * filter gives for free. Set before the handler runs so that the problem mapping, which keeps the
 * headers already set, repeats it on errors too. Console pages, whose credential is the session
 * cookie, carry {@code Vary: Cookie} for the same reason. Stateless.
 */
final class CredentialVary implements Filter {

  static final Header VARY_AUTHORIZATION =
      HeaderValues.createCached(HeaderNames.VARY, "Authorization");

  /** The console's credential is its session cookie. */
  static final Header VARY_COOKIE = HeaderValues.createCached(HeaderNames.VARY, "Cookie");

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String path = req.path().path();
    if (authenticated(path)) {
      res.header(VARY_AUTHORIZATION);
    } else if (consolePage(path)) {
      res.header(VARY_COOKIE);
    }
    chain.proceed();
  }

  /** Console pages, which depend on the session cookie; its static assets do not. */
  static boolean consolePage(String path) {
    return (path.equals("/console") || path.startsWith("/console/"))
        && !path.startsWith("/console/assets/");
  }

  /** Whether the answers under {@code path} depend on the request's credential. */
  static boolean authenticated(String path) {
    return path.startsWith("/v1/instances/")
        || path.equals("/v1/instances")
        || path.startsWith("/v1/admin/")
        || path.equals("/v1/admin")
        || SpringConfigApi.serves(path);
  }
}
