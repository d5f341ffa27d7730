package io.holdfast.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.agent.AgentMain;
import io.holdfast.it.ReplicaPair;
import io.holdfast.it.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code holdfast agent} as its own process, started from a settings file this writes: the
 * agent's real main ({@link AgentMain}) in a new JVM, on ports it picks (listen on port 0), read
 * from its "serving" line. Close it to stop the process.
 */
final class AgentProcess implements AutoCloseable {

  static final String TOKEN = "agent-it-seat-token-0123456789abcdef";

  private static final Pattern SERVING =
      Pattern.compile(
          "on http://([0-9.]+):(\\d+) \\(health and metrics on http://([0-9.]+):(\\d+)\\)");

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JavaProcess process;
  private final URI base;
  private final URI management;

  private AgentProcess(JavaProcess process, URI base, URI management) {
    this.process = process;
    this.base = base;
    this.management = management;
  }

  /** The settings of an agent; {@link #start} writes them to {@code dir/agent.properties}. */
  static Map<String, String> settings(
      String replicas, String instance, String credential, String trustedKey, Path cache) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("holdfast.replicas", replicas);
    settings.put("holdfast.instance-id", instance);
    settings.put("holdfast.credential", credential);
    settings.put("holdfast.trusted-keys", trustedKey);
    settings.put("holdfast.cache-directory", cache.toString());
    settings.put("holdfast.poll-interval", "200ms");
    settings.put("holdfast.request-timeout", "1s");
    settings.put("holdfast.watch-timeout", "2s");
    settings.put("holdfast.heartbeat-interval", "1s");
    settings.put("holdfast.agent.listen", "127.0.0.1:0");
    settings.put("holdfast.agent.management-listen", "127.0.0.1:0");
    return settings;
  }

  /**
   * The settings of an agent for a new instance of the pair, subscribed to {@code application}
   * ({@code quantity} seats plus {@code overage}, in force for the last 30 days), serving {@code
   * core} and {@code subscriptions} with seats in an SQLite file in {@code dir}.
   */
  static Map<String, String> subscribedSettings(
      ReplicaPair pair,
      Path dir,
      String instance,
      String application,
      long quantity,
      long overage) {
    String credential = pair.createInstance(instance, "live");
    pair.subscribe(
        instance,
        application,
        quantity,
        overage,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(30)));
    Map<String, String> settings =
        settings(
            pair.replicas().get(0) + "," + pair.replicas().get(1),
            instance,
            credential,
            pair.key().toBase64(),
            dir.resolve("cache"));
    settings.put("holdfast.namespaces", "core,subscriptions");
    settings.put("holdfast.agent.seats.jdbc-url", "jdbc:sqlite:" + dir.resolve("seats.db"));
    settings.put("holdfast.agent.token-file", tokenFile(dir).toString());
    return settings;
  }

  /** Whether {@code GET /v1/status} shows every namespace in {@code status}. */
  boolean statusOfEveryNamespace(String status) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(base.resolve("/v1/status")).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode namespaces = JSON.readTree(response.body()).path("namespaces");
    if (namespaces.isEmpty()) {
      return false;
    }
    for (JsonNode entry : namespaces) {
      if (!status.equals(entry.path("status").asText())) {
        return false;
      }
    }
    return true;
  }

  /** Writes the token file the seat settings name (owner-only, as the agent requires). */
  static Path tokenFile(Path dir) {
    try {
      Path file = dir.resolve("seat-token");
      Files.writeString(file, TOKEN + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path writeSettings(Path dir, Map<String, String> settings) {
    StringBuilder text = new StringBuilder();
    settings.forEach(
        (name, value) ->
            text.append(name).append('=').append(value.replace("\\", "\\\\")).append('\n'));
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("agent.properties");
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts an agent and waits for its "serving" line. */
  static AgentProcess start(Path dir, Map<String, String> settings, String... extraArgs)
      throws TimeoutException, InterruptedException {
    JavaProcess process = launch(dir, settings, extraArgs);
    String line;
    try {
      line = process.awaitLine("holdfast agent: serving", 60);
    } catch (RuntimeException | TimeoutException e) {
      process.close();
      throw e;
    }
    Matcher matcher = SERVING.matcher(line);
    if (!matcher.find()) {
      process.close();
      throw new IllegalStateException("unexpected serving line: " + line);
    }
    return new AgentProcess(
        process,
        URI.create("http://" + matcher.group(1) + ":" + matcher.group(2)),
        URI.create("http://" + matcher.group(3) + ":" + matcher.group(4)));
  }

  /** Starts the agent's process without waiting for anything: for tests of refusals. */
  static JavaProcess launch(Path dir, Map<String, String> settings, String... extraArgs) {
    Path file = writeSettings(dir, settings);
    String[] args = new String[2 + extraArgs.length];
    args[0] = "--config";
    args[1] = file.toString();
    System.arraycopy(extraArgs, 0, args, 2, extraArgs.length);
    return JavaProcess.java(
        dir.resolve("agent-" + System.nanoTime() + ".log"), AgentMain.class.getName(), args);
  }

  URI base() {
    return base;
  }

  URI management() {
    return management;
  }

  String host() {
    return base.getHost();
  }

  String port() {
    return Integer.toString(base.getPort());
  }

  @Override
  public void close() {
    process.close();
  }
}
