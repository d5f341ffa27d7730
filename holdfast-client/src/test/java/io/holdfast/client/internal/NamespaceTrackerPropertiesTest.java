package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.ExpiredPolicy;
import io.holdfast.client.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The tracker against an independent model, over random histories of verified adoptions, refused
 * rollbacks and equivocations, failures, confirmations, reads, and monotonic and wall time moving
 * independently (FAULTS I1, I2, I4, I12).
 */
class NamespaceTrackerPropertiesTest {

  private static final TestDocuments DOCS = new TestDocuments();
  private static final long HOUR = Duration.ofHours(1).toNanos();

  enum Kind {
    ADOPT_NEWER,
    ADOPT_SAME,
    ADOPT_OLDER,
    ADOPT_EQUIVOCATING,
    FAIL,
    CONFIRM,
    TICK,
    READ,
    ADVANCE,
    ADVANCE_TO_EDGE,
    JUMP_WALL
  }

  /** One step; {@code amount} is a duration in nanoseconds or a content seed, by kind. */
  record Event(Kind kind, long amount) {}

  /** The expected state, computed without the tracker's code. */
  private static final class Model {
    final long grace;
    final long staleAfter;
    final ExpiredPolicy policy;
    VerifiedDocument held;
    long lastVerifiedTick;
    String lastFailure;
    long maxRevision;

    Model(long grace, long staleAfter, ExpiredPolicy policy) {
      this.grace = grace;
      this.staleAfter = staleAfter;
      this.policy = policy;
    }

    Status status(long now) {
      if (held == null) {
        return Status.INITIALIZING;
      }
      long consumed = now - lastVerifiedTick;
      if (consumed >= grace) {
        return Status.EXPIRED;
      }
      if (lastFailure != null || consumed >= staleAfter) {
        return Status.STALE;
      }
      return Status.FRESH;
    }

    JsonNode content(long now) {
      if (held == null || (status(now) == Status.EXPIRED && policy == ExpiredPolicy.USE_DEFAULTS)) {
        return JsonNodeFactory.instance.objectNode();
      }
      return held.envelope().content();
    }

    void verified(long now) {
      lastVerifiedTick = now;
      lastFailure = null;
    }
  }

