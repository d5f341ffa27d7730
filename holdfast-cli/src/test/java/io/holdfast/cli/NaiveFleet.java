package io.holdfast.cli;

import io.holdfast.cli.fleet.Fleet;
import io.holdfast.cli.fleet.FleetMember;
import io.holdfast.cli.fleet.FleetPlan;
import io.holdfast.cli.fleet.FleetView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's application servers, as a fleet: each member reads its checksums and its subscriptions
 * with plain GETs from one replica, keeps no last-known-good copy, and on any failed read throws
 * away its subscription count, so the users holding seats are locked out and the error reaches the
 * application. A game day must fail it.
 *
 * <p>A member that read nothing valid has nothing to serve: it counts as EXPIRED until its next
 * good read. Thread-safe; {@link #close()} stops its threads.
 */
final class NaiveFleet implements Fleet {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final int SEATS_WANTED = 3;

  private final List<Member> members = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final ScheduledExecutorService loop = Executors.newScheduledThreadPool(2);
  private final AtomicLong admissions = new AtomicLong();
  private final AtomicLong denied = new AtomicLong();
  private final AtomicLong holdersDenied = new AtomicLong();
  private final AtomicLong applicationErrors = new AtomicLong();

  /** One instance: which replica it reads and what it holds. Guarded by itself. */
  private static final class Member {
    final FleetMember member;
    final URI replica;
    boolean everRead;
    boolean valid;
    int seatsHeld;

    Member(FleetMember member, URI replica) {
      this.member = member;
      this.replica = replica;
    }
  }

  static NaiveFleet start(FleetPlan plan) {
    NaiveFleet fleet = new NaiveFleet();
    for (int i = 0; i < plan.members().size(); i++) {
      Member member =
          new Member(plan.members().get(i), plan.replicas().get(i % plan.replicas().size()));
      fleet.members.add(member);
      long period = plan.seatInterval().toMillis();
      fleet.loop.scheduleWithFixedDelay(() -> fleet.step(member), 0, period, TimeUnit.MILLISECONDS);
    }
    return fleet;
  }

  private void step(Member m) {
    boolean read =
        get(m, "/v1/instances/" + m.member.instance() + "/checksums")
            && get(m, "/v1/instances/" + m.member.instance() + "/config/subscriptions");
    synchronized (m) {
      if (!read) {
        // What the seed's servers did: the error propagates and the count is gone.
        applicationErrors.incrementAndGet();
        m.valid = false;
        if (m.seatsHeld > 0) {
          denied.incrementAndGet();
          holdersDenied.incrementAndGet();
          m.seatsHeld = 0;
        }
        return;
      }
      m.everRead = true;
      m.valid = true;
      if (m.seatsHeld < SEATS_WANTED) {
        m.seatsHeld++;
        admissions.incrementAndGet();
      }
    }
  }

  private boolean get(Member m, String path) {
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(URI.create(m.replica + path))
                  .timeout(TIMEOUT)
                  .header("Authorization", "Bearer " + m.member.credential())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public FleetView view() {
    int fresh = 0;
    int expired = 0;
    int unstarted = 0;
    for (Member m : members) {
      synchronized (m) {
        if (m.valid) {
          fresh++;
        } else if (m.everRead) {
          expired++;
        } else {
          unstarted++;
        }
      }
    }
    return new FleetView(
        members.size(),
        fresh,
        0,
        expired,
        unstarted,
        admissions.get(),
        denied.get(),
        holdersDenied.get(),
        applicationErrors.get());
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.close();
  }
}
