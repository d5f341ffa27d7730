package io.holdfast.spring.boot.demo;

import io.holdfast.client.seats.InMemorySeatStore;
import io.holdfast.client.seats.SeatStore;
import io.holdfast.spring.boot.HoldfastEnvironmentChangeEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/** A minimal application as a user would write it: nothing in it names the Holdfast client. */
@SpringBootApplication
@EnableConfigurationProperties(DemoApplication.CoreProperties.class)
public class DemoApplication {

  /** Read once, at start-up, through {@code @Value}. */
  public record Greeting(String text, int timeout) {}

  @Bean
  Greeting greeting(
      @Value("${core.greeting:local default}") String text,
      @Value("${core.sessionTimeoutMinutes:30}") int timeout) {
    return new Greeting(text, timeout);
  }

  /** Read through {@code @Value} too, but in the refresh scope: made again after a change. */
  public static class Motd {
    private final String text;

    public Motd(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  @Bean
  @RefreshScope
  Motd motd(@Value("${core.greeting:local default}") String text) {
    return new Motd(text);
  }

  /** The events the starter publishes, as the application sees them. */
  public static final class Events {
    public final List<ApplicationEvent> seen = new CopyOnWriteArrayList<>();

    @EventListener
    void onHoldfast(HoldfastEnvironmentChangeEvent event) {
      seen.add(event);
    }

    @EventListener
    void onCloud(EnvironmentChangeEvent event) {
      seen.add(event);
    }
  }

  /** Only when the test asks for one: the starter then makes a SubscriptionChecker over it. */
  @Bean
  @ConditionalOnProperty("demo.seats")
  SeatStore seats() {
    return new InMemorySeatStore();
  }

  @Bean
  Events events() {
    return new Events();
  }

  /** Bound from {@code core.*}, rebound on every change. */
  @ConfigurationProperties("core")
  public static class CoreProperties {
    private int sessionTimeoutMinutes = 30;
    private List<String> hosts = List.of();

    public int getSessionTimeoutMinutes() {
      return sessionTimeoutMinutes;
    }

    public void setSessionTimeoutMinutes(int sessionTimeoutMinutes) {
      this.sessionTimeoutMinutes = sessionTimeoutMinutes;
    }

    public List<String> getHosts() {
      return hosts;
    }

    public void setHosts(List<String> hosts) {
      this.hosts = hosts;
    }
  }
}
