package io.holdfast.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One request to a replica and its outcome, as told to a {@link FetchListener}. Immutable.
 *
 * @param replica the replica's base URI, as configured ({@code http://host:port/})
 * @param namespace the namespace of a {@link Kind#DOCUMENT} request; {@code null} for the checksums
 *     and the watch, which cover every namespace
 * @param kind what was asked for
 * @param outcome what came of it
 * @param reason in a few words: what a success established, or why the answer was not used (for
 *     example {@code HTTP 503}, {@code the signature does not verify})
 * @param duration how long the request took, in real time (not the injected {@link Ticker}); a
 *     watch lasts as long as the replica held it
 */
public record FetchEvent(
    URI replica, String namespace, Kind kind, Outcome outcome, String reason, Duration duration) {

  public FetchEvent {
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(duration, "duration");
    if ((namespace == null) != (kind != Kind.DOCUMENT)) {
      throw new IllegalArgumentException(
          "a namespace is given for document requests only, was " + namespace + " for " + kind);
    }
  }

  /** What a request asked for. */
  public enum Kind {
    /** A plain GET of the instance's signed checksums. */
    CHECKSUMS,
    /**
     * The long-poll watch of the checksums: answers when something changed, or 304 after its
     * timeout.
     */
    WATCH,
    /** One namespace's document, conditionally when one is held. */
    DOCUMENT
  }

  /** What came of a request. */
  public enum Outcome {
    /**
     * Verified and new: a document now held, or checksums naming a change (the documents are
     * fetched next).
     */
    ADOPTED,
    /**
     * Verified and the same as held: checksums listing every held ETag, a document fetched again.
     */
    CONFIRMED,
    /** A 304 naming the held ETag (document) or the held checksums (watch): confirms them. */
    NOT_MODIFIED,
    /**
     * The answer could not be verified or used: a bad digest or signature, the wrong instance or
     * namespace, an unexpected status or media type, a 304 for a tag not held, a refused
     * credential.
     */
    REJECTED,
    /**
     * Verified, but older than the held revision (rollback), other content under the same one
     * (equivocation), or rejected by the application's {@link DocumentValidator}.
     */
    REFUSED,
    /** The replica answered 429 or 5xx: it cannot serve now. */
    UNAVAILABLE,
    /**
     * No answer: refused or failed connection, timeout, reset, TLS failure, oversized or truncated
     * body.
     */
    UNREACHABLE;

    /** Whether the request left the client current with this replica. */
    public boolean succeeded() {
      return this == ADOPTED || this == CONFIRMED || this == NOT_MODIFIED;
    }
  }
}
