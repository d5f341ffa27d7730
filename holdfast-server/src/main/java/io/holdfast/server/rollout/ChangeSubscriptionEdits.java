package io.holdfast.server.rollout;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.AuditTable;
import io.holdfast.server.store.InstanceTable;
import io.holdfast.server.store.SubscriptionTables;
import io.holdfast.server.subscription.NewSubscription;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionEdit;
import io.holdfast.server.subscription.SubscriptionJson;
import io.holdfast.server.subscription.SubscriptionRules;
import io.holdfast.server.subscription.SubscriptionStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The subscription edits of change requests against the {@code subscriptions} table, inside the
 * caller's transaction: pinned when a change is written, checked again when it is approved, and
 * stored when it completes, each time by the rules a direct subscription write follows. Stateless.
 */
final class ChangeSubscriptionEdits {

  private ChangeSubscriptionEdits() {}

  /**
   * Pins each edit (a new subscription gets its id, a change its instance and base revision), then
   * checks them all as {@code createSubscription} and {@code changeSubscription} would.
   */
  static List<SubscriptionEdit> pin(Connection c, List<SubscriptionEdit> edits, Instant now)
      throws SQLException {
    List<SubscriptionEdit> pinned = new ArrayList<>();
    for (SubscriptionEdit edit : edits) {
      if (edit.create() != null) {
        NewSubscription wanted = edit.create();
        InstanceTable.require(c, wanted.instance());
        SubscriptionTables.requireApplication(c, wanted.application());
        pinned.add(
            new SubscriptionEdit(
                UUID.randomUUID().toString(), wanted.instance(), wanted, null, 0L));
      } else {
        Subscription current =
            SubscriptionTables.subscription(c, edit.subscriptionId()).stream()
                .findFirst()
                .orElseThrow(
                    () ->
                        new ProblemException(
                            ProblemType.SUBSCRIPTION_NOT_FOUND,
                            "subscription '" + edit.subscriptionId() + "' does not exist"));
        if (pinned.stream().anyMatch(p -> p.subscriptionId().equals(current.id()))) {
          throw new ProblemException(
              ProblemType.INVALID_REQUEST,
              "subscription " + current.id() + " is edited twice; one edit per subscription");
        }
        pinned.add(
            new SubscriptionEdit(
                current.id(),
                current.instance(),
                null,
                edit.change(),
                edit.baseRevision() != null ? edit.baseRevision() : current.revision()));
      }
    }
    requireValid(c, pinned, now);
    return pinned;
  }

  /** The application each pinned edit is about, in edit order. */
  static List<String> applications(Connection c, List<SubscriptionEdit> edits) throws SQLException {
    List<String> applications = new ArrayList<>();
    for (SubscriptionEdit edit : edits) {
      applications.add(application(c, edit));
    }
    return applications;
  }

  static String application(Connection c, SubscriptionEdit edit) throws SQLException {
    return edit.create() != null
        ? edit.create().application()
        : SubscriptionTables.subscription(c, edit.subscriptionId()).get(0).application();
  }

  /**
   * The pinned edits, applied to the subscriptions as they are now, break no rule: nothing
   * cancelled changes, counts and periods are valid, and no two subscriptions of an instance and
   * application overlap (counting the edits' own results). Run when a change is written and again
   * when it is approved, since a draft holds nothing and others may write meanwhile.
   */
  static void requireValid(Connection c, List<SubscriptionEdit> edits, Instant now)
      throws SQLException {
    List<Subscription> candidates = new ArrayList<>();
    for (SubscriptionEdit edit : edits) {
      Subscription candidate;
      if (edit.create() != null) {
        candidate = edit.applyTo(null, 0, now);
      } else {
        Subscription current = SubscriptionTables.subscription(c, edit.subscriptionId()).get(0);
        if (current.status() == SubscriptionStatus.CANCELLED) {
          throw new ProblemException(
              ProblemType.SUBSCRIPTION_ENDED,
              "subscription '"
                  + current.id()
                  + "' is cancelled and cannot change; create a new one instead");
        }
        candidate = edit.applyTo(current, current.revision(), now);
        SubscriptionRules.requireCounts(candidate.quantity(), candidate.overage());
        SubscriptionRules.requireForceForDeepCut(current, candidate, edit.change().forceReason());
        SubscriptionRules.requirePeriod(candidate.validFrom(), candidate.validUntil());
      }
      List<Subscription> siblings = new ArrayList<>(SubscriptionTables.siblings(c, candidate));
      siblings.removeIf(s -> candidates.stream().anyMatch(x -> x.id().equals(s.id())));
      for (Subscription other : candidates) {
        if (other.instance().equals(candidate.instance())
            && other.application().equals(candidate.application())) {
          siblings.add(other);
        }
      }
      SubscriptionRules.requireNoOverlap(candidate, siblings);
      candidates.add(candidate);
    }
  }

  /**
   * The subscription a change edit changes is still at the revision the edit was written against.
   */
  static void requireUnmoved(Connection c, ChangeRequest change, SubscriptionEdit edit)
      throws SQLException {
    if (edit.change() != null) {
      long current = SubscriptionTables.subscription(c, edit.subscriptionId()).get(0).revision();
      if (current != edit.baseRevision()) {
        throw new ProblemException(
            ProblemType.CHANGE_CONFLICT,
            "subscription "
                + edit.subscriptionId()
                + " changed at revision "
                + current
                + " after change "
                + change.id()
                + " was written against revision "
                + edit.baseRevision()
                + "; write the change again on top of it");
      }
    }
  }

  /**
   * The edits become the stored subscriptions at {@code revision}, checked once more, each with its
   * audit row.
   */
  static void apply(Connection c, ChangeRequest change, long revision, Instant now, String actor)
      throws SQLException {
    for (SubscriptionEdit edit : change.subscriptionEdits()) {
      Subscription current =
          edit.create() != null
              ? null
              : SubscriptionTables.subscription(c, edit.subscriptionId()).get(0);
      Subscription stored = edit.applyTo(current, revision, now);
      SubscriptionRules.requireNoOverlap(stored, SubscriptionTables.siblings(c, stored));
      if (current == null) {
        SubscriptionTables.insertSubscription(c, stored);
        AuditTable.append(
            c,
            now,
            actor,
            "subscription.create",
            "subscription:" + stored.id(),
            null,
            SubscriptionJson.subscription(stored));
      } else {
        SubscriptionTables.updateSubscription(c, stored);
        AuditTable.append(
            c,
            now,
            actor,
            "subscription.change",
            "subscription:" + stored.id(),
            SubscriptionJson.subscription(current),
            SubscriptionJson.subscription(stored));
      }
    }
  }
}
