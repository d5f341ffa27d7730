package io.holdfast.server.keyset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.KeySetSigner;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.Database;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KeySetStore} on each database Holdfast supports: publishes are append-only with one audit
 * entry each, a refusal writes nothing, and concurrent publishers of one version store exactly one.
 */
abstract class KeySetStoreContract {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  private final KeyPair root = pair();
  private final KeyPair signing = pair();
  private Database database;
  private KeySetStore store;

  abstract Database openDatabase();

  @BeforeEach
  void open() {
    database = openDatabase();
    store = new KeySetStore(database, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void publishes_areAppendOnly_withOneAuditEntryEach_andARetryIsNotAnother() throws SQLException {
    byte[] v1 = keySet(1, signing);
    byte[] v2 = keySet(2, signing);

    assertThat(store.publish(v1, "admin:ops")).isEqualTo(new KeySetPublication(1, true));
    assertThat(store.publish(v2, "admin:ops")).isEqualTo(new KeySetPublication(2, true));
    assertThat(store.publish(v2, "admin:ops")).isEqualTo(new KeySetPublication(2, false));

    List<StoredKeySet> stored = store.after(0, 100);
    assertThat(stored).extracting(StoredKeySet::version).containsExactly(1L, 2L);
    assertThat(stored.get(0).body()).isEqualTo(v1);
    assertThat(stored.get(1).body()).isEqualTo(v2);
    assertThat(store.after(1, 100)).extracting(StoredKeySet::version).containsExactly(2L);
    assertThat(store.after(0, 1)).extracting(StoredKeySet::version).containsExactly(1L);
    assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'keyset.publish'"))
        .isEqualTo(2);
  }

  @Test
  void aRefusedPublish_writesNothing() throws SQLException {
    store.publish(keySet(3, signing), "admin:ops");
    List<byte[]> refused = List.of(keySet(2, signing), keySet(3, pair()), "{}".getBytes());
    for (byte[] body : refused) {
      assertThatThrownBy(() -> store.publish(body, "admin:ops"))
          .isInstanceOf(ProblemException.class);
    }
    assertThat(count("SELECT COUNT(*) FROM key_sets")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM audit_log")).isEqualTo(1);
  }

  @Test
  void concurrentPublishersOfOneVersion_storeExactlyOne() throws Exception {
    store.publish(keySet(1, signing), "admin:ops");
    int publishers = 6;
    List<byte[]> contenders = new ArrayList<>();
    for (int i = 0; i < publishers; i++) {
      contenders.add(keySet(2, pair()));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    try {
      List<Future<Optional<ProblemType>>> outcomes = new ArrayList<>();
      for (byte[] body : contenders) {
        outcomes.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    store.publish(body, "admin:ops");
                    return Optional.empty();
                  } catch (ProblemException e) {
                    return Optional.of(e.type());
                  }
                }));
      }
      start.countDown();
      List<Optional<ProblemType>> results = new ArrayList<>();
      for (Future<Optional<ProblemType>> outcome : outcomes) {
        results.add(outcome.get());
      }
      assertThat(results).filteredOn(Optional::isEmpty).hasSize(1);
      assertThat(results)
          .filteredOn(Optional::isPresent)
          .allSatisfy(r -> assertThat(r).contains(ProblemType.KEYSET_CONFLICT));
    } finally {
      pool.shutdownNow();
    }
    assertThat(count("SELECT COUNT(*) FROM key_sets")).isEqualTo(2);
    assertThat(count("SELECT COUNT(*) FROM audit_log")).isEqualTo(2);
  }

  private long count(String sql) throws SQLException {
    try (Connection c = database.reader().getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private byte[] keySet(long version, KeyPair signingKey) {
    RootKeys roots = RootKeys.of(1, VerificationKey.of(root.getPublic()));
    KeySet keySet =
        new KeySet(
            version,
            NOW.minus(Duration.ofHours(1)),
            NOW.plus(Duration.ofDays(1)),
            List.of(
                new KeySet.SigningKey(
                    VerificationKey.of(signingKey.getPublic()),
                    NOW.minus(Duration.ofHours(1)),
                    NOW.plus(Duration.ofDays(365)))),
            new TreeSet<>(),
            roots,
            Optional.empty());
    return new KeySetSigner(List.of(root)).sign(keySet).toBytes();
  }

  private static KeyPair pair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
