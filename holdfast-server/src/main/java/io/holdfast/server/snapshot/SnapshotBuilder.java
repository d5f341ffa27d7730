package io.holdfast.server.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.json.MergePatch;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.store.AdminCredential;
import io.holdfast.server.store.RingLayer;
import io.holdfast.server.store.StoreState;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionsDocument;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
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
    this.workers = parallel ? new ForkJoinPool(Runtime.getRuntime().availableProcessors()) : null;
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
    Map<String, LayerVersion> layers = new HashMap<>();
    for (LayerVersion layer : state.latestLayers()) {
      layers.put(layer.namespace() + "\u0000" + layer.scope().key(), layer);
    }
    Map<String, Map<String, LayerVersion>> ringLayers = new HashMap<>();
    for (RingLayer layer : state.ringLayers()) {
      ringLayers
          .computeIfAbsent(layer.ring(), r -> new HashMap<>())
          .put(layer.layer().namespace() + "\u0000" + layer.layer().scope().key(), layer.layer());
    }
    Map<String, InstanceView> views = new HashMap<>();
    Map<String, String> byCredential = new HashMap<>();
    Map<String, List<Subscription>> subscriptions = new HashMap<>();
    for (Subscription subscription : state.subscriptions()) {
      subscriptions
          .computeIfAbsent(subscription.instance(), i -> new ArrayList<>())
          .add(subscription);
    }
    // A rolling-out change's subscription edits replace (or add to) the stored ones of instances
    // whose ring it has reached.
    for (Subscription edited : state.ringSubscriptions()) {
      List<Subscription> own =
          subscriptions.computeIfAbsent(edited.instance(), i -> new ArrayList<>());
      own.removeIf(s -> s.id().equals(edited.id()));
      own.add(edited);
    }
    ChecksumsIssuer.Issue issue = issuer.now();
    Context context =
        new Context(
            state,
            previous,
            layers,
            ringLayers,
            subscriptions,
            new SignatureBatch(),
            new ConcurrentHashMap<>(),
            issue,
            previous != null && issue.carriedBy(previous));
    // Each instance's documents depend only on the state and the previous snapshot, so instances
    // are built in parallel: rendering and hashing every document after a publish of a widely
    // read layer is CPU-bound. Their signature comes after, one for all of them.
    List<InstanceView> built =
        workers == null
            ? state.instances().stream().map(instance -> view(instance, context)).toList()
            : join(
                workers.submit(
                    () ->
                        state.instances().parallelStream()
                            .map(instance -> view(instance, context))
                            .toList()));
    context.batch().sign(signer);
    for (int i = 0; i < built.size(); i++) {
      Instance instance = state.instances().get(i);
      views.put(instance.id(), built.get(i));
      byCredential.put(instance.credentialHash(), instance.id());
    }
    Map<String, AdminCredential> admins = new HashMap<>();
    for (AdminCredential credential : state.adminCredentials()) {
      admins.put(credential.tokenHash(), credential);
    }
    return new EffectiveSnapshot(
        state.revision(),
        clock.instant(),
        Map.copyOf(views),
        Map.copyOf(byCredential),
        Map.copyOf(admins),
        keyId,
        issue.validity(),
        issue.keySetVersion());
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

  /** What {@link #build} prepared once for every instance. */
  private record Context(
      StoreState state,
      EffectiveSnapshot previous,
      Map<String, LayerVersion> layers,
      Map<String, Map<String, LayerVersion>> ringLayers,
      Map<String, List<Subscription>> subscriptions,
      SignatureBatch batch,
      Map<String, byte[]> sharedContent,
      ChecksumsIssuer.Issue issue,
      boolean sameIssue) {}

  /** One instance's documents and checksums, reusing the previous snapshot's where unchanged. */
  private InstanceView view(Instance instance, Context c) {
    InstanceView old = c.previous() == null ? null : c.previous().instance(instance.id());
    Map<String, ServedDocument> documents = new TreeMap<>();
    long maxRevision = instance.assignmentRevision();
    for (Namespace namespace : c.state().namespaces()) {
      if (namespace.name().equals(SubscriptionsDocument.NAMESPACE)) {
        continue;
      }
      Map<String, LayerVersion> rollout = c.ringLayers().getOrDefault(instance.ring(), Map.of());
      LayerVersion base =
          layer(c.layers(), rollout, namespace.name() + "\u0000" + Scope.DEFAULT.key());
      LayerVersion ring =
          layer(c.layers(), rollout, namespace.name() + "\u0000" + "ring:" + instance.ring());
      LayerVersion own =
          layer(c.layers(), rollout, namespace.name() + "\u0000" + "instance:" + instance.id());
      long revision = Math.max(namespace.revision(), instance.assignmentRevision());
      revision = Math.max(revision, revisionOf(base));
      revision = Math.max(revision, revisionOf(ring));
      revision = Math.max(revision, revisionOf(own));
      ServedDocument reused = old == null ? null : old.document(namespace.name());
      ServedDocument document =
          reused != null && reused.revision() == revision
              ? reused
              : render(c, instance, namespace.name(), revision, base, ring, own);
      documents.put(namespace.name(), document);
      maxRevision = Math.max(maxRevision, revision);
    }
    List<Subscription> own = c.subscriptions().getOrDefault(instance.id(), List.of());
    ServedDocument entitlements =
        subscriptionsDocument(c.batch(), instance, own, old, c.state().revisionTimes());
    documents.put(SubscriptionsDocument.NAMESPACE, entitlements);
    maxRevision = Math.max(maxRevision, entitlements.revision());
    ServedDocument checksumDocument =
        old != null
                && c.sameIssue()
                && old.checksums().revision() == maxRevision
                && old.documents().keySet().equals(documents.keySet())
            ? old.checksums()
            : ChecksumsIssuer.checksums(
                c.batch(),
                instance.id(),
                maxRevision,
                c.state().revisionTimes().getOrDefault(maxRevision, Instant.EPOCH),
                documents,
                c.issue());
    return new InstanceView(
        instance.id(),
        instance.ring(),
        Map.copyOf(documents),
        checksumDocument,
        instance.credentialHash());
  }

  /** The effective content of one namespace for one instance, without envelope. */
  public static JsonNode merge(LayerVersion base, LayerVersion ring, LayerVersion own) {
    JsonNode document = JsonNodeFactory.instance.objectNode();
    for (LayerVersion layer : new LayerVersion[] {base, ring, own}) {
      if (layer != null && !layer.removed()) {
        document = MergePatch.apply(document, layer.content());
      }
    }
    return document;
  }

  /**
   * An instance's document. Instances of one ring without an instance layer share their content: it
   * is merged and written once per build ({@link Context#sharedContent}), keyed by the revisions of
   * the two layers it comes from, and only the envelope around it is per instance.
   */
  private static ServedDocument render(
      Context c,
      Instance instance,
      String namespace,
      long revision,
      LayerVersion base,
      LayerVersion ring,
      LayerVersion own) {
    Instant issuedAt = c.state().revisionTimes().get(revision);
    if (issuedAt == null) {
      throw new IllegalStateException("store state lacks the time of revision " + revision);
    }
    byte[] content =
        own != null
            ? CanonicalJson.toBytes(merge(base, ring, own))
            : c.sharedContent()
                .computeIfAbsent(
                    namespace
                        + "\u0000"
                        + instance.ring()
                        + "\u0000"
                        + revisionOf(base)
                        + "\u0000"
                        + revisionOf(ring),
                    key -> CanonicalJson.toBytes(merge(base, ring, null)));
    return c.batch()
        .add(
            Envelope.toBytes(instance.id(), namespace, revision, issuedAt, content),
            revision,
            issuedAt);
  }

  private static ServedDocument subscriptionsDocument(
      SignatureBatch batch,
      Instance instance,
      List<Subscription> subscriptions,
      InstanceView old,
      Map<Long, Instant> revisionTimes) {
    long revision = instance.assignmentRevision();
    for (Subscription subscription : subscriptions) {
      revision = Math.max(revision, subscription.revision());
    }
    ServedDocument reused = old == null ? null : old.document(SubscriptionsDocument.NAMESPACE);
    if (reused != null && reused.revision() == revision) {
      return reused;
    }
    Instant issuedAt = revisionTimes.get(revision);
    if (issuedAt == null) {
      throw new IllegalStateException("store state lacks the time of revision " + revision);
    }
    Envelope envelope =
        new Envelope(
            instance.id(),
            SubscriptionsDocument.NAMESPACE,
            revision,
            issuedAt,
            SubscriptionsDocument.content(subscriptions));
    return batch.add(envelope.toBytes(), revision, issuedAt);
  }

  /** A rolling-out change's layer for the instance's ring wins over the published one. */
  private static LayerVersion layer(
      Map<String, LayerVersion> published, Map<String, LayerVersion> rollout, String key) {
    LayerVersion candidate = rollout.get(key);
    return candidate != null ? candidate : published.get(key);
  }

  private static long revisionOf(LayerVersion layer) {
    return layer == null ? 0 : layer.revision();
  }
}
