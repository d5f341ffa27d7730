package io.holdfast.it.edge;

import static io.holdfast.it.edge.TwoTenantReplicas.SECRET_A;
import static io.holdfast.it.edge.TwoTenantReplicas.SECRET_B;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real proxy as a careless cache in front of two real replica processes: told to ignore {@code
 * Cache-Control} and to keep 200s, 304s, 401s and 404s for ten minutes, whoever asked. It does
 * cache the replicas' answers (each test first shows a HIT, in the proxy's {@code X-Cache-Status}
 * header, for the caller who filled it), yet tenant B, an anonymous caller and another admin never
 * receive tenant A's document, A's 404 or 401, or an admin's listing: every authenticated answer
 * carries {@code Vary: Authorization}, which the cache keys what it stores by (FAULTS F6, I7). Each
 * subclass is one proxy with one careless configuration.
 *
 * <p>Every test reads its own URLs (a query parameter the replicas ignore), so one test's cached
 * answers cannot decide another's. Without {@code Vary} every test here fails (checked with nginx
 * by taking the filter out).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
abstract class CarelessCacheTests {

  private static final AtomicInteger URLS = new AtomicInteger();

  private TwoTenantReplicas replicas;
  private ProxyFront cache;
  private EdgeClient client;

  /**
   * Starts the careless cache in front of {@code replicas}, its files under {@code dir}; it adds
   * {@code X-Cache-Status: HIT} to every answer it served from its cache.
   */
  abstract ProxyFront startCache(Path dir, TwoTenantReplicas replicas) throws Exception;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    replicas = TwoTenantReplicas.start(dir);
    cache = startCache(dir.resolve("cache"), replicas);
    client = cache.client();
  }

  @AfterAll
  void stop() {
    try {
      if (client != null) {
        client.close();
      }
      if (cache != null) {
        cache.close();
      }
    } finally {
      if (replicas != null) {
        replicas.close();
      }
    }
  }

  @Test
  void F6_tenantAsDocument_isNeverServedToTenantB_anAnonymousCaller_orAnAdmin() {
    URI document = fresh("/v1/instances/tenant-a/config/core");
    HttpResponse<String> filled = client.get(document, replicas.tokenA());
    HttpResponse<String> again = client.get(document, replicas.tokenA());
    assertThat(filled.body()).contains(SECRET_A);
    assertThat(cacheStatus(again)).as("the cache does store A's document").isEqualTo("HIT");
    assertThat(again.body()).isEqualTo(filled.body());

    HttpResponse<String> tenantB = client.get(document, replicas.tokenB());
    HttpResponse<String> anonymous = client.get(document, null);
    HttpResponse<String> viewer = client.get(document, replicas.viewer());

    assertThat(tenantB.statusCode()).isEqualTo(404);
    assertThat(tenantB.body()).doesNotContain(SECRET_A);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).doesNotContain(SECRET_A);
    // Admins may read any instance, but get it from a replica, not from A's cache entry.
    assertThat(viewer.statusCode()).isEqualTo(200);
    assertThat(cacheStatus(viewer)).isNotEqualTo("HIT");
  }

  @Test
  void F6_tenantAs304_isNotAnOracleForTenantB() {
    URI document = fresh("/v1/instances/tenant-a/config/core");
    String etag =
        client.get(document, replicas.tokenA()).headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> notModified =
        client.get(document, replicas.tokenA(), "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.headers().allValues("Vary")).containsExactly("Authorization");

    HttpResponse<String> tenantB = client.get(document, replicas.tokenB(), "If-None-Match", etag);
    HttpResponse<String> anonymous = client.get(document, null, "If-None-Match", etag);

    assertThat(tenantB.statusCode()).isEqualTo(404);
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void F6_aCached404OfTenantA_isNotServedToTheTenantItConcerns() {
    URI documentOfB = fresh("/v1/instances/tenant-b/config/core");
    assertThat(client.get(documentOfB, replicas.tokenA()).statusCode()).isEqualTo(404);
    HttpResponse<String> again = client.get(documentOfB, replicas.tokenA());
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(cacheStatus(again)).as("the cache does store A's 404").isEqualTo("HIT");

    HttpResponse<String> tenantB = client.get(documentOfB, replicas.tokenB());

    assertThat(tenantB.statusCode()).isEqualTo(200);
    assertThat(tenantB.body()).contains(SECRET_B);
  }

  @Test
  void F6_aCached401_isNotServedToTheRightfulCaller_norItsDocumentToTheNextAnonymousOne() {
    URI document = fresh("/v1/instances/tenant-a/config/core");
    assertThat(client.get(document, null).statusCode()).isEqualTo(401);
    assertThat(client.get(document, "hfi_wrong-or-revoked").statusCode()).isEqualTo(401);
    HttpResponse<String> again = client.get(document, null);
    assertThat(cacheStatus(again)).as("the cache does store the 401").isEqualTo("HIT");

    HttpResponse<String> tenantA = client.get(document, replicas.tokenA());
    assertThat(tenantA.statusCode()).isEqualTo(200);
    assertThat(tenantA.body()).contains(SECRET_A);

    HttpResponse<String> anonymous = client.get(document, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).doesNotContain(SECRET_A);
  }

  @Test
  void F6_anAdminListing_isNeverServedToAnotherAdmin_aViewer_aTenant_orAnAnonymousCaller() {
    URI credentials = fresh("/v1/admin/credentials");
    HttpResponse<String> filled = client.get(credentials, TwoTenantReplicas.ADMIN_TOKEN);
    assertThat(filled.statusCode()).isEqualTo(200);
    assertThat(filled.body()).contains("second-admin");
    assertThat(cacheStatus(client.get(credentials, TwoTenantReplicas.ADMIN_TOKEN)))
        .isEqualTo("HIT");

    HttpResponse<String> viewer = client.get(credentials, replicas.viewer());
    HttpResponse<String> tenantA = client.get(credentials, replicas.tokenA());
    HttpResponse<String> anonymous = client.get(credentials, null);
    HttpResponse<String> secondAdmin = client.get(credentials, replicas.secondAdmin());

    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(viewer.body()).doesNotContain("second-admin");
    assertThat(tenantA.statusCode()).isIn(401, 403);
    assertThat(tenantA.body()).doesNotContain("second-admin");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).doesNotContain("second-admin");
    assertThat(secondAdmin.statusCode()).isEqualTo(200);
    assertThat(cacheStatus(secondAdmin)).as("its own answer, from a replica").isNotEqualTo("HIT");
  }

  @Test
  void F6_checksumsAndWatchAnswers_stayWithTheirTenant() {
    URI checksumsOfA = fresh("/v1/instances/tenant-a/checksums");
    HttpResponse<String> filled = client.get(checksumsOfA, replicas.tokenA());
    assertThat(filled.statusCode()).isEqualTo(200);
    assertThat(cacheStatus(client.get(checksumsOfA, replicas.tokenA()))).isEqualTo("HIT");
    URI watchOfA = fresh("/v1/instances/tenant-a/watch");
    assertThat(client.get(watchOfA, replicas.tokenA()).statusCode()).isEqualTo(200);

    for (URI uri : new URI[] {checksumsOfA, watchOfA}) {
      HttpResponse<String> tenantB = client.get(uri, replicas.tokenB());
      HttpResponse<String> anonymous = client.get(uri, null);
      assertThat(tenantB.statusCode()).as("%s", uri).isEqualTo(404);
      assertThat(tenantB.body()).doesNotContain("\"revision\"");
      assertThat(anonymous.statusCode()).as("%s", uri).isEqualTo(401);
    }
  }

  /** A URL of its own for each use: the replicas ignore the extra query parameter. */
  private URI fresh(String path) {
    return cache.uri(path + "?edge-test=" + URLS.incrementAndGet());
  }

  private static String cacheStatus(HttpResponse<String> response) {
    return response.headers().firstValue("X-Cache-Status").orElse("");
  }
}
