package io.holdfast.it.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.it.ReplicaPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS.md E3: 500 tenants, each with its own layer in five namespaces, and the five namespaces
 * published at the same moment. Every tenant's watch learns of all five, none much later than the
 * others (no starvation), and every tenant then reads its own values and nobody else's.
 */
class TenantBurstTest {

  private static final int TENANTS = 500;
  private static final List<String> NAMESPACES = List.of("ns0", "ns1", "ns2", "ns3", "ns4");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Fairness: the last tenant to learn of the publishes may take at most this many times the median
   * tenant, plus a second for a loaded machine. A starved tenant waits a watch timeout.
   */
  private static final int MAX_SPREAD = 4;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void E3_fiveHundredTenantsFiveNamespacesPublishedAtOnce_everyTenantNotifiedFairly_noneSeesAnother(
      @TempDir Path dir) throws Exception {
    try (ReplicaPair pair = ReplicaPair.start(dir);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        HttpClient http = HttpClient.newHttpClient()) {
      NAMESPACES.forEach(pair::createNamespace);
      String[] credentials = new String[TENANTS];
      List<Future<?>> setup = new ArrayList<>();
      for (int t = 0; t < TENANTS; t++) {
        int tenant = t;
        setup.add(
            pool.submit(
                () -> {
                  credentials[tenant] = pair.createInstance(id(tenant), "live");
                  for (String ns : NAMESPACES) {
                    stage(pair, ns, tenant, 1);
                  }
                }));
      }
      for (Future<?> f : setup) {
        f.get();
      }
      List<Long> first = publishAll(pair, pool);
      for (int t = 0; t < TENANTS; t++) {
        stageAll(pair, t, 2);
      }

      URI replicaA = URI.create("http://127.0.0.1:" + pair.serverA().port());
      try (Watchers watchers = new Watchers(replicaA)) {
        List<CompletableFuture<Long>> notified = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
          notified.add(
              untilAllChanged(
                  watchers, t, credentials[t], watchers.etag(id(t), credentials[t]), first, 0));
        }
        long publishing = System.nanoTime();
        List<Long> second = publishAll(pair, pool);
        CompletableFuture.allOf(notified.toArray(CompletableFuture[]::new))
            .get(90, TimeUnit.SECONDS);
        long[] delays = new long[TENANTS];
        for (int t = 0; t < TENANTS; t++) {
          delays[t] = Math.max(0, notified.get(t).join() - publishing);
        }
        Arrays.sort(delays);
        long median = TimeUnit.NANOSECONDS.toMillis(delays[TENANTS / 2]);
        long worst = TimeUnit.NANOSECONDS.toMillis(delays[TENANTS - 1]);
        System.out.printf(
            "E3: %d tenants x %d namespaces (revisions %s then %s): every tenant notified, p50 %d"
                + " ms, p99 %d ms, max %d ms%n",
            TENANTS,
            NAMESPACES.size(),
            first,
            second,
            median,
            TimeUnit.NANOSECONDS.toMillis(delays[(int) Math.ceil(TENANTS * 0.99) - 1]),
            worst);
        assertThat(worst)
            .as("the last tenant notified")
            .isLessThanOrEqualTo(MAX_SPREAD * median + 1_000);
      }

      for (int t = 0; t < TENANTS; t++) {
        for (String ns : NAMESPACES) {
          JsonNode content = read(http, pair, t, credentials[t], ns);
          assertThat(content.path("owner").asText()).as("%s reads %s", id(t), ns).isEqualTo(id(t));
          assertThat(content.path("round").asInt()).isEqualTo(2);
        }
      }
    }
  }

  /**
   * Watches the tenant's checksums until every namespace's revision in them is newer than the first
   * round's (only the second round publishes after it); completes with the nanotime that happened.
   */
  private static CompletableFuture<Long> untilAllChanged(
      Watchers watchers,
      int tenant,
      String credential,
      String etag,
      List<Long> firstRound,
      int rounds) {
    return watchers
        .watch(id(tenant), credential, etag)
        .thenCompose(
            answer -> {
              if (answer.status() != 200 && answer.status() != 304) {
                throw new AssertionError(
                    id(tenant) + "'s watch: " + answer.status() + " " + answer.body());
              }
              if (answer.status() == 200 && allChanged(answer.body(), firstRound)) {
                return CompletableFuture.completedFuture(answer.arrivedNanos());
              }
              if (rounds == 20) {
                throw new AssertionError(id(tenant) + " never learned of all five publishes");
              }
              return untilAllChanged(
                  watchers, tenant, credential, answer.etag(), firstRound, rounds + 1);
            });
  }

  /** Whether the checksums show every namespace past its first-round revision. */
  private static boolean allChanged(String checksums, List<Long> firstRound) {
    try {
      JsonNode namespaces = JSON.readTree(checksums).path("namespaces");
      for (int i = 0; i < NAMESPACES.size(); i++) {
        if (namespaces.path(NAMESPACES.get(i)).path("revision").asLong() <= firstRound.get(i)) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Long> publishAll(ReplicaPair pair, ExecutorService pool) throws Exception {
    List<Future<Long>> publishes = new ArrayList<>();
    for (String ns : NAMESPACES) {
      publishes.add(
          pool.submit(
              () ->
                  pair.admin(
                          "POST", "/v1/admin/namespaces/" + ns + "/publish", "{\"message\":\"e3\"}")
                      .path("revision")
                      .asLong()));
    }
    List<Long> revisions = new ArrayList<>();
    for (Future<Long> publish : publishes) {
      revisions.add(publish.get());
    }
    return revisions;
  }

  private static void stageAll(ReplicaPair pair, int tenant, int round) {
    for (String ns : NAMESPACES) {
      stage(pair, ns, tenant, round);
    }
  }

  private static void stage(ReplicaPair pair, String ns, int tenant, int round) {
    pair.admin(
        "PUT",
        "/v1/admin/namespaces/" + ns + "/layers/instance:" + id(tenant),
        "{\"owner\":\"" + id(tenant) + "\",\"round\":" + round + "}");
  }

  /**
   * The tenant's document from replica A, whose watch announced the publishes (B serves them only
   * after its next poll of the store).
   */
  private static JsonNode read(
      HttpClient http, ReplicaPair pair, int tenant, String credential, String ns)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + pair.serverA().port()
                            + "/v1/instances/"
                            + id(tenant)
                            + "/config/"
                            + ns))
                .header("Authorization", "Bearer " + credential)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode envelope = JSON.readTree(response.body());
    assertThat(envelope.path("instance").asText()).isEqualTo(id(tenant));
    return envelope.path("content");
  }

  private static String id(int tenant) {
    return "e3-tenant-" + tenant;
  }
}
