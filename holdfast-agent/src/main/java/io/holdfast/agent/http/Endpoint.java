package io.holdfast.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.holdfast.agent.metrics.AgentMetrics;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.problem.ProblemType;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.Semaphore;

/**
 * The fence around every handler of the agent: a client's mistake arrives here as an {@link
 * AgentProblem} and leaves as problem+json with its 4xx; anything unexpected is logged and answered
 * 500 with no detail, never a stack trace. It also bounds how many requests are served at once
 * (more get 503 at once, rather than a queue that grows without bound) and counts the answers.
 */
final class Endpoint implements HttpHandler {

  private static final System.Logger LOG = System.getLogger("io.holdfast.agent");

  /** What one handler does; it sends its own success and throws {@link AgentProblem} otherwise. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private final String name;
  private final Handler handler;
  private final Semaphore permits;
  private final AgentMetrics metrics;

  Endpoint(String name, Handler handler, Semaphore permits, AgentMetrics metrics) {
    this.name = name;
    this.handler = handler;
    this.permits = permits;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!permits.tryAcquire()) {
        send(
            exchange,
            AgentProblem.of(
                ProblemType.OVERLOADED, "too many requests in progress; retry in a second"));
        return;
      }
      try {
        handler.handle(exchange);
      } catch (AgentProblem problem) {
        send(exchange, problem);
      } catch (IOException e) {
        // The client went away mid-answer: nothing to tell it.
        LOG.log(Level.DEBUG, "{0}: connection lost: {1}", name, e.toString());
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, name + ": unexpected failure", e);
        send(exchange, AgentProblem.of(ProblemType.INTERNAL_ERROR, "see the agent's log"));
      } finally {
        permits.release();
      }
    } finally {
      metrics.answered(name, exchange.getResponseCode());
    }
  }

  private static void send(HttpExchange exchange, AgentProblem problem) {
    if (exchange.getResponseCode() != -1) {
      return; // headers already sent; the connection closes with the exchange
    }
    // An unread request body (one refused as too large) is drained by the server up to its
    // sun.net.httpserver.drainAmount, beyond which it closes the connection.
    try {
      byte[] body = problem.body(exchange.getRequestURI().getRawPath());
      exchange.getResponseHeaders().set("Content-Type", HoldfastHeaders.PROBLEM_MEDIA_TYPE);
      if (problem.retryAfter() != null) {
        exchange.getResponseHeaders().set("Retry-After", problem.retryAfter());
      }
      exchange.sendResponseHeaders(problem.status(), body.length);
      exchange.getResponseBody().write(body);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "problem not sent: {0}", e.toString());
    }
  }
}
