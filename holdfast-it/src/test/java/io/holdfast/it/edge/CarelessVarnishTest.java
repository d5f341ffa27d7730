package io.holdfast.it.edge;

import java.nio.file.Path;

/**
 * Debian's Varnish as a careless cache: every request is looked up in the cache, credentials or not
 * (its built-in rule that passes requests with {@code Authorization} is skipped), and every answer
 * is kept for ten minutes whatever its {@code Cache-Control} says. Varnish still keys what it
 * stores by the headers {@code Vary} names, which is all that keeps tenants apart here (FAULTS F6).
 */
class CarelessVarnishTest extends CarelessCacheTests {

  private static final String VCL =
      """
      vcl 4.1;
      import directors;

      backend a { .host = "127.0.0.1"; .port = "REPLICA_A"; }
      backend b { .host = "127.0.0.1"; .port = "REPLICA_B"; }

      sub vcl_init {
          new replicas = directors.round_robin();
          replicas.add_backend(a);
          replicas.add_backend(b);
      }

      sub vcl_recv {
          set req.backend_hint = replicas.backend();
          return (hash);
      }

      sub vcl_backend_response {
          set beresp.ttl = 10m;
          set beresp.grace = 0s;
          unset beresp.http.Cache-Control;
          unset beresp.http.Set-Cookie;
          return (deliver);
      }

      sub vcl_deliver {
          if (obj.hits > 0) {
              set resp.http.X-Cache-Status = "HIT";
          } else {
              set resp.http.X-Cache-Status = "MISS";
          }
      }
      """;

  @Override
  ProxyFront startCache(Path dir, TwoTenantReplicas replicas) throws Exception {
    return Varnish.start(dir, replicas, VCL);
  }
}
