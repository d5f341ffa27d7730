package io.holdfast.server.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ProblemException;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.InstanceView;
import io.holdfast.server.snapshot.ServedDocument;
import java.time.Instant;

/**
 * The instance-facing read API: effective documents and checksums, with RFC 9110 conditional
 * requests. Served from the snapshot alone; never touches the database.
 *
 * <p>Tenant wall: an instance credential that asks for another instance gets exactly the answer
 * an unknown instance gets (404), so it cannot even learn which ids exist.
 */
final class InstanceApi implements HttpService {

  /** Only a private cache may store a document, and it must revalidate before each use. */
  static final String CACHE_CONTROL = "private, no-cache";

  // Built once: on the hot path Helidon then writes their pre-encoded bytes instead of creating
  // and encoding the same headers for every response.
  private static final Header CACHE_CONTROL_HEADER = HeaderValues.createCached(HeaderNames.CACHE_CONTROL, CACHE_CONTROL);
  private static final Header CONTENT_TYPE_HEADER =
      HeaderValues.createCached(HeaderNames.CONTENT_TYPE, HoldfastHeaders.ENVELOPE_MEDIA_TYPE);
  private static final HeaderName REVISION = HeaderNames.create(HoldfastHeaders.REVISION);
  private static final HeaderName REPR_DIGEST = HeaderNames.create(HoldfastHeaders.REPR_DIGEST);
  private static final HeaderName SIGNATURE = HeaderNames.create(HoldfastHeaders.SIGNATURE);
  private static final HeaderName STORE_UNREACHABLE_SINCE = HeaderNames.create(HoldfastHeaders.STORE_UNREACHABLE_SINCE);

  private final RequestGuard guard;

  InstanceApi(RequestGuard guard) {
    this.guard = guard;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/{instance}/config/{namespace}", this::document)
        .head("/{instance}/config/{namespace}", this::document)
        .any("/{instance}/config/{namespace}", Routes.methodNotAllowed("GET, HEAD"))
        .get("/{instance}/checksums", this::checksums)
        .head("/{instance}/checksums", this::checksums)
        .any("/{instance}/checksums", Routes.methodNotAllowed("GET, HEAD"));
  }

  private void document(ServerRequest req, ServerResponse res) {
    InstanceView view = authorisedInstance(req);
    String namespace = req.path().pathParameters().get("namespace");
    ServedDocument document = view.document(namespace);
    if (document == null) {
      throw new ProblemException(ProblemType.NAMESPACE_NOT_FOUND, "namespace '" + Routes.abbreviate(namespace) + "' does not exist");
    }
    serve(req, res, document);
  }

  private void checksums(ServerRequest req, ServerResponse res) {
    serve(req, res, authorisedInstance(req).checksums());
  }

  private InstanceView authorisedInstance(ServerRequest req) {
    EffectiveSnapshot snapshot = guard.snapshot();
    Principal principal = guard.principal(req, snapshot);
    String id = req.path().pathParameters().get("instance");
    InstanceView view = snapshot.instance(id);
    boolean allowed = principal instanceof Principal.AdminPrincipal
        || (principal instanceof Principal.InstancePrincipal p && p.instanceId().equals(id));
    if (view == null || !allowed) {
      throw new ProblemException(ProblemType.INSTANCE_NOT_FOUND, "instance '" + Routes.abbreviate(id) + "' does not exist");
    }
    return view;
  }

  /** Sends the document, or 304 if the request's If-None-Match matches it. */
  private void serve(ServerRequest req, ServerResponse res, ServedDocument document) {
    boolean notModified = Conditions.notModified(req, document.etag());
    // Headers a 304 must repeat (RFC 9110 §15.4.5) are the same as on the 200.
    res.header(HeaderNames.ETAG, document.etagHeaderValue());
    res.header(CACHE_CONTROL_HEADER);
    res.header(REVISION, document.revisionHeaderValue());
    Instant storeFailingSince = guard.storeFailingSince();
    if (storeFailingSince != null) {
      res.header(STORE_UNREACHABLE_SINCE, storeFailingSince.toString());
    }
    if (notModified) {
      res.status(Status.NOT_MODIFIED_304);
      // RFC 9110 §8.6: a 304 must not carry a Content-Length other than the 200's. Helidon adds
      // "Content-Length: 0" to every body-less 304 after beforeSend callbacks have run, so
      // NotModifiedLength (a send listener, see HttpApi) takes it out as the headers are written.
      res.send();
      return;
    }
    res.header(CONTENT_TYPE_HEADER);
    res.header(REPR_DIGEST, document.reprDigest());
    res.header(SIGNATURE, document.signature());
    if (req.prologue().method() == Method.HEAD) {
      res.contentLength(document.body().length);
      res.send();
    } else {
      res.send(document.body());
    }
  }
}
