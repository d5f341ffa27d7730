package io.holdfast.protocol.problem;

/**
 * Every condition the API reports, each with its own RFC 9457 problem type and HTTP status. One
 * condition, one type: a client can branch on {@link #uri()} without reading prose.
 */
public enum ProblemType {
  MALFORMED_JSON("malformed-json", 400, "Malformed JSON"),
  DUPLICATE_KEY("duplicate-key", 400, "Duplicate JSON member"),
  NESTING_TOO_DEEP("nesting-too-deep", 400, "JSON nesting too deep"),
  DOCUMENT_TOO_LARGE("document-too-large", 413, "Document too large"),
  INVALID_NAME("invalid-name", 400, "Invalid name or id"),
  UNKNOWN_FIELD("unknown-field", 400, "Unknown or read-only field"),
  INVALID_REQUEST("invalid-request", 400, "Invalid request"),
  INVALID_WINDOW("invalid-window", 400, "Invalid change window, time zone or blackout"),
  INVALID_PRECONDITION("invalid-precondition", 400, "Malformed conditional header"),
  MALFORMED_REQUEST("malformed-request", 400, "Malformed HTTP request"),
  HEADERS_TOO_LARGE("headers-too-large", 431, "Request header fields too large"),
  URI_TOO_LONG("uri-too-long", 414, "Request line too long"),
  REQUEST_TIMEOUT("request-timeout", 408, "Request not received in time"),
  METHOD_NOT_IMPLEMENTED("method-not-implemented", 501, "Method not implemented"),
  HTTP_VERSION_NOT_SUPPORTED("http-version-not-supported", 505, "HTTP version not supported"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
  UNAUTHENTICATED("unauthenticated", 401, "Authentication required"),
  FORBIDDEN("forbidden", 403, "Not permitted for this role"),
  INSTANCE_NOT_FOUND("instance-not-found", 404, "Unknown instance"),
  NAMESPACE_NOT_FOUND("namespace-not-found", 404, "Unknown namespace"),
  RING_NOT_FOUND("ring-not-found", 404, "Unknown ring"),
  REVISION_NOT_FOUND("revision-not-found", 404, "Unknown revision"),
  CREDENTIAL_NOT_FOUND("credential-not-found", 404, "Unknown credential"),
  HEARTBEAT_NOT_FOUND("heartbeat-not-found", 404, "No heartbeat yet"),
  APPLICATION_NOT_FOUND("application-not-found", 404, "Unknown application"),
  SUBSCRIPTION_NOT_FOUND("subscription-not-found", 404, "Unknown subscription"),
  CHANGE_NOT_FOUND("change-not-found", 404, "Unknown change request"),
  BLACKOUT_NOT_FOUND("blackout-not-found", 404, "Unknown blackout"),
  KEYSET_NOT_FOUND("keyset-not-found", 404, "No key set published"),
  ROUTE_NOT_FOUND("not-found", 404, "No such resource"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  ALREADY_EXISTS("already-exists", 409, "Already exists"),
  NO_PENDING_CHANGES("no-pending-changes", 409, "Nothing to publish"),
  SUBSCRIPTION_OVERLAP("subscription-overlap", 409, "Overlapping subscription periods"),
  SUBSCRIPTION_ENDED("subscription-ended", 409, "Subscription already cancelled"),
  FORCE_REQUIRED("force-required", 409, "Dangerous change needs force"),
  CHANGE_CONFLICT("change-conflict", 409, "Change request cannot move that way now"),
  LAYER_HELD("layer-held", 409, "Layer held by a change request"),
  ROLLOUTS_FROZEN("rollouts-frozen", 409, "Rollouts are frozen"),
  LAST_ADMIN("last-admin", 409, "Last admin credential"),
  CREDENTIAL_REVOKED("credential-revoked", 409, "Credential revoked"),
  KEYSET_CONFLICT("keyset-conflict", 409, "Key set older than or conflicting with the newest"),
  KEYSET_REFUSED("keyset-refused", 422, "Key set not trusted"),
  SCHEMA_VIOLATION("schema-violation", 422, "Violates the namespace's JSON Schema"),
  PRECONDITION_FAILED("precondition-failed", 412, "Changed since you read it"),
  STORE_UNAVAILABLE("store-unavailable", 503, "Store unavailable"),
  NOT_READY("not-ready", 503, "Replica not ready"),
  TOO_MANY_WATCHERS("too-many-watchers", 503, "Too many watchers"),
  DRAINING("draining", 503, "Replica stopping"),
  OVERLOADED("overloaded", 503, "Replica overloaded"),
  TOO_MANY_REQUESTS("too-many-requests", 429, "Too many requests from this instance"),
  TOO_MANY_CONNECTIONS("too-many-connections", 503, "Too many connections"),
  INTERNAL_ERROR("internal-error", 500, "Internal error");

  /** The prefix of every Holdfast problem type URI. */
  public static final String URI_PREFIX = "urn:holdfast:problem:";

  private final String slug;
  private final int status;
  private final String title;

  ProblemType(String slug, int status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
  }

  public String slug() {
    return slug;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The {@code type} member of the problem document. */
  public String uri() {
    return URI_PREFIX + slug;
  }
}
