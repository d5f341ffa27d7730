package io.holdfast.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.it.ReplicaPair;
import io.holdfast.it.process.JavaProcess;
import io.holdfast.testkit.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code holdfast agent} as a real process against two real replicas (each behind a fault proxy),
 * read by the documented example clients as real programs: the Python one on the standard library
 * and the C one compiled here with gcc. Each test has its own instance (its own subscription and
 * instance layer), agent process and cache, so none depends on another's state.
 */
@Timeout(180)
class AgentSystemTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APPLICATION = "crm";
  private static final ConditionFactory EVENTUALLY =
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  @TempDir static Path shared;
  @TempDir Path dir;

  private static ReplicaPair pair;
  private static ExampleClients clients;
  private final HttpClient http = HttpClient.newHttpClient();
  private AgentProcess agent;

  @BeforeAll
  static void replicas() throws Exception {
    pair = ReplicaPair.start(shared.resolve("replicas"));
    pair.createNamespace("core");
    pair.publish("core", "default", "{\"greeting\":\"hello\",\"timeoutSeconds\":30}");
    pair.createApplication(APPLICATION);
    clients = ExampleClients.build(shared);
  }

  @AfterAll
  static void stop() {
    pair.close();
  }

  @AfterEach
  void heal() {
    pair.proxyA().clear();
    pair.proxyB().clear();
    if (agent != null) {
      agent.close();
    }
  }

  /** A new instance with {@code quantity} seats of the application; returns its settings. */
  private Map<String, String> instance(long quantity, long overage) {
    return AgentProcess.subscribedSettings(
        pair, dir, "agent-it-" + INSTANCES.incrementAndGet(), APPLICATION, quantity, overage);
  }

  private void awaitStatus(AgentProcess agent, String status) {
    EVENTUALLY.until(() -> agent.statusOfEveryNamespace(status));
  }

  private Map<String, String> pythonRead(String path) throws Exception {
    return path == null
        ? clients.python("read", agent.base().toString(), "core")
        : clients.python("read", agent.base().toString(), "core", path);
  }

  private Map<String, String> cRead(String path) throws Exception {
    return clients.c("read", agent.host(), agent.port(), "core", path);
  }

  private Map<String, String> pythonAdmit(String user) throws Exception {
    return clients.python("admit", agent.base().toString(), APPLICATION, user, AgentProcess.TOKEN);
  }

  private Map<String, String> cAdmit(String user) throws Exception {
    return clients.c("admit", agent.host(), agent.port(), APPLICATION, user, AgentProcess.TOKEN);
  }

  @Test
  void pythonAndC_readValuesWithTheirStatus_andGetSeatsUpToTheSubscription() throws Exception {
    Map<String, String> settings = instance(1, 1);
    agent = AgentProcess.start(dir, settings);
    awaitStatus(agent, "FRESH");

    Map<String, String> python = pythonRead("greeting");
    assertThat(python).containsEntry("exit", "0").containsEntry("value", "\"hello\"");
    assertThat(python).containsEntry("status", "FRESH");
    assertThat(python.get("revision")).matches("[1-9][0-9]*");
    assertThat(python.get("etag")).startsWith("\"");
    assertThat(Long.parseLong(python.get("grace_remaining_seconds"))).isPositive();
    Map<String, String> c = cRead("timeoutSeconds");
    assertThat(c).containsEntry("exit", "0").containsEntry("value", "30");
    assertThat(c)
        .containsEntry("status", "FRESH")
        .containsEntry("revision", python.get("revision"));

    // One seat plus one overage: two users in, the third refused, a holder let in again.
    EVENTUALLY.until(() -> "ADMITTED".equals(pythonAdmit("ann").get("outcome")));
    assertThat(cAdmit("bob")).containsEntry("outcome", "ADMITTED").containsEntry("status", "FRESH");
    assertThat(pythonAdmit("cid")).containsEntry("outcome", "DENIED_LIMIT_REACHED");
    assertThat(cAdmit("cid")).containsEntry("outcome", "DENIED_LIMIT_REACHED");
    assertThat(cAdmit("ann")).containsEntry("outcome", "ADMITTED");

    // Heartbeats say they come from the agent, with the seats its store holds.
    String heartbeat = "/v1/admin/instances/" + settings.get("holdfast.instance-id") + "/heartbeat";
    EVENTUALLY
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode body = pair.admin("GET", heartbeat, null).path("heartbeat");
              return body.path("sdkVersion").asText().endsWith(" (holdfast-agent)")
                  && body.path("seatsInUse").path(APPLICATION).asLong() == 2;
            });
  }

  @Test
  void aPublish_reachesThePythonClientWaitingOnTheWatch() throws Exception {
    Map<String, String> settings = instance(1, 0);
    agent = AgentProcess.start(dir, settings);
    awaitStatus(agent, "FRESH");
    Map<String, String> before = pythonRead(null);
    assertThat(before).containsEntry("exit", "0");

    // Nothing changes: the watch is held for its whole second and ends unchanged.
    assertThat(clients.python("watch", agent.base().toString(), "core", before.get("etag"), "1"))
        .containsEntry("exit", "0")
        .containsEntry("changed", "false")
        .containsEntry("status", "FRESH");

    // A publish while a watch waits ends it with the new document (one arriving after the publish
    // sees the newer ETag at once: no change is lost either way).
    CompletableFuture<Map<String, String>> watch =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return clients.python(
                    "watch", agent.base().toString(), "core", before.get("etag"), "60");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    long revision =
        pair.publish(
            "core",
            "instance:" + settings.get("holdfast.instance-id"),
            "{\"greeting\":\"hello again\"}");

    Map<String, String> changed = watch.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(changed).containsEntry("exit", "0").containsEntry("changed", "true");
    assertThat(changed).containsEntry("revision", Long.toString(revision));
    assertThat(changed.get("value")).contains("\"greeting\": \"hello again\"");
    assertThat(cRead("greeting")).containsEntry("value", "\"hello again\"");
  }

  @Test
  void
      theIncident_checksumsAndContentBroken_everyClientReadsStaleValuesWithTheReason_andHoldersAreAdmitted()
          throws Exception {
    agent = AgentProcess.start(dir, instance(2, 0));
    awaitStatus(agent, "FRESH");
    EVENTUALLY.until(() -> "ADMITTED".equals(pythonAdmit("ann").get("outcome")));
    assertThat(cAdmit("bob")).containsEntry("outcome", "ADMITTED");

    // FAULTS.md A9: the checksum data, then the content, unavailable through both replicas,
    // as 500s on one and broken bodies on the other.
    pair.proxyA().fault("/checksums", Fault.status(500));
    pair.proxyA().fault("/watch", Fault.status(500));
    pair.proxyB().fault("/checksums", Fault.truncate(7));
    pair.proxyB().fault("/watch", Fault.emptyBody());
    pair.proxyA().fault("/config/", Fault.status(500));
    pair.proxyB().fault("/config/", Fault.flipByte());
    awaitStatus(agent, "STALE");

    for (Map<String, String> read : List.of(pythonRead("greeting"), cRead("greeting"))) {
      assertThat(read).containsEntry("exit", "0").containsEntry("value", "\"hello\"");
      assertThat(read).containsEntry("status", "STALE");
      assertThat(read.get("reason")).isNotBlank();
      assertThat(Long.parseLong(read.get("grace_remaining_seconds"))).isPositive();
    }
    for (Map<String, String> admit :
        List.of(pythonAdmit("ann"), cAdmit("bob"), cAdmit("ann"), pythonAdmit("bob"))) {
      assertThat(admit).containsEntry("outcome", "ADMITTED").containsEntry("status", "STALE");
    }
    // The quantity in force is the last verified one: a third user is still refused.
    assertThat(pythonAdmit("cid")).containsEntry("outcome", "DENIED_LIMIT_REACHED");

    pair.proxyA().clear();
    pair.proxyB().clear();
    awaitStatus(agent, "FRESH");
  }

  @Test
  void aRestart_withEveryReplicaDown_servesTheDiskCache() throws Exception {
    Map<String, String> settings = instance(1, 0);
    agent = AgentProcess.start(dir, settings);
    awaitStatus(agent, "FRESH");
    EVENTUALLY.until(() -> "ADMITTED".equals(pythonAdmit("ann").get("outcome")));
    agent.close();

    pair.proxyA().fault(Fault.refuseConnections());
    pair.proxyB().fault(Fault.refuseConnections());
    agent = AgentProcess.start(dir, settings);

    Map<String, String> c = cRead("greeting");
    assertThat(c).containsEntry("exit", "0").containsEntry("value", "\"hello\"");
    assertThat(c).containsEntry("status", "STALE");
    assertThat(pythonRead("timeoutSeconds")).containsEntry("value", "30");
    // The seat store is the tenant's file: the holder is let in with the replicas still down.
    EVENTUALLY.until(() -> "ADMITTED".equals(cAdmit("ann").get("outcome")));
  }

  @Test
  void aNamespaceNeverHad_withEveryReplicaDown_is503WithItsStatus_untilAReplicaServesIt()
      throws Exception {
    pair.proxyA().fault(Fault.refuseConnections());
    pair.proxyB().fault(Fault.refuseConnections());
    agent = AgentProcess.start(dir, instance(1, 0));

    HttpResponse<String> none = get("/v1/config/core");
    assertProblem(none, 503, "no-document");
    assertThat(none.headers().firstValue("Holdfast-Status")).hasValue("INITIALIZING");
    assertThat(none.headers().firstValue("Retry-After")).hasValue("1");
    Map<String, String> c = cRead("greeting");
    assertThat(c).containsEntry("exit", "1").containsEntry("status", "INITIALIZING");

    pair.proxyA().clear();
    pair.proxyB().clear();
    EVENTUALLY.until(() -> get("/v1/config/core").statusCode() == 200);
    assertThat(cRead("greeting")).containsEntry("value", "\"hello\"");
  }

  @Test
  void aPublicAddress_withoutTheFlag_refusesToStart_withAPreciseMessage() throws Exception {
    Map<String, String> settings = instance(1, 0);
    settings.put("holdfast.agent.listen", "0.0.0.0:0");
    JavaProcess refused = AgentProcess.launch(dir, settings);
    try {
      assertThat(refused.awaitExit(60)).isEqualTo(2);
      assertThat(String.join("\n", refused.output()))
          .contains("holdfast.agent.listen: 0.0.0.0:0 is not a loopback address")
          .contains("--allow-public-address")
          .doesNotContain("holdfast agent: serving");
    } finally {
      refused.close();
    }
  }

  @Test
  void badInput_getsProblems_andChangesNothing() throws Exception {
    agent = AgentProcess.start(dir, instance(1, 0));
    awaitStatus(agent, "FRESH");

    assertProblem(get("/v1/config/unknown"), 404, "namespace-not-found");
    assertProblem(get("/v1/config/Not_A_Name"), 400, "invalid-name");
    assertProblem(get("/v1/config/core?wait=forever"), 400, "invalid-request");
    assertProblem(get("/v1/config/core?colour=blue"), 400, "invalid-request");
    assertProblem(get("/v1/config/core?path=absent.value"), 404, "no-value");
    assertProblem(admit("crm", "{\"user\":\"\"}", AgentProcess.TOKEN), 400, "invalid-name");
    assertProblem(
        admit("crm", "{\"user\":\"a\\u0000b\"}", AgentProcess.TOKEN), 400, "invalid-name");
    assertProblem(
        admit("crm", "{\"user\":\"" + "x".repeat(256) + "\"}", AgentProcess.TOKEN),
        400,
        "invalid-name");
    assertProblem(admit("crm", "{\"user\":42}", AgentProcess.TOKEN), 400, "invalid-request");
    assertProblem(
        admit("crm", "{\"user\":\"ann\",\"role\":\"x\"}", AgentProcess.TOKEN),
        400,
        "unknown-field");
    assertProblem(admit("crm", "{\"user\":", AgentProcess.TOKEN), 400, "malformed-json");
    assertProblem(admit("CRM!", "{\"user\":\"ann\"}", AgentProcess.TOKEN), 400, "invalid-name");
    assertProblem(
        admit("crm", "{\"user\":\"" + "x".repeat(10_000) + "\"}", AgentProcess.TOKEN),
        413,
        "document-too-large");
    assertProblem(admit("crm", "{\"user\":\"ann\"}", "not-the-token"), 401, "unauthenticated");

    // Nothing above took a seat: the one seat is still free for the first valid request.
    HttpResponse<String> first = admit("crm", "{\"user\":\"dan\"}", AgentProcess.TOKEN);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Holdfast-Seat-Outcome")).hasValue("ADMITTED");
    HttpResponse<String> second = admit("crm", "{\"user\":\"eve\"}", AgentProcess.TOKEN);
    assertThat(second.headers().firstValue("Holdfast-Seat-Outcome"))
        .hasValue("DENIED_LIMIT_REACHED");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(agent.base().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> admit(String application, String body, String token)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(agent.base() + "/v1/seats/" + application + "/admit"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertProblem(HttpResponse<String> response, int status, String slug)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.path("type").asText()).isEqualTo("urn:holdfast:problem:" + slug);
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("detail").asText()).isNotBlank();
  }
}
