package io.holdfast.server.push;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A checksums stream opened by a test: the answer's status and headers, and its blocks (an SSE
 * event or comment, the lines up to a blank line) read on a virtual thread of their own, taken with
 * a deadline so that no test waits forever.
 */
final class OpenStream implements AutoCloseable {

  /** What {@link #next} returns once the server ended the stream. */
  static final List<String> ENDED = List.of("<ended>");

  private final HttpClient http = HttpClient.newHttpClient();
  private final HttpResponse<InputStream> response;
  private final BlockingQueue<List<String>> blocks = new LinkedBlockingQueue<>();

  OpenStream(URI uri, String token, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() == 200) {
      Thread.ofVirtual().start(this::read);
    }
  }

  int status() {
    return response.statusCode();
  }

  String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The body of an answer other than 200 (a stream's is read by {@link #next}). */
  InputStream body() {
    return response.body();
  }

  private void read() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      List<String> block = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isEmpty()) {
          blocks.add(block);
          block = new ArrayList<>();
        } else {
          block.add(line);
        }
      }
    } catch (IOException e) {
      // Closed by the test, or cut: either way the stream is over.
    }
    blocks.add(ENDED);
  }

  /** The next block, or fails if none arrives within {@code wait}. */
  List<String> next(Duration wait) throws InterruptedException {
    List<String> block = blocks.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    if (block == null) {
      throw new AssertionError("nothing arrived on the stream within " + wait);
    }
    return block;
  }

  /** The next event (skipping comments), or fails if none arrives within {@code wait}. */
  List<String> nextEvent(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      List<String> block = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (block == ENDED || !block.get(0).startsWith(":")) {
        return block;
      }
    }
  }

  /** The value of the field {@code name} in an event, or {@code null}. */
  static String field(List<String> event, String name) {
    for (String line : event) {
      if (line.startsWith(name + ": ")) {
        return line.substring(name.length() + 2);
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    response.body().close();
    http.close();
  }
}
