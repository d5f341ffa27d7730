package io.holdfast.cli.soak;

import io.holdfast.testkit.Fault;
import java.time.Duration;

/** The testkit fault each proxy fault kind installs. */
final class ProxyFaults {

  private ProxyFaults() {}

  static Fault of(FaultKind kind) {
    return switch (kind) {
      case BLACKHOLE -> Fault.blackhole();
      case REFUSE -> Fault.refuseConnections();
      case STATUS_5XX -> Fault.status(503, "1");
      case TRUNCATE -> Fault.truncate(40);
      case FLIP_BYTE -> Fault.flipByte();
      case TRICKLE -> Fault.trickle(Duration.ofMillis(20));
      default -> throw new IllegalArgumentException("not a proxy fault: " + kind);
    };
  }
}
