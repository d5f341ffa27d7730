package io.holdfast.spring.boot;

import java.util.Set;
import java.util.function.Consumer;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Tells the application context of each document change, once its singletons exist: first the
 * rebinding step (Spring Cloud's event, or the starter's own rebinding), then {@link
 * HoldfastEnvironmentChangeEvent}, so a listener of the latter sees rebound beans.
 */
final class ChangeAnnouncer implements SmartInitializingSingleton {

  private final ConfigurableApplicationContext context;
  private final Consumer<Set<String>> rebind;

  ChangeAnnouncer(ConfigurableApplicationContext context, Consumer<Set<String>> rebind) {
    this.context = context;
    this.rebind = rebind;
  }

  @Override
  public void afterSingletonsInstantiated() {
    context
        .getBean(HoldfastConfigDataLoader.NAMESPACES_BEAN, LiveNamespaces.class)
        .subscribe(
            (namespace, keys) -> {
              rebind.accept(keys);
              context.publishEvent(new HoldfastEnvironmentChangeEvent(context, namespace, keys));
            });
  }
}
