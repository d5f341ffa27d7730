package io.holdfast.it.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.it.AdminApi;
import io.holdfast.it.AdminHttp;
import io.holdfast.it.process.JavaProcess;
import io.holdfast.it.process.ReplicaMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Two real replica processes over one store, with two tenants ({@code tenant-a}, {@code tenant-b}:
 * one instance and one credential each, each with a secret only its own document holds), a second
 * admin and a viewer: what the edge tests put a proxy in front of. Like replicas behind a proxy on
 * their own host, they take the client's address from the forwarding headers of peers on 127.0.0.1
 * ({@code trusted-proxies}). Close it to stop both processes.
 */
final class TwoTenantReplicas implements AutoCloseable {

  static final String ADMIN_TOKEN = "hfa_edge-tests-bootstrap-admin-0123456789abcdef";
  static final String SECRET_A = "a-only-secret-51c2";
  static final String SECRET_B = "b-only-secret-9e7d";

  private final JavaProcess replicaA;
  private final JavaProcess replicaB;
  private final int portA;
  private final int portB;
  private final AdminHttp admin = new AdminHttp();
  private String tokenA;
  private String tokenB;
  private String secondAdmin;
  private String viewer;
  private long revision;

  private TwoTenantReplicas(JavaProcess replicaA, int portA, JavaProcess replicaB, int portB) {
    this.replicaA = replicaA;
    this.portA = portA;
    this.replicaB = replicaB;
    this.portB = portB;
  }

  static TwoTenantReplicas start(Path dir) throws Exception {
    JavaProcess a = replica(dir, "a");
    JavaProcess b = null;
    try {
      int portA = port(a);
      b = replica(dir, "b");
      TwoTenantReplicas replicas = new TwoTenantReplicas(a, portA, b, port(b));
      replicas.seed();
      return replicas;
    } catch (Exception | Error e) {
      if (b != null) {
        b.close();
      }
      a.close();
      throw e;
    }
  }

  private static JavaProcess replica(Path dir, String name) {
    // Port 0: each process takes a free port and names it in its READY line.
    return JavaProcess.java(
        dir.resolve("replica-" + name + ".log"),
        ReplicaMain.class.getName(),
        dir.resolve("data").toString(),
        "0",
        ADMIN_TOKEN,
        "1000",
        "--trusted-proxies=127.0.0.1/32");
  }

  private static int port(JavaProcess replica) throws Exception {
    return ReplicaMain.Ready.of(replica, 60).port();
  }

  private void seed() {
    api().createNamespace("core");
    tokenA = api().createInstance("tenant-a", "live");
    tokenB = api().createInstance("tenant-b", "live");
    secondAdmin =
        admin("POST", "/v1/admin/credentials", "{\"name\":\"second-admin\",\"role\":\"admin\"}")
            .get("token")
            .asText();
    viewer =
        admin("POST", "/v1/admin/credentials", "{\"name\":\"looker\",\"role\":\"viewer\"}")
            .get("token")
            .asText();
    api().stage("core", "default", "{\"plan\":\"standard\"}");
    api().stage("core", "instance:tenant-a", "{\"secret\":\"" + SECRET_A + "\"}");
    api().stage("core", "instance:tenant-b", "{\"secret\":\"" + SECRET_B + "\"}");
    revision = publishCore();
  }

  /** Publishes the staged core layers through replica A and waits until both replicas serve it. */
  long publishCore() {
    long published = api().publish("core", "edge test");
    for (int port : List.of(portA, portB)) {
      Awaitility.await("replica on " + port + " serves revision " + published)
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> servedRevision(port) >= published);
    }
    revision = published;
    return published;
  }

  /** The newest revision a replica serves to either tenant (read with the admin credential). */
  private long servedRevision(int port) {
    return Math.max(
        admin
            .call(port, ADMIN_TOKEN, "GET", "/v1/instances/tenant-a/checksums", null)
            .path("revision")
            .asLong(),
        admin
            .call(port, ADMIN_TOKEN, "GET", "/v1/instances/tenant-b/checksums", null)
            .path("revision")
            .asLong());
  }

  /** Any admin call as the bootstrap admin, straight to replica A (not through nginx). */
  JsonNode admin(String method, String path, String body) {
    return api().call(method, path, body);
  }

  private AdminApi api() {
    return new AdminApi(admin, portA, ADMIN_TOKEN);
  }

  /** The replicas' signature key, as {@code /v1/keys} publishes it. */
  io.holdfast.protocol.signature.VerificationKey key() {
    return io.holdfast.protocol.signature.VerificationKey.fromBase64(
        admin("GET", "/v1/keys", null).get("keys").get(0).get("publicKey").asText());
  }

  String tokenA() {
    return tokenA;
  }

  String tokenB() {
    return tokenB;
  }

  String secondAdmin() {
    return secondAdmin;
  }

  String viewer() {
    return viewer;
  }

  long revision() {
    return revision;
  }

  boolean alive() {
    return replicaA.alive() && replicaB.alive();
  }

  /** The two replicas' instance ports, A's first. */
  List<Integer> ports() {
    return List.of(portA, portB);
  }

  /** The {@code upstream} block for nginx: both replicas, then {@code extra} directives. */
  String upstream(String name, String extra) {
    return "upstream "
        + name
        + " { server 127.0.0.1:"
        + portA
        + "; server 127.0.0.1:"
        + portB
        + "; "
        + extra
        + " }";
  }

  @Override
  public void close() {
    try {
      replicaB.close();
    } finally {
      replicaA.close();
      admin.close();
    }
  }
}
