package io.holdfast.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.JsonDiff;
import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.snapshot.SnapshotBuilder;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.store.Ring;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionEdit;
import io.holdfast.server.subscription.SubscriptionFilter;
import io.holdfast.server.subscription.SubscriptionsDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a change would do, computed without doing it: for every namespace it edits, the effective
 * document of every ring (its {@code default} and {@code ring:} layers) and of every instance it
 * gives an instance layer, before and after, with the diff; and every way an effective document
 * after the change would break the namespace's JSON Schema, checked for every ring and every
 * instance that has an instance layer in the namespace. Stateless.
 */
public final class DryRun {

  /**
   * One effective document before and after. {@code target} is {@code ring:<name>} or {@code
   * instance:<id>}.
   */
  public record Preview(
      String target,
      String namespace,
      JsonNode before,
      JsonNode after,
      List<JsonDiff.Change> diff) {}

  /**
   * @param previews per namespace, the rings in order then the instances with an edited layer
   * @param violations schema violations, each naming the namespace and target
   * @param changesAnything whether any effective document differs
   */
  public record Report(List<Preview> previews, List<String> violations, boolean changesAnything) {}

  private DryRun() {}

  /**
   * How the namespace's documents break {@code schema} once {@code edits} (those of other
   * namespaces are ignored; none for the published state) are applied: every ring's, and every
   * instance's that has an instance layer.
   */
  public static List<String> violations(
      String namespace, NamespaceSchema schema, List<ChangeEdit> edits, ConfigStore store) {
    Map<Scope, LayerVersion> layers = new HashMap<>();
    for (LayerVersion layer : store.latestLayers(namespace)) {
      if (!layer.removed()) {
        layers.put(layer.scope(), layer);
      }
    }
    for (ChangeEdit edit : edits) {
      if (!edit.namespace().equals(namespace)) {
        continue;
      }
      if (edit.removes()) {
        layers.remove(edit.scope());
      } else {
        layers.put(
            edit.scope(),
            new LayerVersion(namespace, edit.scope(), 0, edit.content(), Instant.EPOCH));
      }
    }
    List<String> violations = new ArrayList<>();
    for (Ring ring : store.listRings()) {
      JsonNode document =
          SnapshotBuilder.merge(
              layers.get(Scope.DEFAULT), layers.get(Scope.ring(ring.name())), null);
      schema
          .violations(document)
          .forEach(v -> violations.add(namespace + " for ring " + ring.name() + ": " + v));
    }
    for (Instance instance : store.listInstances()) {
      LayerVersion own = layers.get(Scope.instance(instance.id()));
      if (own != null) {
        JsonNode document =
            SnapshotBuilder.merge(
                layers.get(Scope.DEFAULT), layers.get(Scope.ring(instance.ring())), own);
        schema
            .violations(document)
            .forEach(v -> violations.add(namespace + " for instance " + instance.id() + ": " + v));
      }
    }
    return violations;
  }

  /**
   * @throws ProblemException {@code NAMESPACE_NOT_FOUND}, {@code RING_NOT_FOUND} or {@code
   *     INSTANCE_NOT_FOUND} for an edit naming something that does not exist
   */
  public static Report of(
      List<ChangeEdit> edits,
      List<SubscriptionEdit> subscriptionEdits,
      ConfigStore store,
      RolloutStore rollouts) {
    List<Ring> rings = store.listRings();
    Map<String, Instance> instances = new HashMap<>();
    for (Instance instance : store.listInstances()) {
      instances.put(instance.id(), instance);
    }
    for (ChangeEdit edit : edits) {
      if (store.findNamespace(edit.namespace()).isEmpty()) {
        throw new ProblemException(
            ProblemType.NAMESPACE_NOT_FOUND, "namespace '" + edit.namespace() + "' does not exist");
      }
      if (edit.scope().kind() == Scope.Kind.RING
          && rings.stream().noneMatch(r -> r.name().equals(edit.scope().target()))) {
        throw new ProblemException(
            ProblemType.RING_NOT_FOUND, "ring '" + edit.scope().target() + "' does not exist");
      }
      if (edit.scope().kind() == Scope.Kind.INSTANCE
          && !instances.containsKey(edit.scope().target())) {
        throw new ProblemException(
            ProblemType.INSTANCE_NOT_FOUND,
            "instance '" + edit.scope().target() + "' does not exist");
      }
    }
    TreeSet<String> namespaces = new TreeSet<>();
    for (ChangeEdit edit : edits) {
      namespaces.add(edit.namespace());
    }
    List<Preview> previews = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    boolean changesAnything = false;
    for (String namespace : namespaces) {
      Map<Scope, LayerVersion> before = new HashMap<>();
      for (LayerVersion layer : store.latestLayers(namespace)) {
        if (!layer.removed()) {
          before.put(layer.scope(), layer);
        }
      }
      Map<Scope, LayerVersion> after = new HashMap<>(before);
      TreeSet<String> editedInstances = new TreeSet<>();
      for (ChangeEdit edit : edits) {
        if (!edit.namespace().equals(namespace)) {
          continue;
        }
        if (edit.removes()) {
          after.remove(edit.scope());
        } else {
          after.put(
              edit.scope(),
              new LayerVersion(namespace, edit.scope(), 0, edit.content(), Instant.EPOCH));
        }
        if (edit.scope().kind() == Scope.Kind.INSTANCE) {
          editedInstances.add(edit.scope().target());
        }
      }
      for (Ring ring : rings) {
        JsonNode was =
            SnapshotBuilder.merge(
                before.get(Scope.DEFAULT), before.get(Scope.ring(ring.name())), null);
        JsonNode will =
            SnapshotBuilder.merge(
                after.get(Scope.DEFAULT), after.get(Scope.ring(ring.name())), null);
        Preview preview =
            new Preview("ring:" + ring.name(), namespace, was, will, JsonDiff.between(was, will));
        previews.add(preview);
        changesAnything |= !preview.diff().isEmpty();
      }
      for (String id : editedInstances) {
        Instance instance = instances.get(id);
        Scope ringScope = Scope.ring(instance.ring());
        Scope own = Scope.instance(id);
        JsonNode was =
            SnapshotBuilder.merge(
                before.get(Scope.DEFAULT), before.get(ringScope), before.get(own));
        JsonNode will =
            SnapshotBuilder.merge(after.get(Scope.DEFAULT), after.get(ringScope), after.get(own));
        Preview preview =
            new Preview("instance:" + id, namespace, was, will, JsonDiff.between(was, will));
        previews.add(preview);
        changesAnything |= !preview.diff().isEmpty();
      }
    }
    changesAnything |= subscriptionPreviews(subscriptionEdits, store, previews);
    violations.addAll(schemaViolations(edits, store, rollouts));
    return new Report(List.copyOf(previews), List.copyOf(violations), changesAnything);
  }

