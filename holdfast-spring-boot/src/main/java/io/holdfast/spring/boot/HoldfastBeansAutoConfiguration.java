package io.holdfast.spring.boot;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.micrometer.HoldfastClientMetrics;
import io.holdfast.client.seats.JdbcSeatStore;
import io.holdfast.client.seats.SeatStore;
import io.holdfast.client.seats.SubscriptionChecker;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The client's beans for the rest of the application, each when what it needs is there: Actuator's
 * health and info, Micrometer's binder (Spring Boot binds it to every registry), and the
 * subscription checker over the application's seat store.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
    })
@ConditionalOnBean(name = HoldfastConfigDataLoader.CLIENT_BEAN)
public class HoldfastBeansAutoConfiguration {

  /** Spring Boot 3.5's Actuator: health, at {@code /actuator/health/holdfast}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static class Boot3Health {
    @Bean
    Boot3HealthIndicator holdfastHealthIndicator(
        HoldfastClient client, @Value("${holdfast.health.expired-status:UP}") String expired) {
      return new Boot3HealthIndicator(() -> HoldfastHealth.of(client, expired, Clock.systemUTC()));
    }
  }

  /** Spring Boot 4.0's health module: the same health, at the same path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Boot4Health {
    @Bean
    Boot4HealthIndicator holdfastHealthIndicator(
        HoldfastClient client, @Value("${holdfast.health.expired-status:UP}") String expired) {
      return new Boot4HealthIndicator(() -> HoldfastHealth.of(client, expired, Clock.systemUTC()));
    }
  }

  /** Actuator present (the same API in 3.5 and 4.0): {@code /actuator/info}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.info.InfoContributor")
  static class Info {
    @Bean
    HoldfastInfoContributor holdfastInfoContributor(HoldfastClient client) {
      return new HoldfastInfoContributor(client);
    }
  }

  /** {@code holdfast-client-micrometer} present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HoldfastClientMetrics.class)
  static class Metrics {
    @Bean
    HoldfastClientMetrics holdfastClientMetrics(HoldfastClient client) {
      return new HoldfastClientMetrics(client);
    }
  }

  /**
   * The application has a DataSource and loads the {@code subscriptions} namespace, but no seat
   * store: seats are kept in that database (JdbcSeatStore creates its tables if absent).
   */
  @Bean
  @ConditionalOnBean(DataSource.class)
  @ConditionalOnMissingBean(SeatStore.class)
  @Conditional(SubscriptionsNamespaceCondition.class)
  SeatStore holdfastSeatStore(DataSource dataSource) {
    return JdbcSeatStore.builder(dataSource).build();
  }

  /** The application has a seat store: it admits users through the instance's subscriptions. */
  @Bean
  @ConditionalOnBean(SeatStore.class)
  @ConditionalOnMissingBean
  @Conditional(SubscriptionsNamespaceCondition.class)
  SubscriptionChecker holdfastSubscriptionChecker(HoldfastClient client, SeatStore seats) {
    return SubscriptionChecker.builder().client(client).seatStore(seats).build();
  }
}
