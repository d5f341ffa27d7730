package io.holdfast.it.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * HAProxy as docs/operations.md recommends it (section "HAProxy in front"): TLS terminated at
 * HAProxy, HTTP/1.1 with kept-alive connections to the replicas, {@code timeout server} above the
 * 50 s watch maximum, health checks on {@code /health/ready}, the client's address forwarded in
 * {@code X-Forwarded-For} (FAULTS F7).
 */
class HaproxyFrontTest extends ProxyFrontTests {

  @Override
  ProxyFront startProxy(Path dir, TwoTenantReplicas replicas) throws Exception {
    // The configuration as docs/operations.md shows it, with the test's addresses and files.
    return Haproxy.start(
        dir,
        """
        global
            log stdout format raw local0 info
            maxconn 1024

        defaults
            mode http
            log global
            option httplog
            option forwardfor
            timeout connect 5s
            timeout client 60s
            timeout server 60s
            timeout http-request 10s
            timeout http-keep-alive 60s

        frontend holdfast
            bind LISTEN ssl crt CERTIFICATE alpn http/1.1
            default_backend replicas

        backend replicas
            balance roundrobin
            option httpchk
            http-check send meth GET uri /health/ready
            http-check expect status 200
            server a 127.0.0.1:%d check inter 2s
            server b 127.0.0.1:%d check inter 2s
        """
            .formatted(replicas.ports().get(0), replicas.ports().get(1)));
  }

  @Test
  void
      theClientsAddress_reachesTheReplicas_inXForwardedFor_andAnAddressTheClientWroteIsNotBelieved()
          throws Exception {
    assertThat(auditedLoginAddress("127.0.0.2", null)).isEqualTo("127.0.0.2");
    assertThat(auditedLoginAddress("127.0.0.3", "203.0.113.9")).isEqualTo("127.0.0.3");
  }
}
