package io.holdfast.cli.soak;

import io.holdfast.cli.soak.history.Fault;
import io.holdfast.cli.soak.history.Fault.Phase;
import io.holdfast.cli.soak.history.HistoryRecorder;
import io.holdfast.testkit.FaultyReplica;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Plays a fault schedule against the cluster and the nodes: each fault starts at its time on a
 * thread of its own, lasts its lifetime and is undone, so faults overlap. A fault whose target is
 * already under a fault of the same family (one proxy rule set, one cache directory, one clock) is
 * skipped, so that undoing one never cuts another short; a kill that would leave no replica alive
 * is skipped too. {@link #healAll()} ends every fault at once and repairs whatever is still broken.
 */
final class Nemesis {

  private static final Duration RESTART_PAUSE = Duration.ofSeconds(1);
  private static final int RESTART_ATTEMPTS = 60;

  private final SoakCluster cluster;
  private final List<AppNode> nodes;
  private final List<Publisher> publishers;
  private final HistoryRecorder history;
  private final OperationCounts faults;
  private final CountDownLatch healing = new CountDownLatch(1);
  private final Set<String> busy = new HashSet<>(); // guarded by itself
  private final List<Thread> running = new ArrayList<>();
  // Replicas that may be down at once: all but one, so that writes can always be acknowledged.
  private final Semaphore killable;
  private int ids;

  Nemesis(
      SoakCluster cluster,
      List<AppNode> nodes,
      List<Publisher> publishers,
      HistoryRecorder history,
      OperationCounts faults) {
    this.cluster = cluster;
    this.nodes = List.copyOf(nodes);
    this.publishers = List.copyOf(publishers);
    this.history = history;
    this.faults = faults;
    this.killable = new Semaphore(cluster.replicas().size() - 1);
  }

  /** Plays {@code schedule} from now until its last start, or until {@link #healAll()}. */
  void play(List<PlannedFault> schedule) throws InterruptedException {
    long start = System.nanoTime();
    for (PlannedFault planned : schedule) {
      long wait = planned.at().toNanos() - (System.nanoTime() - start);
      if (wait > 0 && healing.await(wait, TimeUnit.NANOSECONDS)) {
        return;
      }
      if (healing.getCount() == 0) {
        return;
      }
      String id = "f" + (++ids);
      Thread thread = Thread.ofVirtual().name("nemesis-" + id).start(() -> run(id, planned));
      synchronized (running) {
        running.add(thread);
      }
    }
  }

  private void run(String id, PlannedFault planned) {
    String target = target(planned);
    List<String> families = families(planned, target);
    if (!claim(families)) {
      faults.count("skipped (target busy)");
      return;
    }
    try {
      if (planned.kind() == FaultKind.KILL && !killable.tryAcquire()) {
        faults.count("skipped (last replica)");
        return;
      }
      faults.count(planned.kind().label());
      history.record(
          t -> new Fault(t, id, Phase.START, planned.kind().label(), target, detail(planned)));
      try {
        Runnable undo = apply(planned);
        if (!planned.lifetime().isZero()) {
          healing.await(planned.lifetime().toNanos(), TimeUnit.NANOSECONDS);
        }
        undo.run();
      } catch (Exception e) {
        faults.count("fault failed: " + planned.kind().label());
        history.record(
            t -> new Fault(t, id, Phase.END, planned.kind().label(), target, "failed: " + e));
        return;
      }
      history.record(t -> new Fault(t, id, Phase.END, planned.kind().label(), target, ""));
    } finally {
      synchronized (busy) {
        families.forEach(busy::remove);
      }
    }
  }

  /** Claims every family or none. */
  private boolean claim(List<String> families) {
    synchronized (busy) {
      if (families.stream().anyMatch(busy::contains)) {
        return false;
      }
      busy.addAll(families);
      return true;
    }
  }

  /** Starts the fault; returns what undoes it. */
  private Runnable apply(PlannedFault planned) throws Exception {
    FaultKind kind = planned.kind();
    if (kind.onProxy()) {
      List<FaultyReplica> proxies = proxies(planned);
      String path = proxyPath(planned);
      for (FaultyReplica proxy : proxies) {
        proxy.fault(path, ProxyFaults.of(kind));
      }
      return () -> proxies.forEach(FaultyReplica::clear);
    }
    return switch (kind) {
      case KILL -> {
        ReplicaProcess replica = replica(planned);
        replica.kill();
        yield () -> {
          try {
            restart(replica);
          } finally {
            killable.release();
          }
        };
      }
      case POSTGRES_CUT -> {
        var relay = cluster.relay().orElseThrow();
        relay.cut();
        yield relay::restore;
      }
      case PUBLISH_BURST -> {
        publishers.get(planned.target() % publishers.size()).burst(planned.size());
        yield () -> {};
      }
      case CLIENT_RESTART, CLIENT_COLD_START -> {
        node(planned).restart(kind == FaultKind.CLIENT_COLD_START);
        yield () -> {};
      }
      case CACHE_FULL, CACHE_READ_ONLY -> {
        CacheDirectory cache = node(planned).cache();
        if (kind == FaultKind.CACHE_FULL) {
          cache.fill();
        } else {
          cache.makeReadOnly();
        }
        yield () -> heal(cache);
      }
      case CLOCK_STEP -> {
        SteppableClock clock = node(planned).clock();
        clock.step(clockStep(planned));
        yield clock::reset;
      }
      default -> throw new IllegalStateException("not a fault the nemesis plays: " + kind);
    };
  }

  /**
   * Ends the schedule and every fault now, for a run that ends early (an error, a signal): fault
   * threads are interrupted, so none is left restarting a replica after the soak has closed them.
   */
  void stop() throws InterruptedException {
    healing.countDown();
    List<Thread> threads;
    synchronized (running) {
      threads = List.copyOf(running);
    }
    for (Thread thread : threads) {
      thread.interrupt();
    }
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(10));
    }
  }

  /**
   * Ends every fault now and waits (bounded) for their threads; then restarts replicas that are
   * down and clears every proxy, relay, cache and clock, whatever state a failed undo left.
   */
  void healAll() throws InterruptedException {
    healing.countDown();
    List<Thread> threads;
    synchronized (running) {
      threads = List.copyOf(running);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        thread.join(Duration.ofNanos(left));
      }
    }
    cluster.relay().ifPresent(relay -> relay.restore());
    cluster.proxies().forEach(FaultyReplica::clear);
    for (ReplicaProcess replica : cluster.replicas()) {
      if (!replica.alive()) {
        restart(replica);
      }
    }
    for (AppNode node : nodes) {
      heal(node.cache());
      node.clock().reset();
    }
  }

  private static void restart(ReplicaProcess replica) {
    // A replica just killed may hold its port a moment longer, and one on PostgreSQL does not
    // start while the database is cut off (it exits: "cannot open the database"), so try again
    // for up to a minute; the cut ends within its own lifetime.
    RuntimeException failure = null;
    for (int attempt = 0; attempt < RESTART_ATTEMPTS; attempt++) {
      try {
        replica.start();
        return;
      } catch (Exception e) {
        failure =
            new IllegalStateException("could not restart " + replica + ": " + e.getMessage(), e);
        try {
          Thread.sleep(RESTART_PAUSE);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw failure;
        }
      }
    }
    throw failure;
  }

  private static void heal(CacheDirectory cache) {
    try {
      cache.heal();
    } catch (Exception e) {
      throw new IllegalStateException("could not heal cache " + cache.path() + ": " + e, e);
    }
  }

  private ReplicaProcess replica(PlannedFault planned) {
    return cluster.replicas().get(planned.target() % cluster.replicas().size());
  }

  /**
   * The proxies a proxy fault hits: one replica's, or every replica's for a quarter of the targets,
   * so that clients lose every path at times and must ride it out on their cache.
   */
  private List<FaultyReplica> proxies(PlannedFault planned) {
    if (everyReplica(planned)) {
      return cluster.proxies();
    }
    return List.of(cluster.proxies().get(planned.target() % cluster.proxies().size()));
  }

  private static boolean everyReplica(PlannedFault planned) {
    return planned.target() % 4 == 3;
  }

  private AppNode node(PlannedFault planned) {
    return nodes.get(planned.target() % nodes.size());
  }

  private static Duration clockStep(PlannedFault planned) {
    // Half back, half forwards; up to two hours.
    Duration step = Duration.ofMinutes(planned.size());
    return planned.target() % 2 == 0 ? step : step.negated();
  }

  /** The request paths a proxy fault hits, chosen by the target index. */
  private static String proxyPath(PlannedFault planned) {
    if (planned.kind() == FaultKind.REFUSE) {
      return "";
    }
    String[] paths = {"", "/config/", "/checksums", "/watch", "/heartbeat"};
    return paths[(planned.target() / 10) % paths.length];
  }

  private String target(PlannedFault planned) {
    FaultKind kind = planned.kind();
    if (kind.onProxy()) {
      String path = proxyPath(planned);
      String replicas = everyReplica(planned) ? "every replica" : replica(planned).name();
      return replicas + (path.isEmpty() ? "" : " " + path);
    }
    return switch (kind) {
      case KILL -> replica(planned).name();
      case POSTGRES_CUT -> "postgres";
      case PUBLISH_BURST -> "publisher " + (planned.target() % publishers.size() + 1);
      default -> node(planned).name();
    };
  }

  /** What two faults must not share: their undo would clear each other. */
  private List<String> families(PlannedFault planned, String target) {
    FaultKind kind = planned.kind();
    if (kind.onProxy()) {
      return proxies(planned).stream()
          .map(proxy -> "proxy " + cluster.proxies().indexOf(proxy))
          .toList();
    }
    return List.of(
        switch (kind) {
          case CACHE_FULL, CACHE_READ_ONLY, CLIENT_RESTART, CLIENT_COLD_START ->
              "node " + node(planned).name();
          case CLOCK_STEP -> "clock " + node(planned).name();
          case KILL -> "replica " + target;
          default -> target;
        });
  }

  private static String detail(PlannedFault planned) {
    return switch (planned.kind()) {
      case PUBLISH_BURST -> planned.size() + " publishes";
      case CLOCK_STEP -> clockStep(planned).toString();
      default -> planned.lifetime().isZero() ? "" : "for " + planned.lifetime().toMillis() + " ms";
    };
  }
}
