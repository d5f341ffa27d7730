package io.holdfast.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.audit.AuditVerification;
import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link ConfigStoreContract} over a real SQLite file, plus what is particular to SQLite. */
class SqliteConfigStoreTest extends ConfigStoreContract {

  private static final Instant START = Instant.parse("2026-03-01T12:00:00.123Z");
  private static final AtomicInteger FILES = new AtomicInteger();

  @TempDir Path directory;

  private final ManualTime time = new ManualTime(START);
  private Path file;

  @Override
  protected ConfigStore newStore() {
    file = directory.resolve("db-" + FILES.incrementAndGet()).resolve("holdfast.db");
    return open(file);
  }

  @Override
  protected ConfigStore reopen() {
    return open(file);
  }

  @Override
  protected void executeSql(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = c.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 5000");
      statement.executeUpdate(sql);
    }
  }

  private JdbcConfigStore open(Path database) {
    return new JdbcConfigStore(
        Database.open("jdbc:sqlite:" + database, Duration.ofSeconds(5)), time.clock());
  }

  @Nested
  class Sqlite {

    @Test
    void openingCreatesTheDatabaseFileAndItsDirectory() {
      assertThat(file).isRegularFile();
    }

    @Test
    void timestamps_comeFromTheInjectedClock_toTheMillisecond() {
      Namespace namespace = namespace("core");
      time.advance(Duration.ofHours(1).plusNanos(456_789)); // from START
      PublishResult result = publishLayer("core", Scope.DEFAULT, "{\"a\":1}");

      Instant published = START.plusSeconds(3600);
      assertThat(namespace.createdAt()).isEqualTo(START);
      assertThat(store.findRevision(namespace.revision()).orElseThrow().createdAt())
          .isEqualTo(START);
      assertThat(store.latestLayers("core").get(0).publishedAt()).isEqualTo(published);
      assertThat(store.findRevision(result.revision()).orElseThrow().createdAt())
          .isEqualTo(published);
      assertThat(store.loadState().revisionTimes())
          .containsEntry(namespace.revision(), START)
          .containsEntry(result.revision(), published);
    }

    @Test
    void twoStoresOnOneFile_seeEachOthersWrites() {
      try (JdbcConfigStore other = open(file)) {
        Namespace created = store.createNamespace("core", "", "alice");

        assertThat(other.currentRevision()).isEqualTo(created.revision());
        assertThat(other.loadState().namespaces()).containsExactly(created);

        other.putDraft("core", Scope.DEFAULT, json("{\"a\":1}"), "bob");
        PublishResult result = other.publish("core", Set.of(), "from the other replica", "bob");

        assertThat(store.currentRevision()).isEqualTo(result.revision());
        StoreState state = store.loadState();
        assertThat(state.revision()).isEqualTo(result.revision());
        assertThat(state.latestLayers())
            .singleElement()
            .satisfies(l -> assertThat(l.content()).isEqualTo(json("{\"a\":1}")));
        assertThat(store.listDrafts("core")).isEmpty();
      }
    }

    @Test
    void concurrentWritesThroughTwoStoresOnOneFile_allSucceedWithDistinctRevisionsAndNoneIsLost()
        throws Exception {
      int threads = 4;
      int writesPerThread = 25;
      try (JdbcConfigStore other = open(file)) {
        List<ConfigStore> replicas = List.of(store, other);
        long base = store.currentRevision();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          CountDownLatch start = new CountDownLatch(1);
          List<Future<List<Long>>> futures = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            int thread = t;
            ConfigStore replica = replicas.get(t % replicas.size());
            futures.add(
                pool.submit(
                    () -> {
                      start.await();
                      List<Long> revisions = new ArrayList<>();
                      for (int i = 0; i < writesPerThread; i++) {
                        String name = "w" + thread + "-" + i;
                        revisions.add(
                            i % 2 == 0
                                ? replica.createNamespace(name, "", "writer-" + thread).revision()
                                : replica
                                    .createInstance(
                                        name, "live", Map.of(), "hash-" + name, "writer-" + thread)
                                    .assignmentRevision());
                      }
                      return revisions;
                    }));
          }
          start.countDown();
          List<Long> all = new ArrayList<>();
          for (Future<List<Long>> future : futures) {
            all.addAll(future.get(90, TimeUnit.SECONDS));
          }

          int total = threads * writesPerThread;
          // SQLite numbers revisions without gaps: every write got exactly the next free one.
          assertThat(all)
              .containsExactlyInAnyOrderElementsOf(
                  LongStream.rangeClosed(base + 1, base + total).boxed().toList());
          assertThat(store.currentRevision()).isEqualTo(base + total);
          assertThat(other.currentRevision()).isEqualTo(base + total);
          StoreState state = other.loadState();
          int namespaces = threads * ((writesPerThread + 1) / 2);
          assertThat(state.namespaces()).hasSize(namespaces);
          assertThat(state.instances()).hasSize(total - namespaces);
          assertThat(store.loadState()).isEqualTo(state);
        } finally {
          pool.shutdownNow();
          assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
      }
    }

    @Test
    void aFailedWriteLeavesNoGapInTheRevisionSequence() {
      instance("acme-prod", "live");
      long before = store.currentRevision();

      problem(
          ProblemType.ALREADY_EXISTS,
          () -> store.createInstance("beta-co", "beta", Map.of(), "hash-acme-prod", "alice"));
      Namespace next = namespace("core");

      assertThat(next.revision()).isEqualTo(before + 1);
    }

    @Test
    void auditRowEditedInTheDatabase_isReportedAsTheFirstBrokenLink() throws SQLException {
      auditedHistory();

      executeSql(
          "UPDATE audit_log SET after = replace(after, '\"quantity\":25', '\"quantity\":2500') WHERE seq = 4");

      AuditVerification verification = store.verifyAuditLog();
      assertThat(verification.intact()).isFalse();
      assertThat(verification.firstBrokenSeq()).isEqualTo(4);
      assertThat(verification.problem()).contains("changed after it was written");
      assertThat(verification.checked()).isEqualTo(5);
    }

    @Test
    void auditRowDeletedFromTheDatabase_breaksTheChainAtTheGap() throws SQLException {
      auditedHistory();

      executeSql("DELETE FROM audit_log WHERE seq = 2");

      AuditVerification verification = store.verifyAuditLog();
      assertThat(verification.firstBrokenSeq()).isEqualTo(3);
      assertThat(verification.problem()).contains("missing");
    }

    @Test
    void auditRowRewrittenWithAFreshHash_breaksTheLinkOfTheRowAfterIt() throws SQLException {
      auditedHistory();

      // A forger who recomputes the edited row's own hash still breaks the next row's prevHash.
      executeSql(
          "UPDATE audit_log SET actor = 'mallory', hash = 'f' || substr(hash, 2) WHERE seq = 2");

      assertThat(store.verifyAuditLog().firstBrokenSeq()).isEqualTo(2);
      executeSql(
          "UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE seq = 2) WHERE seq = 3");
      assertThat(store.verifyAuditLog().firstBrokenSeq()).isEqualTo(2);
    }

    @Test
    void databaseConstraints_refuseNegativeCountsAndUnknownSeatModels_evenPastTheStore()
        throws SQLException {
      auditedHistory();

      assertThatThrownBy(() -> executeSql("UPDATE subscriptions SET quantity = -1"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> executeSql("UPDATE subscriptions SET overage = -1"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> executeSql("UPDATE subscriptions SET seat_model = 'concurrent'"))
          .isInstanceOf(SQLException.class);
    }

    /** Five audit rows: an instance, two applications, a subscription and a change of it. */
    private void auditedHistory() {
      instance("acme-prod", "live");
      store.createApplication("crm", "CRM", "alice");
      store.createApplication("billing", "Billing", "alice");
      var created = store.createSubscription(seats("acme-prod", "crm", JAN_2026, null), "alice");
      store.changeSubscription(
          created.id(),
          new io.holdfast.server.subscription.SubscriptionChange(
              30L, null, null, false, null, null, null),
          "bob");
      assertThat(store.verifyAuditLog().intact()).isTrue();
    }

    @Test
    void closedStore_failsWithStoreUnavailable() {
      JdbcConfigStore other = open(file);
      other.close();

      problem(ProblemType.STORE_UNAVAILABLE, other::currentRevision);
      assertThatThrownBy(() -> other.createNamespace("core", "", "alice"))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(store.findNamespace("core")).isEmpty();
    }

    @Test
    void unsupportedJdbcUrl_isRefusedBeforeAnythingIsCreated() {
      Path elsewhere = directory.resolve("never");

      assertThatThrownBy(() -> Database.open("jdbc:h2:" + elsewhere, Duration.ofSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("jdbc:sqlite:");
      assertThat(Files.exists(elsewhere)).isFalse();
    }
  }
}
