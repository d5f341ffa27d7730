package io.holdfast.server.auth;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.model.Role;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.store.AdminCredential;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a bearer token to a {@link Principal} using the snapshot only, so authentication, like
 * reads, keeps working while the database is down. Thread-safe.
 *
 * <p>An admin credential that is revoked or has expired (by the injected clock) is refused exactly
 * as an unknown token is: the answer does not tell a holder of a dead token anything. A revocation
 * or rotation reaches every replica with the snapshot that carries it: at once on the replica that
 * made it, within one {@code refresh-interval} on the others. Each accepted admin token is noted in
 * {@link CredentialUse}, which writes last-use times in batches.
 *
 * <p>A token is hashed once, not on every request: {@link VerifiedTokens} remembers the hash of
 * each value that named a credential, and the snapshot still decides each time what that hash
 * opens, so a revocation or rotation is refused on the very next request.
 */
public final class Authenticator {

  /** Longest Authorization value looked at; tokens are far shorter. */
  private static final int MAX_AUTHORIZATION_LENGTH = 512;

  private final Clock clock;
  private final CredentialUse use;
  private final VerifiedTokens verified;

  public Authenticator(Clock clock, CredentialUse use) {
    this(clock, use, new VerifiedTokens(VerifiedTokens.DEFAULT_CAPACITY));
  }

  /**
   * @param verified remembers the hash of each value that named a known credential; the snapshot
   *     still decides on every request whether that hash opens anything
   */
  public Authenticator(Clock clock, CredentialUse use, VerifiedTokens verified) {
    this.clock = clock;
    this.use = use;
    this.verified = verified;
  }

  /**
   * @param authorization every {@code Authorization} header value of the request
   * @throws ProblemException {@code UNAUTHENTICATED} if missing, malformed or unknown
   */
  public Principal authenticate(List<String> authorization, EffectiveSnapshot snapshot) {
    if (authorization.size() > 1) {
      throw new ProblemException(
          ProblemType.UNAUTHENTICATED, "send exactly one Authorization header");
    }
    return authenticate(authorization.isEmpty() ? null : authorization.get(0), snapshot);
  }

  /**
   * @param authorization the request's one {@code Authorization} value, or {@code null} if it sent
   *     none (the caller refuses several)
   * @throws ProblemException {@code UNAUTHENTICATED} if missing, malformed or unknown
   */
  public Principal authenticate(String authorization, EffectiveSnapshot snapshot) {
    if (authorization == null) {
      throw new ProblemException(ProblemType.UNAUTHENTICATED, "send Authorization: Bearer <token>");
    }
    // A remembered value passed the checks below before: they depend on the value alone.
    String hash = verified.hashOf(authorization);
    if (hash == null) {
      hash = hashOf(authorization);
      if (VerifiedTokens.knows(snapshot, hash)) {
        verified.remember(authorization, hash, snapshot);
      }
    }
    // Every request, remembered or not: the snapshot being served says what the hash opens now.
    String instance = snapshot.instancesByCredential().get(hash);
    if (instance != null) {
      return new Principal.InstancePrincipal(instance);
    }
    Optional<AdminCredential> admin = liveAdmin(snapshot, hash);
    if (admin.isPresent()) {
      return new Principal.AdminPrincipal(
          admin.get().name(), admin.get().role(), admin.get().expiresAt());
    }
    throw new ProblemException(ProblemType.UNAUTHENTICATED, "the bearer token is not valid");
  }

  /** The stored form of the token in a well-formed {@code Bearer} value. */
  private static String hashOf(String authorization) {
    if (authorization.length() > MAX_AUTHORIZATION_LENGTH
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ProblemException(
          ProblemType.UNAUTHENTICATED, "the Authorization scheme must be Bearer");
    }
    return CredentialTokens.hash(authorization.substring(7).strip());
  }

  /** {@code wait}, shortened to end when the principal's credential expires. */
  public Duration cappedByExpiry(Principal principal, Duration wait) {
    if (principal instanceof Principal.AdminPrincipal admin && admin.expiresAt() != null) {
      Duration left = Duration.between(clock.instant(), admin.expiresAt());
      return left.compareTo(wait) < 0 ? (left.isNegative() ? Duration.ZERO : left) : wait;
    }
    return wait;
  }

  /**
   * The admin credential whose token has this hash, if it is usable now (neither revoked nor
   * expired); its use is noted. The console checks its sessions through this too.
   */
  public Optional<AdminCredential> liveAdmin(EffectiveSnapshot snapshot, String tokenHash) {
    AdminCredential admin = snapshot.adminsByCredential().get(tokenHash);
    Instant now = clock.instant();
    if (admin == null || !admin.usableAt(now)) {
      return Optional.empty();
    }
    use.used(admin.name(), now.truncatedTo(ChronoUnit.MILLIS));
    return Optional.of(admin);
  }

  /**
   * The admin credential whose token has this hash but which no longer works (revoked or expired),
   * for the audit log of a refused login; empty for a live or unknown token.
   */
  public Optional<AdminCredential> deadAdmin(EffectiveSnapshot snapshot, String tokenHash) {
    AdminCredential admin = snapshot.adminsByCredential().get(tokenHash);
    return admin == null || admin.usableAt(clock.instant()) ? Optional.empty() : Optional.of(admin);
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
      throw new ProblemException(
          ProblemType.FORBIDDEN,
          "this needs the "
              + role.wireName()
              + " role; credential '"
              + admin.name()
              + "' has "
              + admin.role().wireName());
    }
    throw new ProblemException(
        ProblemType.FORBIDDEN, "instance credentials cannot use the admin API");
  }
}
