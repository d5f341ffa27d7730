package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskCacheTest {

  private static final TestDocuments DOCS = new TestDocuments();
  private static final Instant VERIFIED_AT = Instant.parse("2026-02-03T04:05:06.789123456Z");
  private static final Duration CONSUMED = Duration.ofMinutes(95).plusMillis(7);

  @TempDir Path root;

  private final RecordingLogger log = new RecordingLogger();
  private final VerifiedDocument core = DOCS.document("core", 4, "{\"seats\":12}");

  private Path dir() {
    return root.resolve("cache");
  }

  private DiskCache open(String instance) {
    return DiskCache.open(dir(), instance, log);
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  /** The one cache file (not the lock file) in the directory. */
  private Path onlyCacheFile() throws IOException {
    List<String> lkg =
        names(dir()).stream().filter(n -> n.endsWith(".lkg")).collect(Collectors.toList());
    assertThat(lkg).hasSize(1);
    return dir().resolve(lkg.get(0));
  }

  @Test
  void saveThenLoad_roundTripsBytesHeadersVerifiedAtAndGraceConsumed() {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      assertThat(cache.writable()).isTrue();
      cache.save("core", core, VERIFIED_AT, CONSUMED);

      DiskCache.Stored stored = cache.load("core").orElseThrow();

      assertThat(stored.body()).isEqualTo(core.body());
      assertThat(stored.reprDigest()).isEqualTo(core.reprDigest());
      assertThat(stored.signature()).isEqualTo(core.signature());
      assertThat(stored.verifiedAt()).isEqualTo(VERIFIED_AT);
      assertThat(stored.graceConsumed()).isEqualTo(CONSUMED);
      assertThat(cache.writeFailures()).isZero();
    }
  }

  @Test
  void B5_savedCopy_survivesAReopen_andStillVerifies() throws Rejection {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.save("core", core, VERIFIED_AT, CONSUMED);
    }
    try (DiskCache reopened = open(TestDocuments.INSTANCE)) {
      DiskCache.Stored stored = reopened.load("core").orElseThrow();
      VerifiedDocument again =
          DOCS.verifier().stored(stored.body(), stored.reprDigest(), stored.signature(), "core");
      assertThat(again.etag()).isEqualTo(core.etag());
      assertThat(again.envelope().content()).isEqualTo(core.envelope().content());
    }
  }

  @Test
  void aLaterSave_replacesTheEarlierOne_inPlace() throws IOException {
    VerifiedDocument newer = DOCS.document("core", 5, "{\"seats\":30}");
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.save("core", core, VERIFIED_AT, CONSUMED);
      cache.save("core", newer, VERIFIED_AT.plusSeconds(60), Duration.ZERO);

      assertThat(cache.load("core").orElseThrow().body()).isEqualTo(newer.body());
      assertThat(names(dir())).noneMatch(n -> n.endsWith(".tmp"));
      onlyCacheFile();
    }
  }

  @Test
  void missingFile_loadsEmpty_withoutQuarantine() throws IOException {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      assertThat(cache.load("core")).isEmpty();
      assertThat(names(dir())).noneMatch(n -> n.endsWith(".corrupt"));
    }
  }

  @Test
  void C11_fileNameIsAHash_withNoNamespaceText_andTraversalCannotEscape() throws IOException {
    VerifiedDocument dotted = DOCS.document("core", 4, "{\"seats\":12}");
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.save("core", core, VERIFIED_AT, CONSUMED);
      cache.save("../x", dotted, VERIFIED_AT, CONSUMED);
      cache.save("../../etc/passwd", dotted, VERIFIED_AT, CONSUMED);

      List<String> files =
          names(dir()).stream()
              .filter(n -> !n.equals(".holdfast.lock"))
              .collect(Collectors.toList());
      // A copy and a high-water mark per namespace, every name a hash.
      assertThat(files).hasSize(6).allMatch(n -> n.matches("[0-9a-f]{64}\\.(lkg|hwm)"));
      assertThat(files)
          .noneMatch(n -> n.contains("core") || n.contains("x") || n.contains("passwd"));
      assertThat(names(root)).containsExactly("cache");
      assertThat(cache.load("../x").orElseThrow().body()).isEqualTo(dotted.body());
    }
  }

  @Test
  void D3_twoInstancesWithTheSameNamespace_getSeparateFiles() throws IOException {
    VerifiedDocument globex = new TestDocuments().document("core", 9, "{\"seats\":99}");
    try (DiskCache acme = open(TestDocuments.INSTANCE)) {
      acme.save("core", core, VERIFIED_AT, CONSUMED);
    }
    try (DiskCache other = open("globex-prod")) {
      other.save("core", globex, VERIFIED_AT, CONSUMED);
      assertThat(other.load("core").orElseThrow().body()).isEqualTo(globex.body());
    }
    try (DiskCache acme = open(TestDocuments.INSTANCE)) {
      assertThat(acme.load("core").orElseThrow().body()).isEqualTo(core.body());
    }
    assertThat(names(dir()).stream().filter(n -> n.endsWith(".lkg"))).hasSize(2);
  }

  private void assertQuarantined(DiskCache cache, Path file, String namespace) throws IOException {
    Optional<DiskCache.Stored> loaded = cache.load(namespace);

    assertThat(loaded).isEmpty();
    assertThat(file).doesNotExist();
    assertThat(file.resolveSibling(file.getFileName() + ".corrupt")).exists();
    assertThat(log.lines())
        .anyMatch(l -> l.message().contains("ignoring cache file " + file.getFileName()));
    // Once moved aside it is never tried again.
    assertThat(cache.load(namespace)).isEmpty();
  }

  @Test
  void B2_zeroLengthFile_isQuarantined_andLoadsEmpty() throws IOException {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.save("core", core, VERIFIED_AT, CONSUMED);
      Path file = onlyCacheFile();
      Files.write(file, new byte[0]);

      assertQuarantined(cache, file, "core");
    }
  }

  @Test
  void B2_truncatedJson_isQuarantined_andLoadsEmpty() throws IOException {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.save("core", core, VERIFIED_AT, CONSUMED);
      Path file = onlyCacheFile();
      byte[] bytes = Files.readAllBytes(file);
      Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));

      assertQuarantined(cache, file, "core");
    }
  }

  @Test
  void B2_unparsableVerifiedAt_isQuarantined_andLoadsEmpty() throws IOException {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.save("core", core, VERIFIED_AT, CONSUMED);
      Path file = onlyCacheFile();
      String text = Files.readString(file).replace(VERIFIED_AT.toString(), "yesterday");
      Files.writeString(file, text);

      assertQuarantined(cache, file, "core");
    }
  }

  @Test
  void B3_fileOfAnotherInstance_copiedOverThisOne_isQuarantined() throws IOException {
    Path foreignDir = root.resolve("foreign");
    Path foreignFile;
    try (DiskCache foreign = DiskCache.open(foreignDir, "globex-prod", log)) {
      foreign.save(
          "core",
          new TestDocuments().document("core", 50, "{\"seats\":500}"),
          VERIFIED_AT,
          Duration.ZERO);
      try (Stream<Path> files = Files.list(foreignDir)) {
        foreignFile = files.filter(p -> p.toString().endsWith(".lkg")).findFirst().orElseThrow();
      }
    }
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.save("core", core, VERIFIED_AT, CONSUMED);
      Path file = onlyCacheFile();
      Files.copy(foreignFile, file, StandardCopyOption.REPLACE_EXISTING);

      assertQuarantined(cache, file, "core");
    }
  }

  @Test
  void B3_fileOfAnotherNamespace_copiedOverThisOne_isQuarantined() throws IOException {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.save(
          "features", DOCS.document("features", 2, "{\"beta\":true}"), VERIFIED_AT, CONSUMED);
      Path features = onlyCacheFile();
      cache.save("core", core, VERIFIED_AT, CONSUMED);
      Path coreFile;
      try (Stream<Path> files = Files.list(dir())) {
        coreFile =
            files
                .filter(p -> p.toString().endsWith(".lkg") && !p.equals(features))
                .findFirst()
                .orElseThrow();
      }
      Files.copy(features, coreFile, StandardCopyOption.REPLACE_EXISTING);

      assertQuarantined(cache, coreFile, "core");
      assertThat(cache.load("features")).isPresent();
    }
  }

  @Test
  void B2_leftoverTemporaryFiles_areRemovedOnOpen() throws IOException {
    Files.createDirectories(dir());
    Path leftover = dir().resolve("0123abcd.lkg.tmp");
    Files.writeString(leftover, "{\"format\":\"holdfast-lkg-1\",\"bo");
    Path unrelated = dir().resolve("notes.txt");
    Files.writeString(unrelated, "keep me");

    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      assertThat(cache.writable()).isTrue();
      assertThat(leftover).doesNotExist();
      assertThat(unrelated).exists();
    }
  }

  @Test
  void B15_secondCacheOnTheSameDirectory_isNotWritable_andWritesNothing() throws IOException {
    try (DiskCache first = open(TestDocuments.INSTANCE)) {
      first.save("core", core, VERIFIED_AT, CONSUMED);
      Path file = onlyCacheFile();
      byte[] before = Files.readAllBytes(file);
      Files.writeString(dir().resolve("stray.tmp"), "x");

      try (DiskCache second = open(TestDocuments.INSTANCE)) {
        assertThat(second.writable()).isFalse();
        assertThat(dir().resolve("stray.tmp"))
            .as("a reader does not clean up the writer's directory")
            .exists();
        second.save("core", DOCS.document("core", 9, "{\"seats\":1}"), VERIFIED_AT, Duration.ZERO);
        second.save("features", DOCS.document("features", 1, "{}"), VERIFIED_AT, Duration.ZERO);

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(names(dir()).stream().filter(n -> n.endsWith(".lkg"))).hasSize(1);
        assertThat(second.writeFailures()).isZero();
        // It still reads what the writer keeps.
        assertThat(second.load("core").orElseThrow().body()).isEqualTo(core.body());
      }
      assertThat(first.writable()).isTrue();
    }
  }

  @Test
  void B15_closingASecondCacheInTheSameProcess_keepsAnotherProcessFromWriting()
      throws IOException, InterruptedException {
    Path lockFile = dir().resolve(".holdfast.lock");
    try (DiskCache writer = open(TestDocuments.INSTANCE)) {
      assertThat(writer.writable()).isTrue();
      assertThat(LockProbe.probe(lockFile))
          .as("another process while the writer runs")
          .isEqualTo(LockProbe.LOCKED_BY_OTHER);

      DiskCache reader = open(TestDocuments.INSTANCE);
      assertThat(reader.writable()).isFalse();
      reader.close();

      // OS locks belong to the process: closing any channel of the lock file would have freed it.
      assertThat(LockProbe.probe(lockFile))
          .as("another process after the reader closed")
          .isEqualTo(LockProbe.LOCKED_BY_OTHER);
    }
    assertThat(LockProbe.probe(lockFile))
        .as("another process once the writer closed")
        .isEqualTo(LockProbe.GOT_LOCK);
    try (DiskCache next = open(TestDocuments.INSTANCE)) {
      assertThat(next.writable()).as("the directory is free again in this process too").isTrue();
    }
  }

  @Test
  void B15_readOnlyCache_leavesACorruptFileInPlace_forTheWriterToHandle() throws IOException {
    try (DiskCache first = open(TestDocuments.INSTANCE)) {
      first.save("core", core, VERIFIED_AT, CONSUMED);
      Path file = onlyCacheFile();
      Files.write(file, "{".getBytes(StandardCharsets.UTF_8));
      try (DiskCache second = open(TestDocuments.INSTANCE)) {
        assertThat(second.load("core")).isEmpty();
        assertThat(file).exists();
      }
    }
  }

  @Test
  void B14_cachePathIsARegularFile_givesANonWritableCache_thatNeverThrows() throws IOException {
    // Root ignores permission bits, so an unusable directory is made by putting a file where it
    // should be.
    Files.writeString(dir(), "not a directory");

    DiskCache cache = open(TestDocuments.INSTANCE);
    try {
      assertThat(cache.writable()).isFalse();
      assertThatCode(() -> cache.save("core", core, VERIFIED_AT, CONSUMED))
          .doesNotThrowAnyException();
      assertThat(cache.load("core")).isEmpty();
      assertThat(Files.readString(dir())).isEqualTo("not a directory");
      assertThat(names(root)).containsExactly("cache");
      assertThat(log.lines()).anyMatch(l -> l.message().contains("not writable"));
    } finally {
      cache.close();
    }
  }

  @Test
  void
      B1_B14_directoryReplacedWhileRunning_saveCountsAFailure_neverThrows_andLeavesNoTemporaryFile()
          throws IOException {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      try (Stream<Path> files = Files.list(dir())) {
        for (Path file : files.collect(Collectors.toList())) {
          Files.delete(file);
        }
      }
      Files.delete(dir());
      Files.writeString(dir(), "not a directory");

      assertThatCode(() -> cache.save("core", core, VERIFIED_AT, CONSUMED))
          .doesNotThrowAnyException();

      assertThat(cache.writeFailures()).isEqualTo(1);
      assertThat(Files.readString(dir())).isEqualTo("not a directory");
      assertThat(log.lines()).anyMatch(l -> l.message().contains("not writable"));
    }
  }

  @Test
  void B14_directoryDeletedWhileRunning_isRecreatedOwnerOnly_atTheNextWrite() throws IOException {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.save("core", core, VERIFIED_AT, CONSUMED);
      try (Stream<Path> files = Files.list(dir())) {
        for (Path file : files.collect(Collectors.toList())) {
          Files.delete(file);
        }
      }
      Files.delete(dir());

      cache.save("core", core, VERIFIED_AT, CONSUMED);

      assertThat(cache.writeFailures()).isZero();
      assertThat(cache.writable()).isTrue();
      assertThat(cache.load("core")).isPresent();
      assertThat(Files.getPosixFilePermissions(dir()))
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void B15_directoryRestoredWithALockFileOfItsOwn_isLockedAgainBeforeTheNextWrite()
      throws IOException, InterruptedException {
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      cache.save("core", core, VERIFIED_AT, CONSUMED);
      try (Stream<Path> files = Files.list(dir())) {
        for (Path file : files.collect(Collectors.toList())) {
          Files.delete(file);
        }
      }
      Files.delete(dir());
      Files.createDirectories(dir());
      Files.writeString(dir().resolve(".holdfast.lock"), ""); // as a restored backup would bring

      cache.save("core", core, VERIFIED_AT, CONSUMED);

      assertThat(cache.writeFailures()).isZero();
      assertThat(cache.load("core")).isPresent();
      assertThat(LockProbe.probe(dir().resolve(".holdfast.lock")))
          .as("another process cannot take the restored directory over")
          .isEqualTo(LockProbe.LOCKED_BY_OTHER);
    }
  }

  @Test
  void B14_directoryUnusableAtStart_runsFromMemory_thenWritesOnceItCanBeCreated()
      throws IOException {
    Files.writeString(dir(), "not a directory");
    try (DiskCache cache = open(TestDocuments.INSTANCE)) {
      assertThat(cache.writable()).isFalse();
      cache.save("core", core, VERIFIED_AT, CONSUMED);
      cache.save("core", core, VERIFIED_AT, CONSUMED);
      assertThat(cache.writeFailures()).isEqualTo(2);
      assertThat(log.lines())
          .filteredOn(
              l -> l.message().contains("not writable") && l.level() == System.Logger.Level.WARNING)
          .as("warned once, not at every attempt")
          .hasSize(1);

      Files.delete(dir());
      cache.save("core", core, VERIFIED_AT, CONSUMED);

      assertThat(cache.writable()).isTrue();
      assertThat(cache.writeFailures()).isEqualTo(2);
      assertThat(cache.load("core")).isPresent();
      assertThat(log.lines()).anyMatch(l -> l.message().contains("usable again"));
    }
  }

  @Test
  void B15_aReadOnlySecondCache_neverTakesTheDirectoryOver_evenWhenWritingIsAttempted()
      throws IOException {
    try (DiskCache writer = open(TestDocuments.INSTANCE);
        DiskCache reader = open(TestDocuments.INSTANCE)) {
      reader.save("core", core, VERIFIED_AT, CONSUMED);
      assertThat(reader.writable()).isFalse();
      assertThat(reader.writeFailures()).isZero();
      assertThat(reader.load("core")).as("nothing written by the reader").isEmpty();
      writer.save("core", core, VERIFIED_AT, CONSUMED);
      assertThat(writer.load("core")).isPresent();
    }
  }

  @Test
  void closingTheWriter_letsTheNextCacheWrite() {
    try (DiskCache first = open(TestDocuments.INSTANCE)) {
      assertThat(first.writable()).isTrue();
    }
    try (DiskCache second = open(TestDocuments.INSTANCE)) {
      assertThat(second.writable()).isTrue();
      second.save("core", core, VERIFIED_AT, CONSUMED);
      assertThat(second.load("core")).isPresent();
    }
  }
}
