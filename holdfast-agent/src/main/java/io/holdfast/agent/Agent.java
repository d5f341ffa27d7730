package io.holdfast.agent;

import io.holdfast.agent.config.AgentSettings;
import io.holdfast.agent.files.FileMirror;
import io.holdfast.agent.http.AgentServer;
import io.holdfast.agent.metrics.AgentMetrics;
import io.holdfast.agent.seats.SeatService;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.seats.SubscriptionChecker;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code holdfast agent}: the SDK run as a small daemon beside an instance, serving its verified
 * documents, their status and its seats over loopback HTTP to programs in any language (see
 * docs/agent.md). Start order is what makes it answer within milliseconds with every replica down:
 * the SDK client loads the disk cache and starts its sync in the background (start-up timeout 0 by
 * default), the listeners open, and only then the seat store, which may wait on a database: seat
 * requests answer 503 until it is open, reads never wait for it.
 */
public final class Agent implements AutoCloseable {

  /** The name heartbeats carry beside the SDK's version: {@code 0.1.0 (holdfast-agent)}. */
  public static final String PROGRAM = "holdfast-agent";

  private static final System.Logger LOG = System.getLogger("io.holdfast.agent");
  private static final Duration SEAT_RETRY_FIRST = Duration.ofMillis(250);
  private static final Duration SEAT_RETRY_CAP = Duration.ofSeconds(30);

  private final HoldfastClient client;
  private final AgentServer server;
  private final AtomicReference<SeatService> seats;
  private final FileMirror files;
  private final ScheduledExecutorService seatOpener;
  private final CountDownLatch closed = new CountDownLatch(1);

  private Agent(
      HoldfastClient client,
      AgentServer server,
      AtomicReference<SeatService> seats,
      FileMirror files,
      ScheduledExecutorService seatOpener) {
    this.client = client;
    this.server = server;
    this.seats = seats;
    this.files = files;
    this.seatOpener = seatOpener;
  }

  /**
   * Starts the client, the listeners, the file mirror and (in the background) the seat store.
   *
   * @throws IOException if a listen address cannot be bound or the files directory made
   * @throws io.holdfast.client.HoldfastUnavailableException under {@code
   *     holdfast.when-unavailable=fail} with a namespace that has no copy anywhere
   */
  public static Agent start(AgentSettings settings) throws IOException {
    AgentMetrics metrics = new AgentMetrics();
    AtomicReference<SeatService> seats = new AtomicReference<>();
    HoldfastClient client =
        settings
            .client()
            .builder()
            .reportedAs(PROGRAM)
            .seatsInUse(
                () -> {
                  SeatService service = seats.get();
                  return service == null ? Map.of() : service.seatsInUse();
                })
            .build();
    client.addFetchListener(metrics);
    client.start();
    AgentServer server = null;
    FileMirror files = null;
    try {
      server =
          AgentServer.start(
              client,
              settings.listen(),
              settings.managementListen(),
              settings.maxConcurrentRequests(),
              settings.seats() == null
                  ? null
                  : () -> {
                    SeatService service = seats.get();
                    return service == null ? null : service.checker();
                  },
              settings.seatToken(),
              metrics);
      if (settings.files() != null) {
        files = FileMirror.start(client, settings.files(), metrics, Clock.systemUTC());
      }
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.close();
      }
      client.close();
      throw e;
    }
    ScheduledExecutorService opener = null;
    if (settings.seats() != null) {
      opener =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "holdfast-agent-seat-store");
                thread.setDaemon(true);
                return thread;
              });
      openSeats(opener, settings.seats(), client, seats, Duration.ZERO);
    }
    return new Agent(client, server, seats, files, opener);
  }

  /**
   * Opens the seat store on {@code opener}'s thread after {@code delay}; while the database cannot
   * be reached it tries again, waiting {@link #SEAT_RETRY_FIRST} and then twice as long each time,
   * up to {@link #SEAT_RETRY_CAP}.
   */
  private static void openSeats(
      ScheduledExecutorService opener,
      AgentSettings.SeatSettings settings,
      HoldfastClient client,
      AtomicReference<SeatService> seats,
      Duration delay) {
    Duration next =
        delay.isZero()
            ? SEAT_RETRY_FIRST
            : delay.multipliedBy(2).compareTo(SEAT_RETRY_CAP) > 0
                ? SEAT_RETRY_CAP
                : delay.multipliedBy(2);
    try {
      opener.schedule(
          () -> {
            try {
              seats.set(SeatService.open(settings, client));
              LOG.log(Level.INFO, "seat store open: {0}", settings);
            } catch (RuntimeException e) {
              LOG.log(
                  Level.WARNING,
                  "seat store not open yet, retrying in {0}: {1}",
                  next,
                  e.toString());
              openSeats(opener, settings, client, seats, next);
            }
          },
          delay.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  public InetSocketAddress address() {
    return server.address();
  }

  public InetSocketAddress managementAddress() {
    return server.managementAddress();
  }

  /** The seat checker once its store is open, else {@code null}. */
  public SubscriptionChecker seatChecker() {
    SeatService service = seats.get();
    return service == null ? null : service.checker();
  }

  /** Blocks until {@link #close()} ran. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  @Override
  public void close() {
    if (seatOpener != null) {
      seatOpener.shutdownNow();
      try {
        // An open in progress (up to the pool's 5 s connection timeout) finishes before the pool
        // is closed below, so no pool outlives the agent.
        seatOpener.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    server.close();
    if (files != null) {
      files.close();
    }
    SeatService service = seats.getAndSet(null);
    if (service != null) {
      service.close();
    }
    client.close();
    closed.countDown();
  }
}
