package io.holdfast.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.internal.DiskCache;
import io.holdfast.client.internal.ManualTime;
import io.holdfast.client.internal.TestDocuments;
import io.holdfast.client.internal.TestKeySets;
import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.protocol.signature.SignatureHeader;
import io.holdfast.protocol.signature.VerificationKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the trusted-root scenarios share: manual time, a pinned root of one key, online keys, the
 * documents of {@code core}, and clients that pin only the root. Clients poll every 50 ms of real
 * time without a watch; grace and every expiry run on the manual clock and ticker, which only the
 * test moves.
 */
final class RootedClients {

  static final Duration WAIT = Duration.ofSeconds(10);

  final ManualTime time = new ManualTime();
  final KeyPair rootPair = TestDocuments.newKeyPair();
  final RootKeys root = TestKeySets.root(rootPair);

  /** A document of {@code core}. */
  static Envelope core(long revision, String content) {
    return new Envelope(
        TestDocuments.INSTANCE,
        "core",
        revision,
        TestDocuments.ISSUED_AT,
        TestDocuments.json(content));
  }

  /** A freshness statement issued a minute ago (on manual time), valid for an hour. */
  Checksums.Validity currentStatement() {
    return new Checksums.Validity(
        time.now().minus(Duration.ofMinutes(1)), time.now().plus(Duration.ofHours(1)));
  }

  /** A key set of this root, listing these online keys, signed by the root. */
  SignedKeySet keySet(long version, TestDocuments... online) {
    return TestKeySets.sign(
        TestKeySets.keySet(
            version,
            root,
            Arrays.stream(online).map(TestDocuments::key).toArray(VerificationKey[]::new)),
        rootPair);
  }

  /**
   * A replica signing with {@code online}: {@code core} revision 2, key set version 1 listing it.
   */
  KeySetReplica replica(TestDocuments online) {
    KeySetReplica replica =
        new KeySetReplica(online, core(2, "{\"seats\":25}"), currentStatement());
    replica.publish(keySet(1, online));
    return replica;
  }

  /** A client of the replica, started and FRESH. */
  HoldfastClient startedFresh(KeySetReplica replica, Path cache) {
    HoldfastClient client = client(replica.uri(), cache).build();
    client.start();
    assertThat(client.status("core").status()).isEqualTo(Status.FRESH);
    return client;
  }

  /** A client started with every replica down: it serves what its cache verifiably holds. */
  HoldfastClient startedOffline(Path cache) throws IOException {
    HoldfastClient client = client(closedReplica(), cache).build();
    client.start();
    return client;
  }

  /** A client whose start returns at once, whether or not anything could be verified. */
  HoldfastClient.Builder notWaiting(URI replica, Path cache) {
    return client(replica, cache).startupTimeout(Duration.ZERO).failWhenUnavailable(false);
  }

  /** A client pinning only the root. */
  HoldfastClient.Builder client(URI replica, Path cache) {
    return HoldfastClient.builder()
        .replicas(replica)
        .instance(TestDocuments.INSTANCE, "token-123")
        .trustedRoot(root)
        .namespaces("core")
        .cacheDirectory(cache)
        .watch(false)
        .pollInterval(Duration.ofMillis(50))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .startupTimeout(WAIT)
        .ticker(time.ticker())
        .clock(time.clock())
        .heartbeatInterval(Duration.ZERO);
  }

  /** A replica address nothing listens on. */
  static URI closedReplica() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  /** The id of the key that signed the copy of {@code core} in the cache directory. */
  static String cachedSigner(Path cache) {
    try (DiskCache disk = DiskCache.open(cache, TestDocuments.INSTANCE, System.getLogger("test"))) {
      return SignatureHeader.parse(disk.load("core").orElseThrow().signature()).keyId();
    }
  }

  /**
   * The value once it is wanted: the client's loop works on its own thread, so its result is
   * awaited (at most {@link #WAIT}), never slept for.
   */
  static <T> T eventually(Supplier<T> read, Predicate<T> wanted, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    T value = read.get();
    while (!wanted.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what + "; last seen " + value);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      value = read.get();
    }
    return value;
  }

  /** The freshness of {@code core} once it has this status. */
  static Freshness eventuallyStatus(HoldfastClient client, Status status) {
    return eventually(() -> client.status("core"), f -> f.status() == status, "core " + status);
  }

  /** The freshness of {@code core} once its reason mentions {@code fragment}. */
  static Freshness eventuallyReason(HoldfastClient client, String fragment) {
    return eventually(
        () -> client.status("core"),
        f -> f.reason().contains(fragment),
        "a reason with " + fragment);
  }
}
