package io.holdfast.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.signature.VerificationKey;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /v1/keys}: the public keys that verify document signatures, by key id. Public and
 * unauthenticated: a public key is no secret, and clients pin the ids they trust out of band.
 */
final class KeysApi implements HttpService {

  private final Supplier<List<VerificationKey>> keys;

  /** The body for the keys last listed; rebuilt when they change (a signing key reloaded). */
  private volatile Listing listing;

  /**
   * @param keys the keys to list, asked for on every request: a replica that reloads its signing
   *     key lists the new one at once
   */
  KeysApi(Supplier<List<VerificationKey>> keys) {
    this.keys = keys;
  }

  private record Listing(List<VerificationKey> keys, byte[] body, EntityTag etag) {

    static Listing of(List<VerificationKey> keys) {
      ObjectNode node = JsonViews.object();
      ArrayNode array = node.putArray("keys");
      for (VerificationKey key : keys) {
        ObjectNode entry = array.addObject();
        entry.put("keyId", key.keyId());
        entry.put("algorithm", "ed25519");
        entry.put("publicKey", key.toBase64());
      }
      byte[] body = CanonicalJson.toBytes(node);
      return new Listing(List.copyOf(keys), body, ContentHash.of(body).entityTag());
    }
  }

  private Listing listing() {
    List<VerificationKey> now = keys.get();
    Listing last = listing;
    if (last == null || !last.keys().equals(now)) {
      last = Listing.of(now);
      listing = last;
    }
    return last;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::keys).head("/", this::keys).any("/", Routes.methodNotAllowed("GET, HEAD"));
  }

  private void keys(ServerRequest req, ServerResponse res) {
    Listing current = listing();
    byte[] body = current.body();
    EntityTag etag = current.etag();
    boolean notModified = Conditions.notModified(req, etag);
    res.header(HeaderNames.ETAG, etag.toHeaderValue());
    // no-cache: a cache may keep the listing but must ask again, so a rotated key is never hidden.
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    if (notModified) {
      res.status(Status.NOT_MODIFIED_304);
      res.send();
    } else if (req.prologue().method() == Method.HEAD) {
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      res.contentLength(body.length);
      res.send();
    } else {
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      res.send(body);
    }
  }
}
