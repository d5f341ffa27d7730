package io.holdfast.client.seats;

/**
 * Whether new seats are assigned once the {@code subscriptions} namespace is {@link
 * io.holdfast.client.Status#EXPIRED EXPIRED} (its grace period used up). Whoever holds a seat keeps
 * working under either policy; inside the grace period (STALE) new seats are always assigned up to
 * the last-known quantity.
 */
public enum ExpiredSeatPolicy {
  /**
   * The default: new users are refused with {@link Admission.Outcome#DENIED_UNVERIFIED} ("licensing
   * service unreachable") until a replica verifies the document again.
   */
  DENY_NEW_SEATS,
  /**
   * Keep assigning new seats up to the last-known quantity plus overage. At that limit new users
   * are still refused as {@link Admission.Outcome#DENIED_UNVERIFIED}, never as limit reached: the
   * quantity may have grown since. Needs the client to keep serving the last-known-good document
   * when expired ({@link io.holdfast.client.ExpiredPolicy#SERVE_LAST_KNOWN_GOOD}, its default);
   * with {@code USE_DEFAULTS} nothing is known and new users are refused.
   */
  ALLOW_UP_TO_LAST_KNOWN
}
