package io.holdfast.spring.boot.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * The application {@link SpringStartupBenchmark} starts in fresh JVMs. It names nothing of
 * Holdfast, so that the same class runs with the starter on its class path (values imported from
 * {@code holdfast:}) and without (the same values from a local properties file): both variants bind
 * the same properties. On {@link ApplicationReadyEvent} it prints {@code READY <ms>}, the time
 * since the JVM started, then the values it bound ({@code VALUES ...}), which the benchmark
 * compares across variants, then closes and exits.
 */
@SpringBootApplication
@EnableConfigurationProperties(StartupApp.CoreSettings.class)
public class StartupApp {

  /** Bound from {@code core.*} through constructor binding, as a user would write it. */
  @ConfigurationProperties("core")
  public record CoreSettings(
      String greeting,
      int sessionTimeoutMinutes,
      String supportEmail,
      String locale,
      String currency,
      List<String> hosts,
      Database database,
      Http http,
      Limits limits,
      Map<String, Integer> seats,
      List<Region> regions) {}

  public record Database(String url, int poolSize, int connectTimeoutMs, boolean readOnly) {}

  public record Http(int connectTimeoutMs, int readTimeoutMs, int retries, String userAgent) {}

  public record Limits(int maxUploadMb, int maxUsers, int requestsPerMinute) {}

  public record Region(String name, int weight) {}

  /** Feature flags read through {@code @Value}, with no defaults: a missing one fails start-up. */
  public record Flags(boolean darkMode, boolean newCheckout, boolean betaSearch, int rolloutPct) {}

  @Bean
  Flags flags(
      @Value("${features.darkMode}") boolean darkMode,
      @Value("${features.newCheckout}") boolean newCheckout,
      @Value("${features.betaSearch}") boolean betaSearch,
      @Value("${features.searchRolloutPercent}") int rolloutPct) {
    return new Flags(darkMode, newCheckout, betaSearch, rolloutPct);
  }

  /** Reports the ready time first: nothing after the clock is read is measured. */
  @Bean
  ReadyReporter readyReporter(CoreSettings core, Flags flags) {
    return new ReadyReporter(core, flags);
  }

  /** Prints the ready time and the bound values. */
  static final class ReadyReporter {
    private final CoreSettings core;
    private final Flags flags;

    ReadyReporter(CoreSettings core, Flags flags) {
      this.core = core;
      this.flags = flags;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
      long now = System.currentTimeMillis();
      long ready = now - ManagementFactory.getRuntimeMXBean().getStartTime();
      System.out.println("READY " + ready);
      // A resource lookup, not a class load: says which class path this JVM had.
      boolean holdfast =
          StartupApp.class.getClassLoader().getResource("io/holdfast/client/HoldfastClient.class")
              != null;
      System.out.println("HOLDFAST_ON_CLASSPATH " + holdfast);
      System.out.println(
          "VALUES greeting="
              + core.greeting()
              + ";timeout="
              + core.sessionTimeoutMinutes()
              + ";email="
              + core.supportEmail()
              + ";locale="
              + core.locale()
              + ";currency="
              + core.currency()
              + ";hosts="
              + core.hosts()
              + ";db="
              + core.database()
              + ";http="
              + core.http()
              + ";limits="
              + core.limits()
              + ";seats="
              + new TreeMap<>(core.seats())
              + ";regions="
              + core.regions()
              + ";flags="
              + flags);
    }
  }

  public static void main(String[] args) {
    ConfigurableApplicationContext context = SpringApplication.run(StartupApp.class, args);
    // Started, ready and reported: closing is part of the process's wall time.
    context.close();
  }
}
