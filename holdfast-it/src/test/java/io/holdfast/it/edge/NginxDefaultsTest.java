package io.holdfast.it.edge;

/**
 * nginx with its default upstream settings: what an operator writes first, a plain {@code
 * proxy_pass} to an upstream of the two replicas. nginx then speaks HTTP/1.0 to them ({@code
 * Connection: close}, a new connection per request), waits 60 s for an answer ({@code
 * proxy_read_timeout}) and marks a replica down after one failure (FAULTS F4, F7).
 */
class NginxDefaultsTest extends NginxFrontTests {

  @Override
  String httpBlock(TwoTenantReplicas replicas) {
    return replicas.upstream("holdfast", "")
        + """

        server {
          listen LISTEN;
          location / {
            proxy_pass http://holdfast;
          }
        }
        """;
  }
}
