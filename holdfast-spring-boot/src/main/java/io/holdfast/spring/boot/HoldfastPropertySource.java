package io.holdfast.spring.boot;

import io.holdfast.client.ConfigSnapshot;
import io.holdfast.protocol.json.FlatProperties;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * One namespace's document as a live property source: it stays in the {@code Environment} for the
 * application's life and serves whatever the client last adopted, so a publish is seen without
 * replacing anything. Reads never block (the map is swapped whole).
 */
final class HoldfastPropertySource extends EnumerablePropertySource<String> {

  private final String prefix;
  private volatile Map<String, Object> properties;

  HoldfastPropertySource(String namespace, String prefix, ConfigSnapshot snapshot) {
    super("holdfast:" + namespace, namespace);
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.properties = flatten(prefix, snapshot);
  }

  @Override
  public Object getProperty(String name) {
    return properties.get(name);
  }

  @Override
  public boolean containsProperty(String name) {
    return properties.containsKey(name);
  }

  @Override
  public String[] getPropertyNames() {
    return properties.keySet().toArray(String[]::new);
  }

  /** Takes the new document; returns the names added, removed or given another value. */
  Set<String> update(ConfigSnapshot snapshot) {
    Map<String, Object> before = properties;
    Map<String, Object> after = flatten(prefix, snapshot);
    properties = after;
    Set<String> changed = new HashSet<>();
    before.forEach(
        (name, value) -> {
          if (!value.equals(after.get(name))) {
            changed.add(name);
          }
        });
    after.keySet().stream().filter(name -> !before.containsKey(name)).forEach(changed::add);
    return changed;
  }

  private static Map<String, Object> flatten(String prefix, ConfigSnapshot snapshot) {
    Map<String, Object> flat = new LinkedHashMap<>();
    FlatProperties.of(prefix, snapshot.content())
        .forEach((name, value) -> flat.put(name, FlatProperties.value(value)));
    return flat;
  }
}
