package io.holdfast.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.model.Role;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.store.AdminCredential;
import io.holdfast.testkit.ManualTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The token hash cache in front of the snapshot: a credential that a new snapshot no longer holds
 * (rotated), or holds as revoked or expired, is refused on the very next request although its hash
 * is remembered; only values that named a credential are remembered, at most the capacity, so a
 * flood of wrong tokens neither grows the cache nor evicts a tenant's entry.
 */
class VerifiedTokensTest {

  private final ManualTime time = new ManualTime();
  private final CredentialTokens tokens = new CredentialTokens(new SecureRandom());

  /** The store is never asked: the batches of last-use times are flushed only on a timer. */
  private final CredentialUse use = new CredentialUse(null);

  private Authenticator authenticator(VerifiedTokens cache) {
    return new Authenticator(time.clock(), use, cache);
  }

  private static EffectiveSnapshot snapshot(
      Map<String, String> instancesByHash, Map<String, AdminCredential> adminsByHash) {
    return new EffectiveSnapshot(
        1, Instant.EPOCH, Map.of(), instancesByHash, adminsByHash, "key", null, 0);
  }

  private static EffectiveSnapshot instances(String... tokenThenInstance) {
    Map<String, String> byHash = new HashMap<>();
    for (int i = 0; i < tokenThenInstance.length; i += 2) {
      byHash.put(CredentialTokens.hash(tokenThenInstance[i]), tokenThenInstance[i + 1]);
    }
    return snapshot(byHash, Map.of());
  }

