package io.holdfast.client;

import java.time.Instant;
import java.util.Objects;

/**
 * How the application says it is doing, as it reports with {@link
 * HoldfastClient#reportApplicationHealth}; heartbeats carry it to the server, where a staged
 * rollout can hold or back out a change that makes instances fail. Immutable.
 *
 * <pre>{@code
 * client.reportApplicationHealth(ApplicationHealth.failing("checkout error rate 12 %"));
 * client.reportApplicationHealth(ApplicationHealth.ok());
 * }</pre>
 *
 * <p>{@link #since()} is set by the client, from its clock, when it is told of a status other than
 * the previous one; a report of the same status with another reason keeps it.
 */
public final class ApplicationHealth {

  /** Longest reason kept; a longer one is cut to this many characters. */
  public static final int MAX_REASON_LENGTH = 500;

  /** How the application is doing. */
  public enum Status {
    /** Working normally. */
    OK,
    /** Working, but worse than it should: slower, or some features off. */
    DEGRADED,
    /** Not doing its job. */
    FAILING
  }

  private final Status status;
  private final String reason;
  private final Instant since;

  private ApplicationHealth(Status status, String reason, Instant since) {
    this.status = Objects.requireNonNull(status, "status");
    this.reason = reason == null ? null : cut(reason);
    this.since = since;
  }

  public static ApplicationHealth ok() {
    return new ApplicationHealth(Status.OK, null, null);
  }

  /**
   * @param reason why, or {@code null}; cut to {@value #MAX_REASON_LENGTH} characters
   */
  public static ApplicationHealth degraded(String reason) {
    return new ApplicationHealth(Status.DEGRADED, reason, null);
  }

  /**
   * @param reason why, or {@code null}; cut to {@value #MAX_REASON_LENGTH} characters
   */
  public static ApplicationHealth failing(String reason) {
    return new ApplicationHealth(Status.FAILING, reason, null);
  }

  /**
   * @param reason why, or {@code null}; cut to {@value #MAX_REASON_LENGTH} characters
   */
  public static ApplicationHealth of(Status status, String reason) {
    return new ApplicationHealth(status, reason, null);
  }

  public Status status() {
    return status;
  }

  /** Why, in a few words; {@code null} if the application gave no reason. */
  public String reason() {
    return reason;
  }

  /**
   * Since when the application has had this status, by the client's clock; {@code null} on a value
   * the client has not been told of yet (one made by the factories).
   */
  public Instant since() {
    return since;
  }

  /** This status and reason, since the given time: the client stamps reports with it. */
  ApplicationHealth withSince(Instant when) {
    return new ApplicationHealth(status, reason, Objects.requireNonNull(when, "since"));
  }

  /** At most the limit, never ending in half a surrogate pair (which JSON parsers refuse). */
  private static String cut(String reason) {
    if (reason.length() <= MAX_REASON_LENGTH) {
      return reason;
    }
    boolean splitsAPair = Character.isHighSurrogate(reason.charAt(MAX_REASON_LENGTH - 1));
    return reason.substring(0, splitsAPair ? MAX_REASON_LENGTH - 1 : MAX_REASON_LENGTH);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApplicationHealth that
        && status == that.status
        && Objects.equals(reason, that.reason)
        && Objects.equals(since, that.since);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, reason, since);
  }

  @Override
  public String toString() {
    return "ApplicationHealth["
        + status
        + (reason == null ? "" : ": " + reason)
        + (since == null ? "" : " since " + since)
        + "]";
  }
}
