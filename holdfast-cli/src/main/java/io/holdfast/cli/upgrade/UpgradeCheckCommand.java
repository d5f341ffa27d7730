package io.holdfast.cli.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.cli.AdminClient;
import io.holdfast.cli.AdminOptions;
import io.holdfast.cli.TrustedKeyArguments;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.protocol.tls.CaBundle;
import io.holdfast.server.config.ServerConfigLoader;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast upgrade check}: before a replica of a new version serves anyone, compares what it
 * serves with what the current replicas serve, instance by instance, at one revision. Reads as an
 * admin through the public instance path; see {@link InstanceCheck} for what is compared and {@link
 * AnswerComparison} for how.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Compare a candidate replica (a new Holdfast version on the same store, not yet serving)"
          + " with the current replicas: for every instance, or a sample, every document"
          + " (subscriptions included) and the checksums at one revision: body bytes, ETag,"
          + " Repr-Digest, the headers clients use, checksums entries and status codes;"
          + " signatures must verify but may differ."
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  the candidate serves what the current replicas serve",
      "  1  a replica refused the instance listing (its problem is printed)",
      "  2  the command line is wrong",
      "  3  a replica could not be reached",
      "  7  differences were found (each is printed)",
      "  8  no difference, but some instances never settled at one revision on every replica"
    })
public final class UpgradeCheckCommand implements Callable<Integer> {

  /** The candidate differs from the current replicas. */
  public static final int EXIT_DIFFERENT = 7;

  /** Nothing differed, but the replicas never agreed on some instance's revision. */
  public static final int EXIT_UNSETTLED = 8;

  private static final int MAX_CONCURRENCY = 64;

  @Spec CommandSpec spec;

  @Option(
      names = "--candidate",
      paramLabel = "URL",
      required = true,
      description = "The new replica, started beside the current ones and not yet serving.")
  URI candidate;

