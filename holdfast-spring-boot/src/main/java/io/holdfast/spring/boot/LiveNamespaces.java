package io.holdfast.spring.boot;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.HoldfastUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The started client's namespaces as property sources, kept current by the client's change
 * listener. Whoever wants to hear of a change (the application context, once it exists) subscribes.
 */
final class LiveNamespaces {

  private final HoldfastClient client;
  private final Map<String, HoldfastPropertySource> sources;
  private final List<BiConsumer<String, Set<String>>> subscribers = new CopyOnWriteArrayList<>();

  private LiveNamespaces(HoldfastClient client, Map<String, HoldfastPropertySource> sources) {
    this.client = client;
    this.sources = sources;
  }

  /**
   * Starts the client (waiting up to its start-up timeout) and makes a property source per
   * namespace, in the order the settings list them.
   *
   * @throws IllegalStateException if a namespace has neither a replica's document nor a disk copy
   *     and the policy is to fail; the client is closed first
   */
  static LiveNamespaces start(HoldfastClient client, HoldfastSettings settings) {
    try {
      client.start();
    } catch (HoldfastUnavailableException e) {
      client.close();
      throw new IllegalStateException(
          "Holdfast: no replica served a verified document and there is no disk copy ("
              + e.getMessage()
              + "). Set holdfast.when-unavailable=start-on-defaults (or import"
              + " optional:holdfast:) to start on local defaults instead.",
          e);
    }
    Map<String, HoldfastPropertySource> sources = new LinkedHashMap<>();
    for (String namespace : settings.namespaces()) {
      String prefix = settings.keyPrefix() == HoldfastSettings.KeyPrefix.NAMESPACE ? namespace : "";
      sources.put(
          namespace, new HoldfastPropertySource(namespace, prefix, client.snapshot(namespace)));
    }
    LiveNamespaces live = new LiveNamespaces(client, sources);
    client.addChangeListener(
        (previous, current) -> {
          HoldfastPropertySource source = sources.get(current.namespace());
          if (source != null) {
            Set<String> changed = source.update(current);
            if (!changed.isEmpty()) {
              live.subscribers.forEach(s -> s.accept(current.namespace(), changed));
            }
          }
        });
    return live;
  }

  /** The started client these namespaces come from. */
  HoldfastClient client() {
    return client;
  }

  /** First-listed namespace first: it wins where two documents name the same property. */
  List<HoldfastPropertySource> propertySources() {
    return new ArrayList<>(sources.values());
  }

  /** Called with the namespace and the changed property names, on the client's listener thread. */
  void subscribe(BiConsumer<String, Set<String>> subscriber) {
    subscribers.add(subscriber);
  }
}
