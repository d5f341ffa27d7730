package io.holdfast.bench.push;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Many HTTP/1.1 keep-alive connections driven by one selector thread: the load side of the push
 * benchmark. Ten thousand waiting watches as ten thousand threads (or JDK HttpClients) would cost
 * the benchmark more than the server it measures, on the same two cores; one selector thread costs
 * a few microseconds per response.
 *
 * <p>Deliberately small: one request in flight per connection, responses framed by {@code
 * Content-Length} only (both servers under test send it), no TLS. Everything about a connection
 * happens on the loop thread; other threads hand work over with {@link #execute}.
 */
final class LoadClient implements AutoCloseable {

  /** What a connection's owner hears. Called on the loop thread. */
  interface Handler {
    void onConnected(Conn conn);

    void onResponse(Conn conn, Response response);

    /** The connection failed or the server closed it; {@code conn} is finished. */
    void onClosed(Conn conn, String reason);
  }

  record Response(int status, Map<String, String> headers, byte[] body, long receivedNanos) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** One connection. Its fields belong to the loop thread. */
  final class Conn {
    private final SocketChannel channel;
    private final Handler handler;
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    private ByteBuffer out;
    private boolean open = true;
    Object attachment;

    private Conn(SocketChannel channel, Handler handler) {
      this.channel = channel;
      this.handler = handler;
    }

    /** Sends a request; one at a time. */
    void send(String request) {
      if (!open) {
        return;
      }
      out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
      flush();
    }

    private void flush() {
      try {
        channel.write(out);
        SelectionKey key = channel.keyFor(selector);
        key.interestOps(
            out.hasRemaining()
                ? SelectionKey.OP_WRITE | SelectionKey.OP_READ
                : SelectionKey.OP_READ);
      } catch (IOException e) {
        close("write failed: " + e.getMessage());
      }
    }

    void close(String reason) {
      if (!open) {
        return;
      }
      open = false;
      try {
        channel.close();
      } catch (IOException e) {
        // Closing: nothing to do about it.
      }
      handler.onClosed(this, reason);
    }

    boolean isOpen() {
      return open;
    }
  }

  private record Timer(long dueNanos, long sequence, Runnable task) {}

  private final Selector selector;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>(
          (a, b) ->
              a.dueNanos != b.dueNanos
                  ? Long.compare(a.dueNanos, b.dueNanos)
                  : Long.compare(a.sequence, b.sequence));
  private long timerSequence;
  private final Thread loop;
  private volatile boolean running = true;

  LoadClient() throws IOException {
    selector = Selector.open();
    loop = new Thread(this::run, "load-client");
    loop.setDaemon(true);
    loop.start();
  }

  /** Runs {@code task} on the loop thread. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  /** Runs {@code task} on the loop thread after {@code delayNanos}; call on the loop thread. */
  void schedule(long delayNanos, Runnable task) {
    timers.add(new Timer(System.nanoTime() + delayNanos, timerSequence++, task));
  }

  /** Opens a connection; call on the loop thread. */
  void connect(InetSocketAddress address, Handler handler, Object attachment) {
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Conn conn = new Conn(channel, handler);
      conn.attachment = attachment;
      boolean done = channel.connect(address);
      channel.register(selector, done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, conn);
      if (done) {
        handler.onConnected(conn);
      }
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Already failing.
        }
      }
      Conn failed = new Conn(channel, handler);
      failed.attachment = attachment;
      failed.open = false;
      handler.onClosed(failed, "connect failed: " + e.getMessage());
    }
  }

  private void run() {
    while (running) {
      try {
        long wait = 0;
        Timer next = timers.peek();
        if (next != null) {
          wait = Math.max(1, (next.dueNanos - System.nanoTime()) / 1_000_000);
        }
        if (tasks.isEmpty()) {
          selector.select(wait);
        } else {
          selector.selectNow();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          handle(key);
        }
        selector.selectedKeys().clear();
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().dueNanos <= now) {
          timers.poll().task.run();
        }
      } catch (IOException | RuntimeException e) {
        if (running) {
          e.printStackTrace();
        }
      }
    }
  }

  private void handle(SelectionKey key) {
    Conn conn = (Conn) key.attachment();
    if (!key.isValid() || !conn.open) {
      return;
    }
    try {
      if (key.isConnectable()) {
        conn.channel.finishConnect();
        key.interestOps(SelectionKey.OP_READ);
        conn.handler.onConnected(conn);
        return;
      }
      if (key.isWritable()) {
        conn.flush();
      }
      if (key.isReadable()) {
        int read = conn.channel.read(conn.in);
        if (read < 0) {
          conn.close("closed by the server");
          return;
        }
        Response response;
        while (conn.open && (response = parse(conn.in)) != null) {
          conn.handler.onResponse(conn, response);
        }
      }
    } catch (IOException e) {
      conn.close(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  /** The headers the benchmark reads; the others are skipped without being decoded. */
  private static final String[] WANTED = {
    "content-length", "etag", "holdfast-revision", "retry-after"
  };

  /**
   * One whole response from the start of {@code in}, consumed; {@code null} if incomplete. Scans
   * bytes and decodes only the few headers wanted: this thread serves every connection, so its cost
   * per response bounds the whole fleet's.
   */
  private static Response parse(ByteBuffer in) {
    byte[] data = in.array();
    int length = in.position();
    int headerEnd = -1;
    for (int i = 3; i < length; i++) {
      if (data[i] == '\n' && data[i - 1] == '\r' && data[i - 2] == '\n' && data[i - 3] == '\r') {
        headerEnd = i + 1;
        break;
      }
    }
    if (headerEnd < 0) {
      if (length == data.length) {
        throw new IllegalStateException("response header larger than " + data.length + " bytes");
      }
      return null;
    }
    int status = (data[9] - '0') * 100 + (data[10] - '0') * 10 + (data[11] - '0');
    Map<String, String> headers = new HashMap<>(8);
    int line = indexOf(data, 0, headerEnd, (byte) '\n') + 1;
    while (line < headerEnd - 2) {
      int end = indexOf(data, line, headerEnd, (byte) '\r');
      int colon = indexOf(data, line, end, (byte) ':');
      if (colon > line) {
        for (String name : WANTED) {
          if (colon - line == name.length() && matchesIgnoreCase(data, line, name)) {
            int from = colon + 1;
            while (from < end && data[from] == ' ') {
              from++;
            }
            headers.put(name, new String(data, from, end - from, StandardCharsets.ISO_8859_1));
            break;
          }
        }
      }
      line = end + 2;
    }
    String contentLength = headers.get("content-length");
    int bodyLength = contentLength == null ? 0 : Integer.parseInt(contentLength);
    if (length < headerEnd + bodyLength) {
      return null;
    }
    byte[] body = new byte[bodyLength];
    System.arraycopy(data, headerEnd, body, 0, bodyLength);
    long received = System.nanoTime();
    in.flip();
    in.position(headerEnd + bodyLength);
    in.compact();
    return new Response(status, headers, body, received);
  }

  private static int indexOf(byte[] data, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return to;
  }

  private static boolean matchesIgnoreCase(byte[] data, int offset, String lowerCaseName) {
    for (int i = 0; i < lowerCaseName.length(); i++) {
      int c = data[offset + i];
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      if (c != lowerCaseName.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    running = false;
    selector.wakeup();
    try {
      loop.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey key : selector.keys()) {
      key.channel().close();
    }
    selector.close();
  }
}
