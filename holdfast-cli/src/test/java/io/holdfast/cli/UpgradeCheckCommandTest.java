package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.cli.upgrade.UpgradeCheckCommand;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code holdfast upgrade check} between real replicas on one SQLite store: two current replicas
 * and a candidate, the candidate behind a fault proxy that plants the differences a new version
 * could bring (a header, a re-serialised body, a signature clients refuse).
 */
class UpgradeCheckCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> INSTANCES = List.of("acme-1", "acme-2", "acme-3", "acme-4");

  @TempDir static Path dataDir;
  @TempDir static Path otherKeyDir;

  private static HoldfastServer first;
  private static HoldfastServer second;
  private static HoldfastServer candidate;
  private static FaultyReplica proxy;

  @BeforeAll
  static void start() throws Exception {
    first = replica(null);
    second = replica(null);
    candidate = replica(null);
    proxy = FaultyReplica.start(uri(candidate));
    AdminClient admin = new AdminClient(uri(first), first.adminToken());
    admin.post("/v1/admin/namespaces", object(Map.of("name", "core")));
    admin.put(
        "/v1/admin/namespaces/core/layers/default",
        JSON.readTree("{\"maxUsers\":10,\"region\":\"eu\",\"tier\":{\"a\":1,\"b\":2}}"));
    admin.post("/v1/admin/namespaces/core/publish", object(Map.of("message", "first")));
    for (String id : INSTANCES) {
      admin.post("/v1/admin/instances", object(Map.of("id", id, "ring", "live")));
    }
    admin.post("/v1/admin/applications", object(Map.of("name", "crm")));
    admin.post(
        "/v1/admin/subscriptions",
        JSON.readTree(
            "{\"instance\":\"acme-1\",\"application\":\"crm\",\"quantity\":25,"
                + "\"validFrom\":\"2026-01-01T00:00:00Z\",\"plan\":\"enterprise\"}"));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    for (HoldfastServer server : List.of(first, second, candidate)) {
      server.close();
    }
  }

  @BeforeEach
  void healthy() {
    proxy.clear();
  }

  private static HoldfastServer replica(Path signingKey) {
    ServerConfig.Builder config =
        ServerConfig.builder(dataDir).port(0).refreshInterval(Duration.ofMillis(50));
    if (signingKey != null) {
      config.signingKey(signingKey);
    }
    return HoldfastServer.start(config.build());
  }

  private static URI uri(HoldfastServer server) {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  private static ObjectNode object(Map<String, String> members) {
    ObjectNode node = JSON.createObjectNode();
    members.forEach(node::put);
    return node;
  }

  /** Checks {@code candidateUri} against both current replicas, with any extra arguments. */
  private static CliRun check(URI candidateUri, String... extra) {
    return checkAgainst(candidateUri, List.of(uri(first), uri(second)), extra);
  }

  private static CliRun checkAgainst(URI candidateUri, List<URI> current, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("upgrade", "check", "--candidate", candidateUri.toString()));
    current.forEach(replica -> args.addAll(List.of("--against", replica.toString())));
    args.addAll(List.of("--token", first.adminToken()));
    args.addAll(List.of(extra));
    return CliRun.raw(args.toArray(String[]::new));
  }

  @Test
  void identicalReplicasOnOneStore_exitZero_andPrintTheCounts() {
    CliRun run = check(proxy.uri());

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    // Four instances, each with its checksums, core and subscriptions.
    assertThat(run.out())
        .contains("checked 4 of 4 instances: 12 documents compared with 2 current replicas;")
        .contains(" 0 differences, 0 unsettled;")
        .contains("requests/s")
        .contains("PASSED")
        .doesNotContain("DIFFERENT");
  }

  @Test
  void etagRewrittenOnOneDocument_exitsDifferent_namingInstanceNamespaceAndHeader()
      throws IOException {
    proxy.fault("/v1/instances/acme-2/config/core", Fault.setHeader("ETag", "\"forged\""));

    CliRun run = check(proxy.uri(), "--json");

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(UpgradeCheckCommand.EXIT_DIFFERENT);
    JsonNode report = run.json();
    assertThat(report.path("passed").asBoolean()).isFalse();
    List<String> named = new ArrayList<>();
    for (JsonNode difference : report.path("differences")) {
      named.add(
          difference.path("instance").asText()
              + "/"
              + difference.path("namespace").asText()
              + "/"
              + difference.path("what").asText());
    }
    // Once against each current replica, and once as the candidate's ETag not matching its body.
    assertThat(named).containsOnly("acme-2/core/ETag").hasSize(3);
    assertThat(report.path("differences").findValuesAsText("detail"))
        .anySatisfy(detail -> assertThat(detail).contains("candidate '\"forged\"', current '\""));
  }

  @Test
  void reprDigestRewrittenOnTheSubscriptionsDocument_isReportedForThatNamespace() {
    proxy.fault(
        "/v1/instances/acme-1/config/subscriptions",
        Fault.setHeader("Repr-Digest", "sha-256=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:"));

    CliRun run = check(proxy.uri());

    assertThat(run.exit()).isEqualTo(UpgradeCheckCommand.EXIT_DIFFERENT);
    assertThat(run.out())
        .contains("DIFFERENT instance acme-1 namespace subscriptions: Repr-Digest differs from")
        .contains("FAILED")
        .doesNotContain("acme-2")
        .doesNotContain("namespace core");
  }

  @Test
  void reserialisedBody_isReportedAsABodyAndDigestDifference_andItsSignatureFails() {
    proxy.fault(
        "/v1/instances/acme-3/config/core",
        Fault.rewriteBody("members in reverse order", UpgradeCheckCommandTest::reversedMembers));

    CliRun run = check(proxy.uri());

    assertThat(run.exit()).isEqualTo(UpgradeCheckCommand.EXIT_DIFFERENT);
    assertThat(run.out())
        .contains("DIFFERENT instance acme-3 namespace core: body differs from " + uri(first))
        .contains("the same JSON value serialised differently")
        .contains("DIFFERENT instance acme-3 namespace core: Repr-Digest differs")
        .contains("DIFFERENT instance acme-3 namespace core: ETag differs")
        .contains(
            "DIFFERENT instance acme-3 namespace core: signature wrong on the candidate: the"
                + " signature by "
                + candidate.verificationKey().keyId())
        // The candidate's checksums still list the canonical bytes' ETag: clients would notice.
        .doesNotContain("acme-1")
        .doesNotContain("acme-4");
  }

  @Test
  void candidateSigningWithAKeyTheCurrentReplicasDoNotVouchFor_isReported() {
    HoldfastServer stranger = replica(otherKeyDir.resolve("other-key.pem"));
    try {
      CliRun run = check(uri(stranger), "--sample", "1", "--seed", "3");

      assertThat(run.exit()).isEqualTo(UpgradeCheckCommand.EXIT_DIFFERENT);
      assertThat(run.out())
          .contains(
              "signature wrong on the candidate: signed by key "
                  + stranger.verificationKey().keyId()
                  + ", which is not trusted")
          .doesNotContain("body differs")
          .doesNotContain("ETag differs");
    } finally {
      stranger.close();
    }
  }

  @Test
  void corruptedSignatureHeader_isReportedAsASignatureThatDoesNotVerify() {
    String keyId = candidate.verificationKey().keyId();
    proxy.fault(
        "/v1/instances/acme-4/checksums",
        Fault.setHeader(
            "Holdfast-Signature",
            "keyid=\"" + keyId + "\", alg=\"ed25519\", sig=:" + "A".repeat(86) + "==:"));

    CliRun run = check(proxy.uri());

    assertThat(run.exit()).isEqualTo(UpgradeCheckCommand.EXIT_DIFFERENT);
    assertThat(run.out())
        .contains(
            "DIFFERENT instance acme-4 namespace checksums: signature wrong on the candidate: the"
                + " signature by "
                + keyId
                + " does not verify over the body");
  }

  @Test
  void currentReplicaSigningWithAnotherKeyItVouchesFor_isAccepted() {
    HoldfastServer otherSigner = replica(otherKeyDir.resolve("other-key.pem"));
    try {
      CliRun run = checkAgainst(proxy.uri(), List.of(uri(first), uri(otherSigner)));

      // Same bytes, other signatures: each verified on its own, none compared.
      assertThat(run.exit()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains(" 0 differences, 0 unsettled;").contains("PASSED");
    } finally {
      otherSigner.close();
    }
  }

  @Test
  void currentReplicaSendingAnotherDocumentsSignature_isReportedForThatReplica()
      throws IOException, InterruptedException {
    String foreign;
    try (HttpClient http = HttpClient.newHttpClient()) {
      foreign =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create(uri(first) + "/v1/instances/acme-3/config/core"))
                      .header("Authorization", "Bearer " + first.adminToken())
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .headers()
              .firstValue("Holdfast-Signature")
              .orElseThrow();
    }
    try (FaultyReplica current = FaultyReplica.start(uri(second))) {
      // A valid signature of the same batch (the root the candidate's answer was just accepted
      // under), carried by a body whose proof does not lead to it.
      current.fault(
          "/v1/instances/acme-4/config/core", Fault.setHeader("Holdfast-Signature", foreign));

      CliRun run = checkAgainst(proxy.uri(), List.of(uri(first), current.uri()));

      assertThat(run.exit())
          .as(run.out() + run.err())
          .isEqualTo(UpgradeCheckCommand.EXIT_DIFFERENT);
      assertThat(run.out())
          .contains(
              "DIFFERENT instance acme-4 namespace core: signature differs from "
                  + current.uri()
                  + ": current replica: the signature by "
                  + candidate.verificationKey().keyId()
                  + " does not verify over the body")
          .doesNotContain("wrong on the candidate")
          .doesNotContain("differs from " + uri(first));
    }
  }

  @Test
  void sample_readsOnlyThatManyInstances_andTheSeedRepeatsTheDraw() {
    proxy.resetCount();

    CliRun run = check(proxy.uri(), "--sample", "2", "--seed", "42");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("checked 2 of 4 instances (sample, --seed 42)");
    assertThat(proxy.requests("/checksums")).isEqualTo(2);
    List<String> read = new ArrayList<>();
    for (String id : INSTANCES) {
      if (proxy.requests("/v1/instances/" + id + "/checksums") > 0) {
        read.add(id);
      }
    }
    proxy.resetCount();
    check(proxy.uri(), "--sample", "2", "--seed", "42");
    for (String id : read) {
      assertThat(proxy.requests("/v1/instances/" + id + "/checksums")).isEqualTo(1);
    }
  }

  @Test
  void candidateStuckAtAnOlderRevision_isReportedUnsettled_withItsOwnExitCode() throws IOException {
    FaultyReplica.Recorded old =
        proxy.record(
            "/v1/instances/acme-2/checksums", "Authorization", "Bearer " + first.adminToken());
    AdminClient admin = new AdminClient(uri(first), first.adminToken());
    admin.put(
        "/v1/admin/namespaces/core/layers/instance:acme-2", JSON.readTree("{\"maxUsers\":20}"));
    admin.post("/v1/admin/namespaces/core/publish", object(Map.of("message", "acme-2 grows")));
    proxy.fault("/v1/instances/acme-2/checksums", Fault.replay(old));

    CliRun run = check(proxy.uri(), "--settle-time", "300ms");

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(UpgradeCheckCommand.EXIT_UNSETTLED);
    assertThat(run.out())
        .contains(
            "UNSETTLED instance acme-2: the replicas did not agree on a revision within 300 ms")
        .contains("INCONCLUSIVE")
        .doesNotContain("DIFFERENT");
  }

  @Test
  void badArguments_exitTwo_withAPreciseMessage_andNothingRead() {
    proxy.resetCount();

    CliRun zero = check(proxy.uri(), "--sample", "0");
    assertThat(zero.exit()).isEqualTo(2);
    assertThat(zero.err()).contains("--sample must be 1 or more, was 0");

    CliRun self =
        CliRun.raw(
            "upgrade",
            "check",
            "--candidate",
            uri(first).toString(),
            "--against",
            uri(first) + "/",
            "--token",
            first.adminToken());
    assertThat(self.exit()).isEqualTo(2);
    assertThat(self.err()).contains("--against " + uri(first) + "/ is the candidate itself");

    CliRun concurrency = check(proxy.uri(), "--concurrency", "500");
    assertThat(concurrency.exit()).isEqualTo(2);
    assertThat(concurrency.err()).contains("--concurrency must be from 1 to 64, was 500");

    CliRun scheme = check(URI.create("ftp://127.0.0.1:1"));
    assertThat(scheme.exit()).isEqualTo(2);
    assertThat(scheme.err()).contains("--candidate must be an http or https URL");

    CliRun missing = CliRun.raw("upgrade", "check", "--against", uri(first).toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required option: '--candidate=URL'");

    assertThat(proxy.requests()).isZero();
  }

  @Test
  void unreachableCandidate_exitsThree_namingIt() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort);

    CliRun run = check(nowhere);

    assertThat(run.exit()).isEqualTo(HoldfastCommand.EXIT_UNREACHABLE);
    assertThat(run.err()).contains("cannot read " + nowhere);
  }

  @Test
  void help_documentsTheExitCodes() {
    CliRun run = CliRun.raw("upgrade", "check", "--help");

    assertThat(run.out())
        .contains("  7  differences were found")
        .contains("  8  no difference, but some instances never settled")
        .contains("  3  a replica could not be reached");
  }

  /** The envelope's top-level members written in reverse order: same JSON, other bytes. */
  private static byte[] reversedMembers(byte[] body) {
    try {
      JsonNode tree = JSON.readTree(body);
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
        names.add(0, it.next());
      }
      ObjectNode reversed = JSON.createObjectNode();
      names.forEach(name -> reversed.set(name, tree.get(name)));
      return JSON.writeValueAsBytes(reversed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
