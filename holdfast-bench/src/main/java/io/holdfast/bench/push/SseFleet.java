package io.holdfast.bench.push;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;

/**
 * A fleet of simulated instances that each hold one checksums event stream ({@code GET
 * /v1/instances/{id}/events}, issue 21) on a socket of its own, all driven by one selector thread
 * as {@link WatchFleet} drives its long polls: a watcher is a channel and a little parser state,
 * never a thread. The parser is the least that reads these streams: an HTTP/1.1 status line and
 * headers, chunked framing (or none), and SSE lines, of which it keeps the {@code id} and the
 * {@code "revision"} member of a {@code checksums} event's data; comments are counted, not kept.
 *
 * <p>A stream that ends reconnects after about a second with {@code Last-Event-ID}, as the SDK
 * does. Every watcher's newest revision, and when it arrived, are readable from any thread.
 */
final class SseFleet implements AutoCloseable {

  private static final long RECONNECT_NANOS = 1_000_000_000L;
  private static final byte[] REVISION_MEMBER = "\"revision\":\"".getBytes(StandardCharsets.UTF_8);

  private final InetSocketAddress address;
  private final IntFunction<String> authorization;
  private final Stream[] streams;
  private final Selector selector;
  private final Thread loop;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<long[]> reconnects =
      new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));

  /** One read buffer for every stream: only the loop thread reads. */
  private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);

  /**
   * The most of a line a stream keeps: a data line's {@code "revision"} member comes after the
   * {@code etag} alone, and the fleet's one thread must not copy every event's base64 body when the
   * same thread's speed bounds the fan-out it measures.
   */
  private static final int LINE_KEPT = 256;

  private volatile boolean running = true;

  /** Newest revision each watcher has heard of, and when (System.nanoTime) it heard it. */
  final AtomicLongArray revision;

  final AtomicLongArray heardAt;

  /** Checksums events with a new revision, per watcher; reset by the benchmark. */
  final AtomicLongArray events;

  /** Streams whose opening comment arrived: the replica holds them. */
  final AtomicInteger open = new AtomicInteger();

  final AtomicInteger failures = new AtomicInteger();
  final AtomicInteger wentBackwards = new AtomicInteger();
  final AtomicInteger keepAlives = new AtomicInteger();

  /** Bytes of the checksums events received (SSE text, without chunk framing), and how many. */
  final AtomicLong eventBytes = new AtomicLong();

  final AtomicLong eventCount = new AtomicLong();

  private enum Part {
    STATUS,
    HEADERS,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_END,
    RAW
  }

  /** One watcher's stream; its fields belong to the loop thread. */
  private final class Stream {
    final int index;
    SocketChannel channel;
    ByteBuffer request;
    Part part;
    boolean chunked;
    boolean opened;
    long chunkLeft;

    /** The start of the line being read (status, header or SSE), and its whole length. */
    final byte[] line = new byte[LINE_KEPT];

    int lineLength;
    int lineTotal;

    /** The event being read: whether it is a checksums event, its revision, its size. */
    boolean checksums;

    long eventRevision = -1;
    int eventSize;
    String lastId;

    Stream(int index) {
      this.index = index;
    }

    void connect() {
      part = Part.STATUS;
      chunked = false;
      opened = false;
      lineLength = 0;
      lineTotal = 0;
      resetEvent();
      String auth = authorization.apply(index);
      request =
          ByteBuffer.wrap(
              ("GET /v1/instances/i-"
                      + index
                      + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                      + (auth == null ? "" : "Authorization: Bearer " + auth + "\r\n")
                      + (lastId == null ? "" : "Last-Event-ID: " + lastId + "\r\n")
                      + "\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      try {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (channel.connect(address)) {
          channel.register(selector, SelectionKey.OP_WRITE, this);
        } else {
          channel.register(selector, SelectionKey.OP_CONNECT, this);
        }
      } catch (IOException e) {
        closed();
      }
    }

    void resetEvent() {
      checksums = false;
      eventRevision = -1;
      eventSize = 0;
    }

    void closed() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Already gone.
        }
      }
      if (opened) {
        open.decrementAndGet();
      }
      opened = false;
      failures.incrementAndGet();
      if (running) {
        reconnects.add(new long[] {System.nanoTime() + RECONNECT_NANOS, index});
      }
    }

    /** Takes the next {@code n} bytes of the HTTP body from {@code data}. */
    void body(ByteBuffer data, int n, long now) {
      byte[] bytes = data.array();
      int from = data.position();
      int to = from + n;
      for (int i = from; i < to; i++) {
        byte b = bytes[i];
        if (b == '\n') {
          sseLine(now);
          lineLength = 0;
          lineTotal = 0;
        } else {
          append(b);
        }
      }
      data.position(to);
    }

    void append(byte b) {
      if (lineLength < line.length) {
        line[lineLength++] = b;
      }
      lineTotal++;
    }

    int lineEnd() {
      return lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
    }

    void sseLine(long now) {
      int end = lineEnd();
      eventSize += lineTotal + 1;
      if (end == 0) {
        if (checksums && eventRevision >= 0) {
          heard(eventRevision, eventSize, now);
        }
        resetEvent();
        return;
      }
      if (line[0] == ':') {
        eventSize = 0; // a comment is not part of an event
        if (!opened) {
          opened = true;
          open.incrementAndGet();
        } else {
          keepAlives.incrementAndGet();
        }
        return;
      }
      if (startsWith("event:")) {
        checksums =
            new String(line, 6, end - 6, StandardCharsets.UTF_8).strip().equals("checksums");
      } else if (startsWith("id:")) {
        lastId = new String(line, 3, end - 3, StandardCharsets.UTF_8).strip();
      } else if (startsWith("data:")) {
        eventRevision = revisionIn(line, end);
      }
    }

    boolean startsWith(String prefix) {
      if (lineLength < prefix.length()) {
        return false;
      }
      for (int i = 0; i < prefix.length(); i++) {
        if (line[i] != prefix.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    void heard(long r, int size, long now) {
      eventBytes.addAndGet(size);
      eventCount.incrementAndGet();
      long before = revision.get(index);
      if (r < before) {
        wentBackwards.incrementAndGet();
      } else if (r > before) {
        revision.set(index, r);
        heardAt.set(index, now);
        events.incrementAndGet(index);
      }
    }

    /** Reads what arrived; returns false once the stream is over. */
    boolean read(long now) throws IOException {
      in.clear();
      int n = channel.read(in);
      if (n < 0) {
        return false;
      }
      in.flip();
      while (in.hasRemaining()) {
        switch (part) {
          case STATUS, HEADERS -> {
            byte b = in.get();
            if (b != '\n') {
              append(b);
              continue;
            }
            String text = new String(line, 0, lineEnd(), StandardCharsets.US_ASCII);
            lineLength = 0;
            lineTotal = 0;
            if (part == Part.STATUS) {
              if (!text.startsWith("HTTP/1.1 200")) {
                return false;
              }
              part = Part.HEADERS;
            } else if (text.isEmpty()) {
              part = chunked ? Part.CHUNK_SIZE : Part.RAW;
            } else if (text.regionMatches(true, 0, "transfer-encoding:", 0, 18)
                && text.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
              chunked = true;
            }
          }
          case CHUNK_SIZE, CHUNK_END -> {
            // The chunk framing shares the line buffer only between SSE lines: keep its bytes
            // apart by reading the size line into the tail of nothing (it is short).
            byte b = in.get();
            if (b != '\n') {
              if (part == Part.CHUNK_SIZE && b != '\r') {
                chunkLeft = chunkLeft * 16 + Character.digit(b, 16);
              }
              continue;
            }
            if (part == Part.CHUNK_END) {
              part = Part.CHUNK_SIZE;
              chunkLeft = 0;
            } else if (chunkLeft == 0) {
              return false; // the last chunk: the stream ended
            } else {
              part = Part.CHUNK_DATA;
            }
          }
          case CHUNK_DATA -> {
            int take = (int) Math.min(chunkLeft, in.remaining());
            body(in, take, now);
            chunkLeft -= take;
            if (chunkLeft == 0) {
              part = Part.CHUNK_END;
            }
          }
          case RAW -> body(in, in.remaining(), now);
        }
      }
      return true;
    }
  }

  /**
   * @param authorization the bearer token of watcher {@code i}, or {@code null} for none
   */
  SseFleet(InetSocketAddress address, int size, IntFunction<String> authorization)
      throws IOException {
    this.address = address;
    this.authorization = authorization;
    this.streams = new Stream[size];
    for (int i = 0; i < size; i++) {
      streams[i] = new Stream(i);
    }
    this.revision = new AtomicLongArray(size);
    this.heardAt = new AtomicLongArray(size);
    this.events = new AtomicLongArray(size);
    this.selector = Selector.open();
    this.loop = new Thread(this::run, "sse-fleet");
    loop.setDaemon(true);
    loop.start();
  }

  /** Opens every stream, {@code perBatch} at a time, a few milliseconds apart. */
  void start(int perBatch) {
    for (int first = 0; first < streams.length; first += perBatch) {
      int from = first;
      int to = Math.min(streams.length, first + perBatch);
      tasks.add(
          () -> {
            for (int i = from; i < to; i++) {
              streams[i].connect();
            }
          });
      selector.wakeup();
      WatchFleet.sleepQuietly(java.time.Duration.ofMillis(20));
    }
  }

  int size() {
    return streams.length;
  }

  /** How many watchers have heard of {@code revision} or a later one. */
  int reached(long target) {
    int n = 0;
    for (int i = 0; i < streams.length; i++) {
      if (revision.get(i) >= target) {
        n++;
      }
    }
    return n;
  }

  void resetEvents() {
    for (int i = 0; i < streams.length; i++) {
      events.set(i, 0);
    }
  }

  private void run() {
    while (running) {
      try {
        long wait = 0;
        long[] next = reconnects.peek();
        if (next != null) {
          wait = Math.max(1, (next[0] - System.nanoTime()) / 1_000_000);
        }
        if (tasks.isEmpty()) {
          selector.select(wait);
        } else {
          selector.selectNow();
        }
        long now = System.nanoTime();
        for (SelectionKey key : selector.selectedKeys()) {
          handle(key, now);
        }
        selector.selectedKeys().clear();
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        now = System.nanoTime();
        while (!reconnects.isEmpty() && reconnects.peek()[0] <= now) {
          streams[(int) reconnects.poll()[1]].connect();
        }
      } catch (IOException | RuntimeException e) {
        if (running) {
          e.printStackTrace();
        }
      }
    }
    // Stopped: the loop owns the channels, so it is the one to close them.
    for (Stream stream : streams) {
      if (stream.channel != null) {
        try {
          stream.channel.close();
        } catch (IOException ignored) {
          // Closing anyway.
        }
      }
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // Nothing more to release.
    }
  }

  private void handle(SelectionKey key, long now) {
    Stream stream = (Stream) key.attachment();
    if (!key.isValid()) {
      return;
    }
    try {
      if (key.isConnectable()) {
        stream.channel.finishConnect();
        key.interestOps(SelectionKey.OP_WRITE);
        return;
      }
      if (key.isWritable()) {
        stream.channel.write(stream.request);
        if (!stream.request.hasRemaining()) {
          stream.request = null;
          key.interestOps(SelectionKey.OP_READ);
        }
        return;
      }
      if (key.isReadable() && !stream.read(now)) {
        key.cancel();
        stream.closed();
      }
    } catch (IOException e) {
      key.cancel();
      stream.closed();
    }
  }

  /** The number after {@code "revision":"} in a data line, or -1. */
  private static long revisionIn(byte[] line, int end) {
    outer:
    for (int i = 5; i + REVISION_MEMBER.length < end; i++) {
      for (int j = 0; j < REVISION_MEMBER.length; j++) {
        if (line[i + j] != REVISION_MEMBER[j]) {
          continue outer;
        }
      }
      long value = 0;
      for (int k = i + REVISION_MEMBER.length; k < end && line[k] >= '0' && line[k] <= '9'; k++) {
        value = value * 10 + (line[k] - '0');
      }
      return value;
    }
    return -1;
  }

  /** Stops the loop, which then closes every stream (see {@link #run}). */
  @Override
  public void close() {
    running = false;
    selector.wakeup();
  }
}
