package io.holdfast.server.http;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.BadRequestException;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.problem.Problem;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.edge.EdgeFilter;
import io.holdfast.server.model.InvalidNameException;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.window.InvalidWindowException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become RFC 9457 responses. Each {@link ProblemType} has one status;
 * unexpected exceptions become {@code internal-error} without their message (which might carry
 * internals) and are logged in full.
 */
final class ProblemResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

  private ProblemResponses() {}

  static void send(ServerRequest req, ServerResponse res, Throwable failure) {
    if (res.isSent()) {
      return;
    }
    if (failure instanceof io.helidon.webserver.ServerConnectionException) {
      // The client went away mid-answer (a checksums stream ends so): no one to answer, no fault.
      LOG.debug(
          "client gone during {} {}", req.prologue().method().text(), req.path().absolute().path());
      return;
    }
    Problem problem;
    if (failure instanceof ProblemException p) {
      problem = new Problem(p.type(), p.getMessage(), req.path().absolute().path());
      if (p.type() == ProblemType.STORE_UNAVAILABLE) {
        LOG.warn(
            "store unavailable for {} {}: {}",
            req.prologue().method().text(),
            req.path().absolute().path(),
            p.getCause() == null ? p.getMessage() : p.getCause().toString());
      }
    } else if (failure instanceof EdgeFilter.UnimplementedMethodException e) {
      problem = e.problem(req.path().absolute().path());
    } else if (failure instanceof InvalidNameException e) {
      problem = new Problem(ProblemType.INVALID_NAME, e.getMessage(), req.path().absolute().path());
    } else if (failure instanceof InvalidWindowException e) {
      // The model's message names the part of the window, zone or blackout that is wrong, as the
      // operator wrote it; it never carries internals.
      problem =
          new Problem(ProblemType.INVALID_WINDOW, e.getMessage(), req.path().absolute().path());
    } else if (failure instanceof BadRequestException) {
      // Helidon found the request malformed while a handler read it (a header it parses
      // lazily): the client's mistake. Its message may quote the input or name its classes.
      LOG.debug(
          "malformed request {} {}",
          req.prologue().method().text(),
          req.path().absolute().path(),
          failure);
      problem =
          new Problem(
              ProblemType.MALFORMED_REQUEST,
              "a header of the request cannot be parsed",
              req.path().absolute().path());
    } else if (failure instanceof DataReader.InsufficientDataAvailableException) {
      // The client closed its side before sending the whole body: not a fault of this server.
      // It is answered all the same (a client that only half-closed still reads), and a gone
      // client's write fails quietly.
      LOG.debug(
          "client went away during {} {}",
          req.prologue().method().text(),
          req.path().absolute().path());
      res.header(HeaderNames.CONNECTION, "close");
      problem =
          new Problem(
              ProblemType.MALFORMED_REQUEST,
              "the request body ended before its declared length",
              req.path().absolute().path());
    } else {
      LOG.error(
          "unexpected failure on {} {}",
          req.prologue().method().text(),
          req.path().absolute().path(),
          failure);
      problem =
          new Problem(
              ProblemType.INTERNAL_ERROR,
              "the server failed unexpectedly; see its log",
              req.path().absolute().path());
    }
    send(res, problem);
  }

  private static final Header DRAINING_HEADER =
      HeaderValues.createCached(HeaderNames.create(HoldfastHeaders.DRAINING), "true");

  private static final Header BEARER_CHALLENGE =
      HeaderValues.createCached(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"holdfast\"");

  static void send(ServerResponse res, Problem problem) {
    send(res, problem, BEARER_CHALLENGE);
  }

  /** Sends the problem; a 401 carries {@code challenge} as its {@code WWW-Authenticate}. */
  static void send(ServerResponse res, Problem problem, Header challenge) {
    res.status(Status.create(problem.type().status()));
    res.header(HeaderNames.CONTENT_TYPE, HoldfastHeaders.PROBLEM_MEDIA_TYPE);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    // A problem quotes the request's path: a browser must never sniff it into HTML.
    res.header(HeaderValues.X_CONTENT_TYPE_OPTIONS_NOSNIFF);
    switch (problem.type()) {
      case UNAUTHENTICATED -> res.header(challenge);
      case STORE_UNAVAILABLE, NOT_READY, TOO_MANY_WATCHERS ->
          res.header(HeaderNames.RETRY_AFTER, "5");
      case DRAINING -> {
        res.header(HeaderNames.RETRY_AFTER, "1");
        res.header(DRAINING_HEADER);
      }
      case OVERLOADED, TOO_MANY_REQUESTS ->
          res.header(HeaderNames.RETRY_AFTER, AdmissionControl.RETRY_AFTER_SECONDS);
      default -> {}
    }
    res.send(problem.toBytes());
  }
}
