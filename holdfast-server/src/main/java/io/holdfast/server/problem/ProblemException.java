package io.holdfast.server.problem;

import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.problem.ProblemType;
import java.util.Objects;

/**
 * A failure that the API reports as one RFC 9457 problem. Thrown anywhere below the HTTP layer; the
 * HTTP layer maps it to its problem type in one place and never inspects messages.
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

  /** The problem a body that {@code StrictJson} refused is reported as, with its message. */
  public static ProblemException of(JsonInputException e) {
    return new ProblemException(
        switch (e.kind()) {
          case DUPLICATE_KEY -> ProblemType.DUPLICATE_KEY;
          case TOO_DEEP -> ProblemType.NESTING_TOO_DEEP;
          case TOO_LARGE -> ProblemType.DOCUMENT_TOO_LARGE;
          case MALFORMED -> ProblemType.MALFORMED_JSON;
        },
        e.getMessage(),
        e);
  }

  public ProblemType type() {
    return type;
  }
}
