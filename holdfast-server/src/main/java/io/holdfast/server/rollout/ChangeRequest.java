package io.holdfast.server.rollout;

import io.holdfast.server.subscription.SubscriptionEdit;
import io.holdfast.server.subscription.SubscriptionsDocument;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A change request as stored: its edits, approvals and the rings it has reached. Immutable.
 *
 * @param currentRing the ring released last (where the change bakes now), or {@code null}
 * @param releasedAt when {@code currentRing} was released: the start of its bake
 * @param releaseRevision the revision that released {@code currentRing}
 * @param outcome why the change ended as it did; empty while it is not final
 * @param finalRevision the revision that completed or backed out the change
 * @param version bumped by every transition; a transition names the version it starts from
 */
public record ChangeRequest(
    long id,
    String description,
    String author,
    ChangeState state,
    int requiredApprovals,
    boolean paused,
    String currentRing,
    Instant releasedAt,
    Long releaseRevision,
    String outcome,
    Long finalRevision,
    long version,
    Instant createdAt,
    Instant updatedAt,
    List<ChangeEdit> edits,
    List<SubscriptionEdit> subscriptionEdits,
    List<Approval> approvals,
    List<RingRelease> releases) {

  public ChangeRequest {
    edits = List.copyOf(edits);
    subscriptionEdits = List.copyOf(subscriptionEdits);
    approvals = List.copyOf(approvals);
    releases = List.copyOf(releases);
  }

  /** The namespaces the change edits, sorted; {@code subscriptions} if it edits subscriptions. */
  public Set<String> namespaces() {
    Set<String> names = new TreeSet<>();
    for (ChangeEdit edit : edits) {
      names.add(edit.namespace());
    }
    if (!subscriptionEdits.isEmpty()) {
      names.add(SubscriptionsDocument.NAMESPACE);
    }
    return names;
  }

  public boolean releasedTo(String ring) {
    return releases.stream().anyMatch(r -> r.ring().equals(ring));
  }
}
