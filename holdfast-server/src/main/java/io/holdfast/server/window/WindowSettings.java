package io.holdfast.server.window;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.model.Names;
import io.holdfast.server.problem.ProblemException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What operators change about change windows, for the admin API and the console alike: a ring's
 * window, an instance's zone and window, and blackouts. It reads what operators write into the
 * model (so that a bad value fails with {@link InvalidWindowException} before anything is written)
 * and leaves the writing, each write one audited transaction, to {@link JdbcWindowStore}.
 * Thread-safe.
 */
public final class WindowSettings {

  /**
   * What an edit does to one setting: leaves it as it is, or sets it; an empty value removes it.
   *
   * @param changes whether the edit touches the setting at all
   * @param value the new value; empty removes the setting
   */
  public record Edit<T>(boolean changes, Optional<T> value) {

    public Edit {
      Objects.requireNonNull(value, "value");
    }

    /** Leaves the setting as it is. */
    public static <T> Edit<T> keep() {
      return new Edit<>(false, Optional.empty());
    }

    /** Sets the setting to {@code value}, or removes it when empty. */
    public static <T> Edit<T> set(Optional<T> value) {
      return new Edit<>(true, value);
    }

    Optional<T> applyTo(Optional<T> current) {
      return changes ? value : current;
    }
  }

  private final JdbcWindowStore store;

  public WindowSettings(JdbcWindowStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * The window an operator wrote, or empty for none.
   *
   * @param text the window's text ({@link ChangeWindow#parse}), or {@code null} to remove it
   * @throws InvalidWindowException naming what is wrong
   */
  public static Optional<ChangeWindow> window(String text) {
    return text == null ? Optional.empty() : Optional.of(ChangeWindow.parse(text));
  }

  /**
   * The zone an operator wrote, or empty for none.
   *
   * @param id an IANA zone ({@link IanaZone#parse}), or {@code null} to remove it
   * @throws InvalidWindowException naming what is wrong
   */
  public static Optional<ZoneId> zone(String id) {
    return id == null ? Optional.empty() : Optional.of(IanaZone.parse(id));
  }

  /** Every window setting of the fleet, in one read: for listings. */
  public FleetTimings timings() {
    return store.timings();
  }

  /**
   * Ring {@code ring}'s window; empty when it has none.
   *
   * @throws ProblemException {@code RING_NOT_FOUND}
   */
  public Optional<ChangeWindow> ringWindow(String ring) {
    return store.ringWindow(ring);
  }

  /**
   * Instance {@code instance}'s own zone and window.
   *
   * @throws ProblemException {@code INSTANCE_NOT_FOUND}
   */
  public InstanceTiming instanceTiming(String instance) {
    return store.instanceTiming(instance);
  }

  /**
   * Sets or, with empty, removes ring {@code ring}'s window.
   *
   * @throws ProblemException {@code RING_NOT_FOUND}
   */
  public void setRingWindow(String ring, Optional<ChangeWindow> window, String actor) {
    store.setRingWindow(ring, window, actor);
  }

  /**
   * Applies {@code zone} and {@code window} to instance {@code instance}'s settings, keeping what
   * they leave (nothing is written if both keep), in one transaction with {@code alongside}: the
   * rest of the edit (its ring and labels), run first.
   *
   * @return the instance's settings afterwards
   * @throws ProblemException {@code INSTANCE_NOT_FOUND}
   */
  public InstanceTiming updateInstance(
      String instance,
      Edit<ZoneId> zone,
      Edit<ChangeWindow> window,
      String actor,
      JdbcWindowStore.Alongside alongside) {
    return store.updateInstance(instance, zone, window, actor, alongside);
  }

  /** Every blackout, oldest first. */
  public List<StoredBlackout> blackouts() {
    return store.blackouts();
  }

  /**
   * Adds a blackout.
   *
   * @param target the ring's or instance's name; {@code null} for a global blackout
   * @throws InvalidWindowException for a target missing, or given for a global blackout
   * @throws ProblemException {@code RING_NOT_FOUND}, {@code INSTANCE_NOT_FOUND}, or {@code
   *     INVALID_REQUEST} when the level already has {@link Blackout#MAX_PER_LEVEL}
   */
  public StoredBlackout addBlackout(
      BlackoutLevel level, String target, Blackout blackout, String actor) {
    String whom =
        switch (level) {
          case GLOBAL -> {
            if (target != null) {
              throw new InvalidWindowException(
                  "a global blackout applies to every instance and names no target; drop '"
                      + abbreviate(target)
                      + "', or use level ring or instance");
            }
            yield "";
          }
          case RING -> Names.require("ring name", requireTarget(level, target));
          case INSTANCE -> Names.require("instance id", requireTarget(level, target));
        };
    return store.addBlackout(level, whom, blackout, actor);
  }

  /**
   * Removes blackout {@code id}.
   *
   * @throws ProblemException {@code BLACKOUT_NOT_FOUND}
   */
  public void removeBlackout(long id, String actor) {
    if (!store.removeBlackout(id, actor)) {
      throw notFound(Long.toString(id));
    }
  }

  /**
   * The blackout id written in a path or on a command line.
   *
   * @throws ProblemException {@code BLACKOUT_NOT_FOUND} for anything but a positive whole number,
   *     which no blackout has
   */
  public static long blackoutId(String text) {
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new ProblemException(
        ProblemType.BLACKOUT_NOT_FOUND,
        "blackout ids are positive whole numbers; '" + abbreviate(text) + "' is not one");
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(
        ProblemType.BLACKOUT_NOT_FOUND, "blackout " + id + " does not exist");
  }

  /**
   * The level an operator wrote.
   *
   * @throws InvalidWindowException for a missing or unknown level
   */
  public static BlackoutLevel level(String text) {
    if (text != null) {
      for (BlackoutLevel level : BlackoutLevel.values()) {
        if (wireName(level).equals(text)) {
          return level;
        }
      }
    }
    throw new InvalidWindowException(
        (text == null
                ? "a blackout needs its level"
                : "unknown blackout level '" + abbreviate(text) + "'")
            + ": use global, ring or instance");
  }

  /** A level as the API and the CLI write it: {@code global}, {@code ring}, {@code instance}. */
  public static String wireName(BlackoutLevel level) {
    return level.name().toLowerCase(Locale.ROOT);
  }

  private static String requireTarget(BlackoutLevel level, String target) {
    if (target == null || target.isBlank()) {
      throw new InvalidWindowException(
          level == BlackoutLevel.RING
              ? "a ring blackout needs its target: the ring's name"
              : "an instance blackout needs its target: the instance's id");
    }
    return target;
  }

  /** Input quoted back in a message, cut short so that a long value cannot flood it. */
  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
