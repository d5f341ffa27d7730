package io.holdfast.it.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Varnish as docs/operations.md recommends it (section "Varnish in front"): both replicas behind a
 * round-robin director with health probes on {@code /health/ready}, every request carrying {@code
 * Authorization} passed (never stored, never served from the cache), and {@code
 * first_byte_timeout}/{@code between_bytes_timeout} above the 50 s watch maximum (FAULTS F7).
 * Varnish has no TLS of its own, so this runs in plain HTTP.
 */
class VarnishFrontTest extends ProxyFrontTests {

  /**
   * The VCL as docs/operations.md shows it; {@code REPLICA_A}/{@code REPLICA_B} are the replicas'
   * ports.
   */
  static final String VCL =
      """
      vcl 4.1;
      import directors;

      probe ready {
          .url = "/health/ready";
          .interval = 2s;
          .timeout = 1s;
          .window = 3;
          .threshold = 2;
          .initial = 2;
      }

      backend a {
          .host = "127.0.0.1";
          .port = "REPLICA_A";
          .probe = ready;
          .first_byte_timeout = 60s;
          .between_bytes_timeout = 60s;
      }

      backend b {
          .host = "127.0.0.1";
          .port = "REPLICA_B";
          .probe = ready;
          .first_byte_timeout = 60s;
          .between_bytes_timeout = 60s;
      }

      sub vcl_init {
          new replicas = directors.round_robin();
          replicas.add_backend(a);
          replicas.add_backend(b);
      }

      sub vcl_recv {
          set req.backend_hint = replicas.backend();
          if (req.http.Authorization || req.http.Cookie) {
              return (pass);
          }
      }
      """;

  @Override
  ProxyFront startProxy(Path dir, TwoTenantReplicas replicas) throws Exception {
    return Varnish.start(dir, replicas, VCL);
  }

  @Test
  void
      theClientsAddress_reachesTheReplicas_inXForwardedFor_andAnAddressTheClientWroteIsNotBelieved()
          throws Exception {
    assertThat(auditedLoginAddress("127.0.0.2", null)).isEqualTo("127.0.0.2");
    assertThat(auditedLoginAddress("127.0.0.3", "203.0.113.9")).isEqualTo("127.0.0.3");
  }
}
