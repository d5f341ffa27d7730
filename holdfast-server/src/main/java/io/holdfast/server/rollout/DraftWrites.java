package io.holdfast.server.rollout;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.AuditTable;
import io.holdfast.server.store.LayerTables;
import io.holdfast.server.store.NamespaceTable;
import io.holdfast.server.store.OpenChanges;
import io.holdfast.server.subscription.SubscriptionEdit;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A change before it reaches any ring, inside the caller's write transaction: it is created as a
 * draft, approved (which makes it hold its layers and subscriptions), or cancelled. Each appends
 * its audit row; none appends a revision, since nothing served changes yet. Stateless.
 */
final class DraftWrites {

  private DraftWrites() {}

  static ChangeRequest create(
      Connection c,
      String description,
      List<ChangeEdit> edits,
      List<SubscriptionEdit> subscriptionEdits,
      int requiredApprovals,
      String actor,
      InstantSource time)
      throws SQLException {
    Instant now = time.instant();
    List<SubscriptionEdit> pinnedSubscriptions =
        ChangeSubscriptionEdits.pin(c, subscriptionEdits, now);
    List<ChangeEdit> pinned = new ArrayList<>();
    for (ChangeEdit edit : edits) {
      NamespaceTable.require(c, edit.namespace());
      LayerTables.requireTarget(c, edit.scope());
      long base =
          edit.baseRevision() != null
              ? edit.baseRevision()
              : LayerTables.publishedRevision(c, edit.namespace(), edit.scope());
      pinned.add(new ChangeEdit(edit.namespace(), edit.scope(), edit.content(), base));
    }
    long id =
        ChangeTables.insert(
            c,
            description,
            actor,
            requiredApprovals,
            pinned,
            pinnedSubscriptions,
            ChangeSubscriptionEdits.applications(c, pinnedSubscriptions),
            now);
    ChangeRequest created = ChangeTransitions.requireChange(c, id);
    AuditTable.append(
        c, now, actor, "change.create", ChangeViews.target(id), null, ChangeViews.change(created));
    if (requiredApprovals == 0) {
      return toApproved(c, created, "no approval required", actor, now);
    }
    return created;
  }

  static ChangeRequest approve(
      Connection c, long id, String approver, String comment, InstantSource time)
      throws SQLException {
    ChangeRequest change = ChangeTransitions.requireChange(c, id);
    if (change.state() != ChangeState.DRAFT) {
      throw ChangeTransitions.conflict(change, "only a draft can be approved");
    }
    if (change.author().equals(approver)) {
      throw new ProblemException(
          ProblemType.FORBIDDEN,
          "'"
              + approver
              + "' wrote change "
              + id
              + " and cannot approve it: approval takes someone else");
    }
    if (change.approvals().stream().anyMatch(a -> a.approver().equals(approver))) {
      throw new ProblemException(
          ProblemType.CHANGE_CONFLICT,
          "'" + approver + "' has already approved change " + id + "; it needs another approver");
    }
    Instant now = time.instant();
    String text = comment == null ? "" : comment;
    ChangeTables.insertApproval(c, id, approver, text, now);
    AuditTable.append(
        c,
        now,
        approver,
        "change.approve",
        ChangeViews.target(id),
        null,
        ChangeViews.object().put("approver", approver).put("comment", text));
    ChangeRequest approved = ChangeTransitions.requireChange(c, id);
    if (approved.approvals().size() >= approved.requiredApprovals()) {
      return toApproved(c, approved, "approved by " + approved.approvals().size(), approver, now);
    }
    return approved;
  }

  static ChangeRequest cancel(
      Connection c, long id, String reason, String actor, InstantSource time) throws SQLException {
    ChangeRequest change = ChangeTransitions.requireChange(c, id);
    if (change.state() != ChangeState.DRAFT && change.state() != ChangeState.APPROVED) {
      throw ChangeTransitions.conflict(
          change,
          change.state() == ChangeState.ROLLING_OUT
              ? "a change that has reached a ring is backed out, not cancelled"
              : "it has already ended");
    }
    return ChangeTransitions.end(
        c,
        change,
        change.version(),
        ChangeState.CANCELLED,
        reason,
        null,
        actor,
        "change.cancel",
        time);
  }

  /**
   * Holds the change's layers and subscriptions, once nothing moved under them and no other change
   * holds them.
   */
  private static ChangeRequest toApproved(
      Connection c, ChangeRequest change, String outcome, String actor, Instant now)
      throws SQLException {
    for (ChangeEdit edit : change.edits()) {
      long published = LayerTables.publishedRevision(c, edit.namespace(), edit.scope());
      if (published != edit.baseRevision()) {
        throw new ProblemException(
            ProblemType.CHANGE_CONFLICT,
            "layer "
                + edit.scope().key()
                + " of namespace '"
                + edit.namespace()
                + "' was published at revision "
                + published
                + " after change "
                + change.id()
                + " was written against revision "
                + edit.baseRevision()
                + "; write the change again on top of it");
      }
      Optional<Long> holder = OpenChanges.layerHolder(c, edit.namespace(), edit.scope());
      if (holder.isPresent()) {
        throw new ProblemException(
            ProblemType.LAYER_HELD,
            "layer "
                + edit.scope().key()
                + " of namespace '"
                + edit.namespace()
                + "' is held by change "
                + holder.get()
                + " until it ends");
      }
    }
    for (SubscriptionEdit edit : change.subscriptionEdits()) {
      ChangeSubscriptionEdits.requireUnmoved(c, change, edit);
      String application = ChangeSubscriptionEdits.application(c, edit);
      Optional<Long> holder = OpenChanges.subscriptionHolder(c, edit.instance(), application);
      if (holder.isPresent()) {
        throw new ProblemException(
            ProblemType.LAYER_HELD,
            "the subscriptions of instance '"
                + edit.instance()
                + "' to '"
                + application
                + "' are held by change "
                + holder.get()
                + " until it ends");
      }
    }
    // A draft holds nothing: what others wrote since it was created must still leave it valid.
    ChangeSubscriptionEdits.requireValid(c, change.subscriptionEdits(), now);
    ChangeTables.markApproved(c, change, now);
    AuditTable.append(
        c,
        now,
        actor,
        "change.approved",
        ChangeViews.target(change.id()),
        ChangeViews.state(change),
        ChangeViews.object().put("state", ChangeState.APPROVED.wireName()).put("reason", outcome));
    return ChangeTransitions.requireChange(c, change.id());
  }
}
