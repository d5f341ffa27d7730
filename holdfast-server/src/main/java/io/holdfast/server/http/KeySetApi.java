package io.holdfast.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.keyset.PublishedKeySets;
import io.holdfast.server.problem.ProblemException;
import java.util.Optional;

/**
 * {@code GET /v1/keyset}: the newest root-signed key set, byte for byte as published; and {@code
 * GET /v1/keyset/chain?after=N}: the ones after version N, for a client walking a root rotation.
 * Public and unauthenticated like {@code GET /v1/keys}: the key set is signed, and its trust comes
 * from the root each client pinned, not from the replica. Answered from memory ({@link
 * PublishedKeySets}), never the database.
 *
 * <p>{@code Cache-Control: no-cache}: a cache may keep the key set but must ask again each time, so
 * a revocation is never held back by a cache's freshness lifetime (a 304 costs a few bytes).
 */
final class KeySetApi implements HttpService {

  private final PublishedKeySets keySets;

  KeySetApi(PublishedKeySets keySets) {
    this.keySets = keySets;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/", this::newest)
        .head("/", this::newest)
        .any("/", Routes.methodNotAllowed("GET, HEAD"))
        .get("/chain", this::chain)
        .head("/chain", this::chain)
        .any("/chain", Routes.methodNotAllowed("GET, HEAD"));
  }

  private void newest(ServerRequest req, ServerResponse res) {
    Optional<PublishedKeySets.Newest> newest = keySets.newest();
    if (newest.isEmpty()) {
      throw new ProblemException(
          ProblemType.KEYSET_NOT_FOUND,
          "no key set has been published yet (holdfast keys publish)");
    }
    boolean notModified = Conditions.notModified(req, newest.get().etag());
    res.header(HeaderNames.ETAG, newest.get().etag().toHeaderValue());
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    if (notModified) {
      res.status(Status.NOT_MODIFIED_304);
      res.send();
      return;
    }
    send(req, res, newest.get().keySet().body());
  }

  private void chain(ServerRequest req, ServerResponse res) {
    long after = after(req);
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    send(req, res, PublishedKeySets.chainJson(keySets.chainAfter(after)));
  }

  private static void send(ServerRequest req, ServerResponse res, byte[] body) {
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    if (req.prologue().method() == Method.HEAD) {
      res.contentLength(body.length);
      res.send();
    } else {
      res.send(body);
    }
  }

  /** The {@code after} parameter: a whole number from 0, in plain decimal digits. */
  private static long after(ServerRequest req) {
    var values = req.query().all("after", java.util.List::of);
    if (values.size() != 1) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          values.isEmpty()
              ? "the query parameter after is required: the version a client holds (0 for none)"
              : "the query parameter after is given " + values.size() + " times");
    }
    String value = values.get(0);
    if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "after is '"
              + Routes.abbreviate(value)
              + "'; it must be a key set version, a whole number from 0");
    }
    return Long.parseLong(value);
  }
}
