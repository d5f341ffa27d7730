package io.holdfast.cli.soak;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL databases one run creates for itself, uniquely named, and drops when closed: the
 * replicas' store (PostgreSQL runs only) and the application nodes' seat store (every run).
 */
final class SoakDatabases implements AutoCloseable {

  private final SoakSettings settings;
  private final String prefix;
  private final List<String> created = new ArrayList<>();

  SoakDatabases(SoakSettings settings) {
    this.settings = settings;
    this.prefix =
        "holdfast_soak_"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL)
                .toLowerCase(Locale.ROOT);
  }

  /** Creates database {@code <prefix>_<role>} and returns its name. */
  String create(String role) throws SQLException {
    String name = prefix + "_" + role;
    execute("CREATE DATABASE " + name);
    created.add(name);
    return name;
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(settings.postgresUrl());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (String name : created) {
      try {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (SQLException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    created.clear();
    if (first != null) {
      throw first;
    }
  }
}
