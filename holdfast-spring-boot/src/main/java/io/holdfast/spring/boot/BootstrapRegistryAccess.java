package io.holdfast.spring.boot;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Consumer;
import org.springframework.boot.context.config.ConfigDataLoaderContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application's bootstrap context, reached by reflection. Spring Boot 4 moved {@code
 * BootstrapRegistry} and {@code ConfigurableBootstrapContext} from {@code org.springframework.boot}
 * to {@code org.springframework.boot.bootstrap}, so code compiled against either version fails on
 * the other at {@link ConfigDataLoaderContext#getBootstrapContext()}. The types are taken from that
 * method's return type, so neither package is named here and one starter jar runs on 3.5 and 4.0.
 *
 * <p>Only start-up calls these (a handful of times per application), so reflection costs nothing
 * that matters.
 */
final class BootstrapRegistryAccess {

  private final Object context;
  private final Method get;
  private final Method isRegistered;
  private final Method registerIfAbsent;
  private final Method supplierOf;
  private final Method addCloseListener;

  private BootstrapRegistryAccess(Object context, Class<?> type)
      throws ReflectiveOperationException {
    this.context = context;
    this.get = type.getMethod("get", Class.class);
    this.isRegistered = type.getMethod("isRegistered", Class.class);
    Class<?> supplier =
        Class.forName(
            type.getPackageName() + ".BootstrapRegistry$InstanceSupplier",
            false,
            type.getClassLoader());
    this.registerIfAbsent = type.getMethod("registerIfAbsent", Class.class, supplier);
    this.supplierOf = supplier.getMethod("of", Object.class);
    this.addCloseListener = type.getMethod("addCloseListener", ApplicationListener.class);
  }

  /** The bootstrap context that Spring Boot hands the config-data loader. */
  static BootstrapRegistryAccess of(ConfigDataLoaderContext loader) {
    try {
      Method getter = ConfigDataLoaderContext.class.getMethod("getBootstrapContext");
      return new BootstrapRegistryAccess(getter.invoke(loader), getter.getReturnType());
    } catch (ReflectiveOperationException e) {
      throw unknown(e);
    }
  }

  /** The instance registered under {@code type}, or null when there is none. */
  <T> T find(Class<T> type) {
    if (!(boolean) call(isRegistered, type)) {
      return null;
    }
    return type.cast(call(get, type));
  }

  /** Registers {@code instance} under {@code type}, unless something is already registered. */
  <T> void register(Class<T> type, T instance) {
    call(registerIfAbsent, type, invoke(supplierOf, null, instance));
  }

  /**
   * Runs {@code action} with the application context once the bootstrap context closes (the
   * application context exists then, and its bean definitions are not yet instantiated).
   */
  void onClose(Consumer<ConfigurableApplicationContext> action) {
    ApplicationListener<ApplicationEvent> listener =
        event -> {
          try {
            Method application = event.getClass().getMethod("getApplicationContext");
            action.accept((ConfigurableApplicationContext) application.invoke(event));
          } catch (ReflectiveOperationException e) {
            throw unknown(e);
          }
        };
    call(addCloseListener, listener);
  }

  private Object call(Method method, Object... args) {
    return invoke(method, context, args);
  }

  private static Object invoke(Method method, Object target, Object... args) {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw unknown(e);
    } catch (IllegalAccessException e) {
      throw unknown(e);
    }
  }

  private static IllegalStateException unknown(Exception e) {
    return new IllegalStateException(
        "Holdfast: this Spring Boot's bootstrap context is not one the starter knows (it supports"
            + " Spring Boot 3.5 and 4.0): "
            + e,
        e);
  }
}
