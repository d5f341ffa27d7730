package io.holdfast.cli;

import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.config.ServerConfigLoader;
import io.holdfast.server.probe.Canary;
import io.holdfast.server.probe.CanaryProber;
import io.holdfast.server.probe.CanaryTarget;
import io.holdfast.server.probe.ProbeCheck;
import io.holdfast.server.probe.ProbeReport;
import io.holdfast.server.probe.ProbeResult;
import io.holdfast.server.probe.ProbeResults;
import io.holdfast.server.probe.SyntheticProbe;
import io.holdfast.server.probe.TargetStatus;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast probe}: the synthetic probe from outside, for cron and CI. Reads one instance's
 * document and checksums from every replica through the public path, verifies them as an SDK would,
 * compares the replicas, prints a table (or the same JSON as {@code GET /v1/admin/probes}), and
 * exits {@value #EXIT_PROBE_FAILED} naming each failed check and replica.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = "Check every replica the way an instance reads it; exit 5 naming what failed.")
final class ProbeCommand implements Callable<Integer> {

  /** A check failed on some replica, or replicas lag or diverge. */
  static final int EXIT_PROBE_FAILED = 5;

  @Spec CommandSpec spec;

  @Option(
      names = "--replica",
      paramLabel = "URL",
      required = true,
      description = "A replica's base URL; repeat for every replica.")
  List<URI> replicas;

  @Option(
      names = "--instance",
      paramLabel = "ID",
      defaultValue = Canary.INSTANCE,
      description = "Instance to read (default ${DEFAULT-VALUE}).")
  String instance;

  @Option(
      names = "--credential",
      paramLabel = "TOKEN",
      defaultValue = "${env:HOLDFAST_PROBE_CREDENTIAL}",
      description =
          "The instance's credential, or an admin token (env HOLDFAST_PROBE_CREDENTIAL, else HOLDFAST_TOKEN).")
  String credential;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      defaultValue = Canary.NAMESPACE,
      description = "Namespace to fetch (default ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--trust-key",
      paramLabel = "FILE|BASE64",
      description =
          "A public key to verify signatures with: a PEM file (a replica's signing-key.pem will do), "
              + "a file with the base64 key, or the base64 itself as /v1/keys shows it; repeatable.")
  List<String> trustKeys = new ArrayList<>();

  @Option(
      names = "--pin-key-id",
      paramLabel = "KEYID",
      description =
          "Instead of --trust-key: fetch /v1/keys from the first replica and trust only the key with this id.")
  String pinKeyId;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      description = "Probe every DURATION (5s, 1m) until stopped; omit to probe once and exit.")
  String interval;

  @Option(
      names = "--lag-tolerance",
      paramLabel = "DURATION",
      defaultValue = "0s",
      description =
          "How long a replica may be behind before it counts as lagging (default ${DEFAULT-VALUE}).")
  String lagTolerance;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "3s",
      description = "Deadline of each request (default ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      defaultValue = "${env:HOLDFAST_CACERT}",
      description =
          "PEM bundle of the certificate authorities to trust for https replicas, instead of the JDK's "
              + "(env HOLDFAST_CACERT).")
  Path caCert;

  @Option(names = "--json", description = "Print JSON, as GET /v1/admin/probes answers.")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    String token = credential != null ? credential : System.getenv("HOLDFAST_TOKEN");
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException(
          "give --credential, HOLDFAST_PROBE_CREDENTIAL or HOLDFAST_TOKEN");
    }
    Duration deadline = ServerConfigLoader.duration("--timeout", timeout);
    List<VerificationKey> keys = trustedKeys(deadline);
    ProbeResults results =
        new ProbeResults(
            ServerConfigLoader.duration("--lag-tolerance", lagTolerance), Clock.systemUTC());
    CanaryProber prober =
        new CanaryProber(
            new CanaryTarget(instance, token, namespace),
            keys,
            deadline,
            Clock.systemUTC(),
            sslContext());
    try (SyntheticProbe probe = new SyntheticProbe(prober, replicas, results)) {
      if (interval == null) {
        probe.runRound();
        return report(results);
      }
      Duration every = ServerConfigLoader.duration("--interval", interval);
      while (true) {
        probe.runRound();
        report(results);
        Thread.sleep(every); // a foreground command paced by the operator; Ctrl-C ends it
      }
    }
  }

  private javax.net.ssl.SSLContext sslContext() {
    return caCert == null ? null : io.holdfast.protocol.tls.CaBundle.sslContext(caCert);
  }

  /** Prints the statuses; returns the exit code they call for. */
  private int report(ProbeResults results) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<TargetStatus> statuses = results.statuses();
    if (json) {
      AdminOptions.print(out, ProbeReport.toJson(statuses, results.lastRound().orElse(null)));
    } else {
      printTable(out, statuses);
    }
    boolean healthy = true;
    for (TargetStatus status : statuses) {
      ProbeResult r = status.latest();
      if (!r.passed()) {
        err.printf(
            "probe failed: %s on %s: %s%n", r.failedCheck().label(), status.target(), r.failure());
      }
      if (status.lagging()) {
        err.printf(
            "probe failed: lagging on %s: revision %d, checksums revision %d, behind its peers since %s%n",
            status.target(), status.revision(), status.checksumsRevision(), status.behindSince());
      }
      if (status.diverged()) {
        err.printf(
            "probe failed: diverged on %s: another replica serves different content for revision %d%n",
            status.target(), status.revision());
      }
      healthy &= status.healthy();
    }
    err.flush();
    return healthy ? 0 : EXIT_PROBE_FAILED;
  }

  private static void printTable(PrintWriter out, List<TargetStatus> statuses) {
    out.printf(
        "%-32s %-26s %-8s %-9s %-6s %-6s %-7s %-9s %8s  %s%n",
        "REPLICA",
        "VERSION",
        "CONTENT",
        "CHECKSUMS",
        "304",
        "SIG",
        "REV",
        "STATE",
        "LATENCY",
        "FIRST FAILURE");
    for (TargetStatus s : statuses) {
      ProbeResult r = s.latest();
      String state =
          s.diverged() ? "DIVERGED" : s.lagging() ? "LAGGING" : s.healthy() ? "ok" : "FAILING";
      out.printf(
          "%-32s %-26s %-8s %-9s %-6s %-6s %-7d %-9s %6d ms  %s%n",
          s.target(),
          r.release().label(),
          s.contentAvailable() ? "ok" : "DOWN",
          s.checksumsAvailable() ? "ok" : "DOWN",
          r.outcome(ProbeCheck.NOT_MODIFIED).label(),
          r.outcome(ProbeCheck.SIGNATURE).label(),
          r.revision(),
          state,
          r.latency().toMillis(),
          r.passed() ? "-" : r.failedCheck().label() + ": " + r.failure());
    }
    out.flush();
  }

  private List<VerificationKey> trustedKeys(Duration deadline) throws InterruptedException {
    return TrustedKeyArguments.resolve(
        trustKeys, pinKeyId, replicas.get(0), deadline, sslContext());
  }
}