  @Property(tries = 300)
  void trackerAgreesWithTheModel_overAnyHistory(
      @ForAll("graceMinutes") Integer graceMinutes,
      @ForAll("fractions") Double staleFraction,
      @ForAll ExpiredPolicy policy,
      @ForAll("histories") List<Event> history) {
    long grace = Duration.ofMinutes(graceMinutes).toNanos();
    long staleAfter = Math.max(1, (long) (grace * staleFraction));
    ManualTime time = new ManualTime();
    NamespaceTracker tracker =
        new NamespaceTracker(
            "core",
            Duration.ofNanos(grace),
            Duration.ofNanos(staleAfter),
            policy,
            time.ticker(),
            time.clock(),
            ConfigSnapshot::new,
            new RecordingLogger());
    Model model = new Model(grace, staleAfter, policy);
    Status notified = Status.INITIALIZING;
    Status unannounced = null;
    ConfigSnapshot previous = tracker.read();
    int nonce = 0;

    for (Event event : history) {
      NamespaceTracker.Transition transition = null;
      boolean expectContentChange = false;
      switch (event.kind()) {
        case ADOPT_NEWER:
          {
            VerifiedDocument doc =
                document(model.maxRevision + 1 + (event.amount() & 3), event.amount(), nonce++);
            assertThat(tracker.refusal(doc)).isNull();
            expectContentChange = model.held == null || !model.held.etag().equals(doc.etag());
            transition = tracker.adopt(doc, "replica");
            model.held = doc;
            model.maxRevision = doc.revision();
            model.verified(time.tick());
            break;
          }
        case ADOPT_SAME:
          {
            if (model.held == null) {
              continue;
            }
            // The same bytes again, as another replica would serve them.
            VerifiedDocument same =
                new VerifiedDocument(
                    model.held.envelope(),
                    model.held.body().clone(),
                    model.held.etag(),
                    model.held.reprDigest(),
                    model.held.signature());
            assertThat(tracker.refusal(same)).isNull();
            transition = tracker.adopt(same, "replica");
            model.verified(time.tick());
            break;
          }
        case ADOPT_OLDER:
        case ADOPT_EQUIVOCATING:
          {
            if (model.held == null || (event.kind() == Kind.ADOPT_OLDER && model.maxRevision < 2)) {
              continue;
            }
            long revision =
                event.kind() == Kind.ADOPT_OLDER
                    ? 1 + Math.floorMod(event.amount(), model.maxRevision - 1)
                    : model.maxRevision;
            VerifiedDocument attack = document(revision, event.amount(), nonce++);
            String refusal = tracker.refusal(attack);
            assertThat(refusal)
                .contains(event.kind() == Kind.ADOPT_OLDER ? "rollback" : "equivocation");
            if (refusal == null) {
              transition = tracker.adopt(attack, "replica");
            }
            break;
          }
        case FAIL:
          {
            String reason = "failure #" + event.amount();
            transition = tracker.fail(reason);
            model.lastFailure = reason;
            break;
          }
        case CONFIRM:
          transition = tracker.confirm("replica");
          model.verified(time.tick());
          break;
        case TICK:
          transition = tracker.tick();
          break;
        case READ:
          tracker.read();
          break;
        case ADVANCE:
          time.advanceNanos(event.amount());
          break;
        case ADVANCE_TO_EDGE:
          {
            // Land exactly on, or one nanosecond before, the stale or the expiry deadline.
            if (model.held == null) {
              continue;
            }
            long deadline =
                model.lastVerifiedTick
                    + ((event.amount() & 2) == 0 ? staleAfter : grace)
                    - (event.amount() & 1);
            if (deadline - time.tick() > 0) {
              time.advanceNanos(deadline - time.tick());
            }
            break;
          }
        case JUMP_WALL:
          time.jumpWall(Duration.ofNanos(event.amount()));
          break;
        default:
          throw new AssertionError(event);
      }

      long now = time.tick();
      Status expected = model.status(now);
      ConfigSnapshot current = tracker.read();

      if (transition != null) {
        assertThat(transition.current()).isSameAs(current);
        assertThat(transition.previous().status()).isEqualTo(notified);
        assertThat(transition.statusChanged()).isEqualTo(notified != expected);
        assertThat(transition.contentChanged()).isEqualTo(expectContentChange);
        // A status only reads saw since the last announcement is announced on the way (I5).
        Status passed =
            unannounced != null && unannounced != notified && unannounced != expected
                ? unannounced
                : null;
        assertThat(transition.passedThrough() == null ? null : transition.passedThrough().status())
            .isEqualTo(passed);
        notified = expected;
        unannounced = null;
      } else if (current.status() != previous.status()) {
        unannounced = current.status();
      }
      assertThat(current.status()).as("status after %s", event).isEqualTo(expected);
      assertThat(current.content()).as("content after %s", event).isEqualTo(model.content(now));
      assertThat(current.revision()).isGreaterThanOrEqualTo(previous.revision());
      if (model.held != null) {
        // I1: once a document was adopted there is always one, never INITIALIZING, never empty.
        assertThat(current.status()).isNotEqualTo(Status.INITIALIZING);
        assertThat(current.revision()).isEqualTo(model.held.revision());
        assertThat(current.etag()).isEqualTo(model.held.etag());
        // Reads do not recompute what is left (they allocate nothing); every event and tick does.
        Duration remaining = Duration.ofNanos(Math.max(0, grace - (now - model.lastVerifiedTick)));
        if (transition != null || expected == Status.EXPIRED) {
          assertThat(current.freshness().graceRemaining()).isEqualTo(remaining);
        } else {
          assertThat(current.freshness().graceRemaining())
              .isBetween(remaining, Duration.ofNanos(grace));
        }
        if (expected == Status.STALE && model.lastFailure != null) {
          assertThat(current.freshness().reason()).isEqualTo(model.lastFailure);
        }
        if (expected == Status.STALE && model.lastFailure == null) {
          assertThat(current.freshness().reason()).startsWith("not confirmed for ");
        }
        if (expected == Status.FRESH) {
          assertThat(current.freshness().reason()).isEqualTo("verified");
        }
      } else {
        assertThat(current.revision()).isZero();
        assertThat(current.etag()).isNull();
      }
      if (current.status() != previous.status()) {
        assertThat(current.freshness().since()).isEqualTo(time.now());
      } else {
        assertThat(current.freshness().since()).isEqualTo(previous.freshness().since());
      }
      assertThat(tracker.read()).as("a second read allocates nothing").isSameAs(current);
      previous = current;
    }
  }

