package io.holdfast.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.FailingStore;
import io.holdfast.server.model.Scope;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import io.holdfast.server.store.StoreUnavailableException;
import io.holdfast.testkit.ManualTime;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checksums' freshness statement and key set version (issue 19): re-issued when the period
 * rolls over or a newer key set is published, without re-rendering a document; identical on two
 * replicas of the same state; and never vouched for while the store is unreachable. Time is a
 * {@link ManualTime} that the tests move; nothing sleeps.
 */
class ChecksumsReissueTest {

  private static final StrictJson STRICT = new StrictJson(1 << 20, 64);

  /** 10:00 UTC: the 12-hour period (of a 24-hour validity) started at 00:00. */
  private final ManualTime time = new ManualTime(Instant.parse("2026-02-02T10:00:00Z"));

  private final AtomicLong keySetVersion = new AtomicLong();
  private final AtomicLong stateLoads = new AtomicLong();

  @TempDir Path directory;

  private KeyPair keyPair;
  private FailingStore store;
  private SnapshotHolder holder;

  @BeforeEach
  void open() throws Exception {
    store =
        new FailingStore(
            countingStateLoads(
                new JdbcConfigStore(
                    Database.open(
                        "jdbc:sqlite:" + directory.resolve("holdfast.db"), Duration.ofSeconds(5)),
                    time.clock())));
    keyPair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    holder = holder();
    store.createNamespace("core", "", "alice");
    store.createInstance("acme-prod", "live", Map.of(), "hash-acme", "alice");
    store.createInstance("beta-co", "beta", Map.of(), "hash-beta", "alice");
    store.putDraft("core", Scope.DEFAULT, new ObjectMapper().readTree("{\"a\":1}"), "alice");
    store.publish("core", Set.of(), "change", "bob");
  }

  @AfterEach
  void close() {
    holder.close();
    store.close();
  }

