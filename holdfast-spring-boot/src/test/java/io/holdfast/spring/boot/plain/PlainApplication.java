package io.holdfast.spring.boot.plain;

import io.holdfast.spring.boot.HoldfastEnvironmentChangeEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * An application that names nothing of Spring Cloud, for a class path without it: the starter
 * rebinds its properties itself.
 */
@SpringBootApplication
@EnableConfigurationProperties(PlainApplication.Limits.class)
public class PlainApplication {

  /** The starter's change events, as the application sees them. */
  public static final class Changes {
    public final List<HoldfastEnvironmentChangeEvent> seen = new CopyOnWriteArrayList<>();

    @EventListener
    void onChange(HoldfastEnvironmentChangeEvent event) {
      seen.add(event);
    }
  }

  @Bean
  Changes changes() {
    return new Changes();
  }

  /** Bound from {@code core.*}, JavaBean style. */
  @ConfigurationProperties("core")
  public static class Limits {
    private int sessionTimeoutMinutes = 30;

    public int getSessionTimeoutMinutes() {
      return sessionTimeoutMinutes;
    }

    public void setSessionTimeoutMinutes(int sessionTimeoutMinutes) {
      this.sessionTimeoutMinutes = sessionTimeoutMinutes;
    }
  }
}
