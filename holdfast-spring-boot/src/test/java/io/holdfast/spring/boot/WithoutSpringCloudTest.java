package io.holdfast.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.spring.boot.plain.PlainApplication;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Without Spring Cloud Context on the class path (hidden here by the application's class loader),
 * the starter rebinds {@code @ConfigurationProperties} beans itself and still announces each
 * change.
 */
class WithoutSpringCloudTest {

  private static final String CLOUD_EVENT =
      "org.springframework.cloud.context.environment.EnvironmentChangeEvent";

  @TempDir Path dir;

  @Test
  void aPublish_rebindsConfigurationProperties_andAnnouncesTheChange() {
    ClassLoader withoutCloud =
        new HidingClassLoader(getClass().getClassLoader(), "org.springframework.cloud");
    try (TwoReplicas replicas = new TwoReplicas(dir.resolve("store"))) {
      String credential = StarterApp.serve(replicas);
      try (ConfigurableApplicationContext app =
          new SpringApplicationBuilder(PlainApplication.class)
              .resourceLoader(new DefaultResourceLoader(withoutCloud))
              .web(WebApplicationType.NONE)
              .run(
                  StarterApp.args(
                      replicas.replicas(),
                      replicas.trustedKey(),
                      credential,
                      dir.resolve("cache")))) {
        // Spring Cloud is really absent for this application, and the starter took its own path.
        assertThat(ClassUtils.isPresent(CLOUD_EVENT, app.getClassLoader())).isFalse();
        assertThat(app.containsBean("refreshScope")).isFalse();
        assertThat(app.getBean("holdfastChangeAnnouncer")).isInstanceOf(ChangeAnnouncer.class);
        assertThat(app.getBeanFactory().getBeanDefinition("holdfastChangeAnnouncer").toString())
            .contains("WithoutSpringCloud");

        PlainApplication.Limits limits = app.getBean(PlainApplication.Limits.class);
        PlainApplication.Changes changes = app.getBean(PlainApplication.Changes.class);
        assertThat(limits.getSessionTimeoutMinutes()).isEqualTo(15);

        replicas.publish(
            "core",
            "{\"greeting\":\"from holdfast\",\"sessionTimeoutMinutes\":50,"
                + "\"hosts\":[\"a.example\",\"b.example\"]}");

        await().atMost(Duration.ofSeconds(10)).until(() -> limits.getSessionTimeoutMinutes() == 50);
        await().atMost(Duration.ofSeconds(10)).until(() -> changes.seen.size() == 1);
        assertThat(changes.seen.get(0).getNamespace()).isEqualTo("core");
        assertThat(changes.seen.get(0).getKeys()).containsExactly("core.sessionTimeoutMinutes");
      }
    }
  }
}
