package io.holdfast.spring.boot;

import io.holdfast.client.HoldfastClient;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.BootstrapRegistry.InstanceSupplier;
import org.springframework.boot.ConfigurableBootstrapContext;
import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the client and returns its namespaces as property sources. When the bootstrap context
 * closes, the same client becomes the bean {@code holdfastClient}, closed with the application
 * context.
 */
public final class HoldfastConfigDataLoader
    implements ConfigDataLoader<HoldfastConfigDataResource> {

  static final String CLIENT_BEAN = "holdfastClient";
  static final String NAMESPACES_BEAN = "holdfastLiveNamespaces";

  @Override
  public ConfigData load(ConfigDataLoaderContext context, HoldfastConfigDataResource resource) {
    ConfigurableBootstrapContext bootstrap = context.getBootstrapContext();
    HoldfastClient client = bootstrap.get(HoldfastClient.class);
    boolean first = !bootstrap.isRegistered(LiveNamespaces.class);
    bootstrap.registerIfAbsent(
        LiveNamespaces.class,
        InstanceSupplier.from(() -> LiveNamespaces.start(client, resource.settings())));
    LiveNamespaces live = bootstrap.get(LiveNamespaces.class);
    if (first) {
      bootstrap.addCloseListener(event -> becomeBeans(event.getApplicationContext(), client, live));
    }
    return new ConfigData(live.propertySources());
  }

  private static void becomeBeans(
      ConfigurableApplicationContext context, HoldfastClient client, LiveNamespaces live) {
    ConfigurableListableBeanFactory beans = context.getBeanFactory();
    beans.registerSingleton(CLIENT_BEAN, client);
    beans.registerSingleton(NAMESPACES_BEAN, live);
    if (beans instanceof DefaultSingletonBeanRegistry registry) {
      registry.registerDisposableBean(CLIENT_BEAN, client::close);
    }
  }
}
