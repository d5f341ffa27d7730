package io.holdfast.protocol.http;

/** Names of the HTTP header fields that Holdfast defines or relies on. */
public final class HoldfastHeaders {

  /** RFC 9530 representation digest of the bytes sent. */
  public static final String REPR_DIGEST = "Repr-Digest";

  /** Ed25519 signature over the exact envelope bytes, with its key id. */
  public static final String SIGNATURE = "Holdfast-Signature";

  /** The revision of the document in the response. */
  public static final String REVISION = "Holdfast-Revision";

  /**
   * Present only while the replica cannot reach its store: since when. The document is then served
   * from the replica's last snapshot and may be behind other replicas (FAULTS A13).
   */
  public static final String STORE_UNREACHABLE_SINCE = "Holdfast-Store-Unreachable-Since";

  /** The media type of a Holdfast document envelope. */
  public static final String ENVELOPE_MEDIA_TYPE = "application/vnd.holdfast.envelope+json";

  /** The media type of RFC 9457 problem details. */
  public static final String PROBLEM_MEDIA_TYPE = "application/problem+json";

  /** The media type of a server-sent-events stream (the checksums stream). */
  public static final String EVENT_STREAM_MEDIA_TYPE = "text/event-stream";

  /**
   * On a checksums stream: how many seconds apart the replica sends keep-alive comments while
   * nothing changes, so that a client can tell a dead stream from a quiet one.
   */
  public static final String KEEP_ALIVE = "Holdfast-Keep-Alive";

  /** The SSE resumption header: the id of the last event the client received. */
  public static final String LAST_EVENT_ID = "Last-Event-ID";

  /**
   * On an answer to a watch: the replica is stopping (a rolling restart) and released the watch
   * early; the client should watch another replica. Its value is {@code true}.
   */
  public static final String DRAINING = "Holdfast-Draining";

  private HoldfastHeaders() {}
}
