package io.holdfast.server.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.auth.Authenticator;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.model.Role;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.AdminCredential;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login with an admin token, and logout. The token is checked exactly as the API checks a bearer
 * token; it is never written into a page, a log or the session, which keeps only its hash. Each
 * login gets a new session id (an id planted before login is worthless), set in a cookie that
 * scripts cannot read ({@code HttpOnly}), that other sites' requests do not carry ({@code
 * SameSite=Strict}), that only the console receives ({@code Path=/console}) over plain HTTP, and
 * that over TLS is {@code Secure} and {@code __Host-} prefixed ({@link SessionCookie}).
 */
final class LoginPage {

  private static final Logger LOG = LoggerFactory.getLogger(LoginPage.class);
  private static final int MAX_TOKEN_LENGTH = 200;

  private final ConsoleGuard guard;
  private final Layout layout;
  private final LoginThrottle throttle;
  private final ClientAddress addresses;

  LoginPage(ConsoleGuard guard, Layout layout, LoginThrottle throttle, ClientAddress addresses) {
    this.guard = guard;
    this.layout = layout;
    this.throttle = throttle;
    this.addresses = addresses;
  }

  void form(ServerRequest req, ServerResponse res) {
    if (guard.operator(req).isPresent()) {
      ConsoleResponses.redirect(res, "/console/fleet");
      return;
    }
    ConsoleResponses.html(res, Status.OK_200, page(null));
  }

  void submit(ServerRequest req, ServerResponse res, int maxFormBytes) {
    String address = addresses.of(req);
    Duration locked = throttle.lockedFor(address);
    if (!locked.isZero()) {
      res.header(HeaderNames.RETRY_AFTER, String.valueOf(Math.max(1, locked.toSeconds())));
      ConsoleResponses.html(
          res,
          Status.TOO_MANY_REQUESTS_429,
          page(
              Layout.message(
                  true,
                  "Too many failed logins",
                  "logins from your address are refused for another "
                      + HumanTime.duration(locked))));
      return;
    }
    try {
      ConsoleGuard.requireSameOrigin(req);
    } catch (ProblemException e) {
      // Not counted as a failed login: any page the operator visits could post this form, and
      // would lock the operator's own address out.
      LOG.info("console login from another site refused ({}): {}", address, e.getMessage());
      ConsoleResponses.html(
          res,
          Status.create(e.type().status()),
          page(Layout.message(true, e.type().title(), e.getMessage())));
      return;
    }
    Principal.AdminPrincipal admin;
    String hash = null;
    try {
      FormBody form = FormBody.read(req, maxFormBytes);
      String token = Optional.ofNullable(form.optional("token")).orElse("").strip();
      if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
        throw new ProblemException(ProblemType.UNAUTHENTICATED, "paste an admin token (hfa_…)");
      }
      hash = CredentialTokens.hash(token);
      Principal principal =
          guard
              .context()
              .authenticator()
              .authenticate(List.of("Bearer " + token), guard.context().snapshot());
      if (!(principal instanceof Principal.AdminPrincipal)) {
        throw new ProblemException(
            ProblemType.FORBIDDEN, "instance credentials cannot use the console");
      }
      admin = Authenticator.requireRole(principal, Role.VIEWER);
    } catch (ProblemException e) {
      if (e.type() == ProblemType.UNAUTHENTICATED || e.type() == ProblemType.FORBIDDEN) {
        throttle.failed(address);
        LOG.info("console login refused from {}: {}", address, e.getMessage());
        auditFailure(address, hash, e.getMessage());
      }
      ConsoleResponses.html(
          res,
          Status.create(e.type().status()),
          page(Layout.message(true, e.type().title(), e.getMessage())));
      return;
    }
    throttle.succeeded(address);
    guard.cookie().read(req).flatMap(guard.sessions()::find).ifPresent(guard.sessions()::end);
    ConsoleSessions.Created created = guard.sessions().create(hash);
    LOG.info("console login of {} ({}) from {}", admin.actor(), admin.role().wireName(), address);
    res.header(HeaderNames.SET_COOKIE, guard.cookie().header(req, created.id(), false));
    ConsoleResponses.redirect(res, "/console/fleet");
  }

  void logout(ServerRequest req, ServerResponse res, int maxFormBytes) {
    Optional<Operator> operator = guard.operator(req);
    if (operator.isPresent()) {
      try {
        ConsoleGuard.requireCsrf(req, operator.get(), FormBody.read(req, maxFormBytes));
      } catch (ProblemException e) {
        ConsoleResponses.html(
            res,
            Status.create(e.type().status()),
            layout.bare(e.type().title(), Layout.message(true, e.type().title(), e.getMessage())));
        return;
      }
      guard.sessions().end(operator.get().session());
      LOG.info("console logout of {}", operator.get().actor());
    }
    res.header(HeaderNames.SET_COOKIE, guard.cookie().header(req, "", true));
    ConsoleResponses.redirect(res, "/console/login");
  }

  private Html page(Html message) {
    Html main = new Html();
    if (message != null) {
      main.append(message);
    }
    main.open("form", "method", "post", "action", "/console/login", "class", "login");
    main.element("label", "Admin token", "for", "token");
    main.empty(
        "input",
        "type",
        "password",
        "name",
        "token",
        "id",
        "token",
        "required",
        "required",
        "autocomplete",
        "off",
        "maxlength",
        String.valueOf(MAX_TOKEN_LENGTH),
        "autofocus",
        "autofocus");
    main.element("button", "Log in", "type", "submit", "class", "primary", "id", "login");
    main.close("form");
    main.element(
        "p",
        "Use an admin credential (holdfast credential create NAME --role viewer|editor|publisher|admin)."
            + " What you may do here follows its role.",
        "class",
        "hint");
    return layout.bare("Holdfast console", main);
  }

  /**
   * Records a refused login in the audit log: the actor is unknown, the target names the credential
   * if the token was one that is revoked or expired, never the token. A store that cannot take the
   * row does not change the answer; the log line above stands in for it.
   */
  private void auditFailure(String address, String hash, String reason) {
    ConsoleContext ctx = guard.context();
    Optional<AdminCredential> dead =
        hash == null ? Optional.empty() : ctx.authenticator().deadAdmin(ctx.snapshot(), hash);
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    details.put("address", address);
    details.put("reason", reason);
    dead.ifPresent(credential -> details.put("credential", credential.name()));
    try {
      ctx.store()
          .recordAuditEvent(
              "unknown",
              "console.login-failed",
              dead.map(credential -> "credential:" + credential.name()).orElse("console"),
              details);
    } catch (RuntimeException e) {
      LOG.warn("cannot audit the refused console login from {}: {}", address, e.getMessage());
    }
  }
}
