package io.holdfast.it.upgrade;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rule for migrations within one release step (docs/operations.md, "Upgrading Holdfast"): they
 * only expand. A replica of the previous release keeps running on the migrated schema, so nothing
 * it reads may go away or change meaning, and nothing it inserts may start to fail: no {@code
 * DROP}, no {@code RENAME}, and no column added {@code NOT NULL} without a {@code DEFAULT}. (A new
 * table may have {@code NOT NULL} columns: no older replica writes to it.)
 *
 * <p>A contraction, a release later, says so in a {@code -- holdfast:contraction} comment and
 * raises the floor of replicas that may run ({@code schema_compatibility}) in the same migration.
 */
final class MigrationRule {

  static final String CONTRACTION_MARK = "-- holdfast:contraction";

  private static final Pattern LINE_COMMENT = Pattern.compile("--[^\\n]*");
  private static final Pattern DROP = Pattern.compile("\\bDROP\\b");
  private static final Pattern RENAME = Pattern.compile("\\bRENAME\\b");
  private static final Pattern ADD_COLUMN =
      Pattern.compile("\\bALTER\\s+TABLE\\b.*\\bADD\\b", Pattern.DOTALL);
  private static final Pattern NOT_NULL = Pattern.compile("\\bNOT\\s+NULL\\b");
  private static final Pattern DEFAULT = Pattern.compile("\\bDEFAULT\\b");
  private static final Pattern FLOOR =
      Pattern.compile(
          "\\b(?:INSERT\\s+INTO|UPDATE)\\s+schema_compatibility\\b.*?(\\d+)\\s*\\)?\\s*$",
          Pattern.DOTALL);

  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

  private MigrationRule() {}

  /** The versioned migrations ({@code V<n>__*.sql}) in {@code folder}, oldest first. */
  static List<Path> migrations(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(f -> VERSIONED.matcher(f.getFileName().toString()).matches())
          .sorted(Comparator.comparingInt(f -> version(f.getFileName().toString())))
          .toList();
    }
  }

  /** The version of a migration named {@code V<n>__*.sql}. */
  static int version(String name) {
    Matcher versioned = VERSIONED.matcher(name);
    if (!versioned.matches()) {
      throw new IllegalArgumentException("not a versioned migration: " + name);
    }
    return Integer.parseInt(versioned.group(1));
  }

  /** Whether the migration declares itself a contraction. */
  static boolean contraction(String sql) {
    return sql.contains(CONTRACTION_MARK);
  }

  /** Every statement of {@code sql} that does more than expand the schema, with why. */
  static List<String> contractions(String sql) {
    List<String> found = new ArrayList<>();
    for (String statement : statements(sql)) {
      String upper = statement.toUpperCase(Locale.ROOT);
      if (DROP.matcher(upper).find()) {
        found.add("DROP: " + statement);
      } else if (RENAME.matcher(upper).find()) {
        found.add("RENAME: " + statement);
      } else if (ADD_COLUMN.matcher(upper).find()
          && NOT_NULL.matcher(upper).find()
          && !DEFAULT.matcher(upper).find()) {
        found.add("a column added NOT NULL without a DEFAULT: " + statement);
      }
    }
    return found;
  }

  /** The floor the migration writes into {@code schema_compatibility}, if it writes one. */
  static OptionalInt floorWritten(String sql) {
    OptionalInt floor = OptionalInt.empty();
    for (String statement : statements(sql)) {
      Matcher m = FLOOR.matcher(statement);
      if (m.find()) {
        floor = OptionalInt.of(Integer.parseInt(m.group(1)));
      }
    }
    return floor;
  }

  /** The statements, comments removed, whitespace collapsed. */
  private static List<String> statements(String sql) {
    String code = LINE_COMMENT.matcher(sql).replaceAll("");
    List<String> statements = new ArrayList<>();
    for (String part : code.split(";")) {
      String statement = part.strip().replaceAll("\\s+", " ");
      if (!statement.isEmpty()) {
        statements.add(statement);
      }
    }
    return statements;
  }
}
