package io.holdfast.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.server.model.Scope;
import io.holdfast.server.rollout.ChangeEdit;
import io.holdfast.server.rollout.ChangeRequest;
import io.holdfast.server.rollout.ChangeState;
import io.holdfast.server.rollout.JdbcRolloutStore;
import io.holdfast.server.rollout.ReleaseMode;
import io.holdfast.server.subscription.NewSubscription;
import io.holdfast.server.subscription.SeatModel;
import io.holdfast.server.subscription.SubscriptionEdit;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing change requests costs the same number of statements whether it lists 10 or 1,000 (the
 * engine lists up to 1,000 every tick, the publish schema check and the namespace pages do too),
 * and the changes it assembles are the ones {@code findChange} reads one by one. Statements are
 * counted by a proxy around the store's connections. On a real SQLite file here, and on the real
 * PostgreSQL through {@code PostgresChangeListingQueriesTest}.
 */
class ChangeListingQueriesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static final int CHANGES = 1_000;

  @TempDir Path directory;

  private final AtomicInteger statements = new AtomicInteger();
  private JdbcConfigStore store;
  private JdbcRolloutStore rollouts;

  /** A new, empty database: here a SQLite file; the PostgreSQL subclass overrides it. */
  Database openDatabase() {
    return Database.open("jdbc:sqlite:" + directory.resolve("holdfast.db"), Duration.ofSeconds(5));
  }

  @BeforeEach
  void open() throws Exception {
    Database counted = openDatabase().viewedThrough(this::counting);
    Clock clock = Clock.fixed(START, ZoneOffset.UTC);
    store = new JdbcConfigStore(counted, clock);
    rollouts = new JdbcRolloutStore(counted, clock);
    store.createNamespace("core", "core settings", "alice");
    store.createInstance("in-test", "test", Map.of(), "hash-test", "alice");
    store.createApplication("crm", "CRM", "alice");
    store.putDraft("core", Scope.DEFAULT, JSON.readTree("{\"maxUsers\":10}"), "alice");
    store.publish("core", Set.of(), "first", "alice");
    // One change with every kind of child row: an edit, a subscription edit, an approval and a
    // ring release. The rest are drafts with one edit each, one approval on every other one.
    ChangeRequest rolling =
        rollouts.createChange(
            "rolling",
            List.of(edit(0)),
            List.of(
                SubscriptionEdit.creating(
                    new NewSubscription(
                        "in-test", "crm", 5, 0, SeatModel.NAMED, START, null, "std", ""))),
            0,
            "alice");
    rollouts.releaseNext(rolling.id(), rolling.version(), ReleaseMode.MANUAL, "alice", null);
    for (int i = 1; i < CHANGES; i++) {
      ChangeRequest draft =
          rollouts.createChange("draft " + i, List.of(edit(i)), List.of(), 2, "alice");
      if (i % 2 == 0) {
        rollouts.approve(draft.id(), "bob", "fine " + i);
      }
    }
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void listingAThousandChanges_runsAsManyStatementsAsListingTen() {
    int ten = statementsOf(() -> assertThat(rollouts.listChanges(List.of(), 10)).hasSize(10));
    int thousand =
        statementsOf(() -> assertThat(rollouts.listChanges(List.of(), CHANGES)).hasSize(CHANGES));
    int drafts =
        statementsOf(
            () ->
                assertThat(rollouts.listChanges(List.of(ChangeState.DRAFT), CHANGES))
                    .hasSize(CHANGES - 1));

    assertThat(thousand).as("statements to list 1,000 changes").isEqualTo(ten);
    assertThat(drafts).as("statements to list 999 drafts").isEqualTo(ten);
    // The changes, the edits, the subscription edits, the approvals and the releases.
    assertThat(thousand).isLessThanOrEqualTo(5);
    // With nothing to list (the engine's usual tick finds no approved change) only the first.
    assertThat(
            statementsOf(
                () ->
                    assertThat(rollouts.listChanges(List.of(ChangeState.CANCELLED), CHANGES))
                        .isEmpty()))
        .isEqualTo(1);
  }

  @Test
  void listedChanges_areTheChangesFindChangeReads_withEveryChildRow() {
    List<ChangeRequest> listed = rollouts.listChanges(List.of(), CHANGES);
    List<ChangeRequest> found = new ArrayList<>();
    for (ChangeRequest change : listed) {
      found.add(rollouts.findChange(change.id()).orElseThrow());
    }
    assertThat(listed).isEqualTo(found);
    assertThat(listed)
        .extracting(ChangeRequest::id)
        .isSortedAccordingTo((a, b) -> Long.compare(b, a));
    ChangeRequest rolling = listed.get(listed.size() - 1);
    assertThat(rolling.state()).isEqualTo(ChangeState.ROLLING_OUT);
    assertThat(rolling.edits()).hasSize(1);
    assertThat(rolling.subscriptionEdits()).hasSize(1);
    assertThat(rolling.releases()).hasSize(1);
    assertThat(listed).filteredOn(c -> c.approvals().size() == 1).hasSize((CHANGES - 1) / 2);
  }

  private int statementsOf(Runnable work) {
    int before = statements.get();
    work.run();
    return statements.get() - before;
  }

  private static ChangeEdit edit(int i) throws Exception {
    return new ChangeEdit(
        "core", Scope.DEFAULT, JSON.readTree("{\"maxUsers\":" + (20 + i) + "}"), null);
  }

  /** The data source with every statement its connections prepare or create counted. */
  private DataSource counting(DataSource real) {
    InvocationHandler connections =
        (proxy, method, args) -> {
          Object result = invoke(real, method, args);
          return method.getName().equals("getConnection")
              ? countingConnection((Connection) result)
              : result;
        };
    return (DataSource)
        Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {DataSource.class}, connections);
  }

  private Connection countingConnection(Connection real) {
    InvocationHandler statementsOn =
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("prepareStatement")
              || name.equals("createStatement")
              || name.equals("prepareCall")) {
            statements.incrementAndGet();
          }
          return invoke(real, method, args);
        };
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {Connection.class}, statementsOn);
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
