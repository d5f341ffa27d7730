package io.holdfast.cli.soak;

import io.holdfast.server.config.ServerConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast soak}: a seeded chaos soak (FAULTS E7) of real replica processes and SDK clients,
 * checked against the recorded history. Exit 0 when the history holds no violation, 1 when it does
 * (with the seed to rerun), 2 for bad options.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = "Run a seeded chaos soak against replica processes and check its history.")
public final class SoakCommand implements Callable<Integer> {

  /** Exit status when the history holds a violation. */
  static final int EXIT_VIOLATIONS = 1;

  /** Exit status when the soak could not be set up or run to its end. */
  static final int EXIT_NOT_RUN = 3;

  @Spec CommandSpec spec;

  @Option(
      names = "--seed",
      description = "Seed of every random choice (default: a random one, printed).")
  Long seed;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description = "How long the nemesis runs, e.g. 3m, 30m, 90s (default 3m).")
  String duration = "3m";

  @Option(
      names = "--store",
      paramLabel = "sqlite|postgres",
      description = "The replicas' store (default postgres).")
  String store = "postgres";

  @Option(names = "--replicas", description = "Replica processes (default 3).")
  int replicas = 3;

  @Option(names = "--clients", description = "SDK clients, some tenants with two (default 6).")
  int clients = 6;

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description =
          "PostgreSQL maintenance database where the run creates and drops its own databases"
              + " (default "
              + SoakSettings.DEFAULT_POSTGRES_URL
              + ").")
  String jdbcUrl = SoakSettings.DEFAULT_POSTGRES_URL;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Where history.jsonl, summary.txt, summary.json and seed go (default ./soak-<seed>).")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    SoakSettings settings;
    try {
      long chosen = seed != null ? seed : ThreadLocalRandom.current().nextLong();
      settings =
          new SoakSettings(
              chosen,
              ServerConfigLoader.duration("--duration", duration),
              storeKind(store),
              replicas,
              clients,
              jdbcUrl,
              out != null ? out : Path.of("soak-" + chosen));
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    stdout.printf(
        "holdfast soak: seed %d, %s, %s, %d replicas, %d clients, output in %s%n",
        settings.seed(),
        settings.duration(),
        settings.store().name().toLowerCase(Locale.ROOT),
        settings.replicas(),
        settings.clients(),
        settings.out().toAbsolutePath());
    stdout.flush();
    java.nio.file.Files.createDirectories(settings.out());
    SoakLogging.toFile(settings.out().resolve("clients.log"));
    List<PlannedFault> schedule = SoakRun.seededSchedule(settings);
    SoakReport report;
    try {
      report = SoakReport.of(settings, new SoakRun(settings, schedule).run());
    } catch (IOException | TimeoutException | SQLException | RuntimeException e) {
      // The soak could not be set up or run to its end (a replica that never served, PostgreSQL
      // unreachable, an admin call refused, a fault that could not be healed): not a verdict on
      // the history, so never the exit status of violations.
      err.printf(
          "error: the soak could not run: %s (seed %d; logs in %s)%n",
          e.getMessage(), settings.seed(), settings.out().resolve("work").resolve("logs"));
      return EXIT_NOT_RUN;
    }
    report.write(settings.out());
    stdout.print(report.table());
    if (report.violations() > 0) {
      stdout.printf(
          "%d violation(s); seed %d: rerun with --seed %d%n",
          report.violations(), settings.seed(), settings.seed());
      return EXIT_VIOLATIONS;
    }
    stdout.printf("no violation (seed %d)%n", settings.seed());
    return 0;
  }

  private static StoreKind storeKind(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "sqlite" -> StoreKind.SQLITE;
      case "postgres", "postgresql" -> StoreKind.POSTGRES;
      default ->
          throw new IllegalArgumentException("--store must be sqlite or postgres, was " + value);
    };
  }
}
