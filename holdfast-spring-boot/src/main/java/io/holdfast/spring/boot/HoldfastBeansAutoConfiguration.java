package io.holdfast.spring.boot;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.micrometer.HoldfastClientMetrics;
import io.holdfast.client.seats.JdbcSeatStore;
import io.holdfast.client.seats.SeatStore;
import io.holdfast.client.seats.SubscriptionChecker;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.HealthIndicator;
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

  /** Actuator present: health and info. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class Actuator {
    @Bean
    HoldfastHealthIndicator holdfastHealthIndicator(
        HoldfastClient client, @Value("${holdfast.health.expired-status:UP}") String expired) {
      return new HoldfastHealthIndicator(client, expired, Clock.systemUTC());
    }

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
