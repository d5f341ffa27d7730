package io.holdfast.server.window;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.AuditTable;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where change windows and blackout dates are kept (issue 22): a ring's window, an instance's zone
 * and window, and blackouts at each level. Every write is one transaction with its audit row. None
 * appends a revision: a window changes when instances may receive a change, not what any instance
 * is served now (the engine delivers, at a revision of its own, when a window opens). Values are
 * validated before they reach it ({@link ChangeWindow#parse}, {@link IanaZone#parse}, {@link
 * Blackout}); what it refuses is what needs the store: an unknown ring or instance, and a level
 * with {@link Blackout#MAX_PER_LEVEL} blackouts already. Thread-safe.
 */
public final class JdbcWindowStore {

  private final Transactions transactions;
  private final Clock clock;

  public JdbcWindowStore(Database database, Clock clock) {
    this.transactions = new Transactions(Objects.requireNonNull(database, "database"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Every window setting of the fleet, as the engine reads it. */
  public FleetTimings timings() {
    return transactions.readTransaction(FleetTimings::read);
  }

  /** Every blackout, oldest first. */
  public List<StoredBlackout> blackouts() {
    return transactions.readTransaction(BlackoutTable::all);
  }

  /**
   * A ring's window; empty when it has none (always open).
   *
   * @throws ProblemException {@code RING_NOT_FOUND}
   */
  public Optional<ChangeWindow> ringWindow(String ring) {
    return transactions.readTransaction(c -> WindowWrites.ringWindow(c, ring));
  }

  /**
   * An instance's own zone and window (its blackouts are in {@link #blackouts()}).
   *
   * @throws ProblemException {@code INSTANCE_NOT_FOUND}
   */
  public InstanceTiming instanceTiming(String instance) {
    return transactions.readTransaction(c -> WindowWrites.instanceTiming(c, instance));
  }

  /**
   * Sets (or, with empty, removes) ring {@code ring}'s window.
   *
   * @throws ProblemException {@code RING_NOT_FOUND}
   */
  public void setRingWindow(String ring, Optional<ChangeWindow> window, String actor) {
    transactions.write(
        c -> {
          WindowWrites.setRingWindow(c, ring, window, actor, now());
          return null;
        });
  }

  /**
   * Sets instance {@code instance}'s zone and window; empty removes each.
   *
   * @throws ProblemException {@code INSTANCE_NOT_FOUND}
   */
  public void setInstanceTiming(
      String instance, Optional<ZoneId> zone, Optional<ChangeWindow> window, String actor) {
    transactions.write(
        c ->
            WindowWrites.updateInstance(
                c,
                instance,
                WindowSettings.Edit.set(zone),
                WindowSettings.Edit.set(window),
                actor,
                now()));
  }

  /**
   * Applies {@code zone} and {@code window} to instance {@code instance}'s settings, keeping what
   * they leave, in one transaction with {@code alongside} (the rest of an admin edit of the
   * instance), run first; returns the settings afterwards.
   *
   * @throws ProblemException {@code INSTANCE_NOT_FOUND}
   */
  public InstanceTiming updateInstance(
      String instance,
      WindowSettings.Edit<ZoneId> zone,
      WindowSettings.Edit<ChangeWindow> window,
      String actor,
      Alongside alongside) {
    return transactions.write(
        c -> {
          Instant now = now();
          alongside.run(c, now);
          return WindowWrites.updateInstance(c, instance, zone, window, actor, now);
        });
  }

  /** Another write of the same admin edit, in the same transaction and at the same time. */
  @FunctionalInterface
  public interface Alongside {
    void run(Connection c, Instant now) throws SQLException;
  }

  /**
   * Adds a blackout at {@code level} for {@code target} (a ring's or an instance's name; empty for
   * a global one).
   *
   * @throws ProblemException {@code RING_NOT_FOUND}, {@code INSTANCE_NOT_FOUND}, or {@code
   *     INVALID_REQUEST} when the level already has {@link Blackout#MAX_PER_LEVEL}
   */
  public StoredBlackout addBlackout(
      BlackoutLevel level, String target, Blackout blackout, String actor) {
    String whom = level == BlackoutLevel.GLOBAL ? "" : target;
    return transactions.write(
        c -> {
          switch (level) {
            case RING -> WindowWrites.ringWindow(c, whom); // refuses an unknown ring
            case INSTANCE -> WindowWrites.instanceTiming(c, whom); // refuses an unknown instance
            case GLOBAL -> {}
          }
          if (BlackoutTable.count(c, level, whom) >= Blackout.MAX_PER_LEVEL) {
            throw new ProblemException(
                ProblemType.INVALID_REQUEST,
                describe(level, whom)
                    + " already has "
                    + Blackout.MAX_PER_LEVEL
                    + " blackouts; remove one first");
          }
          Instant now = now();
          long id = BlackoutTable.insert(c, level, whom, blackout, now);
          audit(
              c,
              actor,
              "blackout.add",
              "blackout:" + id,
              null,
              JsonNodeFactory.instance
                  .objectNode()
                  .put("level", level.name().toLowerCase(Locale.ROOT))
                  .put("target", whom)
                  .put("blackout", blackout.format()));
          return new StoredBlackout(id, level, whom, blackout, now);
        });
  }

  /** Removes a blackout; returns whether it existed. */
  public boolean removeBlackout(long id, String actor) {
    return transactions.write(
        c -> {
          Optional<StoredBlackout> existing =
              BlackoutTable.all(c).stream().filter(b -> b.id() == id).findFirst();
          if (existing.isEmpty()) {
            return false;
          }
          BlackoutTable.delete(c, id);
          audit(
              c,
              actor,
              "blackout.remove",
              "blackout:" + id,
              JsonNodeFactory.instance
                  .objectNode()
                  .put("level", existing.get().level().name().toLowerCase(Locale.ROOT))
                  .put("target", existing.get().target())
                  .put("blackout", existing.get().blackout().format()),
              null);
          return true;
        });
  }

  private static String describe(BlackoutLevel level, String target) {
    return switch (level) {
      case GLOBAL -> "the fleet";
      case RING -> "ring " + target;
      case INSTANCE -> "instance " + target;
    };
  }

  private void audit(
      Connection c, String actor, String action, String target, ObjectNode before, ObjectNode after)
      throws SQLException {
    AuditTable.append(c, now(), actor, action, target, before, after);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
