package io.holdfast.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.http.ContentHash;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last-known-good copies on disk: one file per namespace holding the exact signed bytes and
 * headers, and when they were last verified.
 *
 * <p>Design: a crash must never leave a torn file, and a bad file must never be trusted. Writes go
 * to a temporary file that is fsynced, renamed over the old one and the directory fsynced; the
 * caller re-verifies every loaded copy (digest, signature, binding) exactly as if it came from a
 * replica. File names are the SHA-256 of instance and namespace, so no name can escape the
 * directory or collide between tenants. One process writes a directory at a time (an OS file lock);
 * another process sharing it only reads. A full disk or an unwritable directory is logged and
 * counted, never thrown: the client then runs from memory.
 *
 * <p>Thread-safe: writes are serialised on this object.
 */
public final class DiskCache implements AutoCloseable {

  /** What is kept for one namespace. */
  public record Stored(
      byte[] body,
      String reprDigest,
      String signature,
      Instant verifiedAt,
      Duration graceConsumed) {}

  private static final String FORMAT = "holdfast-lkg-1";
  private static final String LOCK_FILE = ".holdfast.lock";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Directories this JVM holds the lock of. OS file locks belong to the process, and closing any
   * channel of the lock file drops them, so a second cache on the same directory in this JVM must
   * not even open the lock file: its close would free the directory for another process.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final String instance;
  private final Logger log;
  private FileChannel lockChannel;
  private FileLock lock;
  private Path held;
  private Object lockKey;

  /** Another client or process writes the directory: this one only reads, and never retries. */
  private boolean ownedElsewhere;

  /** The last write failed; the next failure is logged at DEBUG only (no log storm). */
  private boolean failing;

  private long writeFailures;
  private boolean closed;

  private DiskCache(Path directory, String instance, Logger log) {
    this.directory = directory;
    this.instance = instance;
    this.log = log;
  }

  /**
   * Opens the directory, creating it (owner-only) if needed; never fails. A directory another
   * client writes gives a read-only cache; a directory that cannot be used now (read-only mount,
   * wrong owner) gives a memory-only client that tries again at each write (FAULTS B14).
   */
  public static DiskCache open(Path directory, String instance, Logger log) {
    DiskCache cache = new DiskCache(directory, instance, log);
    synchronized (cache) {
      cache.acquire();
    }
    return cache;
  }

