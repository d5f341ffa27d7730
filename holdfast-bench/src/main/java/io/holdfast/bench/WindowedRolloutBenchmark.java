package io.holdfast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.model.Scope;
import io.holdfast.server.rollout.ChangeEdit;
import io.holdfast.server.rollout.ChangeRequest;
import io.holdfast.server.rollout.JdbcRolloutStore;
import io.holdfast.server.rollout.ReleaseMode;
import io.holdfast.server.rollout.RolloutEngine;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import io.holdfast.server.window.Blackout;
import io.holdfast.server.window.BlackoutLevel;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.IanaZone;
import io.holdfast.server.window.JdbcWindowStore;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What change windows add to one pass of the rollout engine (issue 22; target: at most twice the
 * pass without them). Two fleets of the same size, each in ring {@code dev} of its own SQLite file
 * with a heartbeat per instance, each with a change released to ring {@code dev}:
 *
 * <ul>
 *   <li>(a) no window anywhere: every instance received the change with the ring, and each tick
 *       lists, reads and judges (gate WAIT while it bakes), as before issue 22;
 *   <li>(b) each instance in one of 24 IANA zones from UTC-10 to UTC+12 (13 of them with summer
 *       time), the ring's window read in each one's zone, one instance in 50 with a window of its
 *       own and one in 50 with blackouts of its own, two global and two ring blackouts. A change
 *       released on a Tuesday at 12:00 UTC holds back the instances where it is working hours; the
 *       clock then moves in 30-minute steps for 12 hours and the engine delivers to each zone as
 *       its evening starts.
 * </ul>
 *
 * Each step times the first tick after the clock moved (it delivers when a window opened) and two
 * more at the same instant (they only judge), and three ticks of fleet (a) with its own clock moved
 * by 30 s, so the two are measured interleaved on the same machine at the same moments. After each
 * step every instance reports, as the SDK would: what it is served now. A round is one change; the
 * next is released a week later (so the rounds straddle the American and the European change to
 * summer time). The first round warms up and is not counted.
 */
public final class WindowedRolloutBenchmark {

  /** 24 zones from UTC-10 to UTC+12; those marked DST change their clocks during the year. */
  private static final List<String> ZONES =
      List.of(
          "Pacific/Honolulu", // -10
          "America/Anchorage", // -9, DST
          "America/Los_Angeles", // -8, DST
          "America/Denver", // -7, DST
          "America/Phoenix", // -7
          "America/Chicago", // -6, DST
          "America/New_York", // -5, DST
          "America/Halifax", // -4, DST
          "America/St_Johns", // -3:30, DST
          "America/Sao_Paulo", // -3
          "Atlantic/Azores", // -1, DST
          "Europe/London", // 0, DST
          "Europe/Berlin", // +1, DST
          "Europe/Athens", // +2, DST
          "Europe/Moscow", // +3
          "Asia/Dubai", // +4
          "Asia/Karachi", // +5
          "Asia/Kolkata", // +5:30
          "Asia/Bangkok", // +7
          "Asia/Shanghai", // +8
          "Asia/Tokyo", // +9
          "Australia/Sydney", // +10, DST (southern)
          "Pacific/Noumea", // +11
          "Pacific/Auckland"); // +12, DST (southern)

  private static final String RING = "dev";
  private static final ChangeWindow RING_WINDOW =
      ChangeWindow.parse("Mon-Thu 19:00-07:00, Fri 19:00-Mon 07:00 in Europe/London");

  /** Tuesday 9 March 2027, 12:00 UTC: working hours from New York to Bangkok. */
  private static final Instant FIRST_RELEASE = Instant.parse("2027-03-09T12:00:00Z");

  private static final Duration STEP = Duration.ofMinutes(30);
  private static final int STEPS = 24;
  private static final int JUDGE_TICKS_PER_STEP = 2;
  private static final int BASELINE_TICKS_PER_STEP = 3;
  private static final Duration BASELINE_STEP = Duration.ofSeconds(30);
  private static final int ROUNDS = 4;

  private static final ObjectMapper JSON = new ObjectMapper();

  private WindowedRolloutBenchmark() {}

