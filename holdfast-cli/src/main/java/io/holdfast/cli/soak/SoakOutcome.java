package io.holdfast.cli.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What a soak measured besides its history: the figures of the summary.
 *
 * @param history the history file
 * @param seconds how long the load ran, nemesis and convergence included
 * @param operations operations done, by kind
 * @param faults faults injected (and skipped), by kind
 * @param rssAtStartKib each replica's resident memory once started
 * @param rssAtEndKib each replica's resident memory at the end
 * @param cacheFaults how cache faults were made
 * @param convergence how long after the final heal every node was FRESH and every replica served
 *     the same revisions; {@code null} if that never happened within the bound
 */
record SoakOutcome(
    Path history,
    double seconds,
    Map<String, Long> operations,
    Map<String, Long> faults,
    Map<String, Long> rssAtStartKib,
    Map<String, Long> rssAtEndKib,
    CacheDirectory.Mode cacheFaults,
    Duration convergence) {}
