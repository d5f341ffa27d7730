package io.holdfast.spring.boot;

import io.holdfast.client.HoldfastClient;
import java.util.Collections;
import java.util.List;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the client and returns its namespaces as property sources. The started namespaces are kept
 * in the bootstrap context, so the application has one client however often its config data is
 * loaded again (Spring Cloud's {@code /actuator/refresh} reloads it with the same bootstrap
 * context). When the bootstrap context closes, the client becomes the bean {@code holdfastClient},
 * closed with the application context.
 */
public final class HoldfastConfigDataLoader
    implements ConfigDataLoader<HoldfastConfigDataResource> {

  static final String CLIENT_BEAN = "holdfastClient";
  static final String NAMESPACES_BEAN = "holdfastLiveNamespaces";

  @Override
  public ConfigData load(ConfigDataLoaderContext context, HoldfastConfigDataResource resource) {
    BootstrapRegistryAccess bootstrap = BootstrapRegistryAccess.of(context);
    LiveNamespaces live = bootstrap.find(LiveNamespaces.class);
    if (live == null) {
      HoldfastClient client = resource.settings().clientBuilder(resource.optional()).build();
      LiveNamespaces started = LiveNamespaces.start(client, resource.settings());
      bootstrap.register(LiveNamespaces.class, started);
      bootstrap.onClose(application -> becomeBeans(application, started));
      live = started;
    }
    // ConfigData takes its sources in ascending priority: the first-listed namespace goes last.
    List<HoldfastPropertySource> sources = live.propertySources();
    Collections.reverse(sources);
    return new ConfigData(sources);
  }

  private static void becomeBeans(ConfigurableApplicationContext context, LiveNamespaces live) {
    ConfigurableListableBeanFactory beans = context.getBeanFactory();
    HoldfastClient client = live.client();
    beans.registerSingleton(CLIENT_BEAN, client);
    beans.registerSingleton(NAMESPACES_BEAN, live);
    if (beans instanceof DefaultSingletonBeanRegistry registry) {
      registry.registerDisposableBean(CLIENT_BEAN, client::close);
    }
  }
}
