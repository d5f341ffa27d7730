package io.holdfast.server.auth;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ProblemException;
import io.holdfast.server.model.Role;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.store.AdminCredential;
import java.util.List;

/**
 * Resolves a bearer token to a {@link Principal} using the snapshot only, so authentication,
 * like reads, keeps working while the database is down. Stateless and thread-safe.
 */
public final class Authenticator {

  /** Longest Authorization value looked at; tokens are far shorter. */
  private static final int MAX_AUTHORIZATION_LENGTH = 512;

  /**
   * @param authorization every {@code Authorization} header value of the request
   * @throws ProblemException {@code UNAUTHENTICATED} if missing, malformed or unknown
   */
  public Principal authenticate(List<String> authorization, EffectiveSnapshot snapshot) {
    if (authorization.isEmpty()) {
      throw new ProblemException(ProblemType.UNAUTHENTICATED, "send Authorization: Bearer <token>");
    }
    if (authorization.size() > 1) {
      throw new ProblemException(ProblemType.UNAUTHENTICATED, "send exactly one Authorization header");
    }
    String value = authorization.get(0);
    if (value.length() > MAX_AUTHORIZATION_LENGTH || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ProblemException(ProblemType.UNAUTHENTICATED, "the Authorization scheme must be Bearer");
    }
    String token = value.substring(7).strip();
    String hash = CredentialTokens.hash(token);
    String instance = snapshot.instancesByCredential().get(hash);
    if (instance != null) {
      return new Principal.InstancePrincipal(instance);
    }
    AdminCredential admin = snapshot.adminsByCredential().get(hash);
    if (admin != null) {
      return new Principal.AdminPrincipal(admin.name(), admin.role());
    }
    throw new ProblemException(ProblemType.UNAUTHENTICATED, "the bearer token is not valid");
  }

  /**
   * Requires an admin principal with at least {@code role}.
   *
   * @throws ProblemException {@code FORBIDDEN} otherwise
   */
  public static Principal.AdminPrincipal requireRole(Principal principal, Role role) {
    if (principal instanceof Principal.AdminPrincipal admin) {
      if (admin.role().includes(role)) {
        return admin;
      }
      throw new ProblemException(ProblemType.FORBIDDEN,
          "this needs the " + role.wireName() + " role; credential '" + admin.name() + "' has " + admin.role().wireName());
    }
    throw new ProblemException(ProblemType.FORBIDDEN, "instance credentials cannot use the admin API");
  }
}