  /**
   * How the edits, together with every change in flight ({@link #withInFlight}), would break the
   * schemas of the namespaces they touch; empty when those namespaces have none. Reads only what a
   * namespace with a schema needs, unlike a whole dry run.
   */
  public static List<String> schemaViolations(
      List<ChangeEdit> edits, ConfigStore store, RolloutStore rollouts) {
    TreeSet<String> namespaces = new TreeSet<>();
    edits.forEach(edit -> namespaces.add(edit.namespace()));
    List<String> violations = new ArrayList<>();
    List<ChangeEdit> all = null;
    for (String namespace : namespaces) {
      Optional<JsonNode> schema = rollouts.namespaceSchema(namespace);
      if (schema.isPresent()) {
        all = all == null ? withInFlight(edits, rollouts) : all;
        NamespaceSchema compiled;
        try {
          compiled = NamespaceSchema.of(schema.get());
        } catch (ProblemException e) {
          // A schema stored before the bounds it breaks existed: no document can be shown to
          // satisfy it, and checking one might not end.
          violations.add(
              namespace
                  + ": its JSON Schema is no longer accepted ("
                  + e.getMessage()
                  + "); set a new one");
          continue;
        }
        violations.addAll(violations(namespace, compiled, all, store));
      }
    }
    return violations;
  }

  /**
   * The edits of every approved and rolling-out change, then {@code edits}: what the namespace will
   * serve once they have all completed. Schemas are checked against that, so two changes that pass
   * alone cannot complete into a document that breaks the schema together.
   */
  public static List<ChangeEdit> withInFlight(List<ChangeEdit> edits, RolloutStore rollouts) {
    List<ChangeEdit> all = new ArrayList<>();
    for (ChangeRequest change :
        rollouts.listChanges(List.of(ChangeState.APPROVED, ChangeState.ROLLING_OUT), 1000)) {
      all.addAll(change.edits());
    }
    all.addAll(edits);
    return all;
  }

  /**
   * Each edited instance's {@code subscriptions} document before and after; whether any differs.
   */
  private static boolean subscriptionPreviews(
      List<SubscriptionEdit> edits, ConfigStore store, List<Preview> previews) {
    Map<String, List<SubscriptionEdit>> byInstance = new java.util.TreeMap<>();
    for (SubscriptionEdit edit : edits) {
      String instance = edit.instance();
      if (instance == null) {
        instance =
            store
                .findSubscription(edit.subscriptionId())
                .map(Subscription::instance)
                .orElseThrow(
                    () ->
                        new ProblemException(
                            ProblemType.SUBSCRIPTION_NOT_FOUND,
                            "subscription '" + edit.subscriptionId() + "' does not exist"));
      }
      byInstance.computeIfAbsent(instance, i -> new ArrayList<>()).add(edit);
    }
    boolean changesAnything = false;
    int created = 0;
    for (Map.Entry<String, List<SubscriptionEdit>> entry : byInstance.entrySet()) {
      List<Subscription> before =
          store.listSubscriptions(new SubscriptionFilter(entry.getKey(), null, null));
      List<Subscription> after = new ArrayList<>(before);
      for (SubscriptionEdit edit : entry.getValue()) {
        if (edit.create() != null) {
          SubscriptionEdit named =
              new SubscriptionEdit("new-" + ++created, edit.instance(), edit.create(), null, 0L);
          after.add(named.applyTo(null, 0, Instant.EPOCH));
        } else {
          Subscription current =
              before.stream()
                  .filter(s -> s.id().equals(edit.subscriptionId()))
                  .findFirst()
                  .orElseThrow();
          after.replaceAll(
              s -> s.id().equals(current.id()) ? edit.applyTo(current, 0, Instant.EPOCH) : s);
        }
      }
      JsonNode was = SubscriptionsDocument.content(before);
      JsonNode will = SubscriptionsDocument.content(after);
      Preview preview =
          new Preview(
              "instance:" + entry.getKey(),
              SubscriptionsDocument.NAMESPACE,
              was,
              will,
              JsonDiff.between(was, will));
      previews.add(preview);
      changesAnything |= !preview.diff().isEmpty();
    }
    return changesAnything;
  }
}