  private static EffectiveSnapshot admins(AdminCredential... credentials) {
    Map<String, AdminCredential> byHash = new HashMap<>();
    for (AdminCredential c : credentials) {
      byHash.put(c.tokenHash(), c);
    }
    return snapshot(Map.of(), byHash);
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  private static void assertUnauthenticated(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.type()).isEqualTo(ProblemType.UNAUTHENTICATED));
  }

  @Test
  void aRotatedInstanceCredential_isRefusedOnTheVeryNextRequest_thoughItsHashIsRemembered() {
    VerifiedTokens cache = new VerifiedTokens(16);
    Authenticator auth = authenticator(cache);
    String old = tokens.newInstanceToken();
    EffectiveSnapshot before = instances(old, "i-1");
    assertThat(auth.authenticate(bearer(old), before))
        .isEqualTo(new Principal.InstancePrincipal("i-1"));
    assertThat(auth.authenticate(bearer(old), before))
        .isEqualTo(new Principal.InstancePrincipal("i-1"));
    assertThat(cache.hashOf(bearer(old))).isEqualTo(CredentialTokens.hash(old));

    String fresh = tokens.newInstanceToken();
    EffectiveSnapshot rotated = instances(fresh, "i-1");

    assertUnauthenticated(() -> auth.authenticate(bearer(old), rotated));
    assertThat(auth.authenticate(bearer(fresh), rotated))
        .isEqualTo(new Principal.InstancePrincipal("i-1"));
  }

  @Test
  void aRevokedOrRotatedAdminCredential_isRefusedOnTheVeryNextRequest() {
    VerifiedTokens cache = new VerifiedTokens(16);
    Authenticator auth = authenticator(cache);
    String token = tokens.newAdminToken();
    AdminCredential live =
        new AdminCredential("ops", Role.EDITOR, CredentialTokens.hash(token), Instant.EPOCH);
    assertThat(auth.authenticate(bearer(token), admins(live)))
        .isInstanceOf(Principal.AdminPrincipal.class);
    assertThat(cache.size()).isEqualTo(1);

    AdminCredential revoked =
        new AdminCredential(
            "ops",
            Role.EDITOR,
            live.tokenHash(),
            Instant.EPOCH,
            null,
            time.clock().instant(),
            null);
    assertUnauthenticated(() -> auth.authenticate(bearer(token), admins(revoked)));

    String next = tokens.newAdminToken();
    AdminCredential rotated =
        new AdminCredential("ops", Role.EDITOR, CredentialTokens.hash(next), Instant.EPOCH);
    assertUnauthenticated(() -> auth.authenticate(bearer(token), admins(rotated)));
    assertThat(auth.authenticate(bearer(next), admins(rotated)))
        .isEqualTo(new Principal.AdminPrincipal("ops", Role.EDITOR, null));
  }

  @Test
  void anAdminCredential_isRefusedFromItsExpiryOn_bytheClock_thoughItsHashIsRemembered() {
    Authenticator auth = authenticator(new VerifiedTokens(16));
    String token = tokens.newAdminToken();
    Instant expiry = time.clock().instant().plus(Duration.ofMinutes(5));
    AdminCredential expiring =
        new AdminCredential(
            "temp", Role.ADMIN, CredentialTokens.hash(token), Instant.EPOCH, expiry, null, null);
    EffectiveSnapshot snapshot = admins(expiring);
    assertThat(auth.authenticate(bearer(token), snapshot))
        .isInstanceOf(Principal.AdminPrincipal.class);

    time.advance(Duration.ofMinutes(5));

    assertUnauthenticated(() -> auth.authenticate(bearer(token), snapshot));
  }

  @Test
  void wrongTokens_areNeverRemembered_andCannotEvictATenantsEntry() {
    VerifiedTokens cache = new VerifiedTokens(2);
    Authenticator auth = authenticator(cache);
    String a = tokens.newInstanceToken();
    String b = tokens.newInstanceToken();
    EffectiveSnapshot snapshot = instances(a, "i-a", b, "i-b");
    auth.authenticate(bearer(a), snapshot);
    auth.authenticate(bearer(b), snapshot);

    for (int i = 0; i < 5_000; i++) {
      String wrong = tokens.newInstanceToken();
      assertUnauthenticated(() -> auth.authenticate(bearer(wrong), snapshot));
    }
    assertUnauthenticated(() -> auth.authenticate("Basic dXNlcjpwYXNz", snapshot));

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.hashOf(bearer(a))).isEqualTo(CredentialTokens.hash(a));
    assertThat(cache.hashOf(bearer(b))).isEqualTo(CredentialTokens.hash(b));
  }

  @Test
  void theCache_staysWithinItsCapacity_andEveryCredentialStillWorksBeyondIt() {
    VerifiedTokens cache = new VerifiedTokens(4);
    Authenticator auth = authenticator(cache);
    String[] pairs = new String[20];
    for (int i = 0; i < 10; i++) {
      pairs[2 * i] = tokens.newInstanceToken();
      pairs[2 * i + 1] = "i-" + i;
    }
    EffectiveSnapshot snapshot = instances(pairs);

    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 10; i++) {
        assertThat(auth.authenticate(bearer(pairs[2 * i]), snapshot))
            .isEqualTo(new Principal.InstancePrincipal("i-" + i));
      }
    }

    assertThat(cache.size()).isEqualTo(4);
  }

  @Test
  void aFullCache_dropsTheEntriesOfCredentialsTheSnapshotNoLongerHolds() {
    VerifiedTokens cache = new VerifiedTokens(2);
    Authenticator auth = authenticator(cache);
    String a = tokens.newInstanceToken();
    String b = tokens.newInstanceToken();
    auth.authenticate(bearer(a), instances(a, "i-a", b, "i-b"));
    auth.authenticate(bearer(b), instances(a, "i-a", b, "i-b"));

    String aRotated = tokens.newInstanceToken();
    EffectiveSnapshot afterRotation = instances(aRotated, "i-a", b, "i-b");
    auth.authenticate(bearer(aRotated), afterRotation);

    assertThat(cache.hashOf(bearer(a))).as("a's old token opens nothing any more").isNull();
    assertThat(cache.hashOf(bearer(aRotated))).isEqualTo(CredentialTokens.hash(aRotated));
    assertThat(cache.hashOf(bearer(b))).isEqualTo(CredentialTokens.hash(b));
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void malformedOrMissingOrRepeatedAuthorization_isRefusedAsBefore() {
    Authenticator auth = authenticator(new VerifiedTokens(4));
    String token = tokens.newInstanceToken();
    EffectiveSnapshot snapshot = instances(token, "i-1");
    assertThat(auth.authenticate("bearer  " + token + " ", snapshot))
        .as("the scheme is case-insensitive and the token is stripped, as before")
        .isEqualTo(new Principal.InstancePrincipal("i-1"));
    assertUnauthenticated(() -> auth.authenticate((String) null, snapshot));
    assertUnauthenticated(() -> auth.authenticate(java.util.List.of(), snapshot));
    assertUnauthenticated(
        () -> auth.authenticate(java.util.List.of(bearer(token), bearer(token)), snapshot));
    assertUnauthenticated(() -> auth.authenticate("Bearer " + "x".repeat(600), snapshot));
  }
}
