package io.holdfast.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Keeps the demo's terminal readable while its fleet runs: two dozen clients heartbeating every
 * second would print an access-log line, and their status changes, several times a second, and push
 * the tour off the screen. The replicas' access log goes to WARN and the SDK's own log to ERROR,
 * unless {@code HOLDFAST_ACCESS_LOG} or {@code HOLDFAST_LOG_LEVEL} says otherwise: someone who set
 * either asked for what they see.
 */
final class DemoLogging {

  private DemoLogging() {}

  /**
   * Quiets the fleet's chatter in {@code environment}'s absence of an explicit level.
   *
   * @return whether it did
   */
  static boolean quietFleet(Map<String, String> environment) {
    if (environment.containsKey("HOLDFAST_ACCESS_LOG")
        || environment.containsKey("HOLDFAST_LOG_LEVEL")
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return false;
    }
    context.getLogger("holdfast.access").setLevel(Level.WARN);
    // Each member would warn of every fault on its own: the console and `fleet list` say it once.
    context.getLogger("io.holdfast.client").setLevel(Level.ERROR);
    return true;
  }
}
