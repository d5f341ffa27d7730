package io.holdfast.server.probe;

/**
 * One check the synthetic probe makes against a replica, in the order it makes them. Each names a
 * way the incident could begin on one replica before any instance notices.
 */
public enum ProbeCheck {
  /**
   * {@code GET …/config/{ns}} answers 200 with the envelope media type and a body that parses and
   * names the canary.
   */
  CONTENT("content"),
  /**
   * The {@code ETag} is strong and equals the content hash of the bytes received (DESIGN invariant
   * 3).
   */
  ETAG("etag"),
  /**
   * A conditional GET with that ETag answers 304 with the same ETag and no body (FAULTS A12, A15).
   */
  NOT_MODIFIED("notModified"),
  /** {@code Repr-Digest} matches the bytes received (FAULTS A8). */
  DIGEST("digest"),
  /** {@code Holdfast-Signature} verifies under a trusted key. */
  SIGNATURE("signature"),
  /**
   * {@code GET …/checksums} answers 200, its digest and signature verify, its freshness statement
   * holds now (FAULTS D11), and it lists the same ETag for the canary namespace (FAULTS A9, the
   * incident itself).
   */
  CHECKSUMS("checksums");

  private final String label;

  ProbeCheck(String label) {
    this.label = label;
  }

  /** The name used in JSON, metrics tags and the CLI's output. */
  public String label() {
    return label;
  }
}
