package io.holdfast.server.store;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;

/** The store could not be reached or failed; the write, if any, did not happen. */
public final class StoreUnavailableException extends ProblemException {
  public StoreUnavailableException(String detail, Throwable cause) {
    super(ProblemType.STORE_UNAVAILABLE, detail, cause);
  }
}
