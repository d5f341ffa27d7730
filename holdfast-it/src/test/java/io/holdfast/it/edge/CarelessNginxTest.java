package io.holdfast.it.edge;

import java.nio.file.Path;

/**
 * Debian's nginx as a careless cache: told to ignore {@code Cache-Control}, {@code Expires} and
 * {@code Set-Cookie} and to keep 200s, 304s, 401s and 404s for ten minutes. Apart from the cache,
 * nginx keeps its defaults (HTTP/1.0 to the replicas), as a careless operator would (FAULTS F6).
 */
class CarelessNginxTest extends CarelessCacheTests {

  @Override
  ProxyFront startCache(Path dir, TwoTenantReplicas replicas) throws Exception {
    return Nginx.start(
        dir,
        replicas.upstream("holdfast", "")
            + """

        proxy_cache_path %s/cache levels=1:2 keys_zone=careless:1m inactive=10m;
        server {
          listen LISTEN;
          location / {
            proxy_pass http://holdfast;
            proxy_cache careless;
            proxy_ignore_headers Cache-Control Expires Set-Cookie;
            proxy_cache_valid 200 304 401 404 10m;
            add_header X-Cache-Status $upstream_cache_status always;
          }
        }
        """
                .formatted(dir));
  }
}
