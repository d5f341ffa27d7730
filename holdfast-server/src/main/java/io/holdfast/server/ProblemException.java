package io.holdfast.server;

import io.holdfast.protocol.problem.ProblemType;
import java.util.Objects;

/**
 * A failure that the API reports as one RFC 9457 problem. Thrown anywhere below the HTTP layer;
 * the HTTP layer maps it to its problem type in one place and never inspects messages.
 */
public class ProblemException extends RuntimeException {

  private final ProblemType type;

  public ProblemException(ProblemType type, String detail) {
    super(detail);
    this.type = Objects.requireNonNull(type, "type");
  }

  public ProblemException(ProblemType type, String detail, Throwable cause) {
    super(detail, cause);
    this.type = Objects.requireNonNull(type, "type");
  }

  public ProblemType type() {
    return type;
  }
}
