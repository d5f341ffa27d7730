package io.holdfast.server.keyset;

import io.holdfast.server.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** {@link KeySetStoreContract} on a real SQLite file. */
class SqliteKeySetStoreTest extends KeySetStoreContract {

  @TempDir Path dir;

  @Override
  Database openDatabase() {
    return Database.open("jdbc:sqlite:" + dir.resolve("keysets.db"), Duration.ofSeconds(5));
  }
}
