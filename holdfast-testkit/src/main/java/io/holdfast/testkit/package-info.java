/**
 * Test support for Holdfast and for applications that embed its client.
 *
 * <ul>
 *   <li>{@link io.holdfast.testkit.ManualTime}: a monotonic {@link io.holdfast.client.Ticker} and a
 *       wall {@link java.time.Clock} that a test drives explicitly, so grace periods and wall-clock
 *       jumps are tested without sleeping.
 *   <li>{@link io.holdfast.testkit.FaultyReplica}: an in-JVM HTTP/1.1 proxy on 127.0.0.1 in front
 *       of a real replica, which injects one {@link io.holdfast.testkit.Fault} per request (refused
 *       connections, blackhole, slow trickle, 5xx, truncated or corrupted bodies, stripped headers,
 *       stale replays, captive portals).
 *   <li>{@link io.holdfast.testkit.TestPki}: a throwaway certificate authority whose certificates
 *       are written as PEM files, for replicas that speak TLS.
 * </ul>
 *
 * <p>Every public type here is safe for use from several threads, but {@code TestPki}, which is
 * meant for a test's setup.
 */
package io.holdfast.testkit;
