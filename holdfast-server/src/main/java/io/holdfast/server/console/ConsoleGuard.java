package io.holdfast.server.console;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.AdminCredential;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who a console request comes from, and whether a form post may be trusted.
 *
 * <p>A session is worth only as much as the credential that opened it: on every request the
 * credential is looked up again in the snapshot (as the API looks up a bearer token), so its
 * current role applies and a credential that was revoked, expired or given a new token ends the
 * session.
 *
 * <p>Every POST carries the session's synchronizer token in a hidden field ({@link #CSRF_FIELD}),
 * compared in constant time. Browsers also say where a request comes from; when they do ({@code
 * Sec-Fetch-Site}, {@code Origin}), a cross-site post is refused before its token is even looked
 * at. The session cookie is {@code SameSite=Strict} besides. Thread-safe.
 */
final class ConsoleGuard {

  static final String CSRF_FIELD = "csrf";

  private static final HeaderName SEC_FETCH_SITE = HeaderNames.create("Sec-Fetch-Site");

  private final ConsoleContext ctx;
  private final ConsoleSessions sessions;
  private final SessionCookie cookie;

  ConsoleGuard(ConsoleContext ctx, ConsoleSessions sessions, SessionCookie cookie) {
    this.cookie = cookie;
    this.ctx = ctx;
    this.sessions = sessions;
  }

  SessionCookie cookie() {
    return cookie;
  }

  ConsoleSessions sessions() {
    return sessions;
  }

  ConsoleContext context() {
    return ctx;
  }

  /** The operator of a live session whose credential still exists; empty otherwise. */
  Optional<Operator> operator(ServerRequest req) {
    return operator(req, true);
  }

  /**
   * As {@link #operator(ServerRequest)}; {@code touch} false for requests that are not the
   * operator's doing (live-fragment polls), which must not keep an idle session alive.
   */
  Optional<Operator> operator(ServerRequest req, boolean touch) {
    Optional<ConsoleSession> session = cookie.read(req).flatMap(id -> sessions.find(id, touch));
    if (session.isEmpty()) {
      return Optional.empty();
    }
    Optional<AdminCredential> credential =
        ctx.authenticator().liveAdmin(ctx.snapshot(), session.get().credentialHash());
    if (credential.isEmpty()) {
      // Revoked, expired, rotated or gone: the session ends with it, on every replica that has it.
      sessions.end(session.get());
      return Optional.empty();
    }
    AdminCredential live = credential.get();
    return Optional.of(
        new Operator(
            new Principal.AdminPrincipal(live.name(), live.role(), live.expiresAt()),
            session.get()));
  }

  /**
   * Refuses a post that a browser says came from another site.
   *
   * @throws ProblemException {@code FORBIDDEN}
   */
  static void requireSameOrigin(ServerRequest req) {
    Optional<String> site = req.headers().first(SEC_FETCH_SITE);
    if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
      throw new ProblemException(
          ProblemType.FORBIDDEN,
          "the form was sent from another site (Sec-Fetch-Site: "
              + FormBody.abbreviate(site.get())
              + ")");
    }
    Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
    if (origin.isPresent()) {
      String host = req.headers().first(HeaderNames.HOST).orElse("");
      if (!host.equalsIgnoreCase(authority(origin.get()))) {
        throw new ProblemException(ProblemType.FORBIDDEN, "the form was sent from another origin");
      }
    }
  }

  /**
   * Refuses a post without this session's token, or from another site.
   *
   * @throws ProblemException {@code FORBIDDEN}
   */
  static void requireCsrf(ServerRequest req, Operator operator, FormBody form) {
    requireSameOrigin(req);
    String sent = form.optional(CSRF_FIELD);
    byte[] expected = operator.session().csrfToken().getBytes(StandardCharsets.UTF_8);
    if (sent == null || !MessageDigest.isEqual(expected, sent.getBytes(StandardCharsets.UTF_8))) {
      throw new ProblemException(
          ProblemType.FORBIDDEN,
          "the form's security token is missing or out of date; reload the page and try again");
    }
  }

  /** {@code host[:port]} of an origin, or "" if it is not one (such as {@code null}). */
  private static String authority(String origin) {
    try {
      String authority = URI.create(origin).getRawAuthority();
      return authority == null ? "" : authority;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
