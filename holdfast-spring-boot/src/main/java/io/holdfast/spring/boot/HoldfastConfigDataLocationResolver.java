package io.holdfast.spring.boot;

import java.util.List;
import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataLocationResolver;
import org.springframework.boot.context.config.ConfigDataLocationResolverContext;

/**
 * Resolves {@code spring.config.import=holdfast:} (and {@code optional:holdfast:}): reads the
 * {@code holdfast.*} settings (and fails, naming each bad one, before anything starts).
 */
public final class HoldfastConfigDataLocationResolver
    implements ConfigDataLocationResolver<HoldfastConfigDataResource> {

  static final String PREFIX = "holdfast:";

  @Override
  public boolean isResolvable(
      ConfigDataLocationResolverContext context, ConfigDataLocation location) {
    return location.hasPrefix(PREFIX);
  }

  @Override
  public List<HoldfastConfigDataResource> resolve(
      ConfigDataLocationResolverContext context, ConfigDataLocation location) {
    HoldfastSettings settings = HoldfastSettings.read(context.getBinder());
    return List.of(new HoldfastConfigDataResource(settings, location.isOptional()));
  }
}
