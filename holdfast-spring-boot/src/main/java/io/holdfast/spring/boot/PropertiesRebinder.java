package io.holdfast.spring.boot;

import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.bind.BindMethod;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Binds the {@code @ConfigurationProperties} beans again after a change, where Spring Cloud Context
 * (whose rebinder does this) is absent. Only JavaBean-style beans: a constructor-bound one is
 * immutable by design.
 */
final class PropertiesRebinder {

  private PropertiesRebinder() {}

  static void rebind(ConfigurableApplicationContext context) {
    for (ConfigurationPropertiesBean bean : ConfigurationPropertiesBean.getAll(context).values()) {
      if (bean.asBindTarget().getBindMethod() == BindMethod.JAVA_BEAN) {
        context.getBeanFactory().initializeBean(bean.getInstance(), bean.getName());
      }
    }
  }
}