  /** The store, counting its {@link ConfigStore#loadState} calls in {@link #stateLoads}. */
  private ConfigStore countingStateLoads(ConfigStore store) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("loadState")) {
            stateLoads.incrementAndGet();
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (ConfigStore)
        Proxy.newProxyInstance(
            ConfigStore.class.getClassLoader(), new Class<?>[] {ConfigStore.class}, handler);
  }

  /** A replica's holder on the shared store: same key, same clock, same key set source. */
  private SnapshotHolder holder() {
    return new SnapshotHolder(
        store,
        new SnapshotBuilder(
            () -> new DocumentSigner(keyPair),
            time.clock(),
            new FreshnessStatement(Duration.ofHours(24)),
            keySetVersion::get),
        time.clock());
  }

  private static Checksums checksums(EffectiveSnapshot snapshot, String instance) throws Exception {
    return Checksums.parse(snapshot.instance(instance).checksums().body(), STRICT);
  }

  @Test
  void checksums_carryTheAlignedStatement_andTheKeySetVersion() throws Exception {
    keySetVersion.set(3);

    Checksums checksums = checksums(holder.refresh(), "acme-prod");

    assertThat(checksums.validity())
        .hasValue(
            new Checksums.Validity(
                Instant.parse("2026-02-02T00:00:00Z"), Instant.parse("2026-02-03T00:00:00Z")));
    assertThat(checksums.keySetVersion()).isEqualTo(3);
  }

  @Test
  void twoReplicasOfTheSameState_atDifferentInstantsOfOnePeriod_serveByteIdenticalChecksums() {
    EffectiveSnapshot one = holder.refresh();
    time.advance(Duration.ofMinutes(119).plusSeconds(59)); // 11:59:59, the same period
    try (SnapshotHolder other = holder()) {
      EffectiveSnapshot two = other.refresh();

      for (String instance : new String[] {"acme-prod", "beta-co"}) {
        ServedDocument a = one.instance(instance).checksums();
        ServedDocument b = two.instance(instance).checksums();
        assertThat(b.body()).isEqualTo(a.body());
        assertThat(b.etag()).isEqualTo(a.etag());
      }
    }
  }

  @Test
  void withinAPeriod_aPollKeepsTheSnapshot() {
    EffectiveSnapshot first = holder.refresh();
    time.advance(Duration.ofMinutes(119));

    assertThat(holder.refresh()).isSameAs(first);
  }

  @Test
  void aPeriodRollover_reissuesEveryChecksums_overTheSameDocuments_withoutReadingTheStoreState()
      throws Exception {
    EffectiveSnapshot before = holder.refresh();
    long loads = stateLoads.get();
    time.advance(Duration.ofHours(2)); // 12:00

    EffectiveSnapshot after = holder.refresh();

    assertThat(after).isNotSameAs(before);
    assertThat(after.revision()).isEqualTo(before.revision());
    assertThat(stateLoads.get()).as("store state loads").isEqualTo(loads);
    assertThat(checksums(after, "acme-prod").validity().orElseThrow().issuedAt())
        .isEqualTo(Instant.parse("2026-02-02T12:00:00Z"));
    for (String instance : new String[] {"acme-prod", "beta-co"}) {
      InstanceView old = before.instance(instance);
      InstanceView now = after.instance(instance);
      assertThat(now.checksums().etag()).isNotEqualTo(old.checksums().etag());
      assertThat(now.checksums().signature()).isNotEmpty();
      assertThat(checksums(after, instance).namespaces())
          .isEqualTo(checksums(before, instance).namespaces());
      for (String namespace : old.documents().keySet()) {
        assertThat(now.document(namespace)).as(namespace).isSameAs(old.document(namespace));
      }
    }
  }

  @Test
  void aPeriodRollover_wakesEveryInstancesWatchers() {
    EffectiveSnapshot seen = holder.refresh();
    CompletableFuture<EffectiveSnapshot> acme = holder.nextChangeFor("acme-prod", seen);
    CompletableFuture<EffectiveSnapshot> beta = holder.nextChangeFor("beta-co", seen);
    holder.refresh();
    assertThat(acme).as("no change within the period").isNotDone();

    time.advance(Duration.ofHours(2));
    EffectiveSnapshot reissued = holder.refresh();

    assertThat(acme).isCompletedWithValue(reissued);
    assertThat(beta).isCompletedWithValue(reissued);
  }

  @Test
  void aNewerKeySet_reissuesEveryChecksums_namingIt_andWakesTheWatchers() throws Exception {
    EffectiveSnapshot seen = holder.refresh();
    CompletableFuture<EffectiveSnapshot> watch = holder.nextChangeFor("beta-co", seen);

    keySetVersion.set(7);
    EffectiveSnapshot after = holder.refresh();

    assertThat(watch).isCompletedWithValue(after);
    assertThat(checksums(after, "acme-prod").keySetVersion()).isEqualTo(7);
    assertThat(checksums(after, "beta-co").keySetVersion()).isEqualTo(7);
    assertThat(after.instance("acme-prod").document("core"))
        .isSameAs(seen.instance("acme-prod").document("core"));
  }

  @Test
  void aBuildAfterAWrite_inANewPeriod_reissuesTheChecksumsOfUnchangedInstancesToo()
      throws Exception {
    EffectiveSnapshot before = holder.refresh();
    time.advance(Duration.ofHours(2));
    store.createInstance("gamma", "live", Map.of(), "hash-gamma", "alice");

    EffectiveSnapshot after = holder.refresh();

    assertThat(after.revision()).isGreaterThan(before.revision());
    assertThat(checksums(after, "beta-co").validity().orElseThrow().issuedAt())
        .isEqualTo(Instant.parse("2026-02-02T12:00:00Z"));
    assertThat(after.instance("beta-co").document("core"))
        .as("the document itself is reused")
        .isSameAs(before.instance("beta-co").document("core"));
  }

  @Test
  void aBuildAfterAWrite_inTheSamePeriod_reusesTheChecksumsOfUnchangedInstances() {
    EffectiveSnapshot before = holder.refresh();
    store.createInstance("gamma", "live", Map.of(), "hash-gamma", "alice");

    EffectiveSnapshot after = holder.refresh();

    assertThat(after.instance("beta-co").checksums())
        .isSameAs(before.instance("beta-co").checksums());
  }

  @Test
  void whileTheStoreIsDown_theStatementIsNotReissued_andRunsOut() throws Exception {
    EffectiveSnapshot served = holder.refresh();
    store.down.set(true);
    time.advance(Duration.ofHours(2));

    assertThatThrownBy(holder::refresh).isInstanceOf(StoreUnavailableException.class);

    assertThat(holder.current()).isSameAs(served);
    store.down.set(false);
    assertThat(checksums(holder.refresh(), "acme-prod").validity().orElseThrow().issuedAt())
        .as("re-issued once the store answers again")
        .isEqualTo(Instant.parse("2026-02-02T12:00:00Z"));
  }
}
