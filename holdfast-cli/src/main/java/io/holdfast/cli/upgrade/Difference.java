package io.holdfast.cli.upgrade;

import java.net.URI;

/**
 * One way the candidate's answer differs from a current replica's at the same revision.
 *
 * @param instance the instance read, or {@code null} for what no instance owns (the key set)
 * @param document the namespace, {@code checksums}, or {@code keyset}
 * @param against the current replica compared with; {@code null} for what is wrong with the
 *     candidate's answer on its own (a signature that does not verify)
 * @param aspect what differs
 * @param detail both sides' values, or why one side fails
 */
record Difference(String instance, String document, URI against, Aspect aspect, String detail) {

  /** What part of an answer differs. */
  enum Aspect {
    /** The status codes differ. */
    STATUS("status"),
    /** The body bytes differ. */
    BODY("body"),
    /** The {@code ETag} values differ. */
    ETAG("ETag"),
    /** The {@code Repr-Digest} values differ. */
    DIGEST("Repr-Digest"),
    /** Another header clients rely on differs. */
    HEADER("header"),
    /** An entry of the checksums (a namespace's revision, ETag or digest) differs or is missing. */
    CHECKSUMS_ENTRY("checksums entry"),
    /** A signature is missing, malformed, by an untrusted key, or does not verify. */
    SIGNATURE("signature");

    private final String label;

    Aspect(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  /** One line for the operator. */
  String describe() {
    String where = instance == null ? document : "instance " + instance + " namespace " + document;
    return against == null
        ? where + ": " + aspect.label() + " wrong on the candidate: " + detail
        : where + ": " + aspect.label() + " differs from " + against + ": " + detail;
  }
}
