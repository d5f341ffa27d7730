package io.holdfast.server.console;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.admin.AdminTurn;
import io.holdfast.server.admin.NamespaceService;
import io.holdfast.server.admin.ReadYourWrites;
import io.holdfast.server.auth.Authenticator;
import io.holdfast.server.config.TrustedProxies;
import io.holdfast.server.fleet.Fleet;
import io.holdfast.server.model.InvalidNameException;
import io.holdfast.server.probe.ReplicaProbe;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.rollout.Changes;
import io.holdfast.server.snapshot.SnapshotHolder;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.upgrade.ReplicaVersion;
import io.holdfast.server.window.InvalidWindowException;
import io.holdfast.server.window.WindowSettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console at {@code /console}: server-rendered HTML over the same services as the admin
 * API, with a small script for live fragments and confirmations, on every replica.
 *
 * <p>Every route is one of four kinds, wrapped here so that none forgets a check:
 *
 * <ul>
 *   <li>a page (GET): needs a session, else redirects to the login page; a problem becomes an error
 *       page with the problem's title, detail and status;
 *   <li>a live fragment (GET): needs a session, else answers 401 and the script reloads;
 *   <li>an action (POST): needs a session, the CSRF token and the role the operation table ({@link
 *       AdminOperation}) declares for it, as the API's gate does; on success it waits until this
 *       replica serves the write, leaves a message and redirects (303) to the page to show next, on
 *       a problem it leaves the problem as the message and redirects back, having changed nothing
 *       (the services' transactions see to that);
 *   <li>a form page (POST that answers a page, such as a preview): needs a session, the CSRF token
 *       and its operation's role, and renders its own errors; one that wrote redirects, and this
 *       replica serves the write first.
 * </ul>
 *
 * Thread-safe.
 */
public final class Console implements HttpService {

  private static final Logger LOG = LoggerFactory.getLogger(Console.class);

  /**
   * Every admin operation the console performs, each behind the role the table declares for it, as
   * in the API; its tests perform each of them as every role.
   */
  static final Set<AdminOperation> OPERATIONS = operations();

  private final ConsoleContext ctx;
  private final ConsoleGuard guard;
  private final Layout layout;
  private final ConsoleAssets assets;
  private final int maxFormBytes;
  private final LoginPage login;
  private final FleetPage fleet;
  private final InstancePage instance;
  private final NamespacePages namespaces;
  private final RolloutPages rollouts;
  private final ChangePage change;
  private final SubscriptionsPage subscriptions;
  private final ReplicasPage replicas;
  private final AuditPage audit;
  private final WindowForms windows;

  @FunctionalInterface
  interface PageHandler {
    View render(ServerRequest req, Operator operator);
  }

  @FunctionalInterface
  interface FormPageHandler {
    View render(ServerRequest req, Operator operator, FormBody form);
  }

  @FunctionalInterface
  interface FragmentHandler {
    Html render(ServerRequest req, Operator operator);
  }

  /** An action: does it and answers where to go next. */
  @FunctionalInterface
  interface ActionHandler {
    String perform(ServerRequest req, Operator operator, FormBody form);
  }

  /** Which admin operation a request is. */
  @FunctionalInterface
  interface OperationOf {
    AdminOperation of(ServerRequest req);
  }

  /** Where an action's page is, to go back to when it fails. */
  @FunctionalInterface
  interface Back {
    String location(ServerRequest req);
  }

  /**
   * @param json the limits of JSON the console accepts, the admin API's
   * @param writes run after every write, as the admin API's gate does
   * @param authenticator the admin API's, so a session's credential is judged as a bearer token is
   * @param trustedProxies whose forwarded client address the login throttle believes
   */
  public Console(
      ConfigStore store,
      SnapshotHolder snapshots,
      Changes changes,
      NamespaceService namespaces,
      WindowSettings windows,
      Fleet fleet,
      ReplicaProbe probe,
      ReplicaVersion version,
      Clock clock,
      StrictJson json,
      ReadYourWrites writes,
      Authenticator authenticator,
      TrustedProxies trustedProxies) {
    this(
        new ConsoleContext(
            store,
            snapshots,
            changes,
            namespaces,
            windows,
            fleet,
            probe,
            version,
            clock,
            json,
            writes,
            authenticator),
        ConsoleSettings.DEFAULT,
        trustedProxies);
  }

  Console(ConsoleContext ctx, ConsoleSettings settings, TrustedProxies trustedProxies) {
    this.ctx = ctx;
    this.guard =
        new ConsoleGuard(
            ctx,
            new ConsoleSessions(settings, ctx.clock(), new SecureRandom()),
            new SessionCookie(trustedProxies));
    this.assets = ConsoleAssets.load();
    this.layout = new Layout(assets);
    this.maxFormBytes = ctx.json().maxBytes() * 2; // a JSON layer, URL-encoded, grows
    this.login =
        new LoginPage(
            guard,
            layout,
            new LoginThrottle(settings, ctx.clock()),
            new ClientAddress(trustedProxies));
    this.fleet = new FleetPage(ctx);
    this.instance = new InstancePage(ctx);
    this.namespaces = new NamespacePages(ctx);
    this.rollouts = new RolloutPages(ctx);
    this.change = new ChangePage(ctx);
    this.subscriptions = new SubscriptionsPage(ctx);
    this.replicas = new ReplicasPage(ctx);
    this.audit = new AuditPage(ctx);
    this.windows = new WindowForms(ctx);
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/", (req, res) -> ConsoleResponses.redirect(res, "/console/fleet"))
        .get("/assets/{name}", assets::serve)
        .get("/login", login::form)
        .post("/login", (req, res) -> login.submit(req, res, maxFormBytes))
        .post("/logout", (req, res) -> login.logout(req, res, maxFormBytes))
        .get("/fleet", page(fleet::page))
        .get("/fleet/live", fragment(fleet::live))
        .get("/instances/{id}", page(instance::page))
        .get("/namespaces", page(namespaces::list))
        .get("/namespaces/{ns}", page(namespaces::detail))
        .get("/namespaces/{ns}/edit", page(AdminOperation.CREATE_CHANGE, namespaces::edit))
        .post("/namespaces/{ns}/edit", formPage(AdminOperation.CREATE_CHANGE, namespaces::submit))
        .get("/rollouts", page(rollouts::list))
        .get("/rollouts/live", fragment(rollouts::listLive))
        .post(
            "/rollouts/freeze",
            action(
                req -> AdminOperation.FREEZE_ROLLOUTS,
                rollouts::freeze,
                req -> "/console/rollouts"))
        .post(
            "/rollouts/unfreeze",
            action(
                req -> AdminOperation.LIFT_FREEZE, rollouts::unfreeze, req -> "/console/rollouts"))
        .post(
            "/rings/{name}/window",
            action(
                req -> AdminOperation.UPDATE_RING,
                windows::setRingWindow,
                req -> "/console/rollouts"))
        .post(
            "/instances/{id}/timing",
            action(
                req -> AdminOperation.UPDATE_INSTANCE,
                windows::setInstanceTiming,
                WindowForms::instanceLocation))
        .post(
            "/blackouts",
            action(
                req -> AdminOperation.ADD_BLACKOUT,
                windows::addBlackout,
                req -> "/console/rollouts"))
        .post(
            "/blackouts/{id}/remove",
            action(
                req -> AdminOperation.REMOVE_BLACKOUT,
                windows::removeBlackout,
                req -> "/console/rollouts"))
        .get("/changes/{id}", page(change::change))
        .get("/changes/{id}/live", fragment(change::changeLive))
        .post(
            "/changes/{id}/{action}",
            action(ChangePage::operation, change::act, ChangePage::changeLocation))
        .get("/subscriptions", page(subscriptions::page))
        .get("/replicas", page(replicas::page))
        .get("/audit", page(AdminOperation.READ_AUDIT, audit::page))
        .any((req, res) -> notFound(req, res));
  }

  private static Set<AdminOperation> operations() {
    Set<AdminOperation> operations =
        EnumSet.of(
            AdminOperation.CREATE_CHANGE,
            AdminOperation.FREEZE_ROLLOUTS,
            AdminOperation.LIFT_FREEZE,
            AdminOperation.READ_AUDIT);
    operations.addAll(ChangePage.changeOperations());
    operations.addAll(WindowForms.OPERATIONS);
    return Collections.unmodifiableSet(operations);
  }

  private io.helidon.webserver.http.Handler page(PageHandler handler) {
    return (req, res) -> {
      Optional<Operator> operator = operator(req, res);
      if (operator.isEmpty()) {
        return;
      }
      View view;
      try {
        view = handler.render(req, operator.get());
      } catch (RuntimeException e) {
        view = errorView(req, e);
      }
      send(res, operator.get(), view);
    };
  }

  /** A page only {@code operation}'s role may see, as in the API. */
  private io.helidon.webserver.http.Handler page(AdminOperation operation, PageHandler handler) {
    return page(
        (req, operator) -> {
          operation.authorize(operator.principal());
          return handler.render(req, operator);
        });
  }

  /**
   * A page drawn from a form post (a preview, or the form again with its problem): the form must
   * carry this session's CSRF token and the operator have {@code operation}'s role. A form that
   * wrote answers with a redirect (post, redirect, get), sent once this replica serves the write.
   */
  private io.helidon.webserver.http.Handler formPage(
      AdminOperation operation, FormPageHandler handler) {
    return page(
        (req, operator) -> {
          FormBody form = FormBody.read(req, maxFormBytes);
          ConsoleGuard.requireCsrf(req, operator, form);
          operation.authorize(operator.principal());
          View view = handler.render(req, operator, form);
          if (view.redirect() != null) {
            ctx.writes().after(operation, AdminTurn.of(req.context()));
          }
          return view;
        });
  }

  private io.helidon.webserver.http.Handler fragment(FragmentHandler handler) {
    return (req, res) -> {
      // A poll is the page's doing, not the operator's: it does not keep the session alive.
      Optional<Operator> operator = guard.operator(req, false);
      if (operator.isEmpty()) {
        ConsoleResponses.sessionEnded(res);
        return;
      }
      Html html;
      Status status = Status.OK_200;
      try {
        html = handler.render(req, operator.get());
      } catch (RuntimeException e) {
        View error = errorView(req, e);
        html = error.main();
        status = error.status();
      }
      ConsoleResponses.html(res, status, html);
    };
  }

  private io.helidon.webserver.http.Handler action(
      OperationOf operation, ActionHandler handler, Back back) {
    return (req, res) -> {
      Optional<Operator> operator = operator(req, res);
      if (operator.isEmpty()) {
        return;
      }
      FormBody form;
      try {
        form = FormBody.read(req, maxFormBytes);
        ConsoleGuard.requireCsrf(req, operator.get(), form);
      } catch (RuntimeException e) {
        // Not a form of ours, or not from the console: show why, do nothing.
        send(res, operator.get(), errorView(req, e));
        return;
      }
      String next;
      try {
        AdminOperation performed = operation.of(req);
        performed.authorize(operator.get().principal());
        next = handler.perform(req, operator.get(), form);
        ctx.writes().after(performed, AdminTurn.of(req.context()));
      } catch (RuntimeException e) {
        ProblemException problem = problem(req, e);
        operator
            .get()
            .session()
            .flash(new ConsoleSession.Flash(true, problem.type().title(), problem.getMessage()));
        next = back.location(req);
      }
      ConsoleResponses.redirect(res, next);
    };
  }

  private void send(ServerResponse res, Operator operator, View view) {
    if (view.redirect() != null) {
      ConsoleResponses.redirect(res, view.redirect());
    } else {
      ConsoleResponses.html(
          res, view.status(), layout.page(operator, view.section(), view.title(), view.main()));
    }
  }

  /**
   * The operator, or empty after redirecting to the login page (or answering 503 before the first
   * snapshot).
   */
  private Optional<Operator> operator(ServerRequest req, ServerResponse res) {
    Optional<Operator> operator;
    try {
      operator = guard.operator(req);
    } catch (ProblemException e) {
      ConsoleResponses.html(
          res,
          Status.create(e.type().status()),
          layout.bare(e.type().title(), Layout.message(true, e.type().title(), e.getMessage())));
      return Optional.empty();
    }
    if (operator.isEmpty()) {
      ConsoleResponses.redirect(res, "/console/login");
    }
    return operator;
  }

  private View errorView(ServerRequest req, RuntimeException e) {
    ProblemException problem = problem(req, e);
    Html main = Layout.message(true, problem.type().title(), problem.getMessage());
    return new View(null, problem.type().title(), main, Status.create(problem.type().status()));
  }

  /**
   * Failures as problems, as the API's error mapping makes them; unexpected ones are logged, their
   * message kept back.
   */
  private static ProblemException problem(ServerRequest req, RuntimeException e) {
    if (e instanceof ProblemException p) {
      return p;
    }
    if (e instanceof InvalidNameException n) {
      return new ProblemException(ProblemType.INVALID_NAME, n.getMessage());
    }
    if (e instanceof InvalidWindowException w) {
      return new ProblemException(ProblemType.INVALID_WINDOW, w.getMessage());
    }
    if (e instanceof io.helidon.common.buffers.DataReader.InsufficientDataAvailableException
        || e instanceof java.io.UncheckedIOException) {
      // The browser went away or stopped sending mid-form: not this server's fault, and nobody
      // may be left to read the answer; as the API's mapping does, no error in the log.
      LOG.debug(
          "request body unreadable on {} {}: {}",
          req.prologue().method().text(),
          req.path().absolute().path(),
          e.toString());
      return new ProblemException(
          ProblemType.INVALID_REQUEST, "the request body could not be read in full");
    }
    LOG.error(
        "unexpected failure on {} {}",
        req.prologue().method().text(),
        req.path().absolute().path(),
        e);
    return new ProblemException(
        ProblemType.INTERNAL_ERROR, "the server failed unexpectedly; see its log");
  }

  private void notFound(ServerRequest req, ServerResponse res) {
    Optional<Operator> operator = operator(req, res);
    if (operator.isPresent()) {
      send(
          res,
          operator.get(),
          errorView(
              req,
              new ProblemException(ProblemType.ROUTE_NOT_FOUND, "there is no console page here")));
    }
  }
}
