package io.holdfast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.HoldfastClient;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of an application's read: {@code client.snapshot(ns)} and a typed get, against the floor
 * of the same lookups done directly on a Jackson tree held in a field. Target (issue 3): at most 50
 * ns and no allocation (run with {@code -prof gc}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SnapshotReadBenchmark {

  private ClientFixture fixture;
  private HoldfastClient client;

  /** The same, reading the monotonic clock on every read: the read path before issue 21. */
  private HoldfastClient exactClient;

  private JsonNode direct;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    fixture = ClientFixture.startedFromDiskCache();
    client = fixture.client();
    // An injected ticker (even one reading System.nanoTime) is read exactly on every read.
    exactClient =
        fixture
            .builder(ClientFixture.closedPort())
            .startupTimeout(java.time.Duration.ZERO)
            .ticker(System::nanoTime)
            .build();
    exactClient.start();
    direct =
        new ObjectMapper()
            .readTree(
                "{\"seats\":{\"crm\":25,\"helpdesk\":10},\"support\":{\"email\":\"x@example.com\"}}");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    exactClient.close();
    fixture.close();
  }

  @Benchmark
  public ConfigSnapshot snapshot() {
    return client.snapshot("core");
  }

  @Benchmark
  public int snapshotAndGetInt() {
    return client.snapshot("core").getInt("seats.crm", 0);
  }

  /**
   * Reference: {@link #snapshotAndGetInt} reading the real clock every time, as before issue 21.
   */
  @Benchmark
  public int referenceExactClockSnapshotAndGetInt() {
    return exactClient.snapshot("core").getInt("seats.crm", 0);
  }

  @Benchmark
  public String snapshotAndGetString() {
    return client.snapshot("core").getString("support.email", "");
  }

  /**
   * Reference: one monotonic clock read. Every snapshot read made one until issue 21, so that a
   * grace period running out is seen by reads even when the sync loop is stuck (FAULTS I12); reads
   * now take a coarse reading that a thread of the client advances, and check the real clock only
   * near a deadline or when that thread stalls. Target (issue 21): {@link #snapshotAndGetInt} at
   * most twice this, with no allocation.
   */
  @Benchmark
  public long referenceNanoTime() {
    return System.nanoTime();
  }

  /** Reference: the same lookup on a tree in a field, with no client around it. */
  @Benchmark
  public int referenceJacksonTreeGet() {
    return direct.path("seats").path("crm").asInt(0);
  }
}
