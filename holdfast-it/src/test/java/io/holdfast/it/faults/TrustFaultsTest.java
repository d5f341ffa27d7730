package io.holdfast.it.faults;

import static io.holdfast.it.faults.FaultFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.it.ReplicaPair;
import io.holdfast.it.trust.ClientCache;
import io.holdfast.it.trust.Forgery;
import io.holdfast.it.trust.SigningKeys;
import io.holdfast.it.trust.TrustedPair;
import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.HoldfastServer;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import io.holdfast.testkit.ManualTime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS D4, D9, D11, D12 and D13 end to end: replicas that serve key sets and sign freshness
 * statements, clients that pin the root, and fault proxies that replay, freeze, mix and forge. Each
 * test starts its own pair (several rotate keys or drive the replicas' clock).
 */
class TrustFaultsTest {

  private static final String NS = TrustedPair.NAMESPACE;

  @TempDir Path dir;

  private final KeyPair key = SigningKeys.generate();
  private final List<HoldfastClient> clients = new ArrayList<>();
  private TrustedPair replicas;

  @AfterEach
  void stop() {
    clients.forEach(HoldfastClient::close);
    if (replicas != null) {
      replicas.close();
    }
  }

  @Test
  void D4_documentAndChecksumsOfAnotherInstance_replayedOnThisOnesPath_areRefused()
      throws Exception {
    Instant now = start();
    Tenant victim = tenant("d4-victim");
    long v1 = victim.first();
    Tenant other = tenant("d4-other");
    publish(other.id(), "{\"seats\":999,\"v\":99}");
    HoldfastClient client = build(client(victim, new ManualTime(now)));
    List<String> refusals = new CopyOnWriteArrayList<>();
    client.addFetchListener(
        event -> {
          if (!event.outcome().succeeded()) {
            refusals.add(event.kind() + ": " + event.reason());
          }
        });
    Probe probe = startFresh(client);
    FaultyReplica.Recorded otherDocument = recordDocument(other);
    FaultyReplica.Recorded otherChecksums = recordChecksums(other);

    faultBoth("/instances/d4-victim/config/", Fault.replay(otherDocument));
    long v2 = publish("d4-victim", doc(2));
    eventually().until(() -> probe.status() == Status.STALE);
    assertThat(probe.read().freshness().reason())
        .as("reason")
        .contains("the document is for instance 'd4-other', not 'd4-victim'");
    assertThat(probe.read().getInt("v", -1)).isEqualTo(1);
    assertThat(probe.revision()).isEqualTo(v1);
    heal();
    eventually().until(() -> probe.revision() == v2 && probe.status() == Status.FRESH);

    faultBoth("/instances/d4-victim/checksums", Fault.replay(otherChecksums));
    faultBoth("/instances/d4-victim/watch", Fault.replay(otherChecksums));
    awaitFaulted();
    refusals.clear();
    long v3 = publish("d4-victim", doc(3));
    eventually().until(() -> probe.status() == Status.STALE);
    assertThat(refusals)
        .as("refused answers")
        .anyMatch(r -> r.contains("the checksums are for instance 'd4-other', not 'd4-victim'"));
    // Without usable checksums the client fetches this instance's own, genuine documents directly
    // and keeps them STALE (FAULTS A9): nothing of the other instance's is ever taken.
    assertThat(probe.read().freshness().reason()).as("reason").contains("checksums are unusable");
    assertThat(probe.changes()).noneMatch(snapshot -> snapshot.getInt("v", -1) == 99);
    heal();
    eventually().until(() -> probe.revision() == v3 && probe.status() == Status.FRESH);
    assertThat(probe.changedRevisions()).containsExactly(v1, v2, v3);
    probe.assertHeld();
  }

  @Test
  void D4_olderKeySetReplayedThroughBothProxies_isRefusedAsRollback_andTheNewerOneKept()
      throws Exception {
    Instant now = start();
    Tenant tenant = tenant("d4-keyset");
    Path cache = dir.resolve("cache");
    Probe probe = startFresh(client(tenant, new ManualTime(now)).cacheDirectory(cache));
    FaultyReplica.Recorded keySet1 = proxyA().record("/v1/keyset");
    FaultyReplica.Recorded chain1 = proxyA().record("/v1/keyset/chain?after=0");
    List<VerificationKey> signing = List.of(SigningKeys.publicKey(key));
    replicas.publishKeySet(replicas.root().keySet(2, signing, Set.of()));
    eventually().until(() -> ClientCache.keySetVersion(cache) == 2);

    faultBoth("/v1/keyset", Fault.replay(keySet1));
    faultBoth("/v1/keyset/chain", Fault.replay(chain1));
    proxyA().resetCount();
    proxyB().resetCount();
    replicas.publishKeySet(replicas.root().keySet(3, signing, Set.of()));
    eventually()
        .until(() -> proxyA().requests("/v1/keyset") > 0 && proxyB().requests("/v1/keyset") > 0);
    eventually()
        .until(() -> reason(probe).contains("answers key sets after version 2 with version 1"));
    assertThat(probe.status()).isEqualTo(Status.STALE);
    assertThat(ClientCache.keySetVersion(cache)).as("key set held").isEqualTo(2);
    assertThat(probe.read().getInt("v", -1)).isEqualTo(1);

    heal();
    eventually().until(() -> ClientCache.keySetVersion(cache) == 3);
    eventually().until(() -> probe.status() == Status.FRESH);
    probe.assertHeld();
  }

  @Test
  void D4_revokedInstanceCredentialReplayed_is401OnBothReplicas() throws Exception {
    start();
    String old = tenant("d4-rotated").credential();
    String fresh =
        replicas
            .pair()
            .admin("POST", "/v1/admin/instances/d4-rotated/credential", null)
            .path("credential")
            .asText();
    assertThat(fresh).isNotBlank().isNotEqualTo(old);
    try (HttpClient http = HttpClient.newHttpClient()) {
      for (HoldfastServer server : List.of(replicas.pair().serverA(), replicas.pair().serverB())) {
        eventually().until(() -> checksumsStatus(http, server, old) == 401);
        assertThat(checksumsStatus(http, server, fresh)).isEqualTo(200);
      }
    }
  }

  @Test
  void D9_afterRotation_documentAndChecksumsSignedByTheRevokedKey_areRejected_lkgKept()
      throws Exception {
    Instant now = start();
    Tenant tenant = tenant("d9-rotated");
    long v1 = tenant.first();
    Path cache = dir.resolve("cache");
    Probe probe = startFresh(client(tenant, new ManualTime(now)).cacheDirectory(cache));
    FaultyReplica.Recorded oldDocument = recordDocument(tenant);
    FaultyReplica.Recorded oldChecksums = recordChecksums(tenant);

    KeyPair next = SigningKeys.generate();
    VerificationKey oldPublic = SigningKeys.publicKey(key);
    VerificationKey nextPublic = SigningKeys.publicKey(next);
    replicas.publishKeySet(replicas.root().keySet(2, List.of(oldPublic, nextPublic), Set.of()));
    replicas.switchSigningKey(next);
    replicas.publishKeySet(
        replicas.root().keySet(3, List.of(nextPublic), Set.of(oldPublic.keyId())));
    eventually()
        .until(
            () ->
                ClientCache.signers(cache).equals(List.of(nextPublic.keyId()))
                    && probe.status() == Status.FRESH);

    faultBoth("/instances/d9-rotated/checksums", Fault.replay(oldChecksums));
    faultBoth("/instances/d9-rotated/watch", Fault.replay(oldChecksums));
    faultBoth("/instances/d9-rotated/config/", Fault.replay(oldDocument));
    awaitFaulted();
    long v2 = publish("d9-rotated", doc(2));
    eventually().until(() -> probe.status() == Status.STALE);
    assertThat(probe.read().freshness().reason()).as("reason").contains("revokes");
    assertThat(probe.revision()).isEqualTo(v1);
    assertThat(ClientCache.signers(cache)).containsExactly(nextPublic.keyId());

    heal();
    eventually().until(() -> probe.revision() == v2 && probe.status() == Status.FRESH);
    probe.assertHeld();
  }

  @Test
  void D11_proxyReplaysTheHeldChecksumsAndAnswers304_pastTheStatementsExpiry_staleFreezeSuspected()
      throws Exception {
    // Both clocks half an hour behind the host's, so that the client's can be moved past the
    // statement's expiry without running ahead of the replicas' Date headers (which would make the
    // client blame its own clock, FAULTS B10).
    Instant past = Instant.now().minus(Duration.ofMinutes(30));
    start(past);
    Tenant tenant = tenant("d11-frozen");
    long v1 = tenant.first();
    ManualTime time = new ManualTime(past);
    Probe probe = startFresh(client(tenant, time));
    FaultyReplica.Recorded held = recordChecksums(tenant);
    String heldTag = held.headers().firstValue("ETag").orElseThrow();
    String documentTag = probe.client().snapshot(NS).etag();

    // A cache in the path: everything it holds is answered as it was, or as 304.
    faultBoth("/instances/d11-frozen/checksums", Fault.replay(held));
    faultBoth("/instances/d11-frozen/watch", Fault.notModified(heldTag));
    faultBoth("/instances/d11-frozen/config/", Fault.notModified(documentTag));
    awaitFaulted();
    Duration passed = TrustedPair.VALIDITY.plus(Duration.ofMinutes(1));
    time.advance(passed);
    eventually().until(() -> probe.status() == Status.STALE);
    eventually()
        .untilAsserted(
            () ->
                assertThat(probe.read().freshness().reason())
                    .as("status events %s", probe.events())
                    .contains("freeze suspected"));
    assertThat(probe.revision()).isEqualTo(v1);
    Duration grace = probe.read().freshness().graceRemaining();
    time.advance(Duration.ofMinutes(30));
    passed = passed.plus(Duration.ofMinutes(30));
    Duration later = grace.minus(Duration.ofMinutes(30));
    eventually().until(() -> probe.read().freshness().graceRemaining().equals(later));
    assertThat(probe.status()).isEqualTo(Status.STALE);

    // The proxies stop; the replicas' time has passed as the client's did, and they re-issue.
    heal();
    replicas.serverTime().advance(passed);
    eventually().until(() -> probe.status() == Status.FRESH);
    assertThat(probe.revision()).isEqualTo(v1);
    probe.assertHeld();
  }

  @Test
  void D12_proxyServesANewerGenuineDocument_withChecksumsListingAnother_refused() throws Exception {
    Instant now = start();
    Tenant tenant = tenant("d12-mixed");
    long v1 = tenant.first();
    Probe probe = startFresh(client(tenant, new ManualTime(now)));
    FaultyReplica.Recorded checksums1 = recordChecksums(tenant);
    faultBoth("/instances/d12-mixed/checksums", Fault.replay(checksums1));
    faultBoth(
        "/instances/d12-mixed/watch",
        Fault.notModified(checksums1.headers().firstValue("ETag").orElseThrow()));
    awaitFaulted();
    publish("d12-mixed", doc(2));
    FaultyReplica.Recorded checksums2 = recordChecksums(tenant);
    long v3 = publish("d12-mixed", doc(3));
    FaultyReplica.Recorded document3 = recordDocument(tenant);

    // The checksums list revision 2; the document served is revision 3, newer and validly signed.
    faultBoth("/instances/d12-mixed/config/", Fault.replay(document3));
    faultBoth("/instances/d12-mixed/watch", Fault.replay(checksums2));
    faultBoth("/instances/d12-mixed/checksums", Fault.replay(checksums2));
    eventually().until(() -> probe.status() == Status.STALE);
    assertThat(probe.read().freshness().reason())
        .as("reason")
        .contains("mix-and-match refused, FAULTS D12");
    assertThat(probe.revision()).isEqualTo(v1);
    assertThat(probe.read().getInt("v", -1)).isEqualTo(1);

    heal();
    eventually().until(() -> probe.revision() == v3 && probe.status() == Status.FRESH);
    assertThat(probe.changedRevisions()).containsExactly(v1, v3);
    probe.assertHeld();
  }

  @Test
  void
      D13_leakedKeySignsRevision2pow62_recoveryKeySet_genuineLowerRevisionAdopted_alsoAfterRestart()
          throws Exception {
    Instant now = start();
    Tenant tenant = tenant("d13-forward");
    long v1 = tenant.first();
    Path cache = dir.resolve("cache");
    ManualTime time = new ManualTime(now);
    // A static forgery cannot hold a watch: this client polls.
    HoldfastClient.Builder builder = client(tenant, time).cacheDirectory(cache).watch(false);
    HoldfastClient client = build(builder);
    client.start();
    assertThat(client.status(NS).status()).isEqualTo(Status.FRESH);

    long absurd = 1L << 62;
    Forgery attacker = new Forgery(key);
    Forgery.Signed forged =
        attacker.document("d13-forward", NS, absurd, now, "{\"seats\":0,\"v\":666}");
    Forgery.Signed forgedChecksums =
        attacker.checksums(
            "d13-forward", NS, forged, now.minus(Duration.ofMinutes(1)), Duration.ofHours(1), 1);
    faultBoth("/instances/d13-forward/checksums", Fault.rawResponse(forgedChecksums.response()));
    faultBoth("/instances/d13-forward/config/", Fault.rawResponse(forged.response()));
    eventually().until(() -> client.snapshot(NS).revision() == absurd);

    KeyPair next = SigningKeys.generate();
    String leaked = SigningKeys.publicKey(key).keyId();
    replicas.publishKeySet(
        replicas
            .root()
            .keySet(
                2,
                List.of(SigningKeys.publicKey(next)),
                Set.of(leaked),
                Optional.of(new KeySet.Recovery(1, new TreeSet<>(Set.of(leaked))))));
    replicas.switchSigningKey(next);
    heal();
    eventually()
        .until(
            () ->
                client.snapshot(NS).revision() == v1 && client.status(NS).status() == Status.FRESH);
    assertThat(client.snapshot(NS).getInt("v", -1)).isEqualTo(1);
    long v2 = publish("d13-forward", doc(2));
    eventually().until(() -> client.snapshot(NS).revision() == v2);
    client.close();

    HoldfastClient restarted = build(builder);
    restarted.start();
    assertThat(restarted.snapshot(NS).revision()).isEqualTo(v2);
    assertThat(restarted.status(NS).status()).isEqualTo(Status.FRESH);
    long v3 = publish("d13-forward", doc(3));
    eventually().until(() -> restarted.snapshot(NS).revision() == v3);
    assertThat(restarted.snapshot(NS).getInt("v", -1)).isEqualTo(3);
  }

  /** An instance with its credential and the revision of its first document. */
  private record Tenant(String id, String credential, long first) {}

  /** Creates the instance and publishes its first document, {@link #doc doc(1)}. */
  private Tenant tenant(String id) {
    String credential = replicas.pair().createInstance(id, "live");
    return new Tenant(id, credential, publish(id, doc(1)));
  }

  /** A client of the tenant through both proxies, pinning the root. */
  private HoldfastClient.Builder client(Tenant tenant, ManualTime time) {
    return replicas.client(tenant.id(), tenant.credential(), time);
  }

  private static String reason(Probe probe) {
    return probe.read().freshness().reason();
  }

  private Instant start() {
    return start(Instant.now());
  }

  private Instant start(Instant serverStart) {
    replicas = TrustedPair.start(dir.resolve("data"), serverStart, key);
    return serverStart;
  }

  private static String doc(int version) {
    return "{\"seats\":25,\"v\":" + version + "}";
  }

  /** Replica A's answer now to the tenant's {@code GET …/checksums}. */
  private FaultyReplica.Recorded recordChecksums(Tenant tenant) throws Exception {
    return proxyA()
        .record("/v1/instances/" + tenant.id() + "/checksums", bearer(tenant.credential()));
  }

  /** Replica A's answer now to the tenant's {@code GET …/config/core}. */
  private FaultyReplica.Recorded recordDocument(Tenant tenant) throws Exception {
    return proxyA()
        .record("/v1/instances/" + tenant.id() + "/config/" + NS, bearer(tenant.credential()));
  }

  private static String[] bearer(String credential) {
    return new String[] {"Authorization", "Bearer " + credential};
  }

  /** Publishes the instance's own layer and waits until replica B serves it too. */
  private long publish(String instance, String content) {
    ReplicaPair pair = replicas.pair();
    long revision = pair.publish(NS, "instance:" + instance, content);
    eventually().until(() -> pair.serverB().snapshots().current().revision() >= revision);
    return revision;
  }

  private HoldfastClient build(HoldfastClient.Builder builder) {
    HoldfastClient client = builder.build();
    clients.add(client);
    return client;
  }

  private Probe startFresh(HoldfastClient.Builder builder) {
    return startFresh(build(builder));
  }

  private static Probe startFresh(HoldfastClient client) {
    Probe probe = Probe.on(client);
    client.start();
    assertThat(probe.status()).as("status after start").isEqualTo(Status.FRESH);
    return probe;
  }

  private FaultyReplica proxyA() {
    return replicas.pair().proxyA();
  }

  private FaultyReplica proxyB() {
    return replicas.pair().proxyB();
  }

  private void faultBoth(String pathContains, Fault fault) {
    proxyA().fault(pathContains, fault);
    proxyB().fault(pathContains, fault);
  }

  /**
   * Waits until a proxy has answered with a fault: the client asks one thing at a time, so every
   * request it sent before the faults were set (a watch held by a replica, say) has been answered.
   */
  private void awaitFaulted() {
    proxyA().resetCount();
    proxyB().resetCount();
    eventually().until(() -> proxyA().faulted() + proxyB().faulted() > 0);
  }

  private void heal() {
    proxyA().clear();
    proxyB().clear();
  }

  private static int checksumsStatus(HttpClient http, HoldfastServer server, String credential)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + server.port() + "/v1/instances/d4-rotated/checksums"))
            .header("Authorization", "Bearer " + credential)
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
