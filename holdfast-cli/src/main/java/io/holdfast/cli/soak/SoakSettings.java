package io.holdfast.cli.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One soak run's settings, checked when made.
 *
 * @param seed drives every random choice: the schedule, the publishers and the application loops
 * @param duration how long the nemesis runs before the final heal
 * @param store the replicas' store
 * @param replicas how many replica processes
 * @param clients how many SDK clients (application nodes); some tenants get two sharing seats
 * @param postgresUrl a JDBC URL of the PostgreSQL server's maintenance database, where the run
 *     creates (and at the end drops) its own databases
 * @param out where history.jsonl, summary.txt, summary.json and the seed go
 */
record SoakSettings(
    long seed,
    Duration duration,
    StoreKind store,
    int replicas,
    int clients,
    String postgresUrl,
    Path out) {

  static final String DEFAULT_POSTGRES_URL =
      "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

  SoakSettings {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(postgresUrl, "postgresUrl");
    Objects.requireNonNull(out, "out");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive, was " + duration);
    }
    if (replicas < 2 || replicas > 9) {
      throw new IllegalArgumentException("--replicas must be 2 to 9, was " + replicas);
    }
    if (clients < 2 || clients > 64) {
      throw new IllegalArgumentException("--clients must be 2 to 64, was " + clients);
    }
    if (!postgresUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "--jdbc-url must be a jdbc:postgresql: URL, was " + postgresUrl);
    }
  }

  /** The PostgreSQL server's address, for the relay in front of it. */
  java.net.InetSocketAddress postgresAddress() {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?")
            .matcher(postgresUrl);
    if (!m.lookingAt()) {
      throw new IllegalArgumentException("--jdbc-url names no host: " + postgresUrl);
    }
    return java.net.InetSocketAddress.createUnresolved(
        m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)));
  }

  /** The URL of database {@code name} on the same server as {@link #postgresUrl}. */
  String databaseUrl(String name) {
    return postgresUrl.replaceFirst("(jdbc:postgresql://[^/?]*)/[^?]*", "$1/" + name);
  }
}
