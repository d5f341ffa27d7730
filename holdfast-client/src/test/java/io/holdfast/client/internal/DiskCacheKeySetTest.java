package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key set chain kept beside the documents: exact bytes, written atomically, set aside. */
class DiskCacheKeySetTest {

  private static final byte[] CHAIN = "{\"keySets\":[{\"v\":1}]}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LONGER =
      "{\"keySets\":[{\"v\":1},{\"v\":2},{\"v\":3}]}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private final RecordingLogger log = new RecordingLogger();

  private DiskCache open(String instance) {
    return DiskCache.open(dir, instance, log);
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void nothingSaved_loadsEmpty() {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      assertThat(cache.loadKeySet()).isEmpty();
    }
  }

  @Test
  void savedBytes_loadAgainExactly_afterAReopen() {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.saveKeySet(CHAIN);
    }
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      assertThat(cache.loadKeySet()).hasValueSatisfying(b -> assertThat(b).isEqualTo(CHAIN));
    }
  }

  @Test
  void aLaterSave_replacesTheWholeFile_andLeavesNoTemporaryFile() throws IOException {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.saveKeySet(LONGER);
      cache.saveKeySet(CHAIN);

      assertThat(cache.loadKeySet()).hasValueSatisfying(b -> assertThat(b).isEqualTo(CHAIN));
      assertThat(names()).filteredOn(n -> n.endsWith(".keyset")).hasSize(1);
      assertThat(names()).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void aWriteTornByACrash_leavesTheSavedKeySetIntact_andIsRemovedOnOpen() throws IOException {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.saveKeySet(CHAIN);
    }
    Path saved = dir.resolve(names().stream().filter(n -> n.endsWith(".keyset")).findFirst().get());
    // A crash between writing the temporary file and renaming it over the key set.
    Files.write(saved.resolveSibling(saved.getFileName() + ".tmp"), "{\"keySets\":[".getBytes());

    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      assertThat(cache.loadKeySet()).hasValueSatisfying(b -> assertThat(b).isEqualTo(CHAIN));
      assertThat(names()).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void quarantine_movesTheKeySetAside_soItIsNeverLoadedAgain() throws IOException {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.saveKeySet(CHAIN);

      cache.quarantineKeySet("a signature does not verify");

      assertThat(cache.loadKeySet()).isEmpty();
      assertThat(names()).anyMatch(n -> n.endsWith(".keyset.corrupt"));
      assertThat(log.count(System.Logger.Level.WARNING, "a signature does not verify"))
          .isEqualTo(1);
    }
  }

  @Test
  void eachInstance_keepsAKeySetOfItsOwn() {
    try (DiskCache acme = open(TestDocuments.INSTANCE)) {
      acme.saveKeySet(CHAIN);
    }
    try (DiskCache other = open("other-prod")) {
      assertThat(other.loadKeySet()).isEmpty();
      other.saveKeySet(LONGER);
    }
    try (DiskCache acme = open(TestDocuments.INSTANCE)) {
      assertThat(acme.loadKeySet()).hasValueSatisfying(b -> assertThat(b).isEqualTo(CHAIN));
    }
  }

  @Test
  void aSecondCacheOnTheDirectory_readsTheKeySet_butNeitherWritesNorMovesIt() throws IOException {
    try (DiskCache writer = open(TestDocuments.INSTANCE)) {
      writer.saveKeySet(CHAIN);
      try (DiskCache reader = open(TestDocuments.INSTANCE)) {
        reader.saveKeySet(LONGER);
        reader.quarantineKeySet("suspicious");

        assertThat(reader.loadKeySet()).hasValueSatisfying(b -> assertThat(b).isEqualTo(CHAIN));
        assertThat(names()).noneMatch(n -> n.endsWith(".corrupt"));
      }
    }
  }
}
