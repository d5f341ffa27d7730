package io.holdfast.it.edge;

/**
 * nginx as docs/operations.md recommends it (section "nginx in front"): HTTP/1.1 with pooled
 * upstream connections, the default 60 s read timeout, no cache, no compression.
 */
class NginxRecommendedTest extends NginxFrontTests {

  @Override
  String httpBlock(TwoTenantReplicas replicas) {
    // The location block as docs/operations.md shows it, without TLS.
    return replicas.upstream("holdfast", "keepalive 32;")
        + """

        server {
          listen LISTEN;
          location / {
            proxy_pass http://holdfast;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_read_timeout 60s;
            proxy_cache off;
            gzip off;
          }
        }
        """;
  }
}
