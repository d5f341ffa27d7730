package io.holdfast.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PostgreSQL migrations are the SQLite ones in another dialect: the same versions, tables,
 * columns, constraints' names of columns and seed rows, so the two stores cannot drift apart. (The
 * store contract suite proves they behave alike; this catches a migration added to one dialect
 * only, which the suite might not exercise.)
 */
class MigrationDialectsTest {

  private static final Pattern TABLE =
      Pattern.compile(
          "CREATE TABLE (\\w+)|ALTER TABLE (\\w+) ADD COLUMN (\\w+)"
              + "|CREATE INDEX (\\w+) ON (\\w+)|INSERT INTO (\\w+)");
  private static final Pattern COLUMN =
      Pattern.compile("(?m)^\\s{2}(\\w+)\\s+(?:TEXT|INTEGER|BIGINT|REAL|DOUBLE)");

  @Test
  void bothDialects_haveTheSameMigrations() throws Exception {
    assertThat(files("postgresql")).isEqualTo(files("sqlite")).isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("sqliteMigrations")
  void eachSqliteMigration_hasAPostgresTwin_withTheSameTablesAndColumns(String file)
      throws IOException {
    String sqlite = read("db/migration/sqlite/" + file);
    String postgres = read("db/migration/postgresql/" + file);
    assertThat(shape(postgres)).isEqualTo(shape(sqlite)).isNotEmpty();
    assertThat(columns(postgres)).isEqualTo(columns(sqlite));
  }

  static List<String> sqliteMigrations() throws Exception {
    return files("sqlite");
  }

  /** The migration files of a dialect, as the test class path holds them (a directory). */
  private static List<String> files(String dialect) throws Exception {
    Path directory =
        Path.of(
            MigrationDialectsTest.class
                .getClassLoader()
                .getResource("db/migration/" + dialect)
                .toURI());
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> shape(String sql) {
    List<String> found = new ArrayList<>();
    Matcher m = TABLE.matcher(sql);
    while (m.find()) {
      found.add(m.group().replaceAll("\\s+", " "));
    }
    return found;
  }

  private static List<String> columns(String sql) {
    List<String> found = new ArrayList<>();
    Matcher m = COLUMN.matcher(sql);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private static String read(String resource) throws IOException {
    try (InputStream in =
        MigrationDialectsTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
