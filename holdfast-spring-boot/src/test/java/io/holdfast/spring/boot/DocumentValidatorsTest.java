package io.holdfast.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.DocumentValidator;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.spring.boot.demo.DemoApplication;
import io.holdfast.spring.boot.demo.DemoApplication.CoreProperties;
import io.holdfast.spring.boot.demo.PositiveTimeout;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code holdfast.validators.<namespace>}: the application's {@link DocumentValidator} sees every
 * new document before the {@code Environment} does, as in the SDK.
 */
class DocumentValidatorsTest {

  @TempDir Path dir;

  @Test
  void aDocumentTheValidatorRejects_isNotAdopted_noEvent_healthSaysWhy_aFixGoesThrough() {
    try (TwoReplicas replicas = new TwoReplicas(dir.resolve("store"))) {
      String credential = StarterApp.serve(replicas);
      try (ConfigurableApplicationContext app =
          StarterApp.start(
              DemoApplication.class,
              StarterApp.args(
                  replicas.replicas(),
                  replicas.trustedKey(),
                  credential,
                  dir.resolve("cache"),
                  "--holdfast.validators.core=" + PositiveTimeout.class.getName()))) {
        HoldfastClient client = app.getBean(HoldfastClient.class);
        CoreProperties core = app.getBean(CoreProperties.class);
        DemoApplication.Events events = app.getBean(DemoApplication.Events.class);
        long adopted = client.snapshot("core").revision();

        replicas.publish(
            "core",
            "{\"greeting\":\"rejected\",\"sessionTimeoutMinutes\":-1,"
                + "\"hosts\":[\"a.example\",\"b.example\"]}");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> client.status("core").reason().startsWith("rejected by the application"));

        assertThat(client.snapshot("core").revision()).isEqualTo(adopted);
        assertThat(app.getEnvironment().getProperty("core.greeting")).isEqualTo("from holdfast");
        assertThat(app.getEnvironment().getProperty("core.sessionTimeoutMinutes")).isEqualTo("15");
        assertThat(core.getSessionTimeoutMinutes()).isEqualTo(15);
        assertThat(events.seen).as("change events for a rejected document").isEmpty();
        Map<String, Object> health = Actuator.health(app);
        assertThat(health).containsEntry("status", "UP");
        assertThat(Actuator.namespace(health, "core"))
            .containsEntry("status", Status.STALE.name())
            .containsEntry("reason", client.status("core").reason());
        assertThat(client.status("core").reason())
            .matches(
                "rejected by the application: sessionTimeoutMinutes must be positive"
                    + " \\(revision \\d+\\)");

        // The fix, a newer revision, passes the validator and is announced like any change.
        replicas.publish(
            "core",
            "{\"greeting\":\"fixed\",\"sessionTimeoutMinutes\":20,"
                + "\"hosts\":[\"a.example\",\"b.example\"]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> core.getSessionTimeoutMinutes() == 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.seen.size() == 2);
        HoldfastEnvironmentChangeEvent change = (HoldfastEnvironmentChangeEvent) events.seen.get(1);
        assertThat(change.getKeys())
            .containsExactlyInAnyOrder("core.greeting", "core.sessionTimeoutMinutes");
        assertThat(client.status("core").status()).isEqualTo(Status.FRESH);
      }
    }
  }

  @Test
  void aValidatorClass_isReadForItsNamespace() throws Exception {
    Map<String, String> properties = required();
    properties.put("holdfast.validators.core", " " + PositiveTimeout.class.getName() + " ");
    HoldfastSettings settings = read(properties);
    assertThat(settings.validators()).containsExactly(Map.entry("core", PositiveTimeout.class));
  }

  @Test
  void badValidatorSettings_areAllNamedInOneMessage() throws Exception {
    Map<String, String> properties = required();
    properties.put("holdfast.namespaces", "core,features,limits,seats,flags");
    properties.put("holdfast.validators.core", "com.example.NoSuchValidator");
    properties.put("holdfast.validators.features", String.class.getName());
    properties.put("holdfast.validators.limits", NeedsAnArgument.class.getName());
    properties.put("holdfast.validators.seats", AbstractValidator.class.getName());
    properties.put("holdfast.validators.billing", PositiveTimeout.class.getName());
    assertThatThrownBy(() -> read(properties))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "holdfast.validators.core: class 'com.example.NoSuchValidator' is not on the class path")
        .hasMessageContaining(
            "holdfast.validators.features: java.lang.String does not implement "
                + DocumentValidator.class.getName())
        .hasMessageContaining(
            "holdfast.validators.limits: "
                + NeedsAnArgument.class.getName()
                + " has no public constructor without arguments")
        .hasMessageContaining(
            "holdfast.validators.seats: " + AbstractValidator.class.getName() + " is abstract")
        .hasMessageContaining(
            "holdfast.validators.billing: 'billing' is not in holdfast.namespaces");
  }

  /** A validator the starter cannot make: it wants an argument. */
  public static class NeedsAnArgument implements DocumentValidator {
    public NeedsAnArgument(String rule) {}

    @Override
    public void validate(JsonNode content) {}
  }

  /** A validator the starter cannot make: it is abstract. */
  public abstract static class AbstractValidator implements DocumentValidator {}

  private static Map<String, String> required() throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put("holdfast.replicas", "http://127.0.0.1:1");
    properties.put("holdfast.instance-id", StarterApp.INSTANCE);
    properties.put("holdfast.credential", "token");
    properties.put(
        "holdfast.trusted-keys",
        VerificationKey.of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic())
            .toBase64());
    properties.put("holdfast.namespaces", "core,features");
    return properties;
  }

  private static HoldfastSettings read(Map<String, String> properties) {
    return HoldfastSettings.read(new Binder(new MapConfigurationPropertySource(properties)));
  }
}
