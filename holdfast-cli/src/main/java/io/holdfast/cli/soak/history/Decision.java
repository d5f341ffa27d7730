package io.holdfast.cli.soak.history;

import java.util.Objects;

/**
 * The outcome of one {@code admit()} or {@code release()}.
 *
 * @param client the client's stable name
 * @param instance the instance it is a client of
 * @param application the application asked for
 * @param user the user asked for
 * @param operation {@link Operation#ADMIT} or {@link Operation#RELEASE}
 * @param holder whether the user held a seat of the application just before (read from the seat
 *     store by the runner)
 * @param outcome how it ended
 * @param reason the reason text the checker gave
 * @param seatsInUseAfter seats of the application in use just after, from the seat store
 * @param limit the quantity plus overage the client applied, or {@code null} if it applied none
 *     (not subscribed, nothing verified, or a release)
 * @param subscriptionsRevision the {@code subscriptions} revision it was decided under; 0 if none
 */
public record Decision(
    long nanos,
    String client,
    String instance,
    String application,
    String user,
    Operation operation,
    boolean holder,
    DecisionOutcome outcome,
    String reason,
    long seatsInUseAfter,
    Long limit,
    long subscriptionsRevision)
    implements SoakEvent {

  /** The two seat calls an application makes. */
  public enum Operation {
    ADMIT,
    RELEASE
  }

  public Decision {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
  }
}
