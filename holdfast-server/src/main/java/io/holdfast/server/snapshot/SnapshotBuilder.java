package io.holdfast.server.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.store.AdminCredential;
import io.holdfast.server.store.StoreChanges;
import io.holdfast.server.store.StoreState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Builds an {@link EffectiveSnapshot} from a {@link StoreState}: for every instance and namespace,
 * merges {@code default ← ring:<ring> ← instance:<id>} with JSON Merge Patch, wraps the result in
 * an envelope, and hashes it. Every document the build creates is then signed with one signature
 * for all ({@link SignatureBatch}).
 *
 * <p>The effective revision of a document is the highest revision among the namespace's creation,
 * the instance's ring assignment and its three layers (removals included). Any change to what an
 * instance receives therefore raises its revision, and an unchanged revision means unchanged
 * content, which lets a rebuild reuse the previous snapshot's signed documents.
 *
 * <p>A change that is rolling out replaces the layers it edits, for the instances of the rings it
 * has reached, with its own content stamped with the revision of that ring's release; the other
 * rings keep the published layers.
 *
 * <p>Every instance also gets the reserved namespace {@code subscriptions}, built from its
 * subscriptions rather than from layers ({@link SubscriptionsDocument}) but signed and served like
 * any other. Its revision is the highest of the instance's ring assignment and the revisions of its
 * subscriptions' latest changes, so a change to any of them raises it. A stored namespace of that
 * name (which the admin API refuses to create) is ignored.
 *
 * <p>The signer is asked for at the start of every build, so a signing key reloaded from disk signs
 * the next build; documents of a previous snapshot signed with another key are never reused, so
 * that one build re-signs everything with the new key.
 *
 * <p>Every instance's checksums carry the freshness statement of the current period ({@link
 * FreshnessStatement}) and the newest published key set's version. A previous snapshot's checksums
 * are reused only when both are still the same; when only they changed, {@link #reissue} signs new
 * checksums over the same documents without reading the store or rendering anything. Thread-safe:
 * holds only the sources of the signer and key set version, the clock and its pool of workers.
 */
public final class SnapshotBuilder {

  private final Supplier<DocumentSigner> signers;
  private final Clock clock;
  private final ChecksumsIssuer issuer;

  /**
   * Where instances are built in parallel; {@code null} builds them on the calling thread. A pool
   * of its own, not the common one: the common pool has one worker fewer than there are cores, and
   * a rebuild is usually started by a request's virtual thread, which does not lend a hand as a
   * platform thread would, so on two cores the common pool built one instance at a time.
   */
  private final ForkJoinPool workers;

  /** Fewer instances than this are rendered on the calling thread: a handful is not worth a hop. */
  private static final int PARALLEL_FROM = 64;

  /** A builder that builds instances in parallel, one worker per core. */
  public SnapshotBuilder(DocumentSigner signer, Clock clock) {
    this(signer, clock, true);
  }

  /**
   * @param parallel whether to build instances in parallel (the benchmark's reference is not)
   */
  public SnapshotBuilder(DocumentSigner signer, Clock clock, boolean parallel) {
    this(() -> signer, clock, parallel);
  }

  /**
   * A builder that signs each build with the signer {@code signers} gives at its start (the key
   * reloaded from disk), building instances in parallel.
   */
  public SnapshotBuilder(Supplier<DocumentSigner> signers, Clock clock) {
    this(signers, clock, true, defaultStatement(), () -> 0);
  }

  /**
   * A replica's builder: signs with the signer {@code signers} gives at the start of each build,
   * issues {@code statement}'s windows, and names the key set version {@code keySetVersions} gives
   * (0 for none), building instances in parallel.
   */
  public SnapshotBuilder(
      Supplier<DocumentSigner> signers,
      Clock clock,
      FreshnessStatement statement,
      LongSupplier keySetVersions) {
    this(signers, clock, true, statement, keySetVersions);
  }

  private SnapshotBuilder(Supplier<DocumentSigner> signers, Clock clock, boolean parallel) {
    this(signers, clock, parallel, defaultStatement(), () -> 0);
  }

  private SnapshotBuilder(
      Supplier<DocumentSigner> signers,
      Clock clock,
      boolean parallel,
      FreshnessStatement statement,
      LongSupplier keySetVersions) {
    this.signers = java.util.Objects.requireNonNull(signers, "signers");
    this.clock = clock;
    this.issuer = new ChecksumsIssuer(statement, keySetVersions, clock);
    this.workers =
        parallel
            ? new ForkJoinPool(
                Runtime.getRuntime().availableProcessors(), SnapshotBuilder::worker, null, false)
            : null;
  }

  /**
   * A worker named for what it does, so that a thread dump or a per-thread profile (perf, {@code
   * bench/perf-build-threads.py}) tells the rebuild apart from the virtual threads' carriers, which
   * are also fork-join workers.
   */
  private static ForkJoinWorkerThread worker(ForkJoinPool pool) {
    ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
    thread.setName("holdfast-build-" + thread.getPoolIndex());
    return thread;
  }

  private static FreshnessStatement defaultStatement() {
    return new FreshnessStatement(ServerConfig.DEFAULT_CHECKSUMS_VALIDITY);
  }

  /**
   * Builds the snapshot for {@code state}, reusing documents of {@code previous} (may be {@code
   * null}) whose instance, namespace and revision are unchanged.
   */
  public EffectiveSnapshot build(StoreState state, EffectiveSnapshot previous) {
    // One signer for the whole build: its documents and checksums carry one key id.
    DocumentSigner signer = signers.get();
    String keyId = signer.verificationKey().keyId();
    if (previous != null && !previous.keyId().equals(keyId)) {
      previous = null; // signed with a key no longer in use: nothing of it is reused
    }
    ChecksumsIssuer.Issue issue = issuer.now();
    SignatureBatch batch = new SignatureBatch(documentBound(state, state.instances().size()));
    List<InstanceView> built =
        renderAll(state.instances(), new InstanceRenderer(state, previous, batch, issue));
    batch.sign(signer);
    Map<String, InstanceView> views = HashMap.newHashMap(built.size());
    Map<String, String> byCredential = HashMap.newHashMap(built.size());
    for (InstanceView view : built) {
      views.put(view.id(), view);
      byCredential.put(view.credentialHash(), view.id());
    }
    return snapshot(state, views, Map.copyOf(byCredential), keyId, issue);
  }

  /**
   * The snapshot for {@code after}, which is {@code before} with {@code changes} applied, made from
   * {@code previous}, the snapshot of {@code before}: only the instances the changes may concern
   * ({@link AffectedInstances}) are rendered again, and every other instance keeps its view of
   * {@code previous} as it is. The result is the snapshot {@link #build} would make of {@code
   * after} and {@code previous}, byte for byte. When the signing key or the checksums' issue
   * changed, or {@code previous} is not {@code before}'s, every instance changes and this is {@link
   * #build}.
   */
  public EffectiveSnapshot rebuild(
      StoreState before, StoreChanges changes, StoreState after, EffectiveSnapshot previous) {
    DocumentSigner signer = signers.get();
    String keyId = signer.verificationKey().keyId();
    ChecksumsIssuer.Issue issue = issuer.now();
    Optional<Set<String>> affected = AffectedInstances.of(before, changes, after);
    if (previous == null
        || previous.revision() != before.revision()
        || !previous.keyId().equals(keyId)
        || !issue.carriedBy(previous)
        || affected.isEmpty()) {
      return build(after, previous);
    }
    List<Instance> concerned = new ArrayList<>(affected.get().size());
    for (Instance instance : after.instances()) {
      if (affected.get().contains(instance.id())) {
        concerned.add(instance);
      }
    }
    SignatureBatch batch = new SignatureBatch(documentBound(after, concerned.size()));
    List<InstanceView> built =
        renderAll(concerned, new InstanceRenderer(after, previous, batch, issue));
    batch.sign(signer);
    Map<String, InstanceView> views = new HashMap<>(previous.instances());
    for (InstanceView view : built) {
      views.put(view.id(), view);
    }
    Map<String, String> byCredential;
    if (changes.instances().isEmpty()) {
      byCredential = previous.instancesByCredential(); // no credential given or replaced
    } else {
      Map<String, String> credentials = HashMap.newHashMap(views.size());
      for (InstanceView view : views.values()) {
        credentials.put(view.credentialHash(), view.id());
      }
      byCredential = Map.copyOf(credentials);
    }
    return snapshot(after, views, byCredential, keyId, issue);
  }

  /**
   * The most documents rendering {@code instances} instances of {@code state} can make: one per
   * namespace, the subscriptions and the checksums of each.
   */
  private static int documentBound(StoreState state, int instances) {
    return Math.multiplyExact(instances, state.namespaces().size() + 2);
  }

  private EffectiveSnapshot snapshot(
      StoreState state,
      Map<String, InstanceView> views,
      Map<String, String> byCredential,
      String keyId,
      ChecksumsIssuer.Issue issue) {
    Map<String, AdminCredential> admins = new HashMap<>();
    for (AdminCredential credential : state.adminCredentials()) {
      admins.put(credential.tokenHash(), credential);
    }
    // Copied into immutable maps although that costs the rebuild a few milliseconds at 10,000
    // instances: their lookups, which the swap makes twice per watched instance and every request
    // at least once, are cheaper than a HashMap's (measured, issue 21).
    return new EffectiveSnapshot(
        state.revision(),
        clock.instant(),
        Map.copyOf(views),
        byCredential,
        Map.copyOf(admins),
        keyId,
        issue.validity(),
        issue.keySetVersion());
  }

  /**
   * Renders the instances' views, in parallel when there are enough of them to pay for it: each
   * instance's documents depend only on the state and the previous snapshot, and rendering and
   * hashing every document after a publish of a widely read layer is CPU-bound. Their signature
   * comes after, one for all of them.
   */
  private List<InstanceView> renderAll(List<Instance> instances, InstanceRenderer renderer) {
    if (workers == null || instances.size() < PARALLEL_FROM) {
      return instances.stream().map(renderer::view).toList();
    }
    return join(workers.submit(() -> instances.parallelStream().map(renderer::view).toList()));
  }

  /** The id of the key the next build signs with. */
  public String keyId() {
    return signers.get().verificationKey().keyId();
  }

  /**
   * Whether {@code snapshot}'s checksums carry what a build now would put in them: the current
   * period's statement and the newest key set version (its revision and key are the caller's to
   * compare).
   */
  public boolean statementCurrent(EffectiveSnapshot snapshot) {
    return issuer.now().carriedBy(snapshot);
  }

  /**
   * {@code previous} with every instance's checksums issued anew (the current period's statement,
   * the newest key set version) over the very same documents: nothing is read from the store or
   * rendered, only the checksums are hashed and signed. For a new period or a new key set when the
   * store has not moved.
   *
   * @throws IllegalStateException if {@code previous} was signed with another key than the one in
   *     use, which needs a full {@link #build}
   */
  public EffectiveSnapshot reissue(EffectiveSnapshot previous) {
    DocumentSigner signer = signers.get();
    if (!previous.keyId().equals(signer.verificationKey().keyId())) {
      throw new IllegalStateException("the snapshot was signed with another key; rebuild it");
    }
    return issuer.reissue(previous, signer);
  }

  /** The task's result; its own exception if it failed, as a sequential build would throw it. */
  private static <T> T join(ForkJoinTask<T> task) {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building a snapshot", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("building a snapshot failed", e.getCause());
    }
  }

  /** The effective content of one namespace for one instance, without envelope. */
  public static JsonNode merge(LayerVersion base, LayerVersion ring, LayerVersion own) {
    return InstanceRenderer.merge(base, ring, own);
  }
}
