package io.holdfast.cli.soak;

import java.util.Arrays;
import java.util.List;

/** What the nemesis can do, with the name the history and the summary use for each. */
enum FaultKind {
  KILL("kill"),
  BLACKHOLE("blackhole"),
  REFUSE("refuse"),
  STATUS_5XX("5xx"),
  TRUNCATE("truncate"),
  FLIP_BYTE("flip"),
  TRICKLE("trickle"),
  POSTGRES_CUT("postgres-cut"),
  PUBLISH_BURST("publish-burst"),
  CLIENT_RESTART("client-restart"),
  CLIENT_COLD_START("client-cold-start"),
  CACHE_FULL("cache-full"),
  CACHE_READ_ONLY("cache-read-only"),
  CLOCK_STEP("clock-step");

  private final String label;

  FaultKind(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** Done and over at once: recorded as a start and an end together. */
  boolean instantaneous() {
    return this == PUBLISH_BURST || this == CLIENT_RESTART || this == CLIENT_COLD_START;
  }

  /** A fault of a replica's fault proxy. */
  boolean onProxy() {
    return switch (this) {
      case BLACKHOLE, REFUSE, STATUS_5XX, TRUNCATE, FLIP_BYTE, TRICKLE -> true;
      default -> false;
    };
  }

  /** The kinds a run on {@code store} uses. */
  static List<FaultKind> forStore(StoreKind store) {
    return Arrays.stream(values())
        .filter(kind -> kind != POSTGRES_CUT || store == StoreKind.POSTGRES)
        .toList();
  }
}
