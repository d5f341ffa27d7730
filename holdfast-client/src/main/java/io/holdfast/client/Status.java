package io.holdfast.client;

/**
 * How far a namespace's document can be trusted to be current.
 *
 * <pre>
 * INITIALIZING ──verified──▶ FRESH ──fetch fails / invalid──▶ STALE ──grace over──▶ EXPIRED
 *       (disk copy: STALE until verified)    ◀──────────── verified ─────────────────┘
 * </pre>
 */
public enum Status {
  /** No document yet: nothing verified from a replica and nothing on disk. */
  INITIALIZING,
  /** The last attempt to confirm the document with a replica succeeded. */
  FRESH,
  /** Serving the last-known-good document, inside the grace period, because confirmation failed. */
  STALE,
  /**
   * The grace period since the last successful verification is used up; the expiry policy applies.
   */
  EXPIRED
}