  @Option(
      names = "--against",
      paramLabel = "URL",
      required = true,
      description = "A current replica; repeat for each one to compare with.")
  List<URI> against;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:HOLDFAST_TOKEN}",
      description = "Admin token, any role (env HOLDFAST_TOKEN).")
  String token;

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      defaultValue = "${env:HOLDFAST_CACERT}",
      description =
          "PEM bundle of the authorities to trust for https replicas (env HOLDFAST_CACERT).")
  Path caCert;

  @Option(
      names = "--trust-key",
      paramLabel = "FILE|BASE64",
      description =
          "A public key signatures must verify under; repeatable. Default: the key set the current"
              + " replicas serve (its keys valid now), else the keys of their /v1/keys.")
  List<String> trustKeys = new ArrayList<>();

  @Option(
      names = "--pin-key-id",
      paramLabel = "KEYID",
      description = "Instead of --trust-key: trust only this key id of the first current replica.")
  String pinKeyId;

  @Option(
      names = "--sample",
      paramLabel = "N",
      description = "Check N instances drawn at random instead of every one.")
  Integer sample;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      description = "Seed of the --sample draw, to repeat it (default: random, and printed).")
  Long seed;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "8",
      description =
          "Requests in flight at once, over all replicas; each document is read from the"
              + " candidate and every current replica at once (1-64; default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--rate",
      paramLabel = "PER_SECOND",
      description = "At most this many requests a second, over all replicas (default: no limit).")
  Double rate;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description = "Deadline of each request (default ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--settle-time",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description =
          "How long to keep re-reading an instance whose replicas are at different revisions"
              + " (default ${DEFAULT-VALUE}).")
  String settleTime;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    Settings settings = validate();
    SSLContext ssl = caCert == null ? null : CaBundle.sslContext(caCert);
    long started = System.nanoTime();
    List<String> fleet = listInstances(ssl);
    long drawSeed = seed != null ? seed : new SecureRandom().nextLong();
    List<String> chosen = InstanceSample.choose(fleet, sample, drawSeed);
    RequestPacer pacer = rate == null ? RequestPacer.unlimited() : RequestPacer.perSecond(rate);
    try (ReplicaReader reader =
        new ReplicaReader(token, settings.timeout(), ssl, pacer, concurrency)) {
      SignatureCheck signatures = new SignatureCheck(trustedKeys(reader, settings.timeout(), ssl));
      List<Difference> fleetWide = new ArrayList<>();
      Reading candidateKeySet = reader.get(candidate, "/v1/keyset", false);
      for (URI replica : against) {
        AnswerComparison.compare(
            null,
            "keyset",
            replica,
            candidateKeySet,
            reader.get(replica, "/v1/keyset", false),
            null,
            fleetWide);
      }
      InstanceCheck check =
          new InstanceCheck(reader, candidate, against, signatures, settings.settleTime());
      List<InstanceOutcome> outcomes = run(check, chosen);
      CheckReport report =
          new CheckReport(
              candidate,
              against,
              fleet.size(),
              sample == null ? null : drawSeed,
              fleetWide,
              outcomes,
              Duration.ofNanos(System.nanoTime() - started),
              reader.requests() + 1,
              signatures.verifications());
      if (json) {
        AdminOptions.print(spec.commandLine().getOut(), report.toJson());
      } else {
        report.printText(spec.commandLine().getOut());
      }
      return report.exitCode();
    }
  }

  /**
   * Checks the instances on {@code concurrency} workers, each reading its documents from every
   * replica at once; the reader keeps the requests in flight to {@code concurrency}. The first
   * unreachable replica ends it.
   */
  private List<InstanceOutcome> run(InstanceCheck check, List<String> instances)
      throws InterruptedException {
    ExecutorService workers =
        Executors.newFixedThreadPool(
            concurrency, Thread.ofPlatform().daemon().name("upgrade-check-", 0).factory());
    try {
      List<Future<InstanceOutcome>> futures = new ArrayList<>(instances.size());
      for (String instance : instances) {
        futures.add(workers.submit(() -> check.check(instance)));
      }
      List<InstanceOutcome> outcomes = new ArrayList<>(instances.size());
      for (Future<InstanceOutcome> future : futures) {
        try {
          outcomes.add(future.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new IllegalStateException("checking an instance failed", e.getCause());
        }
      }
      return outcomes;
    } finally {
      workers.shutdownNow();
    }
  }

  private List<String> listInstances(SSLContext ssl) {
    JsonNode listing = new AdminClient(against.get(0), token, ssl).get("/v1/admin/instances");
    List<String> ids = new ArrayList<>();
    for (JsonNode instance : listing.path("instances")) {
      ids.add(instance.path("id").asText());
    }
    return ids;
  }

  private List<VerificationKey> trustedKeys(ReplicaReader reader, Duration deadline, SSLContext ssl)
      throws InterruptedException {
    if (trustKeys.isEmpty() && pinKeyId == null) {
      return CurrentTrust.keys(reader, against, Instant.now());
    }
    return TrustedKeyArguments.resolve(trustKeys, pinKeyId, against.get(0), deadline, ssl);
  }

  /** Checks the command line before anything is sent; the message names the bad value. */
  private Settings validate() {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("no admin token: pass --token or set HOLDFAST_TOKEN");
    }
    requireReplica("--candidate", candidate);
    for (URI replica : against) {
      requireReplica("--against", replica);
      if (normalised(replica).equals(normalised(candidate))) {
        throw new IllegalArgumentException(
            "--against " + replica + " is the candidate itself; name the current replicas");
      }
    }
    if (new HashSet<>(against.stream().map(UpgradeCheckCommand::normalised).toList()).size()
        != against.size()) {
      throw new IllegalArgumentException("--against names the same replica twice");
    }
    if (sample != null && sample < 1) {
      throw new IllegalArgumentException("--sample must be 1 or more, was " + sample);
    }
    if (seed != null && sample == null) {
      throw new IllegalArgumentException("--seed needs --sample");
    }
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException(
          "--concurrency must be from 1 to " + MAX_CONCURRENCY + ", was " + concurrency);
    }
    if (rate != null && (!(rate > 0) || rate.isInfinite())) {
      throw new IllegalArgumentException("--rate must be a positive number, was " + rate);
    }
    Duration deadline = positive("--timeout", timeout);
    Duration settle = ServerConfigLoader.duration("--settle-time", settleTime);
    if (settle.isNegative()) {
      throw new IllegalArgumentException("--settle-time must not be negative, was " + settleTime);
    }
    return new Settings(deadline, settle);
  }

  private static Duration positive(String option, String value) {
    Duration duration = ServerConfigLoader.duration(option, value);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(option + " must be positive, was " + value);
    }
    return duration;
  }

  private static void requireReplica(String option, URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          option + " must be an http or https URL such as http://10.0.0.5:7070, was " + uri);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          option + " must be a replica's base URL without query or fragment, was " + uri);
    }
  }

  private static String normalised(URI uri) {
    return uri.toString().replaceAll("/+$", "").toLowerCase(Locale.ROOT);
  }

  /** The parsed durations. */
  private record Settings(Duration timeout, Duration settleTime) {}
}
