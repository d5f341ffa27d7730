package io.holdfast.cli.upgrade;

import io.holdfast.cli.AdminClient;
import io.holdfast.cli.upgrade.Difference.Aspect;
import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Compares one instance on the candidate and on each current replica at one revision: first the
 * checksums, whose revision, freshness statement and key set version must agree on every replica
 * (otherwise a publish, a re-issue or a poll is in flight and the instance is read again, with a
 * growing pause, until the settle time is up); then every namespace the checksums list, {@code
 * subscriptions} included, whose documents must name the same revision everywhere, else the whole
 * instance is read again. Only answers at one revision are compared, so a publish during the check
 * is never reported as a difference. Thread-safe: one check serves every worker.
 */
final class InstanceCheck {

  private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);

  private final ReplicaReader reader;
  private final URI candidate;
  private final List<URI> current;
  private final List<URI> everyReplica;
  private final SignatureCheck signatures;
  private final Duration settleTime;
  private final StrictJson json = new StrictJson(2 * 1024 * 1024, 64);

  InstanceCheck(
      ReplicaReader reader,
      URI candidate,
      List<URI> current,
      SignatureCheck signatures,
      Duration settleTime) {
    this.reader = reader;
    this.candidate = candidate;
    this.current = List.copyOf(current);
    List<URI> all = new ArrayList<>(current.size() + 1);
    all.add(candidate);
    all.addAll(current);
    this.everyReplica = List.copyOf(all);
    this.signatures = signatures;
    this.settleTime = settleTime;
  }

  InstanceOutcome check(String instance) throws InterruptedException {
    long deadline = System.nanoTime() + settleTime.toNanos();
    Duration pause = FIRST_PAUSE;
    while (true) {
      Attempt attempt = attempt(instance);
      if (attempt.outcome() != null) {
        return attempt.outcome();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return InstanceOutcome.unsettled(
            instance,
            "the replicas did not agree on a revision within "
                + settleTime.toMillis()
                + " ms: "
                + attempt.disagreement());
      }
      // Replicas catch up within their refresh interval; reading again at once would only load
      // them while they do.
      TimeUnit.NANOSECONDS.sleep(Math.min(left, pause.toNanos()));
      pause =
          pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
              ? LONGEST_PAUSE
              : pause.multipliedBy(2);
    }
  }

  /** One reading of the instance: compared, or the disagreement that calls for another. */
  private Attempt attempt(String instance) throws InterruptedException {
    String base = "/v1/instances/" + AdminClient.encode(instance);
    // The candidate first, then the current replicas, each document read from all of them at once.
    List<Reading> sums = reader.getEach(everyReplica, base + "/checksums", true);
    Reading candidateSums = sums.get(0);
    List<Reading> currentSums = sums.subList(1, sums.size());
    List<Difference> differences = new ArrayList<>();
    Checksums mine = parse(candidateSums);
    List<Checksums> theirs = currentSums.stream().map(this::parse).toList();
    if (mine == null || theirs.contains(null)) {
      // Nothing lists the namespaces to read: compare what was answered and stop.
      for (int i = 0; i < current.size(); i++) {
        AnswerComparison.compare(
            instance,
            "checksums",
            current.get(i),
            candidateSums,
            currentSums.get(i),
            signatures,
            differences);
      }
      AnswerComparison.checkCandidate(
          instance, "checksums", candidateSums, signatures, differences);
      return Attempt.compared(new InstanceOutcome(instance, 1, differences, null));
    }
    for (int i = 0; i < current.size(); i++) {
      if (!state(mine).equals(state(theirs.get(i)))) {
        return Attempt.disagreeing(
            "candidate at " + state(mine) + ", " + current.get(i) + " at " + state(theirs.get(i)));
      }
    }
    SortedSet<String> namespaces = new TreeSet<>(mine.namespaces().keySet());
    theirs.forEach(listed -> namespaces.addAll(listed.namespaces().keySet()));
    Map<String, Reading> candidateDocs = new LinkedHashMap<>();
    List<Map<String, Reading>> currentDocs = new ArrayList<>();
    current.forEach(replica -> currentDocs.add(new LinkedHashMap<>()));
    for (String namespace : namespaces) {
      String path = base + "/config/" + AdminClient.encode(namespace);
      List<Reading> docs = reader.getEach(everyReplica, path, true);
      Reading doc = docs.get(0);
      candidateDocs.put(namespace, doc);
      for (int i = 0; i < current.size(); i++) {
        Reading other = docs.get(i + 1);
        currentDocs.get(i).put(namespace, other);
        if (doc.status() == 200 && other.status() == 200 && doc.revision() != other.revision()) {
          return Attempt.disagreeing(
              "namespace "
                  + namespace
                  + ": candidate at revision "
                  + doc.revision()
                  + ", "
                  + current.get(i)
                  + " at "
                  + other.revision());
        }
      }
    }
    AnswerComparison.checkCandidate(instance, "checksums", candidateSums, signatures, differences);
    candidateDocs.forEach(
        (namespace, doc) ->
            AnswerComparison.checkCandidate(instance, namespace, doc, signatures, differences));
    for (int i = 0; i < current.size(); i++) {
      URI against = current.get(i);
      AnswerComparison.compare(
          instance,
          "checksums",
          against,
          candidateSums,
          currentSums.get(i),
          signatures,
          differences);
      compareEntries(instance, against, mine, theirs.get(i), differences);
      for (String namespace : namespaces) {
        AnswerComparison.compare(
            instance,
            namespace,
            against,
            candidateDocs.get(namespace),
            currentDocs.get(i).get(namespace),
            signatures,
            differences);
      }
    }
    return Attempt.compared(
        new InstanceOutcome(instance, namespaces.size() + 1, differences, null));
  }

  /** The checksums, or {@code null} when the answer is not a 200 with valid checksums. */
  private Checksums parse(Reading answer) {
    if (answer.status() != 200) {
      return null;
    }
    try {
      return Checksums.parse(answer.body(), json);
    } catch (JsonInputException e) {
      return null;
    }
  }

  /** What must be equal on every replica before their answers can be compared. */
  private static String state(Checksums sums) {
    return "revision "
        + sums.revision()
        + sums.validity().map(v -> " issued " + v.issuedAt()).orElse("")
        + (sums.keySetVersion() == 0 ? "" : " key set " + sums.keySetVersion());
  }

  private static void compareEntries(
      String instance, URI against, Checksums mine, Checksums theirs, List<Difference> out) {
    SortedSet<String> names = new TreeSet<>(mine.namespaces().keySet());
    names.addAll(theirs.namespaces().keySet());
    for (String name : names) {
      Optional<Checksums.Entry> a = Optional.ofNullable(mine.namespaces().get(name));
      Optional<Checksums.Entry> b = Optional.ofNullable(theirs.namespaces().get(name));
      if (!Objects.equals(a, b)) {
        out.add(
            new Difference(
                instance,
                name,
                against,
                Aspect.CHECKSUMS_ENTRY,
                "candidate lists " + entry(a) + ", current lists " + entry(b)));
      }
    }
  }

  private static String entry(Optional<Checksums.Entry> entry) {
    return entry
        .map(e -> "revision " + e.revision() + " ETag " + e.etag() + " digest " + e.digest())
        .orElse("nothing");
  }

  /** Either an outcome, or why the replicas are not at one revision yet. */
  private record Attempt(InstanceOutcome outcome, String disagreement) {
    static Attempt compared(InstanceOutcome outcome) {
      return new Attempt(outcome, null);
    }

    static Attempt disagreeing(String why) {
      return new Attempt(null, why);
    }
  }
}
