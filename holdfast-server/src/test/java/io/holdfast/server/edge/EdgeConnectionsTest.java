package io.holdfast.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.server.config.EdgeSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EdgeConnections} over real loopback sockets, with its clock driven: the test is the accept
 * loop, so every deadline and cap is exercised without Helidon and without waiting.
 */
class EdgeConnectionsTest {

  private static final Duration IDLE = Duration.ofSeconds(75);
  private static final Duration HEADER = Duration.ofSeconds(10);
  private static final Duration REQUEST = Duration.ofSeconds(30);

  private final AtomicLong now = new AtomicLong();
  private final List<AutoCloseable> open = new ArrayList<>();
  private ServerSocketChannel listener;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (listener != null) {
      listener.close();
    }
  }

  private EdgeConnections connections(int max, int perAddress) throws IOException {
    listener =
        ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    EdgeSettings settings = new EdgeSettings(IDLE, HEADER, REQUEST, max, perAddress, 4, 4, 1);
    return new EdgeConnections(settings, max, now::get, new ClientMistakeLog(now::get));
  }

  /** A client from {@code from}, and the server's side of it, accepted as Helidon would. */
  private Socket client(String from) throws IOException {
    Socket client = new Socket();
    client.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    client.connect(listener.getLocalAddress());
    open.add(client);
    return client;
  }

  private SocketChannel accept() throws IOException {
    SocketChannel server = listener.accept();
    open.add(server);
    return server;
  }

  private static boolean closedByServer(Socket client) throws IOException {
    client.setSoTimeout(2_000);
    InputStream in = client.getInputStream();
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  @Test
  void F2_aConnectionWithoutItsHead_isEndedAtTheHeaderDeadline_notBefore() throws IOException {
    EdgeConnections connections = connections(100, 10);
    Socket client = client("127.0.0.1");
    SocketChannel server = accept();
    connections.accepted(server);
    now.addAndGet(HEADER.toNanos());
    connections.sweep();
    assertThat(server.isOpen()).as("at the deadline, not past it").isTrue();
    now.addAndGet(1);
    connections.sweep();
    assertThat(server.isOpen()).isFalse();
    assertThat(connections.ended(EdgeConnections.Reason.HEADER_TIMEOUT)).isEqualTo(1);
    assertThat(closedByServer(client)).isTrue();
    connections.sweep();
    assertThat(connections.open()).as("forgotten once closed").isZero();
  }

  @Test
  void F2_idleAndRequestDeadlines_followThePhase_andWatchesAreExempt() throws IOException {
    EdgeConnections connections = connections(100, 10);
    client("127.0.0.1");
    SocketChannel idle = accept();
    connections.accepted(idle);
    client("127.0.0.1");
    SocketChannel busy = accept();
    connections.accepted(busy);
    client("127.0.0.1");
    SocketChannel watching = accept();
    connections.accepted(watching);
    connections.find(idle.getRemoteAddress()).enter(EdgeConnections.Phase.IDLE, now.get());
    connections.find(busy.getRemoteAddress()).enter(EdgeConnections.Phase.IN_REQUEST, now.get());
    connections.watching(watching.getRemoteAddress());

    now.addAndGet(REQUEST.toNanos() + 1);
    connections.sweep();
    assertThat(connections.find(busy.getRemoteAddress()).endedFor)
        .isEqualTo(EdgeConnections.Reason.REQUEST_TIMEOUT);
    assertThat(connections.find(idle.getRemoteAddress()).endedFor).isNull();

    now.addAndGet(IDLE.toNanos());
    connections.sweep();
    assertThat(connections.find(idle.getRemoteAddress()).endedFor)
        .isEqualTo(EdgeConnections.Reason.IDLE_TIMEOUT);
    assertThat(connections.find(watching.getRemoteAddress()).endedFor)
        .as("a waiting watch has no deadline here")
        .isNull();
  }

  @Test
  void F2_theConnectionOverThePerAddressCap_isAnswered503AndRefused_otherAddressesAreNot()
      throws IOException {
    EdgeConnections connections = connections(100, 2);
    for (int i = 0; i < 2; i++) {
      client("127.0.0.2");
      connections.accepted(accept());
    }
    Socket third = client("127.0.0.2");
    SocketChannel thirdServer = accept();
    assertThatThrownBy(() -> connections.accepted(thirdServer))
        .isInstanceOf(ConnectionRefusedException.class);
    third.setSoTimeout(2_000);
    String answer = new String(third.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertThat(answer)
        .startsWith("HTTP/1.1 503 ")
        .contains("Retry-After: 1")
        .contains("too-many-connections");
    assertThat(connections.refusedPerAddress()).isEqualTo(1);

    client("127.0.0.3");
    connections.accepted(accept());
    assertThat(connections.open()).isEqualTo(3);
  }

  @Test
  void F1_atTheTotalCap_anIdleConnectionOfTheHeaviestAddressMakesRoom_forALighterOne()
      throws IOException {
    EdgeConnections connections = connections(3, 10);
    List<SocketChannel> flood = new ArrayList<>();
    List<Socket> floodClients = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      floodClients.add(client("127.0.0.2"));
      SocketChannel s = accept();
      connections.accepted(s);
      now.addAndGet(1);
      flood.add(s);
    }
    client("127.0.0.1");
    connections.accepted(accept());
    assertThat(connections.ended(EdgeConnections.Reason.EVICTED)).isEqualTo(1);
    assertThat(closedByServer(floodClients.get(0)))
        .as("the oldest of the heaviest address")
        .isTrue();

    // The flooding address itself gets no room that way: refused.
    Socket more = client("127.0.0.2");
    SocketChannel moreServer = accept();
    connections.sweep();
    assertThatThrownBy(() -> connections.accepted(moreServer))
        .isInstanceOf(ConnectionRefusedException.class);
    assertThat(connections.refusedAtCapacity()).isEqualTo(1);
    assertThat(more.isConnected()).isTrue();
  }

  @Test
  void F1_aClientReusingThePortOfAConnectionClosedBeforeTheSweep_isCountedOnce()
      throws IOException {
    EdgeConnections connections = connections(100, 10);
    Socket first = new Socket();
    first.setReuseAddress(true);
    first.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.4"), 0));
    int localPort = first.getLocalPort();
    first.connect(listener.getLocalAddress());
    SocketChannel firstServer = accept();
    connections.accepted(firstServer);
    // The server closes first (its side waits out TIME_WAIT, the client's does not), then the
    // client.
    firstServer.close();
    closedByServer(first);
    first.close();

    Socket again = new Socket();
    open.add(again);
    again.setReuseAddress(true);
    again.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.4"), localPort));
    again.connect(listener.getLocalAddress());
    SocketChannel againServer = accept();
    assertThat(againServer.getRemoteAddress())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.4"), localPort));
    connections.accepted(againServer);
    assertThat(connections.open())
        .as("the closed one no longer counts, though no sweep ran")
        .isEqualTo(1);
    connections.sweep();
    assertThat(connections.open()).isEqualTo(1);
    againServer.close();
    connections.sweep();
    assertThat(connections.open()).isZero();
  }
}
