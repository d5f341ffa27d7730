package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.FailingStore;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS A19 on the embedded store: a publish that commits but is never acknowledged (the replica
 * fails between commit and answer). The committed revision is not lost, every replica serves it,
 * and retrying the same publish creates no second revision.
 */
class PublishAcknowledgementTest {

  private static final String CONFIG = "/v1/instances/acme-prod/config/core";

  @TempDir static Path dataDir;

  private static FailingStore failing;
  private static ServerFixture replicaA;
  private static ServerFixture replicaB;
  private static String token;

  @BeforeAll
  static void start() {
    replicaA = ServerFixture.start(dataDir, store -> failing = new FailingStore(store));
    replicaA.createNamespace("core");
    token = replicaA.createInstance("acme-prod", "live");
    replicaA.publishLayer("core", "default", "{\"seats\":10}");
    replicaB = ServerFixture.start(dataDir);
  }

  @AfterAll
  static void stop() {
    for (ServerFixture replica : new ServerFixture[] {replicaB, replicaA}) {
      if (replica != null) {
        replica.close();
      }
    }
  }

  @Test
  void A19_publishCommittedButNotAcknowledged_isServedByEveryReplica_andARetryAddsNoRevision() {
    long before = replicaB.server().snapshots().current().revision();
    replicaA.sendJson(
        "PUT", "/v1/admin/namespaces/core/layers/default", replicaA.adminToken(), "{\"seats\":25}");
    failing.failAfterPublishCommit.set(true);

    HttpResponse<byte[]> lost =
        replicaA.sendJson(
            "POST",
            "/v1/admin/namespaces/core/publish",
            replicaA.adminToken(),
            "{\"message\":\"raise seats\"}");

    failing.failAfterPublishCommit.set(false);
    assertProblem(lost, ProblemType.STORE_UNAVAILABLE);
    // Not acknowledged, yet committed: both replicas pick it up from the store.
    for (ServerFixture replica : new ServerFixture[] {replicaA, replicaB}) {
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> json(replica.get(CONFIG, token)).path("content").path("seats").asInt() == 25);
    }
    long committed = replicaB.server().snapshots().current().revision();
    assertThat(committed).isGreaterThan(before);

    // The operator, unsure, retries the same publish.
    replicaA.sendJson(
        "PUT", "/v1/admin/namespaces/core/layers/default", replicaA.adminToken(), "{\"seats\":25}");
    HttpResponse<byte[]> retry =
        replicaA.sendJson(
            "POST",
            "/v1/admin/namespaces/core/publish",
            replicaA.adminToken(),
            "{\"message\":\"raise seats\"}");

    assertProblem(retry, ProblemType.NO_PENDING_CHANGES);
    assertThat(replicaA.admin("GET", "/v1/admin/namespaces/core/history", null).toString())
        .as("one publish of seats 25, not two")
        .containsOnlyOnce("raise seats");
    assertThat(replicaA.get(CONFIG, token).headers().firstValue("Holdfast-Revision"))
        .hasValue(Long.toString(committed));
  }
}