  private static VerifiedDocument document(long revision, long seats, int nonce) {
    ObjectNode content = JsonNodeFactory.instance.objectNode();
    content.put("seats", Math.floorMod(seats, 1000));
    content.put("nonce", nonce);
    content.putObject("apps").put("crm", Math.floorMod(seats, 7));
    return DOCS.document("core", revision, content);
  }

  @Provide
  Arbitrary<Integer> graceMinutes() {
    return Arbitraries.integers().between(1, 10 * 60);
  }

  @Provide
  Arbitrary<Double> fractions() {
    return Arbitraries.doubles().between(0.001, 1.0).ofScale(6);
  }

  @Provide
  Arbitrary<List<Event>> histories() {
    Arbitrary<Long> durations =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 1_000),
            Arbitraries.longs().between(0, Duration.ofMinutes(10).toNanos()),
            Arbitraries.longs().between(0, 10 * HOUR));
    Arbitrary<Long> wallJumps = Arbitraries.longs().between(-48 * HOUR, 48 * HOUR);
    Arbitrary<Long> seeds = Arbitraries.longs().between(0, 1_000_000);
    Arbitrary<Event> events =
        Arbitraries.frequencyOf(
            Tuple.of(5, seeds.map(s -> new Event(Kind.ADOPT_NEWER, s))),
            Tuple.of(2, seeds.map(s -> new Event(Kind.ADOPT_SAME, s))),
            Tuple.of(3, seeds.map(s -> new Event(Kind.ADOPT_OLDER, s))),
            Tuple.of(3, seeds.map(s -> new Event(Kind.ADOPT_EQUIVOCATING, s))),
            Tuple.of(6, seeds.map(s -> new Event(Kind.FAIL, s))),
            Tuple.of(4, Arbitraries.just(new Event(Kind.CONFIRM, 0))),
            Tuple.of(4, Arbitraries.just(new Event(Kind.TICK, 0))),
            Tuple.of(3, Arbitraries.just(new Event(Kind.READ, 0))),
            Tuple.of(8, durations.map(d -> new Event(Kind.ADVANCE, d))),
            Tuple.of(
                4, Arbitraries.longs().between(0, 3).map(d -> new Event(Kind.ADVANCE_TO_EDGE, d))),
            Tuple.of(3, wallJumps.map(d -> new Event(Kind.JUMP_WALL, d))));
    return events.list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 100)
  void restoredGrace_isMaxOfSavedAndWallTime_andNeverMoreThanTheGracePeriod(
      @ForAll("savedMinutes") Long consumedMinutes,
      @ForAll("wallOffsetMinutes") Long verifiedMinutesAgo) {
    ManualTime time = new ManualTime();
    Duration grace = Duration.ofHours(8);
    NamespaceTracker tracker =
        new NamespaceTracker(
            "core",
            grace,
            Duration.ofMinutes(5),
            ExpiredPolicy.SERVE_LAST_KNOWN_GOOD,
            time.ticker(),
            time.clock(),
            ConfigSnapshot::new,
            new RecordingLogger());
    Instant verifiedAt = time.now().minus(Duration.ofMinutes(verifiedMinutesAgo));

    tracker.restore(document(1, 3, 0), verifiedAt, Duration.ofMinutes(consumedMinutes));

    long used =
        Math.min(grace.toMinutes(), Math.max(0, Math.max(consumedMinutes, verifiedMinutesAgo)));
    ConfigSnapshot snapshot = tracker.read();
    assertThat(snapshot.freshness().graceRemaining()).isEqualTo(grace.minusMinutes(used));
    assertThat(snapshot.status())
        .isEqualTo(used >= grace.toMinutes() ? Status.EXPIRED : Status.STALE);
    assertThat(snapshot.getLong("seats", -1)).isEqualTo(3);
  }

  @Provide
  Arbitrary<Long> savedMinutes() {
    return Arbitraries.longs().between(0, 20 * 60);
  }

  @Provide
  Arbitrary<Long> wallOffsetMinutes() {
    return Arbitraries.longs().between(-3 * 24 * 60, 3 * 24 * 60);
  }
}
