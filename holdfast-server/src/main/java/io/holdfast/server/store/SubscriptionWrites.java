package io.holdfast.server.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.subscription.Application;
import io.holdfast.server.subscription.NewSubscription;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionChange;
import io.holdfast.server.subscription.SubscriptionJson;
import io.holdfast.server.subscription.SubscriptionRules;
import io.holdfast.server.subscription.SubscriptionStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The rules of an operator's direct subscription writes, inside the caller's write transaction:
 * each checks (nothing held by a change, counts, period, no overlap), appends its revision, writes
 * {@link SubscriptionTables} and appends its audit row. Stateless.
 */
final class SubscriptionWrites {

  private SubscriptionWrites() {}

  static Application createApplication(
      Connection c, String name, String displayName, String actor, Instant now)
      throws SQLException {
    if (!SubscriptionTables.applications(c, name).isEmpty()) {
      throw new ProblemException(
          ProblemType.ALREADY_EXISTS, "application '" + name + "' already exists");
    }
    long revision = RevisionLog.append(c, "application", name, actor, "create application", now);
    Application application = new Application(name, displayName, revision, now, now);
    SubscriptionTables.insertApplication(c, application);
    AuditTable.append(
        c,
        now,
        actor,
        "application.create",
        "application:" + name,
        null,
        SubscriptionJson.application(application));
    return application;
  }

  static Application updateApplication(
      Connection c, String name, String displayName, String actor, Instant now)
      throws SQLException {
    Application current = SubscriptionTables.requireApplication(c, name);
    long revision = RevisionLog.append(c, "application", name, actor, "update application", now);
    Application updated = new Application(name, displayName, revision, current.createdAt(), now);
    SubscriptionTables.updateApplication(c, updated);
    AuditTable.append(
        c,
        now,
        actor,
        "application.update",
        "application:" + name,
        SubscriptionJson.application(current),
        SubscriptionJson.application(updated));
    return updated;
  }

  static Subscription create(Connection c, NewSubscription wanted, String actor, Instant now)
      throws SQLException {
    InstanceTable.require(c, wanted.instance());
    SubscriptionTables.requireApplication(c, wanted.application());
    requireNotHeld(c, wanted.instance(), wanted.application());
    Subscription draft =
        new Subscription(
            UUID.randomUUID().toString(),
            wanted.instance(),
            wanted.application(),
            wanted.quantity(),
            wanted.overage(),
            wanted.seatModel(),
            SubscriptionStatus.ACTIVE,
            wanted.validFrom(),
            wanted.validUntil(),
            wanted.plan(),
            wanted.notes(),
            0,
            now,
            now);
    SubscriptionRules.requireNoOverlap(draft, SubscriptionTables.siblings(c, draft));
    long revision =
        RevisionLog.append(
            c,
            "subscription",
            wanted.instance(),
            actor,
            "create subscription " + draft.id() + " to " + wanted.application(),
            now);
    Subscription created = draft.atRevision(revision);
    SubscriptionTables.insertSubscription(c, created);
    AuditTable.append(
        c,
        now,
        actor,
        "subscription.create",
        "subscription:" + created.id(),
        null,
        SubscriptionJson.subscription(created));
    return created;
  }

  static Subscription change(
      Connection c, String id, SubscriptionChange change, String actor, Instant now)
      throws SQLException {
    Subscription current =
        SubscriptionTables.subscription(c, id).stream()
            .findFirst()
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.SUBSCRIPTION_NOT_FOUND,
                        "subscription '" + id + "' does not exist"));
    if (current.status() == SubscriptionStatus.CANCELLED) {
      throw new ProblemException(
          ProblemType.SUBSCRIPTION_ENDED,
          "subscription '" + id + "' is cancelled and cannot change; create a new one instead");
    }
    requireNotHeld(c, current.instance(), current.application());
    Subscription changed = change.applyTo(current, current.revision(), now);
    SubscriptionRules.requireCounts(changed.quantity(), changed.overage());
    SubscriptionRules.requireForceForDeepCut(current, changed, change.forceReason());
    SubscriptionRules.requirePeriod(changed.validFrom(), changed.validUntil());
    SubscriptionRules.requireNoOverlap(changed, SubscriptionTables.siblings(c, changed));
    boolean cancels = changed.status() == SubscriptionStatus.CANCELLED;
    long revision =
        RevisionLog.append(
            c,
            "subscription",
            current.instance(),
            actor,
            (cancels ? "cancel subscription " : "change subscription ") + id,
            now);
    Subscription stored = change.applyTo(current, revision, now);
    SubscriptionTables.updateSubscription(c, stored);
    ObjectNode after = SubscriptionJson.subscription(stored);
    if (change.forceReason() != null) {
      after.put("forceReason", change.forceReason());
    }
    AuditTable.append(
        c,
        now,
        actor,
        cancels ? "subscription.cancel" : "subscription.change",
        "subscription:" + id,
        SubscriptionJson.subscription(current),
        after);
    return stored;
  }

  /**
   * Refuses a direct write to subscriptions an approved or rolling-out change is about to change.
   */
  private static void requireNotHeld(Connection c, String instance, String application)
      throws SQLException {
    Optional<Long> holder = OpenChanges.subscriptionHolder(c, instance, application);
    if (holder.isPresent()) {
      throw new ProblemException(
          ProblemType.LAYER_HELD,
          "the subscriptions of instance '"
              + instance
              + "' to '"
              + application
              + "' are held by change "
              + holder.get()
              + " until it completes or is backed out;"
              + " nothing was changed");
    }
  }
}
