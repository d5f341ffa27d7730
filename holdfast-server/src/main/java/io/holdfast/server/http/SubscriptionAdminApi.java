package io.holdfast.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.model.Names;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.subscription.NewSubscription;
import io.holdfast.server.subscription.SeatModel;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionChange;
import io.holdfast.server.subscription.SubscriptionFilter;
import io.holdfast.server.subscription.SubscriptionJson;
import io.holdfast.server.subscription.SubscriptionRules;
import io.holdfast.server.subscription.SubscriptionStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/admin/subscriptions}: create, list, read, change and end subscriptions. Viewers read;
 * publishers write, because every write changes what an instance receives (its signed {@code
 * subscriptions} document) at once, as a publish does. Each write is checked here for shape and
 * again by the store, inside its transaction, for what needs the database.
 */
final class SubscriptionAdminApi implements HttpService {

  static final Set<String> CREATE_MEMBERS =
      Set.of(
          "instance",
          "application",
          "quantity",
          "overage",
          "seatModel",
          "validFrom",
          "validUntil",
          "plan",
          "notes");
  static final Set<String> CHANGE_MEMBERS =
      Set.of("quantity", "overage", "validUntil", "plan", "notes", "status", "force");

  /** Longest reason for forcing a change. */
  static final int MAX_FORCE_REASON_LENGTH = 500;

  private final AdminContext ctx;

  SubscriptionAdminApi(AdminContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate()
        .routes(rules, "/v1/admin/subscriptions")
        .add(AdminOperation.LIST_SUBSCRIPTIONS, this::list)
        .add(AdminOperation.CREATE_SUBSCRIPTION, this::create)
        .add(AdminOperation.END_SUBSCRIPTION, this::end)
        .add(AdminOperation.GET_SUBSCRIPTION, this::get)
        .add(AdminOperation.CHANGE_SUBSCRIPTION, this::change)
        .done();
  }

  private void list(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    Optional<String> instance = req.query().first("instance").asOptional();
    Optional<String> application = req.query().first("application").asOptional();
    Optional<String> status = req.query().first("status").asOptional();
    SubscriptionFilter filter =
        new SubscriptionFilter(
            instance.map(i -> Names.require("instance id", i)).orElse(null),
            application.map(a -> Names.require("application name", a)).orElse(null),
            status.map(SubscriptionAdminApi::status).orElse(null));
    JsonViews.send(
        res,
        Status.OK_200,
        JsonViews.list(
            "subscriptions",
            ctx.store().listSubscriptions(filter),
            SubscriptionJson::subscription));
  }

  private void get(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonViews.send(res, Status.OK_200, SubscriptionJson.subscription(find(req)));
  }

  private void create(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    NewSubscription wanted =
        newSubscription(JsonObjectReader.of(ctx.bodies().object(req), CREATE_MEMBERS));
    Subscription created = ctx.store().createSubscription(wanted, admin.actor());
    res.header(HeaderNames.LOCATION, "/v1/admin/subscriptions/" + created.id());
    JsonViews.send(res, Status.CREATED_201, SubscriptionJson.subscription(created));
  }

  private void change(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    Subscription current = find(req);
    SubscriptionChange change =
        subscriptionChange(JsonObjectReader.of(ctx.bodies().object(req), CHANGE_MEMBERS));
    Subscription changed = ctx.store().changeSubscription(current.id(), change, admin.actor());
    JsonViews.send(res, Status.OK_200, SubscriptionJson.subscription(changed));
  }

  /** Ends a subscription by cancelling it; it stays listed, and in the instance's document. */
  private void end(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    Subscription current = find(req);
    Subscription ended =
        ctx.store().changeSubscription(current.id(), SubscriptionChange.cancel(), admin.actor());
    JsonViews.send(res, Status.OK_200, SubscriptionJson.subscription(ended));
  }

  private Subscription find(ServerRequest req) {
    String id = req.path().pathParameters().get("id");
    return ctx.store()
        .findSubscription(id)
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.SUBSCRIPTION_NOT_FOUND,
                    "subscription '" + Routes.abbreviate(id) + "' does not exist"));
  }

  /** A new subscription from a body of {@link #CREATE_MEMBERS}, checked for shape. */
  static NewSubscription newSubscription(JsonObjectReader body) {
    String instance = Names.require("instance id", body.requiredString("instance"));
    String application = Names.require("application name", body.requiredString("application"));
    long quantity = body.requiredNonNegativeLong("quantity");
    Long overage = body.optionalNonNegativeLong("overage");
    String seatModel = body.optionalString("seatModel");
    Instant validFrom = body.requiredTimestamp("validFrom").toInstant();
    OffsetDateTime validUntil = body.optionalTimestamp("validUntil");
    String notes = body.optionalString("notes", SubscriptionRules.MAX_NOTES_LENGTH);
    return new NewSubscription(
        instance,
        application,
        quantity,
        overage == null ? 0 : overage,
        seatModel == null ? SeatModel.NAMED : seatModel(seatModel),
        validFrom,
        validUntil == null ? null : validUntil.toInstant(),
        plan(body, true),
        notes == null ? "" : notes);
  }

  /** A change from a body of {@link #CHANGE_MEMBERS}: at least one of them. */
  static SubscriptionChange subscriptionChange(JsonObjectReader body) {
    OffsetDateTime validUntil = body.optionalTimestamp("validUntil");
    String status = body.optionalString("status");
    SubscriptionChange change =
        new SubscriptionChange(
            body.optionalNonNegativeLong("quantity"),
            body.optionalNonNegativeLong("overage"),
            validUntil == null ? null : validUntil.toInstant(),
            // Present but null: the period becomes open-ended; absent: the end stays as it is.
            body.has("validUntil") && validUntil == null,
            plan(body, false),
            body.optionalString("notes", SubscriptionRules.MAX_NOTES_LENGTH),
            status == null ? null : status(status),
            forceReason(body));
    if (change.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "send at least one of " + new java.util.TreeSet<>(CHANGE_MEMBERS));
    }
    // Checked here as well as by the store, so that a change request cannot be stored with a
    // count that no completion could ever apply.
    if (change.quantity() != null) {
      SubscriptionRules.requireCount("quantity", change.quantity());
    }
    if (change.overage() != null) {
      SubscriptionRules.requireCount("overage", change.overage());
    }
    return change;
  }

  /** The reason in member {@code force}, or {@code null} if it is absent. */
  private static String forceReason(JsonObjectReader body) {
    String reason = body.optionalString("force", MAX_FORCE_REASON_LENGTH);
    if (reason != null && reason.isBlank()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "member 'force' must say why, in 1 to " + MAX_FORCE_REASON_LENGTH + " characters");
    }
    return reason;
  }

  private static String plan(JsonObjectReader body, boolean required) {
    String plan =
        required
            ? body.requiredString("plan", SubscriptionRules.MAX_PLAN_LENGTH)
            : body.optionalString("plan", SubscriptionRules.MAX_PLAN_LENGTH);
    if (plan != null && plan.isBlank()) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "member 'plan' must not be blank");
    }
    return plan;
  }

  private static SeatModel seatModel(String value) {
    try {
      return SeatModel.fromWire(value);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "member 'seatModel' must be 'named', the only seat model so far; was '"
              + Routes.abbreviate(value)
              + "'");
    }
  }

  private static SubscriptionStatus status(String value) {
    try {
      return SubscriptionStatus.fromWire(value);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "status must be one of active, suspended, cancelled; was '"
              + Routes.abbreviate(value)
              + "'");
    }
  }
}
