package io.holdfast.agent.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.problem.ProblemType;

/**
 * An RFC 9457 problem the agent answers with: the replicas' problem types where one fits ({@code
 * urn:holdfast:problem:namespace-not-found}), and the agent's own, under the same prefix, for what
 * only an agent says ({@code no-document}, {@code seats-not-served}). A problem is thrown by a
 * handler and written in one place ({@link Endpoint}), so no handler writes an error by hand.
 */
public final class AgentProblem extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String slug;
  private final int status;
  private final String title;
  private final transient String retryAfter;

  private AgentProblem(String slug, int status, String title, String detail, String retryAfter) {
    super(detail, null, false, false);
    this.slug = slug;
    this.status = status;
    this.title = title;
    this.retryAfter = retryAfter;
  }

  public static AgentProblem of(ProblemType type, String detail) {
    return new AgentProblem(type.slug(), type.status(), type.title(), detail, null);
  }

  /** A namespace with no document: none from a replica since start, none on disk. */
  static AgentProblem noDocument(String detail) {
    return new AgentProblem("no-document", 503, "No verified document yet", detail, "1");
  }

  /** A path the document does not hold; the document itself is served. */
  static AgentProblem noValue(String detail) {
    return new AgentProblem("no-value", 404, "No value at this path", detail, null);
  }

  static AgentProblem seatsNotServed() {
    return new AgentProblem(
        "seats-not-served",
        404,
        "Seats are not served by this agent",
        "set holdfast.agent.seats.jdbc-url to serve seats",
        null);
  }

  static AgentProblem seatsStarting() {
    return new AgentProblem(
        "seats-starting", 503, "Seat store starting", "the seat store is being opened", "1");
  }

  public int status() {
    return status;
  }

  /** The {@code Retry-After} to send, or {@code null}. */
  String retryAfter() {
    return retryAfter;
  }

  byte[] body(String instance) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("type", ProblemType.URI_PREFIX + slug);
    node.put("title", title);
    node.put("status", status);
    node.put("detail", getMessage());
    node.put("instance", instance);
    return CanonicalJson.toBytes(node);
  }
}
