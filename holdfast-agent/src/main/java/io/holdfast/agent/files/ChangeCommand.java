package io.holdfast.agent.files;

import io.holdfast.agent.metrics.AgentMetrics;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The operator's command run after the mirrored files change (say {@code systemctl reload app}),
 * through {@code /bin/sh -c}, at most once per interval: changes that arrive while it runs or
 * within the interval after it are coalesced into one more run at the interval's end, so a burst of
 * publishes reloads an application once or twice, never once per publish. A command that runs
 * longer than {@link #MAX_RUN} is stopped. Runs on its own thread; thread-safe.
 */
final class ChangeCommand implements AutoCloseable {

  static final Duration MAX_RUN = Duration.ofMinutes(5);

  private static final System.Logger LOG = System.getLogger("io.holdfast.agent");

  private final String command;
  private final Duration interval;
  private final AgentMetrics metrics;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final ScheduledExecutorService runner =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "holdfast-agent-command");
            thread.setDaemon(true);
            return thread;
          });

  /** Real time, like the interval: this paces processes, it measures no grace. */
  private long lastStart = Long.MIN_VALUE;

  ChangeCommand(String command, Duration interval, AgentMetrics metrics) {
    this.command = command;
    this.interval = interval;
    this.metrics = metrics;
  }

  /** Asks for a run; returns at once. */
  void changed() {
    if (!pending.compareAndSet(false, true)) {
      return; // a run is already due and will see this change
    }
    runner.execute(this::schedule);
  }

  /** On the runner's thread: runs now, or once the interval since the last run has passed. */
  private void schedule() {
    long wait =
        lastStart == Long.MIN_VALUE
            ? 0
            : Math.max(0, interval.toNanos() - (System.nanoTime() - lastStart));
    runner.schedule(this::run, wait, TimeUnit.NANOSECONDS);
  }

  private void run() {
    pending.set(false); // cleared first: a change from now on asks for a run of its own
    lastStart = System.nanoTime();
    boolean succeeded = false;
    try {
      Process process =
          new ProcessBuilder("/bin/sh", "-c", command)
              .inheritIO()
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!process.waitFor(MAX_RUN.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        LOG.log(Level.WARNING, "change command stopped after {0}: {1}", MAX_RUN, command);
      } else if (process.exitValue() != 0) {
        LOG.log(Level.WARNING, "change command exited {0}: {1}", process.exitValue(), command);
      } else {
        succeeded = true;
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "change command could not start: {0}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: log and carry on.
      LOG.log(Level.ERROR, "change command failed", e);
    } finally {
      metrics.commandRan(succeeded);
    }
  }

  @Override
  public void close() {
    runner.shutdownNow();
  }
}