  /** Tries to become the directory's one writer; true if it is. */
  private boolean acquire() {
    Path claimed = null;
    FileChannel channel = null;
    try {
      createDirectories(directory);
      Path real = directory.toRealPath();
      if (!HELD.add(real)) {
        ownedElsewhere = true;
        log.log(
            Level.WARNING,
            "cache directory {0} is written by another client in this process; this client will only read it",
            directory);
        return false;
      }
      claimed = real;
      channel =
          FileChannel.open(
              directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock acquired = channel.tryLock();
      if (acquired == null) {
        ownedElsewhere = true;
        log.log(
            Level.WARNING,
            "cache directory {0} is written by another process; this client will only read it",
            directory);
        channel.close();
        HELD.remove(real);
        return false;
      }
      lockChannel = channel;
      lock = acquired;
      held = real;
      lockKey = fileKey(directory.resolve(LOCK_FILE));
      removeTemporaryFiles();
      if (failing) {
        log.log(Level.INFO, "cache directory {0} is usable again", directory);
        failing = false;
      }
      return true;
    } catch (IOException | OverlappingFileLockException e) {
      closeQuietly(channel);
      if (claimed != null) {
        HELD.remove(claimed);
      }
      log.log(
          failing ? Level.DEBUG : Level.WARNING,
          "cache directory {0} is not writable ({1}); running from memory and trying again at the next write",
          directory,
          e.toString());
      failing = true;
      return false;
    }
  }

  /**
   * Whether the lock still guards the directory this cache writes: a directory deleted or replaced
   * while running (FAULTS B14) has taken the lock file with it.
   */
  private boolean stillHeld() {
    if (lock == null || !lock.isValid()) {
      return false;
    }
    // The same file, not just a file of that name: a directory restored from a backup brings a
    // lock file of its own, which another process may lock while this one keeps writing.
    Path file = directory.resolve(LOCK_FILE);
    if (lockKey == null) { // a file system without file identities: the name is all there is
      return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }
    return lockKey.equals(fileKey(file));
  }

  /** The file's identity (device and inode on POSIX), or {@code null} if it is gone or has none. */
  private static Object fileKey(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  private void release() {
    try {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      log.log(Level.DEBUG, "cannot release the cache lock: {0}", e.toString());
    }
    closeQuietly(lockChannel);
    if (held != null) {
      HELD.remove(held);
    }
    lock = null;
    lockChannel = null;
    held = null;
    lockKey = null;
  }

  private void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        log.log(Level.DEBUG, "cannot close {0}: {1}", LOCK_FILE, e.toString());
      }
    }
  }

  /** Creates missing directories readable by their owner only: the cache holds entitlements. */
  private static void createDirectories(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(directory);
    }
  }

  /** Whether this process may write the directory. */
  public synchronized boolean writable() {
    return lock != null;
  }

  /** Failed writes so far. */
  public synchronized long writeFailures() {
    return writeFailures;
  }

  /**
   * The stored copy of a namespace, if a readable one exists. An unparsable file is moved aside as
   * {@code *.corrupt} (when writable) and reported; the caller still verifies what it gets.
   */
  public Optional<Stored> load(String namespace) {
    Path file = file(namespace);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(Files.readAllBytes(file));
      if (!FORMAT.equals(node.path("format").asText())
          || !instance.equals(node.path("instance").asText())
          || !namespace.equals(node.path("namespace").asText())) {
        throw new IOException(
            "not a cache file of instance " + instance + " namespace " + namespace);
      }
      return Optional.of(
          new Stored(
              Base64.getDecoder().decode(node.path("body").asText()),
              node.path("reprDigest").asText(null),
              node.path("signature").asText(null),
              Instant.parse(node.path("verifiedAt").asText()),
              Duration.ofMillis(Math.max(0, node.path("graceConsumedMillis").asLong()))));
    } catch (IOException | RuntimeException e) {
      quarantine(file, e.toString());
      return Optional.empty();
    }
  }

  /** Moves a file that failed verification aside, so it is never tried again. */
  public void quarantine(String namespace, String reason) {
    quarantine(file(namespace), reason);
  }

  /**
   * Whether this cache may write now: open, not another writer's, and holding the lock (taken again
   * if the directory was replaced, FAULTS B14). A failure to take it counts as a failed write.
   */
  private boolean readyToWrite() {
    if (closed || ownedElsewhere) {
      return false;
    }
    if (!stillHeld()) {
      release();
      if (!acquire()) {
        writeFailures++;
        return false;
      }
    }
    return true;
  }

  /** Writes a namespace's copy atomically; failures are logged and counted, not thrown. */
  public synchronized void save(
      String namespace, VerifiedDocument document, Instant verifiedAt, Duration graceConsumed) {
    if (!readyToWrite()) {
      return;
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("format", FORMAT);
    node.put("instance", instance);
    node.put("namespace", namespace);
    node.put("body", Base64.getEncoder().encodeToString(document.body()));
    node.put("reprDigest", document.reprDigest());
    node.put("signature", document.signature());
    node.put("verifiedAt", verifiedAt.toString());
    node.put("graceConsumedMillis", graceConsumed.toMillis());
    try {
      writeAtomically(file(namespace), JSON.writeValueAsBytes(node));
      if (document.revision() > highWaterMark(namespace)) {
        writeAtomically(
            highWaterFile(namespace),
            Long.toString(document.revision()).getBytes(StandardCharsets.US_ASCII));
      }
    } catch (IOException | RuntimeException e) {
      writeFailures++;
      log.log(
          failing ? Level.DEBUG : Level.WARNING,
          "cannot write the last-known-good copy of {0} ({1}); keeping it in memory",
          namespace,
          e.toString());
      failing = true;
      return;
    }
    if (failing) {
      log.log(Level.INFO, "the last-known-good copy of {0} is written again", namespace);
      failing = false;
    }
  }

  /**
   * The highest revision of the namespace this directory has held, kept in a file of its own: a
   * copy older than that was put back by someone (an old backup, FAULTS B4) and is refused. Whoever
   * can write the directory can also lower the mark; it guards against accidents, not against an
   * attacker with write access (documented in docs/client.md). Zero if none.
   */
  public long highWaterMark(String namespace) {
    Path file = highWaterFile(namespace);
    try {
      return Files.exists(file)
          ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip())
          : 0;
    } catch (IOException | NumberFormatException e) {
      log.log(
          Level.WARNING,
          "ignoring unreadable high-water mark {0}: {1}",
          file.getFileName(),
          e.toString());
      return 0;
    }
  }

  /**
   * Forgets the namespace's high-water mark: a recovery marker voided the key that vouched for it
   * (FAULTS D13). Called before the key set carrying the marker is saved, so a crash in between
   * leaves the marker to be applied again, never a floor that outlives it.
   *
   * @return whether no mark is left: the caller saves the key set only then
   */
  public synchronized boolean forgetHighWaterMark(String namespace) {
    if (closed || lock == null) {
      return !Files.exists(highWaterFile(namespace));
    }
    try {
      Files.deleteIfExists(highWaterFile(namespace));
      return true;
    } catch (IOException e) {
      log.log(
          Level.WARNING, "cannot remove the high-water mark of {0} ({1})", namespace, e.toString());
      return false;
    }
  }

  /** The signed key set last saved, as its exact bytes; the caller verifies it again. */
  public Optional<byte[]> loadKeySet() {
    Path file = keySetFile();
    try {
      return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    } catch (IOException e) {
      log.log(Level.WARNING, "cannot read the cached key set: {0}", e.toString());
      return Optional.empty();
    }
  }

  /** Moves a cached key set that failed verification aside. */
  public void quarantineKeySet(String reason) {
    quarantine(keySetFile(), reason);
  }

  /** Saves a verified key set's exact bytes atomically; failures are logged, not thrown. */
  public synchronized void saveKeySet(byte[] signedKeySet) {
    if (!readyToWrite()) {
      return;
    }
    try {
      writeAtomically(keySetFile(), signedKeySet);
    } catch (IOException e) {
      writeFailures++;
      log.log(Level.WARNING, "cannot write the key set ({0}); keeping it in memory", e.toString());
    }
  }

  private Path keySetFile() {
    return directory.resolve(
        ContentHash.of((instance + "\n").getBytes(StandardCharsets.UTF_8)).hex() + ".keyset");
  }

  private void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temp = directory.resolve(target.getFileName() + ".tmp");
    try {
      try (FileChannel channel =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
        dir.force(true);
      } catch (IOException e) {
        // Not every file system can fsync a directory; the rename has happened.
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private Path highWaterFile(String namespace) {
    return directory.resolve(
        ContentHash.of((instance + "\n" + namespace).getBytes(StandardCharsets.UTF_8)).hex()
            + ".hwm");
  }

  private Path file(String namespace) {
    return directory.resolve(
        ContentHash.of((instance + "\n" + namespace).getBytes(StandardCharsets.UTF_8)).hex()
            + ".lkg");
  }

  private synchronized void quarantine(Path file, String reason) {
    log.log(Level.WARNING, "ignoring cache file {0}: {1}", file.getFileName(), reason);
    if (lock == null) {
      return;
    }
    try {
      Files.move(
          file,
          file.resolveSibling(file.getFileName() + ".corrupt"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      log.log(Level.WARNING, "cannot move {0} aside: {1}", file.getFileName(), e.toString());
    }
  }

  private void removeTemporaryFiles() {
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, "*.tmp")) {
      for (Path leftover : leftovers) {
        Files.deleteIfExists(leftover);
      }
    } catch (IOException e) {
      log.log(Level.DEBUG, "cannot list {0}: {1}", directory, e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    release();
  }
}
