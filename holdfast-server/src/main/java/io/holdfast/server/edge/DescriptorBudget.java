package io.holdfast.server.edge;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many connections this process can hold without running out of file descriptors.
 *
 * <p>The JVM raises its soft open-files limit to the hard limit when it starts (HotSpot's {@code
 * MaxFDLimit}, on by default), and {@code ./holdfast} raises it too. Helidon's accept loop ends for
 * good when {@code accept} fails with "Too many open files", so connections must stop short of the
 * limit: a reserve stays free for the database, log files, the probe's and the store's own sockets,
 * and whatever the process had open when it started.
 */
public record DescriptorBudget(long limit, long openAtStart) {

  /** Descriptors kept free for everything that is not an incoming connection. */
  public static final int RESERVE = 128;

  /** Reads the limit and the descriptors open now; unknown values (not Unix) allow everything. */
  public static DescriptorBudget current() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof UnixOperatingSystemMXBean unix) {
      return new DescriptorBudget(
          unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount());
    }
    return new DescriptorBudget(Long.MAX_VALUE, 0);
  }

  /**
   * The most connections that fit: {@code limit - openAtStart - RESERVE}, at least 16, so a replica
   * started with a tiny limit still serves a few.
   */
  public int connections() {
    long fit = limit - openAtStart - RESERVE;
    return (int) Math.max(16, Math.min(Integer.MAX_VALUE, fit));
  }

  /** The configured cap, lowered to what fits. */
  public int cap(int configured) {
    return Math.min(configured, connections());
  }
}
