package io.holdfast.spring.boot;

import java.util.Objects;
import org.springframework.boot.context.config.ConfigDataResource;

/** What {@code holdfast:} resolved to: the settings, and whether the import was optional. */
final class HoldfastConfigDataResource extends ConfigDataResource {

  private final HoldfastSettings settings;
  private final boolean optional;

  HoldfastConfigDataResource(HoldfastSettings settings, boolean optional) {
    super(optional);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.optional = optional;
  }

  HoldfastSettings settings() {
    return settings;
  }

  /** {@code optional:holdfast:}: start on local defaults rather than fail. */
  boolean optional() {
    return optional;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HoldfastConfigDataResource that
        && settings.equals(that.settings)
        && optional == that.optional;
  }

  @Override
  public int hashCode() {
    return settings.hashCode();
  }

  @Override
  public String toString() {
    return "holdfast:" + settings.namespaces() + " of " + settings.instanceId();
  }
}
