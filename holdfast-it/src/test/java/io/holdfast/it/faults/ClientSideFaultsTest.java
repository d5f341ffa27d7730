package io.holdfast.it.faults;

import static io.holdfast.it.faults.FaultFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.HoldfastUnavailableException;
import io.holdfast.client.Status;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.ManualTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * FAULTS.md section B, client-side faults: the disk cache, restarts, the grace boundary, listeners
 * and concurrent reads, with the Holdfast client against two real replicas behind fault proxies.
 * Invariants are checked through a {@link Probe} in every scenario.
 */
class ClientSideFaultsTest extends FaultScenarios {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SHORT_START = Duration.ofMillis(300);

  /** Runs a client until it is FRESH with the instance's document on disk, then closes it. */
  private static void fillCache(String id, ManualTime time, Path cache) throws IOException {
    try (HoldfastClient client = fx.builder(id, time).cacheDirectory(cache).build()) {
      client.start();
      assertThat(client.status(FaultFixture.NAMESPACE).status()).isEqualTo(Status.FRESH);
    }
    assertThat(files(cache, ".lkg")).as("cache written").hasSize(1);
  }

  private static List<Path> files(Path directory, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // B2, B3: the disk cache is untrusted input

  /** Ways a cache file goes bad. */
  enum Corruption {
    ZERO_LENGTH(true),
    TRUNCATED(true),
    INVALID_JSON(true),
    FLIPPED_BIT_IN_BODY(true),
    FORGED_BODY_WITH_MATCHING_DIGEST(true),
    LEFTOVER_TEMPORARY_FILE_ONLY(false);

    final boolean quarantined;

    Corruption(boolean quarantined) {
      this.quarantined = quarantined;
    }

    void apply(Path file) throws IOException {
      byte[] bytes = Files.readAllBytes(file);
      switch (this) {
        case ZERO_LENGTH -> Files.write(file, new byte[0]);
        case TRUNCATED -> Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        case INVALID_JSON ->
            Files.writeString(file, "{\"format\":\"holdfast-lkg-1\",", StandardCharsets.UTF_8);
        case FLIPPED_BIT_IN_BODY -> rewriteBody(file, false);
        case FORGED_BODY_WITH_MATCHING_DIGEST -> rewriteBody(file, true);
        case LEFTOVER_TEMPORARY_FILE_ONLY ->
            Files.move(
                file,
                file.resolveSibling(file.getFileName() + ".tmp"),
                StandardCopyOption.REPLACE_EXISTING);
        default -> throw new IllegalStateException(name());
      }
    }

    /**
     * Flips one bit of the stored document; optionally fixes up the digest so only the signature
     * catches it.
     */
    private static void rewriteBody(Path file, boolean fixDigest) throws IOException {
      ObjectNode stored = (ObjectNode) JSON.readTree(file.toFile());
      byte[] body = Base64.getDecoder().decode(stored.get("body").asText());
      body[body.length / 2] ^= 1;
      stored.put("body", Base64.getEncoder().encodeToString(body));
      if (fixDigest) {
        stored.put(
            "reprDigest", "sha-256=:" + Base64.getEncoder().encodeToString(sha256(body)) + ":");
      }
      JSON.writeValue(file.toFile(), stored);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Corruption.class)
  void B2_corruptCacheFileWithAllReplicasDown_neverApplied_quarantined_coldStartFails(
      Corruption corruption, @TempDir Path cache) throws IOException {
    String id = "b2-" + corruption.name().toLowerCase(Locale.ROOT).replace('_', '-');
    fx.instance(id, doc(1));
    ManualTime time = new ManualTime();
    fillCache(id, time, cache);
    Path file = files(cache, ".lkg").get(0);
    corruption.apply(file);

    fx.refuseBoth();
    HoldfastClient client =
        fx.build(
            fx.builder(id, time)
                .cacheDirectory(cache)
                .startupTimeout(SHORT_START)
                .failWhenUnavailable(true));
    Probe probe = Probe.on(client);
    assertThatThrownBy(client::start)
        .isInstanceOf(HoldfastUnavailableException.class)
        .hasMessageContaining(FaultFixture.NAMESPACE);
    assertThat(probe.changes()).as("nothing applied").isEmpty();
    assertThat(probe.read().status()).isEqualTo(Status.INITIALIZING);
    assertThat(probe.read().has("seats")).isFalse();
    assertThat(files(cache, ".lkg")).as("no cache file left in place").isEmpty();
    assertThat(files(cache, ".tmp")).as("leftover temporary files removed").isEmpty();
    if (corruption.quarantined) {
      assertThat(files(cache, ".corrupt")).as("moved aside").hasSize(1);
      assertThat(files(cache, ".corrupt").get(0).getFileName().toString())
          .isEqualTo(file.getFileName() + ".corrupt");
    }
    probe.assertHeld();
  }

  /** How the other instance's file is planted. */
  enum Planting {
    /** Copied as is: its wrapper still names the other instance. */
    COPIED,
    /**
     * Copied with the unsigned wrapper edited to name this instance: only the signed envelope
     * tells.
     */
    WRAPPER_REWRITTEN
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Planting.class)
  void B3_cacheFileOfAnotherInstance_notAdopted(Planting planting, @TempDir Path cacheDirs)
      throws IOException {
    String suffix = planting.name().toLowerCase(Locale.ROOT).replace('_', '-');
    String victim = "b3-victim-" + suffix;
    String other = "b3-other-" + suffix;
    fx.instance(victim, "{\"seats\":25,\"owner\":\"victim\"}");
    fx.instance(other, "{\"seats\":500,\"owner\":\"other\"}");
    ManualTime time = new ManualTime();
    Path victimCache = cacheDirs.resolve("victim");
    Path otherCache = cacheDirs.resolve("other");
    fillCache(victim, time, victimCache);
    fillCache(other, time, otherCache);
    Path victimFile = files(victimCache, ".lkg").get(0);
    Path otherFile = files(otherCache, ".lkg").get(0);
    assertThat(victimFile.getFileName()).isNotEqualTo(otherFile.getFileName());
    Files.copy(otherFile, victimFile, StandardCopyOption.REPLACE_EXISTING);
    if (planting == Planting.WRAPPER_REWRITTEN) {
      ObjectNode stored = (ObjectNode) JSON.readTree(victimFile.toFile());
      stored.put("instance", victim);
      JSON.writeValue(victimFile.toFile(), stored);
    }

    fx.refuseBoth();
    HoldfastClient client =
        fx.build(
            fx.builder(victim, time)
                .cacheDirectory(victimCache)
                .startupTimeout(SHORT_START)
                .failWhenUnavailable(false));
    Probe probe = Probe.on(client);
    client.start();
    ConfigSnapshot snapshot = probe.read();
    assertThat(snapshot.status()).isEqualTo(Status.INITIALIZING);
    assertThat(snapshot.revision()).isZero();
    assertThat(snapshot.getString("owner", "none")).isEqualTo("none");
    assertThat(snapshot.getInt("seats", -1)).isEqualTo(-1);
    assertThat(probe.changes()).as("nothing applied").isEmpty();
    assertThat(files(victimCache, ".corrupt")).as("moved aside").hasSize(1);

    fx.clearFaults();
    // Listeners run on their own thread: the change event may arrive just after the status moved.
    eventually().until(() -> probe.status() == Status.FRESH && !probe.changes().isEmpty());
    assertThat(probe.read().getString("owner", "none")).isEqualTo("victim");
    assertThat(probe.changes())
        .extracting(s -> s.getString("owner", "none"))
        .containsOnly("victim");
    probe.assertHeld();
  }

  // ---------------------------------------------------------------------------------------------
  // B5-B7: restarts, cold starts and the grace boundary

  @Test
  void B5_restartDuringAnOutage_servesDiskLkgAtOnce_graceContinuesNotReset(@TempDir Path cache)
      throws IOException {
    String id = "b5-restart";
    long r1 = fx.instance(id, doc(1));
    ManualTime time = new ManualTime();
    fillCache(id, time, cache);

    fx.refuseBoth();
    time.advance(Duration.ofHours(2));
    HoldfastClient client =
        fx.build(fx.builder(id, time).cacheDirectory(cache).startupTimeout(SHORT_START));
    Probe probe = Probe.on(client);
    client.start(); // must not throw: the disk copy is a last-known-good copy

    ConfigSnapshot snapshot = probe.read();
    assertThat(snapshot.status()).isEqualTo(Status.STALE);
    assertThat(snapshot.revision()).isEqualTo(r1);
    assertThat(snapshot.getInt("seats", -1)).isEqualTo(25);
    assertThat(snapshot.getInt("v", -1)).isEqualTo(1);
    Duration remaining = snapshot.freshness().graceRemaining();
    assertThat(remaining)
        .as("grace continues from the last verification, 2 h ago")
        .isBetween(Duration.ofHours(6).minusSeconds(1), Duration.ofHours(6));
    assertThat(snapshot.freshness().lastVerifiedAt()).isEqualTo(ManualTime.DEFAULT_START);

    eventually().until(() -> !probe.eventFreshness().isEmpty());
    Freshness loaded = probe.eventFreshness().get(0);
    assertThat(loaded.status()).isEqualTo(Status.STALE);
    assertThat(loaded.reason()).startsWith("loaded from the disk cache");
    assertThat(loaded.graceRemaining())
        .isBetween(Duration.ofHours(6).minusSeconds(1), Duration.ofHours(6));
    assertThat(probe.changedRevisions()).containsExactly(r1);

    // The remaining 6 h, not 8 h, is what is left: past it the document is EXPIRED.
    time.advance(Duration.ofHours(6));
    assertThat(probe.read().status()).isEqualTo(Status.EXPIRED);
    assertThat(probe.read().getInt("seats", -1)).isEqualTo(25);

    fx.clearFaults();
    eventually().until(() -> probe.status() == Status.FRESH);
    assertThat(probe.revision()).isEqualTo(r1);
    probe.assertHeld();
  }

  @Test
  void B6_coldStartWithoutCacheOrReplicas_failsNamingTheNamespace_orRunsOnDefaultsWhenAllowed(
      @TempDir Path cache) {
    String id = "b6-cold";
    fx.instance(id, doc(1));
    fx.refuseBoth();

    HoldfastClient failing =
        fx.build(
            fx.builder(id, new ManualTime())
                .cacheDirectory(cache.resolve("a"))
                .startupTimeout(SHORT_START));
    assertThatThrownBy(failing::start)
        .isInstanceOf(HoldfastUnavailableException.class)
        .hasMessageContaining("core")
        .hasMessageContaining("no last-known-good copy");

    HoldfastClient lenient =
        fx.build(
            fx.builder(id, new ManualTime())
                .cacheDirectory(cache.resolve("b"))
                .startupTimeout(SHORT_START)
                .failWhenUnavailable(false));
    Probe probe = Probe.on(lenient);
    lenient.start();
    ConfigSnapshot snapshot = probe.read();
    assertThat(snapshot.status()).isEqualTo(Status.INITIALIZING);
    assertThat(snapshot.revision()).isZero();
    assertThat(snapshot.getInt("seats", 7)).as("the caller's default").isEqualTo(7);
    assertThat(snapshot.freshness().reason()).contains("unreachable");

    fx.clearFaults();
    eventually().until(() -> probe.status() == Status.FRESH);
    assertThat(probe.read().getInt("seats", 7)).isEqualTo(25);
    probe.assertHeld();
  }

  @Test
  void B7_graceBoundaryWithAllReplicasDown_staleAt7h59m_expiredAt8h_once() {
    String id = "b7-grace";
    long r1 = fx.instance(id, doc(1));
    ManualTime time = new ManualTime();
    Probe probe = startFresh(fx.builder(id, time));

    fx.refuseBoth();
    eventually().until(() -> probe.status() == Status.STALE);
    time.advance(Duration.ofHours(7).plusMinutes(59));
    ConfigSnapshot almost = probe.read();
    assertThat(almost.status()).isEqualTo(Status.STALE);
    assertThat(almost.getInt("seats", -1)).isEqualTo(25);
    // A read re-evaluates only when a deadline passed (lock-free reads); the remaining grace is
    // brought up to date by the loop's next evaluation.
    eventually()
        .until(() -> probe.read().freshness().graceRemaining().equals(Duration.ofMinutes(1)));
    assertThat(probe.status()).isEqualTo(Status.STALE);

    time.advance(Duration.ofMinutes(1));
    ConfigSnapshot expired = probe.read();
    assertThat(expired.status()).isEqualTo(Status.EXPIRED);
    assertThat(expired.freshness().graceRemaining()).isZero();
    assertThat(expired.revision()).isEqualTo(r1);
    assertThat(expired.getInt("seats", -1)).as("SERVE_LAST_KNOWN_GOOD").isEqualTo(25);

    time.advance(Duration.ofMinutes(1));
    assertThat(probe.status()).isEqualTo(Status.EXPIRED);
    eventually().until(() -> probe.entered(Status.EXPIRED));
    assertThat(probe.count(Status.STALE, Status.EXPIRED))
        .as("the expiry applies exactly once")
        .isEqualTo(1);
    assertThat(probe.events())
        .extracting(Probe.Event::to)
        .containsExactly(Status.FRESH, Status.STALE, Status.EXPIRED);
    probe.assertHeld();
  }

  @Test
  void B7_expiryFirstSeenByARead_thenRecovery_isStillAnnouncedExactlyOnce() {
    String id = "b7-expiry-announced";
    long r1 = fx.instance(id, doc(1));
    ManualTime time = new ManualTime();
    Probe probe = startFresh(fx.builder(id, time).requestTimeout(Duration.ofSeconds(3)));

    fx.faultBoth("", Fault.status(503));
    eventually().until(() -> probe.status() == Status.STALE);
    // Hold the loop inside one request: no evaluation of its own until the request ends.
    fx.faultBoth("", Fault.blackhole());
    fx.resetCounts();
    eventually().until(() -> fx.requests() >= 1);
    time.advance(Duration.ofHours(8));
    assertThat(probe.status()).as("the read crosses the expiry deadline").isEqualTo(Status.EXPIRED);
    fx.clearFaults(); // the held request ends unanswered; the other replica then confirms

    eventually().until(() -> probe.status() == Status.FRESH);
    assertThat(probe.revision()).isEqualTo(r1);
    eventually()
        .untilAsserted(
            () ->
                assertThat(probe.events())
                    .extracting(Probe.Event::to)
                    .as("every status a read saw is announced, once")
                    .containsExactly(Status.FRESH, Status.STALE, Status.EXPIRED, Status.FRESH));
    probe.assertHeld();
  }

  /** Answers that come from a "recovered" replica but verify nothing (FAULTS B8). */
  enum Unverifiable {
    /** A captive portal's page instead of the document. */
    HTML_PAGE,
    /** A 200 that looks like an envelope but carries no signature. */
    UNSIGNED_ENVELOPE,
    /** The connection is accepted and closed without an answer. */
    BARE_CONNECTION;

    Fault fault() {
      return switch (this) {
        case HTML_PAGE -> Fault.html();
        case UNSIGNED_ENVELOPE -> {
          byte[] body =
              ("{\"instance\":\"b8-flapping\",\"namespace\":\"core\",\"revision\":999,"
                      + "\"content\":{\"seats\":1}}")
                  .getBytes(StandardCharsets.UTF_8);
          String head =
              "HTTP/1.1 200 OK\r\nContent-Type: "
                  + HoldfastHeaders.ENVELOPE_MEDIA_TYPE
                  + "\r\n"
                  + "Repr-Digest: sha-256=:"
                  + Base64.getEncoder().encodeToString(sha256(body))
                  + ":\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\nConnection: close\r\n\r\n";
          byte[] response =
              Arrays.copyOf(head.getBytes(StandardCharsets.US_ASCII), head.length() + body.length);
          System.arraycopy(body, 0, response, head.length(), body.length);
          yield Fault.rawResponse(response);
        }
        case BARE_CONNECTION -> Fault.rawResponse(new byte[0]);
      };
    }
  }

  @Test
  void B8_unverifiableAnswersBetweenFailures_neverResetGrace_onlyAVerifiedConfirmationDoes() {
    String id = "b8-flapping";
    long r1 = fx.instance(id, doc(1));
    ManualTime time = new ManualTime();
    Probe probe = startFresh(fx.builder(id, time));

    fx.refuseBoth();
    eventually().until(() -> probe.status() == Status.STALE);
    Duration remaining = Duration.ofHours(8);
    for (Unverifiable answer : Unverifiable.values()) {
      time.advance(Duration.ofHours(1));
      remaining = remaining.minusHours(1);
      // The replicas "come back" with this answer for a while, then fail again.
      fx.faultBoth("", answer.fault());
      fx.resetCounts();
      eventually().until(() -> fx.requests() >= 4);
      fx.refuseBoth();
      Duration expected = remaining;
      eventually().until(() -> probe.read().freshness().graceRemaining().equals(expected));
      assertThat(probe.status()).as("after %s", answer).isEqualTo(Status.STALE);
      assertThat(probe.read().freshness().lastVerifiedAt()).isEqualTo(ManualTime.DEFAULT_START);
      assertThat(probe.revision()).isEqualTo(r1);
    }
    assertThat(probe.read().getInt("seats", -1)).isEqualTo(25);

    // A verified confirmation (signed checksums listing the held tag) resets grace; the next
    // failure counts from there.
    fx.clearFaults();
    eventually().until(() -> probe.status() == Status.FRESH);
    fx.refuseBoth();
    eventually().until(() -> probe.status() == Status.STALE);
    time.advance(Duration.ofHours(1));
    eventually().until(() -> probe.read().freshness().graceRemaining().equals(Duration.ofHours(7)));
    assertThat(probe.events())
        .extracting(Probe.Event::to)
        .containsExactly(Status.FRESH, Status.STALE, Status.FRESH, Status.STALE);
    assertThat(probe.changedRevisions()).containsExactly(r1);
    probe.assertHeld();
  }

  @Test
  void B14_cacheDirectoryDeletedWhileRunning_clientCarriesOn_andRecreatesItOwnerOnly(
      @TempDir Path root) throws IOException {
    String id = "b14-deleted";
    fx.instance(id, doc(1));
    Path cache = root.resolve("cache");
    Probe probe = startFresh(fx.builder(id, new ManualTime()).cacheDirectory(cache));
    assertThat(files(cache, ".lkg")).hasSize(1);
    try (Stream<Path> files = Files.list(cache)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(cache);

    long r2 = fx.publish(id, doc(2));
    eventually().until(() -> probe.revision() == r2);
    assertThat(probe.status()).isEqualTo(Status.FRESH);
    eventually().until(() -> Files.isDirectory(cache) && files(cache, ".lkg").size() == 1);
    assertThat(Files.getPosixFilePermissions(cache))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    probe.assertHeld();
  }

  @Test
  void B14_cacheDirectoryUnusableAtStart_runsFromMemory_andWritesOnceItCan(@TempDir Path root)
      throws IOException {
    String id = "b14-unusable";
    fx.instance(id, doc(1));
    Path cache = root.resolve("cache");
    // Root ignores permission bits: a file where the directory should be makes it unusable.
    Files.writeString(cache, "not a directory");
    Probe probe = startFresh(fx.builder(id, new ManualTime()).cacheDirectory(cache));
    assertThat(probe.read().getInt("v", -1)).isEqualTo(1);

    Files.delete(cache);
    long r2 = fx.publish(id, doc(2));
    eventually().until(() -> probe.revision() == r2);
    eventually().until(() -> Files.isDirectory(cache) && files(cache, ".lkg").size() == 1);
    assertThat(probe.status()).isEqualTo(Status.FRESH);
    probe.assertHeld();
  }

  @Test
  void B15_twoClientsShareOneCacheDirectory_oneWrites_noTornFileEverRead_newestRevisionOnDisk(
      @TempDir Path cache) throws Exception {
    String id = "b15-shared";
    fx.instance(id, doc(1));
    Probe writer = startFresh(fx.builder(id, new ManualTime()).cacheDirectory(cache));
    Probe reader = startFresh(fx.builder(id, new ManualTime()).cacheDirectory(cache));
    Path file = files(cache, ".lkg").get(0);

    AtomicBoolean reading = new AtomicBoolean(true);
    Queue<String> torn = new ConcurrentLinkedQueue<>();
    AtomicLong reads = new AtomicLong();
    Thread third =
        new Thread(
            () -> {
              // A third party reading the file the whole time, as another process starting up
              // would.
              while (reading.get()) {
                try {
                  JsonNode stored = JSON.readTree(Files.readAllBytes(file));
                  Base64.getDecoder().decode(stored.get("body").asText());
                  reads.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                  torn.add(e.toString());
                }
              }
            },
            "b15-reader");
    third.start();
    long last = 0;
    try {
      for (int v = 2; v <= 8; v++) {
        long revision = fx.publish(id, doc(v));
        eventually().until(() -> writer.revision() == revision && reader.revision() == revision);
        last = revision;
      }
    } finally {
      reading.set(false);
      third.join();
    }

    assertThat(torn).as("torn or unreadable cache files seen").isEmpty();
    assertThat(reads.get()).isPositive();
    assertThat(files(cache, ".tmp")).isEmpty();
    JsonNode stored = JSON.readTree(Files.readAllBytes(file));
    JsonNode envelope = JSON.readTree(Base64.getDecoder().decode(stored.get("body").asText()));
    assertThat(envelope.get("revision").asLong()).isEqualTo(last);
    writer.assertHeld();
    reader.assertHeld();
  }

  // ---------------------------------------------------------------------------------------------
  // B12, B13: listeners and concurrent reads

  @Test
  void B12_changeListenerThatThrows_doesNotStopOtherListenersOrUpdates() {
    String id = "b12-listener";
    long r1 = fx.instance(id, doc(1));
    HoldfastClient client = fx.build(fx.builder(id, new ManualTime()));
    AtomicInteger thrown = new AtomicInteger();
    client.addChangeListener(
        (previous, current) -> {
          thrown.incrementAndGet();
          throw new IllegalStateException("a listener bug (expected by the test)");
        });
    Probe probe = Probe.on(client);
    client.start();

    List<Long> published = new ArrayList<>(List.of(r1));
    for (int v = 2; v <= 4; v++) {
      long revision = fx.publish(id, doc(v));
      published.add(revision);
      eventually().until(() -> probe.revision() == revision);
    }
    eventually().until(() -> probe.changedRevisions().size() >= published.size());
    assertThat(probe.changedRevisions())
        .as("the second listener saw every change")
        .isEqualTo(published);
    assertThat(thrown.get())
        .as("the throwing listener was called each time")
        .isEqualTo(published.size());
    assertThat(probe.status()).isEqualTo(Status.FRESH);
    assertThat(probe.read().getInt("v", -1)).isEqualTo(4);
    probe.assertHeld();
  }

  @Test
  void B13_readsRacingTwentyUpdates_alwaysSeeWholeSnapshots_revisionsNeverDecrease()
      throws InterruptedException {
    String id = "b13-race";
    fx.instance(id, "{\"a\":0,\"b\":0}");
    Probe probe = startFresh(fx.builder(id, new ManualTime()));
    HoldfastClient client = probe.client();

    AtomicBoolean reading = new AtomicBoolean(true);
    Queue<String> torn = new ConcurrentLinkedQueue<>();
    AtomicLong reads = new AtomicLong();
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread reader =
          new Thread(
              () -> {
                long lastRevision = 0;
                int lastA = 0;
                // Bounded: until the publishes are over, and at most five million reads.
                for (int i = 0; i < 5_000_000 && reading.get(); i++) {
                  try {
                    ConfigSnapshot snapshot = client.snapshot(FaultFixture.NAMESPACE);
                    int a = snapshot.getInt("a", -1);
                    int b = snapshot.getInt("b", -2);
                    if (a != b) {
                      torn.add("a=" + a + " b=" + b + " at revision " + snapshot.revision());
                    }
                    if (snapshot.revision() < lastRevision || a < lastA) {
                      torn.add(
                          "went back from revision "
                              + lastRevision
                              + " (a="
                              + lastA
                              + ") to "
                              + snapshot.revision()
                              + " (a="
                              + a
                              + ")");
                    }
                    lastRevision = snapshot.revision();
                    lastA = a;
                    reads.incrementAndGet();
                  } catch (RuntimeException e) {
                    torn.add("read threw " + e);
                  }
                  Thread.yield();
                }
              },
              "b13-reader-" + t);
      reader.start();
      readers.add(reader);
    }
    long last = 0;
    try {
      for (int n = 1; n <= 20; n++) {
        last = fx.publish(id, "{\"a\":" + n + ",\"b\":" + n + "}");
      }
      long finalRevision = last;
      eventually().until(() -> probe.revision() == finalRevision);
    } finally {
      reading.set(false);
      for (Thread reader : readers) {
        reader.join(5_000);
      }
    }
    assertThat(readers).noneMatch(Thread::isAlive);
    assertThat(torn).as("torn, regressing or failing reads").isEmpty();
    assertThat(reads.get()).isPositive();
    ConfigSnapshot end = probe.read();
    assertThat(end.getInt("a", -1)).isEqualTo(20);
    assertThat(end.getInt("b", -2)).isEqualTo(20);
    assertThat(probe.changes())
        .allSatisfy(s -> assertThat(s.getInt("a", -1)).isEqualTo(s.getInt("b", -2)));
    probe.assertHeld();
    JsonNode content = end.content();
    assertThat(content.size()).isEqualTo(2);
  }
}
