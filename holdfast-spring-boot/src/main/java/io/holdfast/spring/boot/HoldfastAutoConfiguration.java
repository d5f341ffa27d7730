package io.holdfast.spring.boot;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What an application imported with {@code spring.config.import=holdfast:} gets beside its property
 * sources: change events and rebinding. The client itself is already a bean (registered by {@link
 * HoldfastConfigDataLoader}).
 */
@AutoConfiguration
@ConditionalOnBean(name = HoldfastConfigDataLoader.NAMESPACES_BEAN)
public class HoldfastAutoConfiguration {

  /** A change as Spring Cloud announces one: its rebinder and the refresh scope act on it. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(EnvironmentChangeEvent.class)
  static class WithSpringCloud {
    @Bean
    ChangeAnnouncer holdfastChangeAnnouncer(
        ConfigurableApplicationContext context, ObjectProvider<RefreshScope> refreshScope) {
      return new ChangeAnnouncer(
          context,
          keys -> {
            context.publishEvent(new EnvironmentChangeEvent(context, keys));
            refreshScope.ifAvailable(RefreshScope::refreshAll);
          });
    }
  }

  /** Without Spring Cloud the starter rebinds the properties beans itself. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("org.springframework.cloud.context.environment.EnvironmentChangeEvent")
  static class WithoutSpringCloud {
    @Bean
    ChangeAnnouncer holdfastChangeAnnouncer(ConfigurableApplicationContext context) {
      return new ChangeAnnouncer(context, keys -> PropertiesRebinder.rebind(context));
    }
  }
}
