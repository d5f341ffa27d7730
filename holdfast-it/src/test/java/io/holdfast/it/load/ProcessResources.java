package io.holdfast.it.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a process holds at one moment, read from Linux's {@code /proc}: the budget FAULTS.md I10
 * puts on a replica is about the process as the operating system sees it, so the test reads it
 * there rather than trusting the JVM's own view.
 *
 * @param threads platform threads (virtual threads are not counted: they hold no OS thread)
 * @param residentKb resident memory
 * @param descriptors open file descriptors
 * @param cpuTicks user plus system CPU time so far, in clock ticks (100 per second on Linux)
 */
record ProcessResources(int threads, long residentKb, int descriptors, long cpuTicks) {

  /** The CPU time the kernel counts per second of one core ({@code USER_HZ}). */
  static final int TICKS_PER_SECOND = 100;

  static ProcessResources of(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      int threads = 0;
      long resident = 0;
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.substring(8).strip());
        } else if (line.startsWith("VmRSS:")) {
          resident = Long.parseLong(line.substring(6).replace("kB", "").strip());
        }
      }
      int descriptors;
      try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
        descriptors = (int) fds.count();
      }
      // The command name (field 2) may hold spaces; the fields after its closing parenthesis are
      // fixed: utime and stime are the 12th and 13th of them.
      String stat = Files.readString(proc.resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long cpu = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return new ProcessResources(threads, resident, descriptors, cpu);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
