package io.holdfast.server.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.json.MergePatch;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.store.InstanceDelivery;
import io.holdfast.server.store.RingLayer;
import io.holdfast.server.store.StoreState;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionsDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders the {@link InstanceView}s of one build from one {@link StoreState}: what the state says
 * once for all instances (layers by key, rolling-out layers by ring, subscriptions by instance) is
 * indexed when it is made, then {@link #view} renders instances one at a time, from any number of
 * threads. A document whose revision is the previous snapshot's is reused as it is; new documents
 * go to one {@link SignatureBatch}, signed when the build has rendered them all.
 *
 * <p>Instances that read the same merged content share it: without an instance layer, the content
 * of a namespace depends only on the ring and the revisions of its default and ring layers, so it
 * is merged and written once per build ({@link #sharedContent}) and only the envelope around it is
 * per instance. Thread-safe once made.
 */
final class InstanceRenderer {

  private final StoreState state;
  private final EffectiveSnapshot previous;

  /**
   * Published layers by scope key, then by namespace: an instance looks its three scopes up once
   * and then each namespace by name, rather than making a key string per namespace and scope.
   */
  private final Map<String, Map<String, LayerVersion>> layers = new HashMap<>();

  /** Rolling-out layers by ring, then as {@link #layers}. */
  private final Map<String, Map<String, Map<String, LayerVersion>>> ringLayers = new HashMap<>();

  /**
   * Per instance, the rolling-out layers that reached it apart from its ring (issue 22), by
   * namespace NUL scope key: waiting for its change window, or delivered at a revision of its own.
   */
  private final Map<String, Map<String, InstanceDelivery>> deliveries = new HashMap<>();

  private final Map<String, List<Subscription>> subscriptions = new HashMap<>();
  private final SignatureBatch batch;
  private final Map<String, byte[]> sharedContent = new ConcurrentHashMap<>();
  private final ChecksumsIssuer.Issue issue;
  private final boolean sameIssue;

  /**
   * @param previous the snapshot whose documents may be reused, {@code null} for none
   */
  InstanceRenderer(
      StoreState state,
      EffectiveSnapshot previous,
      SignatureBatch batch,
      ChecksumsIssuer.Issue issue) {
    this.state = state;
    this.previous = previous;
    this.batch = batch;
    this.issue = issue;
    this.sameIssue = previous != null && issue.carriedBy(previous);
    for (LayerVersion layer : state.latestLayers()) {
      byScope(layers, layer);
    }
    for (RingLayer layer : state.ringLayers()) {
      byScope(ringLayers.computeIfAbsent(layer.ring(), r -> new HashMap<>()), layer.layer());
    }
    for (InstanceDelivery delivery : state.deliveries()) {
      deliveries
          .computeIfAbsent(delivery.instance(), i -> new HashMap<>())
          .put(deliveryKey(delivery.namespace(), delivery.scope().key()), delivery);
    }
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
  }

  private static void byScope(Map<String, Map<String, LayerVersion>> index, LayerVersion layer) {
    index.computeIfAbsent(layer.scope().key(), k -> new HashMap<>()).put(layer.namespace(), layer);
  }

  /** One instance's documents and checksums, reusing the previous snapshot's where unchanged. */
  InstanceView view(Instance instance) {
    InstanceView old = previous == null ? null : previous.instance(instance.id());
    Map<String, ServedDocument> documents = new TreeMap<>();
    long maxRevision = instance.assignmentRevision();
    Map<String, Map<String, LayerVersion>> rollout =
        ringLayers.getOrDefault(instance.ring(), Map.of());
    Map<String, InstanceDelivery> late = deliveries.getOrDefault(instance.id(), Map.of());
    ScopeLayers defaults = scope(rollout, Scope.DEFAULT.key(), late);
    ScopeLayers rings = scope(rollout, "ring:" + instance.ring(), late);
    ScopeLayers owns = scope(rollout, "instance:" + instance.id(), late);
    for (Namespace namespace : state.namespaces()) {
      if (namespace.name().equals(SubscriptionsDocument.NAMESPACE)) {
        continue;
      }
      LayerVersion base = defaults.of(namespace.name());
      LayerVersion ring = rings.of(namespace.name());
      LayerVersion own = owns.of(namespace.name());
      long revision = Math.max(namespace.revision(), instance.assignmentRevision());
      revision = Math.max(revision, revisionOf(base));
      revision = Math.max(revision, revisionOf(ring));
      revision = Math.max(revision, revisionOf(own));
      ServedDocument reused = old == null ? null : old.document(namespace.name());
      ServedDocument document =
          reused != null && reused.revision() == revision
              ? reused
              : render(instance, namespace.name(), revision, base, ring, own);
      documents.put(namespace.name(), document);
      maxRevision = Math.max(maxRevision, revision);
    }
    ServedDocument entitlements = subscriptionsDocument(instance, old);
    documents.put(SubscriptionsDocument.NAMESPACE, entitlements);
    maxRevision = Math.max(maxRevision, entitlements.revision());
    ServedDocument checksumDocument =
        old != null
                && sameIssue
                && old.checksums().revision() == maxRevision
                && old.documents().keySet().equals(documents.keySet())
            ? old.checksums()
            : ChecksumsIssuer.checksums(
                batch,
                instance.id(),
                maxRevision,
                state.revisionTimes().getOrDefault(maxRevision, Instant.EPOCH),
                documents,
                issue);
    return new InstanceView(
        instance.id(),
        instance.ring(),
        Map.copyOf(documents),
        checksumDocument,
        instance.credentialHash());
  }

  /** The effective content of one namespace for one instance, without envelope. */
  static JsonNode merge(LayerVersion base, LayerVersion ring, LayerVersion own) {
    JsonNode document = JsonNodeFactory.instance.objectNode();
    for (LayerVersion layer : new LayerVersion[] {base, ring, own}) {
      if (layer != null && !layer.removed()) {
        document = MergePatch.apply(document, layer.content());
      }
    }
    return document;
  }

  /** An instance's document; see the class comment for the content it shares. */
  private ServedDocument render(
      Instance instance,
      String namespace,
      long revision,
      LayerVersion base,
      LayerVersion ring,
      LayerVersion own) {
    Instant issuedAt = issuedAt(revision);
    byte[] content =
        own != null
            ? CanonicalJson.toBytes(merge(base, ring, own))
            : sharedContent.computeIfAbsent(
                namespace
                    + "\u0000"
                    + instance.ring()
                    + "\u0000"
                    + revisionOf(base)
                    + "\u0000"
                    + revisionOf(ring),
                k -> CanonicalJson.toBytes(merge(base, ring, null)));
    return batch.add(
        Envelope.toBytes(instance.id(), namespace, revision, issuedAt, content),
        revision,
        issuedAt);
  }

  private ServedDocument subscriptionsDocument(Instance instance, InstanceView old) {
    List<Subscription> own = subscriptions.getOrDefault(instance.id(), List.of());
    long revision = instance.assignmentRevision();
    for (Subscription subscription : own) {
      revision = Math.max(revision, subscription.revision());
    }
    ServedDocument reused = old == null ? null : old.document(SubscriptionsDocument.NAMESPACE);
    if (reused != null && reused.revision() == revision) {
      return reused;
    }
    Instant issuedAt = issuedAt(revision);
    Envelope envelope =
        new Envelope(
            instance.id(),
            SubscriptionsDocument.NAMESPACE,
            revision,
            issuedAt,
            SubscriptionsDocument.content(own));
    return batch.add(envelope.toBytes(), revision, issuedAt);
  }

  private Instant issuedAt(long revision) {
    Instant issuedAt = state.revisionTimes().get(revision);
    if (issuedAt == null) {
      throw new IllegalStateException("store state lacks the time of revision " + revision);
    }
    return issuedAt;
  }

  private ScopeLayers scope(
      Map<String, Map<String, LayerVersion>> rollout,
      String scope,
      Map<String, InstanceDelivery> deliveries) {
    return new ScopeLayers(
        scope,
        rollout.getOrDefault(scope, Map.of()),
        layers.getOrDefault(scope, Map.of()),
        deliveries);
  }

  private static String deliveryKey(String namespace, String scope) {
    return namespace + "\u0000" + scope;
  }

  /** One scope's layers for one instance, by namespace. */
  private record ScopeLayers(
      String scope,
      Map<String, LayerVersion> rollingOut,
      Map<String, LayerVersion> published,
      Map<String, InstanceDelivery> deliveries) {

    /**
     * A rolling-out change's layer for the instance's ring wins over the published one, unless the
     * instance still waits for it; delivered late, it carries the revision of its delivery.
     */
    LayerVersion of(String namespace) {
      LayerVersion candidate = rollingOut.get(namespace);
      if (candidate == null) {
        return published.get(namespace);
      }
      InstanceDelivery delivery =
          deliveries.isEmpty() ? null : deliveries.get(deliveryKey(namespace, scope));
      if (delivery == null) {
        return candidate;
      }
      return delivery.waiting()
          ? published.get(namespace)
          : new LayerVersion(
              candidate.namespace(),
              candidate.scope(),
              delivery.revision(),
              candidate.content(),
              delivery.deliveredAt());
    }
  }

  private static long revisionOf(LayerVersion layer) {
    return layer == null ? 0 : layer.revision();
  }
}
