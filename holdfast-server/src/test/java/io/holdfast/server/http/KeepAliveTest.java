package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.ServerFixture;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replica's end of dead-connection detection (FAULTS A21, I10): every connection it accepts has
 * TCP keep-alive on, with its probes starting after {@link HttpApi#KEEPALIVE_IDLE_SECONDS} of
 * silence rather than the kernel's default two hours. Read from the kernel itself with {@code ss},
 * on a real connection.
 */
class KeepAliveTest {

  private static final Pattern KEEPALIVE_TIMER =
      Pattern.compile("timer:\\(keepalive,([0-9.]+)(min|sec|ms)");

  @Test
  void A21_acceptedConnections_probeForADeadPeerAfterThirtySecondsOfSilence(@TempDir Path dir)
      throws Exception {
    try (ServerFixture server = ServerFixture.start(dir);
        Socket client = new Socket("127.0.0.1", server.server().port())) {
      OutputStream out = client.getOutputStream();
      out.write(
          "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = client.getInputStream();
      assertThat(in.read()).as("the replica answered on this connection").isEqualTo('H');

      // The replica's side of this connection: source port = the replica's, peer = our port.
      String filter =
          "( sport = :" + server.server().port() + " and dport = :" + client.getLocalPort() + " )";
      AtomicReference<String> line = new AtomicReference<>("");
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                line.set(ss("-tno", "state", "established", filter));
                // The address may show IPv4-mapped ([::ffff:127.0.0.1]) when the replica listens
                // dual-stack.
                return line.get().contains(":" + client.getLocalPort() + " ");
              });

      Matcher timer = KEEPALIVE_TIMER.matcher(line.get());
      assertThat(timer.find())
          .as("keep-alive timer on the accepted socket: %s", line.get())
          .isTrue();
      double seconds =
          Double.parseDouble(timer.group(1))
              * switch (timer.group(2)) {
                case "min" -> 60;
                case "ms" -> 0.001;
                default -> 1;
              };
      assertThat(seconds).isPositive().isLessThanOrEqualTo(HttpApi.KEEPALIVE_IDLE_SECONDS);
    }
  }

  private static String ss(String... arguments) throws Exception {
    String[] command = new String[arguments.length + 1];
    command[0] = "ss";
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("ss failed: %s", output).isZero();
    return output;
  }
}
