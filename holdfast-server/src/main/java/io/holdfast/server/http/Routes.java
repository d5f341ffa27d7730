package io.holdfast.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.holdfast.protocol.problem.Problem;
import io.holdfast.protocol.problem.ProblemType;

/** Handlers shared by every API: wrong method, unknown route. */
final class Routes {

  private Routes() {}

  static Handler methodNotAllowed(String allowed) {
    return (req, res) -> {
      res.header(HeaderNames.ALLOW, allowed);
      ProblemResponses.send(
          res,
          new Problem(
              ProblemType.METHOD_NOT_ALLOWED,
              req.prologue().method().text() + " is not allowed here; use " + allowed,
              req.path().absolute().path()));
    };
  }

  static Handler notFound() {
    return (req, res) ->
        ProblemResponses.send(
            res,
            new Problem(
                ProblemType.ROUTE_NOT_FOUND,
                "there is no resource at this path",
                req.path().absolute().path()));
  }

  /** Echoing client input into messages is bounded, so a hostile id cannot bloat responses. */
  static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 80) + "…";
  }
}
