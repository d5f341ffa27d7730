package io.holdfast.agent.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.agent.config.AgentSettings.FileSettings;
import io.holdfast.agent.metrics.AgentMetrics;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.client.Status;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Mirrors each namespace to files for programs that only read files (as consul-template feeds
 * them): {@code <directory>/<namespace>.json} holds the verified content, replaced atomically when
 * a newer document is adopted, and {@code <namespace>.json.status} its status as {@code key=value}
 * lines (status, since, reason, revision, etag, grace_remaining_seconds, written_at), replaced on
 * every status change. A namespace with no document yet has a status file and no content file. The
 * optional {@link ChangeCommand} runs after content changes. Writes happen on one thread of their
 * own, in order, so the SDK's listener thread never waits on a disk; a failed write is logged and
 * counted, and the next event writes the current state again.
 */
public final class FileMirror implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("io.holdfast.agent");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HoldfastConfig config;
  private final Path directory;
  private final ChangeCommand command;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "holdfast-agent-files");
            thread.setDaemon(true);
            return thread;
          });

  private FileMirror(
      HoldfastConfig config, FileSettings settings, AgentMetrics metrics, Clock clock) {
    this.config = config;
    this.directory = settings.directory();
    this.metrics = metrics;
    this.clock = clock;
    this.command =
        settings.command() == null
            ? null
            : new ChangeCommand(settings.command(), settings.commandInterval(), metrics);
  }

  /**
   * Creates the directory, writes every namespace's current state, and follows changes from now on.
   *
   * @throws IOException if the directory cannot be created
   */
  public static FileMirror start(
      HoldfastConfig config, FileSettings settings, AgentMetrics metrics, Clock clock)
      throws IOException {
    Files.createDirectories(settings.directory());
    FileMirror mirror = new FileMirror(config, settings, metrics, clock);
    config.addChangeListener((previous, current) -> mirror.submit(current.namespace(), true));
    config.addStatusListener((namespace, previous, current) -> mirror.submit(namespace, false));
    for (String namespace : config.statuses().keySet()) {
      mirror.submit(namespace, true);
    }
    return mirror;
  }

  /** The content file of a namespace. */
  public static Path contentFile(Path directory, String namespace) {
    return directory.resolve(namespace + ".json");
  }

  public static Path statusFile(Path directory, String namespace) {
    return directory.resolve(namespace + ".json.status");
  }

  private void submit(String namespace, boolean content) {
    try {
      writer.execute(() -> write(namespace, content));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed.
    }
  }

  private void write(String namespace, boolean content) {
    ConfigSnapshot snapshot = config.snapshot(namespace);
    try {
      boolean hasDocument = snapshot.status() != Status.INITIALIZING;
      boolean changed = false;
      if (content && hasDocument) {
        byte[] bytes = JSON.writeValueAsBytes(snapshot.content());
        Path file = contentFile(directory, namespace);
        if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
          AtomicFile.replace(file, bytes);
          changed = true;
        }
      }
      AtomicFile.replace(statusFile(directory, namespace), statusText(snapshot));
      if (changed && command != null) {
        command.changed();
      }
    } catch (IOException | RuntimeException e) {
      metrics.fileWriteFailed();
      LOG.log(Level.WARNING, "files of namespace {0} not written: {1}", namespace, e.toString());
    }
  }

  private byte[] statusText(ConfigSnapshot snapshot) {
    Freshness freshness = snapshot.freshness();
    String text =
        "status="
            + freshness.status().name()
            + "\nsince="
            + freshness.since()
            + "\nreason="
            + freshness.reason().replace('\n', ' ').replace('\r', ' ')
            + "\nrevision="
            + snapshot.revision()
            + "\netag="
            + (snapshot.etag() == null ? "" : snapshot.etag())
            + "\ngrace_remaining_seconds="
            + freshness.graceRemaining().toSeconds()
            + "\nwritten_at="
            + clock.instant()
            + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    writer.shutdown();
    if (command != null) {
      command.close();
    }
  }
}
