package io.holdfast.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event streams a {@link FaultyReplica} is relaying, so that a rule added while one is open
 * applies to it: the stream is cut, and the client's reconnect meets the rule, as its next poll
 * would have. Without this, a stream opened before a fault would carry on past it untouched.
 *
 * <p><b>Thread safety.</b> Safe for use from any number of threads. A rule is added before {@link
 * #cutMatching} looks at the streams, and a stream is added before {@link #opened} looks at the
 * rules, so that neither misses the other when both happen at once.
 */
final class OpenStreams {

  private final FaultRules rules;
  private final Set<Exchange> streams = ConcurrentHashMap.newKeySet();

  OpenStreams(FaultRules rules) {
    this.rules = rules;
  }

  /**
   * Registers a stream; cuts it at once if a rule for it was added after its fault was chosen, or
   * if the port now refuses connections: a connection accepted just before is served, but a stream
   * on it would otherwise outlive the "down" replica indefinitely.
   */
  void opened(Exchange stream) {
    streams.add(stream);
    if (rules.refusesConnections() || rules.addedSince(stream.rulesSeen(), stream.target())) {
      stream.cut();
    }
  }

  void closed(Exchange stream) {
    streams.remove(stream);
  }

  /** Cuts the streams a rule just added for {@code pathContains} applies to. */
  void cutMatching(String pathContains) {
    for (Exchange stream : streams) {
      if (FaultRules.matches(pathContains, stream.target())) {
        stream.cut();
      }
    }
  }
}
