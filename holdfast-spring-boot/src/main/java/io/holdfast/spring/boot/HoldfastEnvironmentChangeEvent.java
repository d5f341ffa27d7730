package io.holdfast.spring.boot;

import java.util.Set;
import org.springframework.context.ApplicationEvent;

/**
 * A namespace's document changed and the {@code Environment} already shows it. Published for every
 * change, beside Spring Cloud's {@code EnvironmentChangeEvent} when Spring Cloud Context is
 * present.
 */
public final class HoldfastEnvironmentChangeEvent extends ApplicationEvent {

  private static final long serialVersionUID = 1L;

  private final String namespace;
  private final Set<String> keys;

  public HoldfastEnvironmentChangeEvent(Object source, String namespace, Set<String> keys) {
    super(source);
    this.namespace = namespace;
    this.keys = Set.copyOf(keys);
  }

  public String getNamespace() {
    return namespace;
  }

  /** The property names added, removed or given another value. */
  public Set<String> getKeys() {
    return keys;
  }
}
