package io.holdfast.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One replica's admin API as one credential, over an {@link AdminHttp}: the calls every system
 * test's fixture makes to set a replica up (a namespace, instances, a published layer), written
 * once. Any status of 300 or more fails the test with the server's answer.
 *
 * @param http the client, closed by whoever made it
 * @param port the replica's public port
 * @param token the credential, usually the bootstrap admin token
 */
public record AdminApi(AdminHttp http, int port, String token) {

  public AdminApi {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(token, "token");
  }

  /** Any admin call; {@code body} may be {@code null}. */
  public JsonNode call(String method, String path, String body) {
    return http.call(port, token, method, path, body);
  }

  public void createNamespace(String name) {
    call("POST", "/v1/admin/namespaces", "{\"name\":\"" + name + "\"}");
  }

  /** Creates an instance in {@code ring}; returns its credential. */
  public String createInstance(String id, String ring) {
    return call("POST", "/v1/admin/instances", "{\"id\":\"" + id + "\",\"ring\":\"" + ring + "\"}")
        .path("credential")
        .asText();
  }

  /** Stages {@code json} as the layer {@code scope} ({@code default}, {@code instance:<id>}...). */
  public void stage(String namespace, String scope, String json) {
    call("PUT", "/v1/admin/namespaces/" + namespace + "/layers/" + scope, json);
  }

  /** Publishes what is staged in {@code namespace}; returns the new revision. */
  public long publish(String namespace, String message) {
    return call(
            "POST",
            "/v1/admin/namespaces/" + namespace + "/publish",
            "{\"message\":\"" + message + "\"}")
        .path("revision")
        .asLong();
  }

  /** {@link #stage} and {@link #publish} one layer; returns the new revision. */
  public long publishLayer(String namespace, String scope, String json) {
    stage(namespace, scope, json);
    return publish(namespace, "test");
  }
}
