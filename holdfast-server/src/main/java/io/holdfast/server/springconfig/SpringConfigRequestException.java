package io.holdfast.server.springconfig;

/** A Spring Cloud Config path that is malformed: the client's mistake, answered with a 400. */
public final class SpringConfigRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SpringConfigRequestException(String message) {
    super(message);
  }
}
