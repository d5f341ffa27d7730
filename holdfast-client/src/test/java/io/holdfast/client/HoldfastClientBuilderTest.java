package io.holdfast.client;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.client.internal.TestDocuments;
import io.holdfast.protocol.signature.VerificationKey;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HoldfastClientBuilderTest {

  private static final VerificationKey KEY = new TestDocuments().key();
  private static final URI REPLICA = URI.create("http://127.0.0.1:7001");

  private static HoldfastClient.Builder complete() {
    return HoldfastClient.builder()
        .replicas(REPLICA)
        .instance("acme-prod", "s3cr3t-token")
        .trustedKey(KEY)
        .namespaces("core");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ftp://127.0.0.1/", "file:///etc/passwd", "localhost:7001", "http:///nohost"})
  void badReplica_isRejected_namingIt(String uri) {
    assertThatThrownBy(() -> HoldfastClient.builder().replicas(URI.create(uri)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replica must be an http or https URL with a host")
        .hasMessageContaining(uri);
  }

  @Test
  void duplicateReplica_isRejected_evenWithAnotherPath() {
    assertThatThrownBy(
            () ->
                HoldfastClient.builder().replicas(REPLICA, URI.create("http://127.0.0.1:7001/v1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replica listed twice: http://127.0.0.1:7001/v1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Acme",
        "acme_prod",
        "-acme",
        "acme-",
        "../acme",
        "acme prod",
        "acme\u202eprod",
        "a234567890123456789012345678901234567890123456789012345678901234"
      })
  void badInstanceId_isRejected_namingIt(String id) {
    assertThatThrownBy(() -> HoldfastClient.builder().instance(id, "token"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("instance id must be")
        .hasMessageEndingWith("was " + id);
  }

  @Test
  void nullInstanceId_isRejected() {
    assertThatThrownBy(() -> HoldfastClient.builder().instance(null, "token"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("instance id must be");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "two words", "line\nbreak", "tab\there", "caf\u00e9"})
  void badCredential_isRejected_withoutEchoingIt(String credential) {
    assertThatThrownBy(() -> HoldfastClient.builder().instance("acme-prod", credential))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("credential must be a non-empty token of printable ASCII characters");
  }

  @Test
  void nullCredential_isRejected() {
    assertThatThrownBy(() -> HoldfastClient.builder().instance("acme-prod", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credential");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Core", "core.v2", "../core", "a/b", "core_", "-core"})
  void C11_badNamespace_isRejected_namingIt(String name) {
    assertThatThrownBy(() -> HoldfastClient.builder().namespaces(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("namespace must be")
        .hasMessageEndingWith("was " + name);
  }

  @Test
  void duplicateNamespace_isRejected_alsoAcrossCalls() {
    assertThatThrownBy(() -> HoldfastClient.builder().namespaces("core", "features", "core"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("namespace listed twice: core");
    assertThatThrownBy(() -> HoldfastClient.builder().namespaces("core").namespaces("core"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("namespace listed twice: core");
  }

  static Stream<Arguments> durationSetters() {
    return Stream.of(
        Arguments.of(
            "grace period",
            (Function<Duration, Object>) d -> HoldfastClient.builder().gracePeriod(d)),
        Arguments.of(
            "stale-after",
            (Function<Duration, Object>) d -> HoldfastClient.builder().staleAfter(d)),
        Arguments.of(
            "connect timeout",
            (Function<Duration, Object>) d -> HoldfastClient.builder().connectTimeout(d)),
        Arguments.of(
            "request timeout",
            (Function<Duration, Object>) d -> HoldfastClient.builder().requestTimeout(d)),
        Arguments.of(
            "watch timeout",
            (Function<Duration, Object>) d -> HoldfastClient.builder().watchTimeout(d)),
        Arguments.of(
            "poll interval",
            (Function<Duration, Object>) d -> HoldfastClient.builder().pollInterval(d)),
        Arguments.of(
            "backoff base",
            (Function<Duration, Object>)
                d -> HoldfastClient.builder().backoff(d, Duration.ofMinutes(1))),
        Arguments.of(
            "backoff cap",
            (Function<Duration, Object>)
                d -> HoldfastClient.builder().backoff(Duration.ofMillis(1), d)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("durationSetters")
  void zeroOrNegativeDuration_isRejected_namingTheSetting(
      String name, Function<Duration, Object> setter) {
    assertThatThrownBy(() -> setter.apply(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(name + " must be positive, was PT0S");
    assertThatThrownBy(() -> setter.apply(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(name + " must be positive, was PT-1S");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("durationSetters")
  void durationBeyondTenYears_isRejected_soNanosecondArithmeticCannotOverflow(
      String name, Function<Duration, Object> setter) {
    assertThatThrownBy(() -> setter.apply(Duration.ofDays(3651)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(name + " must be at most 3650 days, was PT87624H");
    assertThatThrownBy(() -> HoldfastClient.builder().heartbeatInterval(Duration.ofDays(3651)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("heartbeat interval");
    assertThatThrownBy(() -> HoldfastClient.builder().startupTimeout(Duration.ofDays(3651)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("startup timeout");
  }

  @Test
  void negativeHeartbeatOrStartupTimeout_isRejected_butZeroMeansOff() {
    assertThatThrownBy(() -> HoldfastClient.builder().heartbeatInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("heartbeat interval");
    assertThatThrownBy(() -> HoldfastClient.builder().startupTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("startup timeout");
    assertThatCode(
            () ->
                HoldfastClient.builder()
                    .heartbeatInterval(Duration.ZERO)
                    .startupTimeout(Duration.ZERO))
        .doesNotThrowAnyException();
  }

  @Test
  void backoffCapBelowBase_isRejected_namingBoth() {
    assertThatThrownBy(
            () -> HoldfastClient.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backoff cap PT1S is below its base PT2S");
  }

  @Test
  void maxDocumentBytesBelow1024_isRejected() {
    assertThatThrownBy(() -> HoldfastClient.builder().maxDocumentBytes(1023))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max document bytes must be at least 1024, was 1023");
    assertThatCode(() -> HoldfastClient.builder().maxDocumentBytes(1024))
        .doesNotThrowAnyException();
  }

  @Test
  void build_withoutReplicas_namesThem() {
    assertThatThrownBy(
            () ->
                HoldfastClient.builder()
                    .instance("acme-prod", "t")
                    .trustedKey(KEY)
                    .namespaces("core")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no replicas");
  }

  @Test
  void build_withoutInstance_namesIt() {
    assertThatThrownBy(
            () ->
                HoldfastClient.builder()
                    .replicas(REPLICA)
                    .trustedKey(KEY)
                    .namespaces("core")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no instance");
  }

  @Test
  void build_withoutTrustedKey_namesIt() {
    assertThatThrownBy(
            () ->
                HoldfastClient.builder()
                    .replicas(REPLICA)
                    .instance("acme-prod", "t")
                    .namespaces("core")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no trusted key")
        .hasMessageContaining("trustedRoot(...)")
        .hasMessageContaining("trustedKey(...)");
  }

  /** A root.json as {@code holdfast keys init-root} writes it, for one key. */
  private static Path rootFile(Path dir, VerificationKey key) throws IOException {
    return Files.writeString(
        dir.resolve("root.json"),
        "{\"keys\":[{\"keyId\":\""
            + key.keyId()
            + "\",\"publicKey\":\""
            + key.toBase64()
            + "\"}],\"threshold\":1}");
  }

  @Test
  void build_withATrustedRootFile_andNoTrustedKey_works(@TempDir Path dir) throws IOException {
    Path root = rootFile(dir, new TestDocuments().key());

    assertThatCode(
            () ->
                HoldfastClient.builder()
                    .replicas(REPLICA)
                    .instance("acme-prod", "t")
                    .trustedRoot(root)
                    .namespaces("core")
                    .build()
                    .close())
        .doesNotThrowAnyException();
  }

  @Test
  void trustedRoot_fromAMissingFile_namesTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-root.json");

    assertThatThrownBy(() -> HoldfastClient.builder().trustedRoot(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read the root file " + missing);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "{\"keys\":[],\"threshold\":1}",
        "{\"keys\":[{\"keyId\":\"hf1-0000000000000000\",\"publicKey\":\"AAAA\"}],\"threshold\":1}",
        "{\"threshold\":1}"
      })
  void trustedRoot_fromAFileThatIsNoRoot_namesTheFile(String content, @TempDir Path dir)
      throws IOException {
    Path bad = Files.writeString(dir.resolve("root.json"), content);

    assertThatThrownBy(() -> HoldfastClient.builder().trustedRoot(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the root file " + bad + " is not a root");
  }

  @Test
  void trustedRoot_ofAKeyWhoseIdDoesNotMatch_namesTheFile(@TempDir Path dir) throws IOException {
    VerificationKey key = new TestDocuments().key();
    Path forged =
        Files.writeString(
            rootFile(dir, key),
            Files.readString(rootFile(dir, key)).replace(key.keyId(), KEY.keyId()));

    assertThatThrownBy(() -> HoldfastClient.builder().trustedRoot(forged))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the root file " + forged + " is not a root");
  }

  @Test
  void build_withoutNamespaces_namesThem() {
    assertThatThrownBy(
            () ->
                HoldfastClient.builder()
                    .replicas(REPLICA)
                    .instance("acme-prod", "t")
                    .trustedKey(KEY)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no namespaces");
  }

  @Test
  void build_withStaleAfterBeyondGrace_isRejected() {
    assertThatThrownBy(
            () ->
                complete()
                    .gracePeriod(Duration.ofMinutes(10))
                    .staleAfter(Duration.ofMinutes(11))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stale-after PT11M exceeds the grace period PT10M");
  }

  @Test
  void build_withStaleAfterEqualToGrace_isAccepted() {
    HoldfastClient client =
        complete().gracePeriod(Duration.ofMinutes(10)).staleAfter(Duration.ofMinutes(10)).build();
    client.close();
  }

  @Test
  void validatorForANamespaceNotConfigured_isRefusedAtBuild_namingIt() {
    HoldfastClient.Builder builder = complete().validator("billing", content -> {});

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "a validator is set for namespace 'billing', which is not configured; configured: [core]");
  }

  @Test
  void validatorSetBeforeItsNamespace_isAccepted() {
    assertThatCode(
            () ->
                HoldfastClient.builder()
                    .validator("features", content -> {})
                    .replicas(REPLICA)
                    .instance("acme-prod", "s3cr3t-token")
                    .trustedKey(KEY)
                    .namespaces("core", "features")
                    .build()
                    .close())
        .doesNotThrowAnyException();
  }

  @Test
  void secondValidatorForTheSameNamespace_isRefused() {
    HoldfastClient.Builder builder = complete().validator("core", content -> {});

    assertThatThrownBy(() -> builder.validator("core", content -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a validator for namespace 'core' was already set");
  }

  @Test
  void nullValidatorOrNamespace_isRejected() {
    assertThatThrownBy(() -> complete().validator("core", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("validator");
    assertThatThrownBy(() -> complete().validator(null, content -> {}))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("namespace");
  }
}
