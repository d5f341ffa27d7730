package io.holdfast.client;

import static io.holdfast.client.RootedClients.core;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.internal.TestDocuments;
import io.holdfast.client.internal.TestKeySets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that pins only the offline root, against an in-process replica serving key sets: it
 * starts FRESH on the key set the root vouches for, keeps the chain in its cache, and on a restart
 * without replicas verifies the cached chain and documents again before serving them.
 */
class TrustedRootTest {

  private final RootedClients rooted = new RootedClients();
  private final TestDocuments online = new TestDocuments();

  @TempDir Path cache;

  private List<String> cacheFiles() throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  /** Runs a client against the replica until FRESH, leaving the key set and document cached. */
  private void firstRun() {
    try (KeySetReplica replica = rooted.replica(online);
        HoldfastClient client = rooted.startedFresh(replica, cache)) {
      assertThat(client.snapshot("core").revision()).isEqualTo(2);
    }
  }

  @Test
  void aClientWithOnlyTheRoot_startsFresh_andCachesTheKeySet() throws IOException {
    try (KeySetReplica replica = rooted.replica(online);
        HoldfastClient client = rooted.startedFresh(replica, cache)) {
      assertThat(client.snapshot("core").getInt("seats", -1)).isEqualTo(25);
      assertThat(replica.keySetRequests()).isPositive();
    }
    assertThat(cacheFiles()).anyMatch(name -> name.endsWith(".keyset"));
    assertThat(RootedClients.cachedSigner(cache)).isEqualTo(online.key().keyId());
  }

  @Test
  void aReplicaWithoutKeySets_neverMakesTheClientFresh() throws IOException {
    try (KeySetReplica replica =
            new KeySetReplica(online, core(2, "{\"seats\":25}"), rooted.currentStatement());
        HoldfastClient client = rooted.notWaiting(replica.uri(), cache).build()) {
      client.start();

      Freshness core = RootedClients.eventuallyReason(client, "serves no key set");
      assertThat(core.status()).isEqualTo(Status.INITIALIZING);
      assertThat(client.snapshot("core").getInt("seats", -1)).isEqualTo(-1);
    }
  }

  @Test
  void restartWithTheReplicaDown_startsFromTheCache() throws IOException {
    firstRun();

    try (HoldfastClient client = rooted.startedOffline(cache)) {

      ConfigSnapshot core = client.snapshot("core");
      assertThat(core.status()).isEqualTo(Status.STALE);
      assertThat(core.revision()).isEqualTo(2);
      assertThat(core.getInt("seats", -1)).isEqualTo(25);
    }
    assertThat(cacheFiles()).noneMatch(name -> name.endsWith(".corrupt"));
  }

  @Test
  void restartLongAfterTheCachedKeySetExpired_stillServesTheVerifiedCopy() throws IOException {
    firstRun();
    // Offline for longer than the key set's life: it was valid when the copy was verified.
    rooted.time.advance(Duration.between(rooted.time.now(), TestKeySets.EXPIRES).plusDays(1));

    try (HoldfastClient client = rooted.startedOffline(cache)) {
      ConfigSnapshot core = client.snapshot("core");
      assertThat(core.status()).isEqualTo(Status.EXPIRED);
      assertThat(core.getInt("seats", -1)).isEqualTo(25);
    }
    assertThat(cacheFiles()).noneMatch(name -> name.endsWith(".corrupt"));
  }

  @Test
  void aTamperedCachedKeySet_isQuarantined_andNoDocumentIsServedWithoutIt() throws IOException {
    firstRun();
    Path keySet =
        cache.resolve(
            cacheFiles().stream().filter(name -> name.endsWith(".keyset")).findFirst().get());
    String chain = Files.readString(keySet, StandardCharsets.UTF_8);
    assertThat(chain).contains("\"version\":1");
    // Still a well-formed chain: only the root's signature can tell that it was changed.
    Files.writeString(keySet, chain.replace("\"version\":1", "\"version\":9"));

    try (HoldfastClient client = rooted.notWaiting(RootedClients.closedReplica(), cache).build()) {
      client.start();

      assertThat(client.status("core").status()).isEqualTo(Status.INITIALIZING);
      assertThat(client.snapshot("core").getInt("seats", -1)).isEqualTo(-1);
    }
    assertThat(cacheFiles()).anyMatch(name -> name.endsWith(".keyset.corrupt"));
    assertThat(cacheFiles()).noneMatch(name -> name.endsWith(".keyset"));
  }
}
