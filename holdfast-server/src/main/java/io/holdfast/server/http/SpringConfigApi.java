package io.holdfast.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.json.SharedJsonBuffers;
import io.holdfast.protocol.problem.Problem;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.InstanceView;
import io.holdfast.server.snapshot.ServedDocument;
import io.holdfast.server.springconfig.BasicCredentials;
import io.holdfast.server.springconfig.SpringConfigRequest;
import io.holdfast.server.springconfig.SpringConfigRequestException;
import io.holdfast.server.springconfig.SpringEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Spring Cloud Config's HTTP protocol, so that an unmodified {@code spring-cloud-starter-config}
 * application reads the authenticated instance's documents (docs/spring-cloud-config.md).
 *
 * <p>The instance is always the authenticated one, never a path parameter: HTTP Basic with the
 * instance id as user and its token as password (what {@code spring.cloud.config.username} and
 * {@code password} send), or its bearer token. The application segment selects namespaces (a name,
 * a comma list, or {@code application} for all of them); profile and label are echoed and select
 * nothing, since the instance's ring already decides which layers apply. Served from the snapshot
 * alone, like {@link InstanceApi}, and admitted in the instance lane of {@link AdmissionControl}.
 *
 * <p>Mounted at the root, after every other API: a path whose first segment belongs to another API
 * ({@link #serves}) passes on to the not-found route, so this API never changes their answers.
 */
final class SpringConfigApi implements HttpService {

  private static final ObjectMapper JSON = SharedJsonBuffers.mapper();

  /** What an unauthenticated client is told: Spring's client sends Basic, the SDK sends Bearer. */
  static final Header CHALLENGE =
      HeaderValues.create(
          HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"holdfast\"", "Bearer realm=\"holdfast\"");

  /** First path segments of the other APIs and listeners. */
  private static final Set<String> OTHER_APIS = Set.of("v1", "health", "console", "metrics");

  private final RequestGuard guard;

  SpringConfigApi(RequestGuard guard) {
    this.guard = guard;
  }

  /** Whether a request path is one this API answers (the admission lane asks). */
  static boolean serves(String path) {
    if (path.length() < 2 || path.charAt(0) != '/') {
      return false;
    }
    int end = path.indexOf('/', 1);
    return !OTHER_APIS.contains(end < 0 ? path.substring(1) : path.substring(1, end));
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/{one}", (req, res) -> answer(req, res, () -> file(null, param(req, "one"))))
        .get(
            "/{one}/{two}",
            (req, res) ->
                answer(
                    req,
                    res,
                    () -> {
                      String one = param(req, "one");
                      String two = param(req, "two");
                      Optional<SpringConfigRequest> file = file(one, two);
                      return file.isPresent()
                          ? file
                          : parsed(() -> SpringConfigRequest.environment(one, two, null));
                    }))
        .get(
            "/{one}/{two}/{three}",
            (req, res) ->
                answer(
                    req,
                    res,
                    () ->
                        parsed(
                            () ->
                                SpringConfigRequest.environment(
                                    param(req, "one"), param(req, "two"), param(req, "three")))));
  }

  private static String param(ServerRequest req, String name) {
    return req.path().pathParameters().get(name);
  }

  private static Optional<SpringConfigRequest> file(String label, String name) {
    return parsed(() -> SpringConfigRequest.file(label, name).orElse(null));
  }

  private static Optional<SpringConfigRequest> parsed(Supplier<SpringConfigRequest> parse) {
    try {
      return Optional.ofNullable(parse.get());
    } catch (SpringConfigRequestException e) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, e.getMessage());
    }
  }

  /**
   * Answers the request that {@code parse} reads from the path, or passes the path on when it
   * belongs to another API or is no Spring Cloud Config form.
   */
  private void answer(
      ServerRequest req, ServerResponse res, Supplier<Optional<SpringConfigRequest>> parse) {
    if (!serves(req.path().path())) {
      res.next();
      return;
    }
    try {
      SpringConfigRequest.checkRawPath(req.path().absolute().rawPath());
    } catch (SpringConfigRequestException e) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, e.getMessage());
    }
    Optional<SpringConfigRequest> parsed = parse.get();
    if (parsed.isEmpty()) {
      res.next();
      return;
    }
    SpringConfigRequest request = parsed.get();
    EffectiveSnapshot snapshot = guard.snapshot();
    InstanceView view;
    try {
      view = authenticatedInstance(req, snapshot);
    } catch (ProblemException e) {
      if (e.type() != ProblemType.UNAUTHENTICATED) {
        throw e;
      }
      ProblemResponses.send(
          res, new Problem(e.type(), e.getMessage(), req.path().absolute().path()), CHALLENGE);
      return;
    }
    SpringEnvironment environment =
        SpringEnvironment.of(request, view.id(), selected(view, request.applications()));
    byte[] body = environment.render();
    EntityTag etag = ContentHash.of(body).entityTag();
    res.header(HeaderNames.ETAG, etag.toHeaderValue());
    res.header(HeaderNames.CACHE_CONTROL, InstanceApi.CACHE_CONTROL);
    if (Conditions.notModified(req, etag)) {
      res.status(Status.NOT_MODIFIED_304);
      res.send();
      return;
    }
    res.header(HeaderNames.CONTENT_TYPE, request.format().mediaType());
    res.send(body);
  }

  /** The instance whose credential the request carries, Basic or Bearer. */
  private InstanceView authenticatedInstance(ServerRequest req, EffectiveSnapshot snapshot) {
    List<String> authorization =
        req.headers()
            .find(HeaderNames.AUTHORIZATION)
            .map(h -> h.allValues(false))
            .orElse(List.of());
    if (authorization.isEmpty()) {
      throw new ProblemException(
          ProblemType.UNAUTHENTICATED,
          "send HTTP Basic credentials (the instance id and its token) or Authorization: Bearer"
              + " <token>");
    }
    String id;
    if (authorization.size() == 1 && authorization.get(0).regionMatches(true, 0, "Basic ", 0, 6)) {
      BasicCredentials basic =
          BasicCredentials.parse(authorization.get(0))
              .orElseThrow(
                  () ->
                      new ProblemException(
                          ProblemType.UNAUTHENTICATED,
                          "the Basic credentials must be base64 of UTF-8 'instance-id:token'"));
      Principal principal = guard.principal(List.of("Bearer " + basic.password()), snapshot);
      if (!(principal instanceof Principal.InstancePrincipal p)
          || !p.instanceId().equals(basic.user())) {
        throw new ProblemException(
            ProblemType.UNAUTHENTICATED, "the user and password are not an instance and its token");
      }
      id = p.instanceId();
    } else {
      Principal principal = guard.principal(authorization, snapshot);
      if (!(principal instanceof Principal.InstancePrincipal p)) {
        throw new ProblemException(
            ProblemType.FORBIDDEN,
            "an admin credential has no instance; use the instance's own token");
      }
      id = p.instanceId();
    }
    InstanceView view = snapshot.instance(id);
    if (view == null) {
      throw new ProblemException(ProblemType.UNAUTHENTICATED, "the credential is not valid");
    }
    return view;
  }

  /**
   * The documents the application names select, in precedence order: the names in the order given,
   * and {@link SpringConfigRequest#ALL_NAMESPACES} standing for every namespace not named before
   * it, in name order.
   */
  private static List<SpringEnvironment.Selected> selected(
      InstanceView view, List<String> applications) {
    Set<String> names = new LinkedHashSet<>();
    for (String application : applications) {
      if (application.equals(SpringConfigRequest.ALL_NAMESPACES)) {
        names.addAll(new TreeSet<>(view.documents().keySet()));
      } else if (view.document(application) == null) {
        throw new ProblemException(
            ProblemType.NAMESPACE_NOT_FOUND,
            "namespace '" + Routes.abbreviate(application) + "' does not exist");
      } else {
        names.add(application);
      }
    }
    List<SpringEnvironment.Selected> selected = new ArrayList<>();
    for (String name : names) {
      ServedDocument document = view.document(name);
      selected.add(new SpringEnvironment.Selected(name, document.revision(), content(document)));
    }
    return selected;
  }

  /** The content of a served envelope: the snapshot's own canonical bytes. */
  private static JsonNode content(ServedDocument document) {
    try {
      return JSON.readTree(document.body()).get("content");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