  public static void main(String[] args) throws Exception {
    int size = args.length == 0 ? 10_000 : Integer.parseInt(args[0]);
    Path dir = Files.createTempDirectory("holdfast-window-bench");
    try (Fleet plain = Fleet.open(dir.resolve("plain.db"), size, false);
        Fleet windowed = Fleet.open(dir.resolve("windowed.db"), size, true)) {
      System.out.printf(
          "database: SQLite %s, one file per fleet (WAL, synchronous=FULL, as a replica opens it) under %s%n",
          plain.sqliteVersion(), dir);
      System.out.printf(
          "fleet: %d instances in ring %s; (b): %d zones, ring window '%s' read in each"
              + " instance's zone, %d instances with their own window, %d with their own"
              + " blackouts, %d global and %d ring blackouts%n",
          size,
          RING,
          ZONES.size(),
          RING_WINDOW,
          windowed.counts.ownWindows(),
          windowed.counts.ownBlackouts(),
          windowed.counts.global(),
          windowed.counts.ring());
      System.out.printf(
          "each round: a change released to %s, then %d steps of %s; per step 1 + %d ticks of"
              + " (b) and %d of (a); %d rounds, the first is warm-up%n",
          RING, STEPS, STEP, JUDGE_TICKS_PER_STEP, BASELINE_TICKS_PER_STEP, ROUNDS);
      Samples baseline = new Samples();
      Samples judging = new Samples();
      Samples delivering = new Samples();
      plain.release(0);
      for (int round = 0; round < ROUNDS; round++) {
        boolean counted = round > 0;
        Instant release = FIRST_RELEASE.plus(Duration.ofDays(7L * round));
        windowed.time.advance(Duration.between(windowed.time.clock().instant(), release));
        windowed.release(round);
        int heldAtRelease = windowed.waiting();
        int deliveries = 0;
        for (int step = 0; step < STEPS; step++) {
          if (step > 0) {
            windowed.time.advance(STEP);
          }
          for (int tick = 0; tick <= JUDGE_TICKS_PER_STEP; tick++) {
            Tick timed = Tick.of(windowed.engine, "reached");
            if (timed.acted()) {
              deliveries++;
            }
            if (counted) {
              (timed.acted() ? delivering : judging).add(timed.nanos());
            }
            if (tick == 0) {
              windowed.heartbeat(); // every instance reports what it is served now
            }
          }
          plain.time.advance(BASELINE_STEP);
          plain.heartbeat();
          for (int tick = 0; tick < BASELINE_TICKS_PER_STEP; tick++) {
            Tick timed = Tick.of(plain.engine, "(nothing)");
            if (counted) {
              baseline.add(timed.nanos());
            }
          }
        }
        System.out.printf(
            "round %d%s: released %s, %d of %d held back, %d delivering ticks, %d still waiting"
                + " after 12 h%n",
            round,
            counted ? "" : " (warm-up)",
            release,
            heldAtRelease,
            size,
            deliveries,
            windowed.waiting());
        if (heldAtRelease == 0 || heldAtRelease == size || deliveries == 0) {
          throw new IllegalStateException(
              "round " + round + " did not hold back part of the fleet");
        }
        windowed.backOut();
      }
      System.out.printf(
          "%-8s %-44s %6s %10s %10s %10s%n",
          "fleet", "engine tick", "ticks", "median ms", "p90 ms", "max ms");
      baseline.print(size, "(a) no windows (gate WAIT: baking)");
      judging.print(size, "(b) windows: only judges (gate WAIT)");
      delivering.print(size, "(b) windows: delivers as windows open");
      Samples all = judging.with(delivering);
      all.print(size, "(b) windows: every tick");
      double worst = Math.max(judging.median(), delivering.median()) / baseline.median();
      System.out.printf(
          "ratio (b)/(a) of medians: only judges %.2f, delivers %.2f, every tick %.2f; target <="
              + " 2.0 %s%n",
          judging.median() / baseline.median(),
          delivering.median() / baseline.median(),
          all.median() / baseline.median(),
          worst <= 2.0 ? "met" : "NOT met");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** One timed engine pass: whether it acted, and how long it took. */
  private record Tick(boolean acted, long nanos) {

    /**
     * Runs a tick; fails the run if the engine did anything but {@code allowed} (a delivery), since
     * the figures would then time something else.
     */
    static Tick of(RolloutEngine engine, String allowed) {
      long start = System.nanoTime();
      List<String> actions = engine.tick();
      long nanos = System.nanoTime() - start;
      for (String action : actions) {
        if (!action.contains(allowed)) {
          throw new IllegalStateException(
              "the engine did more than the benchmark means: " + actions);
        }
      }
      return new Tick(!actions.isEmpty(), nanos);
    }
  }

  /** One fleet in its own SQLite file, its engine and its driven clock. */
  private static final class Fleet implements AutoCloseable {
    final ManualTime time = new ManualTime(FIRST_RELEASE);
    final JdbcConfigStore store;
    final JdbcRolloutStore rollouts;
    final RolloutEngine engine;
    final Database database;
    final int size;
    final long published;
    final Counts counts;
    ChangeRequest change;

    private Fleet(Database database, int size, long published, Counts counts) {
      this.database = database;
      this.size = size;
      this.published = published;
      this.counts = counts;
      store = new JdbcConfigStore(database, time.clock());
      rollouts = new JdbcRolloutStore(database, time.clock());
      engine =
          new RolloutEngine(
              rollouts, store, time.clock(), "bench", Duration.ofHours(1), () -> {}, t -> {});
    }

    /**
     * Builds the fleet through the stores' own writes, each its own transaction, on a connection
     * without fsync (so that tens of thousands of set-up writes take seconds, not minutes), then
     * opens the file again as a replica does, with {@code synchronous=FULL}, for the measurement.
     */
    static Fleet open(Path file, int size, boolean windows) throws Exception {
      ManualTime setUpTime = new ManualTime(FIRST_RELEASE.minus(Duration.ofDays(1)));
      long published;
      Counts counts;
      Database fast = Database.open("jdbc:sqlite:" + file, Duration.ofSeconds(30));
      try (JdbcConfigStore setUp = new JdbcConfigStore(fast, setUpTime.clock())) {
        // The writer pool holds one connection, which keeps a pragma set on it.
        try (Connection c = fast.writer().getConnection();
            Statement statement = c.createStatement()) {
          statement.execute("PRAGMA synchronous = OFF");
        }
        if (!pragma(fast, "synchronous").equals("0")) {
          throw new IllegalStateException("the set-up connection kept fsync on");
        }
        published = populate(setUp, size);
        counts = windows ? setWindows(fast, setUpTime, size) : Counts.NONE;
      }
      Database database = Database.open("jdbc:sqlite:" + file, Duration.ofSeconds(30));
      String synchronous = pragma(database, "synchronous");
      if (!synchronous.equals("2")) {
        database.close();
        throw new IllegalStateException("expected synchronous=FULL (2); got " + synchronous);
      }
      return new Fleet(database, size, published, counts);
    }

    private static long populate(JdbcConfigStore store, int size) throws Exception {
      store.createNamespace("core", "bench", "bench");
      store.putDraft("core", Scope.DEFAULT, JSON.readTree("{\"maxUsers\":10}"), "bench");
      store.publish("core", Set.of(), "first", "bench");
      for (int i = 0; i < size; i++) {
        store.createInstance(id(i), RING, Map.of(), "hash-" + i, "bench");
      }
      return store.latestLayers("core").get(0).revision();
    }

    private static Counts setWindows(Database database, ManualTime time, int size) {
      JdbcWindowStore windows = new JdbcWindowStore(database, time.clock());
      windows.setRingWindow(RING, Optional.of(RING_WINDOW), "bench");
      ChangeWindow weekends = ChangeWindow.parse("Sat-Sun all day in Asia/Tokyo");
      ChangeWindow earlyHours = ChangeWindow.parse("Mon-Fri 02:00-04:00 in America/Chicago");
      int ownWindows = 0;
      int ownBlackouts = 0;
      for (int i = 0; i < size; i++) {
        Optional<ChangeWindow> own =
            switch (i % 100) {
              case 50 -> Optional.of(weekends);
              case 51 -> Optional.of(earlyHours);
              default -> Optional.empty();
            };
        if (own.isPresent()) {
          ownWindows++;
        }
        windows.setInstanceTiming(
            id(i), Optional.of(IanaZone.parse(ZONES.get(i % ZONES.size()))), own, "bench");
        // One instance in 100 is migrating for four weeks (held through every round), another
        // closes its books each Wednesday, its own Wednesday.
        List<String> blackouts =
            switch (i % 100) {
              case 7 -> List.of("2027-03-08..2027-04-05: data migration");
              case 8 ->
                  List.of(
                      "2027-03-10: books closed",
                      "2027-03-17: books closed",
                      "2027-03-24: books closed",
                      "2027-03-31: books closed");
              default -> List.of();
            };
        for (String blackout : blackouts) {
          windows.addBlackout(BlackoutLevel.INSTANCE, id(i), Blackout.parse(blackout), "bench");
        }
        if (!blackouts.isEmpty()) {
          ownBlackouts++;
        }
      }
      List<String> global =
          List.of(
              "2027-11-26..2027-11-29 in America/New_York: Black Friday",
              "2027-12-24..2027-12-26: Christmas");
      for (String blackout : global) {
        windows.addBlackout(BlackoutLevel.GLOBAL, "", Blackout.parse(blackout), "bench");
      }
      // The first holds in the last round, in each zone from its own 31 March.
      List<String> ring =
          List.of("2027-03-31..2027-04-01: quarter end", "2027-06-30..2027-07-01: quarter end");
      for (String blackout : ring) {
        windows.addBlackout(BlackoutLevel.RING, RING, Blackout.parse(blackout), "bench");
      }
      return new Counts(ownWindows, ownBlackouts, global.size(), ring.size());
    }

    /** Creates a change and releases it to rings test and dev, as an operator would. */
    void release(int round) throws Exception {
      ChangeRequest created =
          rollouts.createChange(
              "bench round " + round,
              List.of(
                  new ChangeEdit(
                      "core",
                      Scope.DEFAULT,
                      JSON.readTree("{\"maxUsers\":" + (20 + round) + "}"),
                      null)),
              List.of(),
              0,
              "bench");
      ChangeRequest test =
          rollouts.releaseNext(created.id(), created.version(), ReleaseMode.MANUAL, "bench", null);
      change = rollouts.releaseNext(test.id(), test.version(), ReleaseMode.MANUAL, "bench", null);
      heartbeat();
    }

    /** Instances that wait for their window. */
    int waiting() {
      return (int)
          rollouts.heldInRing(change.id(), RING).values().stream().filter(d -> d.waiting()).count();
    }

    /**
     * Every instance reports now: the revision it is served, the change's release for those that
     * have it (enough to confirm it) and the one before for those that wait.
     */
    void heartbeat() {
      Set<String> waiting = new HashSet<>();
      rollouts
          .heldInRing(change.id(), RING)
          .forEach(
              (instance, delivery) -> {
                if (delivery.waiting()) {
                  waiting.add(instance);
                }
              });
      Instant now = time.clock().instant();
      List<Heartbeat> heartbeats = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        long revision = waiting.contains(id(i)) ? published : change.releaseRevision();
        heartbeats.add(new Heartbeat(id(i), now, body(now, revision)));
      }
      store.recordHeartbeats(heartbeats);
    }

    void backOut() {
      ChangeRequest current = rollouts.findChange(change.id()).orElseThrow();
      rollouts.backOut(current.id(), current.version(), "end of round", "bench", null);
    }

    String sqliteVersion() throws Exception {
      try (Connection c = database.reader().getConnection()) {
        return c.getMetaData().getDatabaseProductVersion();
      }
    }

    private static String pragma(Database database, String name) throws Exception {
      try (Connection c = database.writer().getConnection();
          Statement statement = c.createStatement();
          ResultSet rs = statement.executeQuery("PRAGMA " + name)) {
        rs.next();
        return rs.getString(1);
      }
    }

    @Override
    public void close() {
      engine.close();
      store.close();
    }
  }

  /** How many window settings of each kind fleet (b) has. */
  private record Counts(int ownWindows, int ownBlackouts, int global, int ring) {
    static final Counts NONE = new Counts(0, 0, 0, 0);
  }

  private static String id(int i) {
    return "i-" + i;
  }

  private static ObjectNode body(Instant now, long revision) {
    ObjectNode body =
        JSON.createObjectNode().put("sdkVersion", "bench").put("sentAt", now.toString());
    body.putObject("namespaces")
        .putObject("core")
        .put("revision", revision)
        .put("status", "FRESH")
        .put("since", now.toString());
    body.putObject("application").put("status", "OK").put("since", now.toString());
    return body;
  }

  /** Durations of ticks, in nanoseconds. */
  private static final class Samples {
    private final List<Long> nanos = new ArrayList<>();

    void add(long tick) {
      nanos.add(tick);
    }

    Samples with(Samples other) {
      Samples both = new Samples();
      both.nanos.addAll(nanos);
      both.nanos.addAll(other.nanos);
      return both;
    }

    double median() {
      return at(0.5);
    }

    private double at(double quantile) {
      long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
    }

    void print(int size, String what) {
      if (nanos.isEmpty()) {
        throw new IllegalStateException("no tick measured for " + what);
      }
      System.out.printf(
          "%-8d %-44s %6d %10.2f %10.2f %10.2f%n",
          size, what, nanos.size(), median(), at(0.9), at(1.0));
    }
  }
}
