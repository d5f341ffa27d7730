package io.holdfast.it.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.client.HoldfastClient;
import io.holdfast.it.AdminApi;
import io.holdfast.it.AdminHttp;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rolling upgrade's middle (issue 23): the previous release (the last in {@code RELEASES}, built
 * from the repository's history) and this code run side by side on one store, SQLite and
 * PostgreSQL. The previous release starts first, as the fleet does; this code's replica then
 * migrates the store under it. Both serve the same bytes and ETags for a revision, each serves the
 * other's writes, SDK clients read through both, and the rollout engine's lease passes from the old
 * release to the new without a ring released twice.
 */
@Timeout(1500) // the first run builds the previous release (minutes); later runs reuse it
class MixedVersionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "mixed-version-admin-token-0123456789abcdef";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final ConditionFactory EVENTUALLY =
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50));

  private static PreviousRelease previous;

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final AdminHttp adminHttp = new AdminHttp();
  private final List<AutoCloseable> running = new ArrayList<>();
  private String database;

  @BeforeAll
  static void buildPreviousRelease() {
    previous = PreviousRelease.build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void bothReleases_serveTheSameBytes_andEachOthersWrites_toClientsReadingThroughBoth(String store)
      throws Exception {
    String url = storeUrl(store);
    ReleaseReplica old =
        started(ReleaseReplica.start(previous.jar(), dir.resolve("old"), url, null, TOKEN));
    HoldfastServer current = started(currentReplica(url));
    assertThat(current.version().schema().store())
        .as("this code migrated the store under the running previous release")
        .isGreaterThan(previous.release().schema());
    AdminApi viaOld = new AdminApi(adminHttp, old.port(), TOKEN);
    AdminApi viaCurrent = new AdminApi(adminHttp, current.port(), TOKEN);

    viaOld.createNamespace("core");
    String credential = viaOld.createInstance("acme-prod", "live");
    long first = viaOld.publishLayer("core", "default", "{\"seats\":{\"crm\":25}}");
    assertSameServed(old.uri(), uri(current), credential, first);

    long second = viaCurrent.publishLayer("core", "default", "{\"seats\":{\"crm\":30}}");
    assertSameServed(old.uri(), uri(current), credential, second);

    long third = viaOld.publishLayer("core", "default", "{\"seats\":{\"crm\":35}}");
    assertSameServed(old.uri(), uri(current), credential, third);

    VerificationKey key = current.verificationKey();
    for (List<URI> order :
        List.of(List.of(old.uri(), uri(current)), List.of(uri(current), old.uri()))) {
      try (HoldfastClient client =
          HoldfastClient.builder()
              .replicas(order)
              .instance("acme-prod", credential)
              .trustedKey(key)
              .namespaces("core")
              .heartbeatInterval(Duration.ZERO)
              .build()) {
        client.start();
        assertThat(client.awaitFresh(Duration.ofSeconds(30)))
            .as("FRESH through %s", order)
            .isTrue();
        assertThat(client.snapshot("core").content().at("/seats/crm").asInt()).isEqualTo(35);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void theRolloutLease_passesFromThePreviousReleaseToThisOne_withoutARingReleasedTwice(String store)
      throws Exception {
    String url = storeUrl(store);
    ReleaseReplica old = ReleaseReplica.start(previous.jar(), dir.resolve("old"), url, null, TOKEN);
    running.add(old);
    AdminApi viaOld = new AdminApi(adminHttp, old.port(), TOKEN);
    viaOld.createNamespace("core");
    viaOld.publishLayer("core", "default", "{\"maxUsers\":10}");
    for (String ring : List.of("test", "dev", "beta", "live")) {
      viaOld.call(
          "PATCH",
          "/v1/admin/rings/" + ring,
          "{\"bakeTime\":\"3s\",\"gate\":{\"allowEmpty\":true}}");
    }
    // The previous release leads: it started first and holds the lease.
    HoldfastServer current = started(currentReplica(url));
    AdminApi viaCurrent = new AdminApi(adminHttp, current.port(), TOKEN);

    long change =
        viaCurrent
            .call(
                "POST",
                "/v1/admin/changes",
                "{\"description\":\"mixed versions\",\"edits\":[{\"namespace\":\"core\","
                    + "\"scope\":\"default\",\"content\":{\"maxUsers\":20}}]}")
            .get("id")
            .asLong();
    EVENTUALLY.until(() -> releasedRings(viaCurrent, change).contains("test"));
    old.close(); // SIGTERM: its stop gives up the lease
    running.remove(old);

    EVENTUALLY.until(
        () ->
            viaCurrent
                .call("GET", "/v1/admin/changes/" + change, null)
                .get("state")
                .asText()
                .equals("completed"));
    JsonNode view = viaCurrent.call("GET", "/v1/admin/changes/" + change, null);
    assertThat(releasedRings(viaCurrent, change)).containsExactly("test", "dev", "beta", "live");
    List<String> actors = new ArrayList<>();
    view.get("releases").forEach(r -> actors.add(r.get("actor").asText()));
    assertThat(actors.get(0))
        .as("the previous release released the first ring")
        .contains(":" + old.port() + "/");
    assertThat(actors.get(actors.size() - 1))
        .as("this release released the last")
        .contains(":" + current.port() + "/");
  }

  private static List<String> releasedRings(AdminApi admin, long change) {
    List<String> rings = new ArrayList<>();
    admin
        .call("GET", "/v1/admin/changes/" + change, null)
        .get("releases")
        .forEach(r -> rings.add(r.get("ring").asText()));
    return rings;
  }

  /** Both replicas serve {@code revision} with byte-identical documents, checksums and tags. */
  private void assertSameServed(URI a, URI b, String credential, long revision) {
    for (URI replica : List.of(a, b)) {
      EVENTUALLY.until(() -> servedRevision(replica) >= revision);
    }
    for (String path :
        List.of("/v1/instances/acme-prod/config/core", "/v1/instances/acme-prod/checksums")) {
      HttpResponse<byte[]> fromA = get(a, path, credential);
      HttpResponse<byte[]> fromB = get(b, path, credential);
      assertThat(fromA.statusCode()).as(path).isEqualTo(200);
      assertThat(fromB.statusCode()).as(path).isEqualTo(200);
      assertThat(fromB.body()).as(path + ": the same bytes").isEqualTo(fromA.body());
      for (String header : List.of("ETag", "Repr-Digest", "Holdfast-Revision", "Content-Type")) {
        assertThat(fromB.headers().firstValue(header))
            .as(path + " " + header)
            .isEqualTo(fromA.headers().firstValue(header))
            .isPresent();
      }
    }
  }

  private long servedRevision(URI replica) throws IOException, InterruptedException {
    HttpResponse<byte[]> ready = get(replica, "/health/ready", null);
    return JSON.readTree(ready.body()).path("revision").asLong();
  }

  private HttpResponse<byte[]> get(URI replica, String path, String credential) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(replica.resolve(path)).timeout(Duration.ofSeconds(10));
    if (credential != null) {
      request.header("Authorization", "Bearer " + credential);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HoldfastServer currentReplica(String url) {
    return HoldfastServer.start(
        ServerConfig.builder(dir.resolve("current"))
            .port(0)
            .jdbcUrl(url)
            .signingKey(dir.resolve("old").resolve("signing-key.pem"))
            .adminToken(TOKEN)
            .refreshInterval(Duration.ofMillis(100))
            .rolloutEngineEnabled(true)
            .rolloutTick(Duration.ofMillis(250))
            .rolloutApprovals(0)
            .build());
  }

  private static URI uri(HoldfastServer server) {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  private String storeUrl(String store) throws SQLException {
    if (store.equals("sqlite")) {
      return "jdbc:sqlite:" + dir.resolve("shared").resolve("holdfast.db");
    }
    database =
        "holdfast_mixed_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    admin("CREATE DATABASE " + database);
    return POSTGRES + database + "?user=postgres";
  }

  private <T extends AutoCloseable> T started(T replica) {
    running.add(replica);
    return replica;
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable replica : running.reversed()) {
      replica.close();
    }
    adminHttp.close();
    if (database != null) {
      admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(POSTGRES + "postgres?user=postgres");
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }
}
