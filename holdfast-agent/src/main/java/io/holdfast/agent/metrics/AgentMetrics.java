package io.holdfast.agent.metrics;

import io.holdfast.client.FetchEvent;
import io.holdfast.client.FetchListener;
import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.client.Status;
import io.holdfast.client.seats.Admission;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's metrics in the Prometheus text format (0.0.4), written by hand: a dozen series do not
 * justify a metrics library on the class path of a daemon meant to start in milliseconds. Labels
 * are low-cardinality (endpoint, status code, outcome, namespace); no user or application id ever
 * becomes a label. Thread-safe.
 */
public final class AgentMetrics implements FetchListener {

  private final ConcurrentMap<String, LongAdder> answers = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> seatDecisions = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> fetches = new ConcurrentHashMap<>();
  private final LongAdder commandRuns = new LongAdder();
  private final LongAdder commandFailures = new LongAdder();
  private final LongAdder fileWriteFailures = new LongAdder();

  /** One answer of an endpoint, by status code. */
  public void answered(String endpoint, int status) {
    count(answers, "endpoint=\"" + endpoint + "\",code=\"" + status + "\"");
  }

  public void seatDecided(Admission.Outcome outcome) {
    count(seatDecisions, "outcome=\"" + outcome.name() + "\"");
  }

  public void commandRan(boolean succeeded) {
    commandRuns.increment();
    if (!succeeded) {
      commandFailures.increment();
    }
  }

  public void fileWriteFailed() {
    fileWriteFailures.increment();
  }

  @Override
  public void onFetch(FetchEvent event) {
    count(
        fetches, "kind=\"" + event.kind().name() + "\",outcome=\"" + event.outcome().name() + "\"");
  }

  private static void count(ConcurrentMap<String, LongAdder> counters, String labels) {
    counters.computeIfAbsent(labels, l -> new LongAdder()).increment();
  }

  /** The exposition of every series, with the namespaces' state read from {@code config} now. */
  public byte[] scrape(HoldfastConfig config) {
    StringBuilder out = new StringBuilder(2048);
    counters(out, "holdfast_agent_requests_total", "Answers of the agent's API.", answers);
    counters(
        out,
        "holdfast_agent_seat_decisions_total",
        "Seat admissions decided, by outcome.",
        seatDecisions);
    counters(
        out,
        "holdfast_agent_replica_requests_total",
        "The agent's requests to replicas, by kind and outcome.",
        fetches);
    Map<String, Freshness> statuses = new TreeMap<>(config.statuses());
    out.append("# HELP holdfast_agent_namespace_status 1 for the namespace's current status.\n");
    out.append("# TYPE holdfast_agent_namespace_status gauge\n");
    statuses.forEach(
        (namespace, freshness) -> {
          for (Status status : Status.values()) {
            out.append("holdfast_agent_namespace_status{namespace=\"")
                .append(namespace)
                .append("\",status=\"")
                .append(status.name())
                .append("\"} ")
                .append(freshness.status() == status ? 1 : 0)
                .append('\n');
          }
        });
    out.append("# HELP holdfast_agent_grace_remaining_seconds Grace left before EXPIRED.\n");
    out.append("# TYPE holdfast_agent_grace_remaining_seconds gauge\n");
    statuses.forEach(
        (namespace, freshness) ->
            out.append("holdfast_agent_grace_remaining_seconds{namespace=\"")
                .append(namespace)
                .append("\"} ")
                .append(freshness.graceRemaining().toSeconds())
                .append('\n'));
    single(out, "holdfast_agent_command_runs_total", "Change commands run.", commandRuns);
    single(
        out,
        "holdfast_agent_command_failures_total",
        "Change commands that failed.",
        commandFailures);
    single(
        out,
        "holdfast_agent_file_write_failures_total",
        "Mirror files not written.",
        fileWriteFailures);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void counters(
      StringBuilder out, String name, String help, Map<String, LongAdder> series) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    new TreeMap<>(series)
        .forEach(
            (labels, value) ->
                out.append(name)
                    .append('{')
                    .append(labels)
                    .append("} ")
                    .append(value.sum())
                    .append('\n'));
  }

  private static void single(StringBuilder out, String name, String help, LongAdder value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    out.append(name).append(' ').append(value.sum()).append('\n');
  }
}
