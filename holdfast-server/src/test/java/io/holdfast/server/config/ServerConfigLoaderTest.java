package io.holdfast.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerConfigLoaderTest {

  @TempDir Path directory;

  private Path file(String... lines) throws IOException {
    Path file = directory.resolve("holdfast.properties");
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private ServerConfig load(Map<String, String> flags) {
    Map<String, String> withDataDir = new HashMap<>(flags);
    withDataDir.putIfAbsent("data-dir", directory.toString());
    return ServerConfigLoader.load(null, Map.of(), withDataDir);
  }

  private static Map<String, String> flag(String key, String value) {
    return Map.of(key, value);
  }

  // ------------------------------------------------------------------ defaults

  @Test
  void defaults_deriveTheJdbcUrlAndSigningKeyFromTheDataDirectory() {
    Path data = directory.resolve("data");

    ServerConfig config =
        ServerConfigLoader.load(null, Map.of("HOLDFAST_DATA_DIR", data.toString()), Map.of());

    Path absolute = data.toAbsolutePath().normalize();
    assertThat(config.dataDirectory()).isEqualTo(absolute);
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:sqlite:" + absolute.resolve("holdfast.db"));
    assertThat(config.signingKey()).isEqualTo(absolute.resolve("signing-key.pem"));
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(7070);
    assertThat(config.adminToken()).isNull();
    assertThat(config.maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(config.maxDepth()).isEqualTo(32);
    assertThat(config.refreshInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.storeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.maxWatchers()).isEqualTo(20_000);
  }

  @Test
  void withoutAnySource_theDataDirectoryIsHoldfastDataInTheWorkingDirectory() {
    ServerConfig config = ServerConfigLoader.load(null, Map.of(), Map.of());

    assertThat(config.dataDirectory())
        .isEqualTo(Path.of("holdfast-data").toAbsolutePath().normalize());
    assertThat(config.dataDirectory()).isAbsolute();
  }

  @Test
  void relativeDataDirectory_isMadeAbsoluteAndNormalised() {
    ServerConfig config = ServerConfigLoader.load(null, Map.of(), flag("data-dir", "a/./b/../c"));

    assertThat(config.dataDirectory()).isEqualTo(Path.of("a/c").toAbsolutePath());
    assertThat(config.jdbcUrl())
        .isEqualTo("jdbc:sqlite:" + Path.of("a/c").toAbsolutePath().resolve("holdfast.db"));
  }

  @Test
  void explicitJdbcUrlAndSigningKey_replaceTheDerivedOnes() {
    ServerConfig config =
        load(
            Map.of(
                "jdbc-url", "jdbc:sqlite:/srv/shared.db", "signing-key", "/etc/holdfast/key.pem"));

    assertThat(config.jdbcUrl()).isEqualTo("jdbc:sqlite:/srv/shared.db");
    assertThat(config.signingKey()).isEqualTo(Path.of("/etc/holdfast/key.pem"));
  }

  @Test
  void drainDelay_isFiveSecondsForAnOperatorsReplica_zeroWhenEmbedded_andBounded() {
    assertThat(ServerConfigLoader.load(null, Map.of(), Map.of()).drainDelay())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(ServerConfig.builder(directory).build().drainDelay()).isZero();
    assertThat(
            ServerConfigLoader.load(null, Map.of("HOLDFAST_DRAIN_DELAY", "30s"), Map.of())
                .drainDelay())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(load(Map.of("drain-delay", "0s")).drainDelay()).isZero();
    assertThatThrownBy(() -> load(Map.of("drain-delay", "6m")))
        .hasMessage("drain-delay must be between 0 and 5m, was PT6M");
  }

  // ------------------------------------------------------------------ precedence

  @Test
  void precedence_fileThenEnvironmentThenFlags() throws IOException {
    Path file =
        file(
            "host = file-host",
            "port = 1111",
            "max-depth = 10",
            "data-dir = " + directory.resolve("from-file"),
            "store-timeout = 7s");
    Map<String, String> environment =
        Map.of(
            "HOLDFAST_HOST", "env-host",
            "HOLDFAST_PORT", "2222",
            "HOLDFAST_DATA_DIR", directory.resolve("from-env").toString());
    Map<String, String> flags = Map.of("port", "3333");

    ServerConfig config = ServerConfigLoader.load(file, environment, flags);

    assertThat(config.port()).as("a flag beats the environment and the file").isEqualTo(3333);
    assertThat(config.host()).as("the environment beats the file").isEqualTo("env-host");
    assertThat(config.dataDirectory())
        .isEqualTo(directory.resolve("from-env").toAbsolutePath().normalize());
    assertThat(config.jdbcUrl())
        .as("derived from the winning data directory")
        .isEqualTo(
            "jdbc:sqlite:"
                + directory
                    .resolve("from-env")
                    .toAbsolutePath()
                    .normalize()
                    .resolve("holdfast.db"));
    assertThat(config.maxDepth()).as("the file fills in what nothing else sets").isEqualTo(10);
    assertThat(config.storeTimeout()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void environmentNames_areUpperCaseWithUnderscores_andOthersAreIgnored() {
    Map<String, String> environment =
        Map.of(
            "HOLDFAST_MAX_BODY_BYTES", "2048",
            "HOLDFAST_REFRESH_INTERVAL", "1s",
            "HOLDFAST_ADMIN_TOKEN", "0123456789abcdef",
            "HOLDFAST_BOGUS", "ignored",
            "holdfast_port", "1",
            "PATH", "/usr/bin");

    ServerConfig config =
        ServerConfigLoader.load(null, environment, flag("data-dir", directory.toString()));

    assertThat(config.maxBodyBytes()).isEqualTo(2048);
    assertThat(config.refreshInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.adminToken()).isEqualTo("0123456789abcdef");
    assertThat(config.port()).isEqualTo(7070);
  }

  @Test
  void blankEnvironmentValue_doesNotOverrideTheFile() throws IOException {
    Path file = file("port = 1111");

    ServerConfig config =
        ServerConfigLoader.load(
            file, Map.of("HOLDFAST_PORT", "  "), Map.of("data-dir", directory.toString()));

    assertThat(config.port()).isEqualTo(1111);
  }

  @Test
  void nullFlag_doesNotOverrideTheEnvironment() {
    Map<String, String> flags = new HashMap<>();
    flags.put("port", null);
    flags.put("data-dir", directory.toString());

    ServerConfig config = ServerConfigLoader.load(null, Map.of("HOLDFAST_PORT", "2222"), flags);

    assertThat(config.port()).isEqualTo(2222);
  }

  @Test
  void valuesAreTrimmed() {
    assertThat(load(flag("port", " 8080 ")).port()).isEqualTo(8080);
    assertThat(load(flag("host", " 0.0.0.0\t")).host()).isEqualTo("0.0.0.0");
  }

  // ------------------------------------------------------------------ unknown keys

  @Test
  void unknownKeyInFile_isRejectedNamingItAndTheFile() throws IOException {
    Path file = file("port = 8080", "prot = 8081");

    assertThatThrownBy(() -> ServerConfigLoader.load(file, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("unknown configuration key 'prot' in " + file)
        .hasMessageContaining("port");
  }

  @Test
  void unknownFlag_isRejectedNamingIt() {
    assertThatThrownBy(() -> ServerConfigLoader.load(null, Map.of(), Map.of("max-body", "5")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("unknown configuration key 'max-body'");
  }

  @Test
  void missingFile_isAConfigExceptionNamingIt() {
    Path missing = directory.resolve("nope.properties");

    assertThatThrownBy(() -> ServerConfigLoader.load(missing, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cannot read configuration file " + missing);
  }

  // ------------------------------------------------------------------ bad values

  @Test
  void nonNumericPort_isRejectedQuotingTheValue() {
    assertThatThrownBy(() -> load(flag("port", "http")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("port must be a whole number, was 'http'");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 65536, 70000})
  void portOutOfRange_isRejected(int port) {
    assertThatThrownBy(() -> load(flag("port", String.valueOf(port))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("port must be between 0 and 65535, was " + port);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 65535})
  void portsAtTheEdges_areAccepted(int port) {
    assertThat(load(flag("port", String.valueOf(port))).port()).isEqualTo(port);
  }

  @ParameterizedTest
  @CsvSource({
    "250ms, PT0.25S",
    "5s, PT5S",
    "2m, PT2M",
    "1h, PT1H",
    "1d, PT24H",
    "PT5S, PT5S",
    "pt1m30s, PT1M30S",
    "' 7S ', PT7S"
  })
  void durations_acceptUnitsAndIso8601(String text, String expected) {
    assertThat(ServerConfigLoader.duration("store-timeout", text))
        .isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "ms", "fast", "5 s", "1.5s", "PTfoo", "P", "s5"})
  void malformedDuration_isRejectedNamingTheKeyAndQuotingTheValue(String text) {
    assertThatThrownBy(() -> load(flag("refresh-interval", text)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "refresh-interval must be a duration such as 250ms, 5s, 2m or PT5S, was '"
                + text.strip()
                + "'");
  }

  @Test
  void durationWithAnUnknownUnit_asksForAUnit() {
    assertThatThrownBy(() -> load(flag("store-timeout", "5w")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("store-timeout needs a unit (ms, s, m, h, d), was '5w'");
  }

  @ParameterizedTest
  @CsvSource({
    "store-timeout, 999999999999999d",
    "store-timeout, 99999999999999d",
    "refresh-interval, 9999999999999999h",
    "store-timeout, PT9999999999999H"
  })
  void durationTooLargeToRepresent_isAConfigExceptionNamingTheKeyAndValue(String key, String text) {
    assertThatThrownBy(() -> load(flag(key, text)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(key + " is too large, was '" + text + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"9ms", "0s", "-1s", "11m", "PT10M0.001S", "1h"})
  void refreshIntervalOutsideTenMillisecondsToTenMinutes_isRejected(String text) {
    assertThatThrownBy(() -> load(flag("refresh-interval", text)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("refresh-interval must be between 10ms and 10m, was ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10ms", "10m", "PT9M59.999S"})
  void refreshIntervalAtTheEdges_isAccepted(String text) {
    assertThat(load(flag("refresh-interval", text)).refreshInterval())
        .isEqualTo(ServerConfigLoader.duration("refresh-interval", text));
  }

  @Test
  void storeTimeoutBelowOneHundredMilliseconds_isRejected() {
    assertThatThrownBy(() -> load(flag("store-timeout", "99ms")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("store-timeout must be at least 100ms, was PT0.099S");
    assertThat(load(flag("store-timeout", "100ms")).storeTimeout())
        .isEqualTo(Duration.ofMillis(100));
  }

  @ParameterizedTest
  @CsvSource({"1023, 1023", "67108865, 67108865"})
  void maxBodyBytesOutOfRange_isRejected(String value, String shown) {
    assertThatThrownBy(() -> load(flag("max-body-bytes", value)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("max-body-bytes must be between 1024 and 67108864, was " + shown);
  }

  @Test
  void maxBodyBytesThatIsNoNumber_isRejected() {
    assertThatThrownBy(() -> load(flag("max-body-bytes", "1MiB")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("max-body-bytes must be a whole number, was '1MiB'");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 1001})
  void maxDepthOutOfRange_isRejected(int depth) {
    assertThatThrownBy(() -> load(flag("max-depth", String.valueOf(depth))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("max-depth must be between 2 and 1000, was " + depth);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 1_000_001})
  void maxWatchersOutOfRange_isRejected(int watchers) {
    assertThatThrownBy(() -> load(flag("max-watchers", String.valueOf(watchers))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("max-watchers must be between 1 and 1000000, was " + watchers);
  }

  @Test
  void maxWatchers_isReadFromTheEnvironment() {
    ServerConfig config =
        ServerConfigLoader.load(
            null,
            Map.of("HOLDFAST_DATA_DIR", directory.toString(), "HOLDFAST_MAX_WATCHERS", "1"),
            Map.of());

    assertThat(config.maxWatchers()).isEqualTo(1);
  }

  @Test
  void shortAdminToken_isRejectedWithoutRepeatingTheSecret() {
    String secret = "short-secret";

    assertThatThrownBy(() -> load(flag("admin-token", secret)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin-token must be at least 16 characters long")
        .hasMessageNotContaining(secret);
  }

  @Test
  void badValueInFile_isReportedLikeAnyOther() throws IOException {
    Path file = file("port = eighty", "data-dir = " + directory);

    assertThatThrownBy(() -> ServerConfigLoader.load(file, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("port must be a whole number, was 'eighty'");
  }

  @Test
  void tls_isOffByDefault_andReadFromItsFourKeys() {
    assertThat(load(Map.of()).tls()).isEqualTo(TlsSettings.NONE);
    assertThat(load(Map.of()).tls().enabled()).isFalse();

    ServerConfig config =
        load(
            Map.of(
                "tls-cert",
                "/etc/holdfast/tls.crt",
                "tls-key",
                "/etc/holdfast/tls.key",
                "tls-client-ca",
                "/etc/holdfast/clients.pem",
                "tls-reload-interval",
                "30s"));

    assertThat(config.tls())
        .isEqualTo(
            new TlsSettings(
                Path.of("/etc/holdfast/tls.crt"),
                Path.of("/etc/holdfast/tls.key"),
                Path.of("/etc/holdfast/clients.pem"),
                java.time.Duration.ofSeconds(30)));
    assertThat(config.tls().enabled()).isTrue();
  }

  @Test
  void tls_withACertificateButNoKey_orAnEmptyPath_isAClearError() {
    assertThatThrownBy(() -> load(Map.of("tls-cert", "/etc/holdfast/tls.crt")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("tls-cert and tls-key go together: tls-cert is set but tls-key is not");
    assertThatThrownBy(() -> load(Map.of("tls-cert", " ", "tls-key", "/k")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("tls-cert must name a file, was empty");
    assertThatThrownBy(
            () -> load(Map.of("tls-cert", "/c", "tls-key", "/k", "tls-reload-interval", "10ms")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls-reload-interval must be between 100ms and 1h");
  }

  @Test
  void signingKeyReloadInterval_defaultsToThirtySeconds_zeroTurnsItOff_fileEnvFlagsInOrder()
      throws IOException {
    assertThat(load(Map.of()).signingKeyReloadInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(load(flag("signing-key-reload-interval", "0")).signingKeyReloadInterval()).isZero();
    assertThat(load(flag("signing-key-reload-interval", "0s")).signingKeyReloadInterval()).isZero();

    Path file = file("data-dir=" + directory, "signing-key-reload-interval=5s");
    Map<String, String> env = Map.of("HOLDFAST_SIGNING_KEY_RELOAD_INTERVAL", "7s");
    assertThat(ServerConfigLoader.load(file, Map.of(), Map.of()).signingKeyReloadInterval())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(ServerConfigLoader.load(file, env, Map.of()).signingKeyReloadInterval())
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(
            ServerConfigLoader.load(file, env, flag("signing-key-reload-interval", "2m"))
                .signingKeyReloadInterval())
        .isEqualTo(Duration.ofMinutes(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"50ms", "2h", "-1s"})
  void signingKeyReloadIntervalOutOfRange_isRejected(String text) {
    assertThatThrownBy(() -> load(flag("signing-key-reload-interval", text)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "signing-key-reload-interval must be 0 (off) or between 100ms and 1h");
  }

  @Test
  void checksumsValidity_defaultsToADay_fileEnvFlagsInOrder() throws IOException {
    assertThat(load(Map.of()).checksumsValidity()).isEqualTo(Duration.ofHours(24));
    assertThat(load(flag("checksums-validity", "10m")).checksumsValidity())
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(load(flag("checksums-validity", "30d")).checksumsValidity())
        .isEqualTo(Duration.ofDays(30));

    Path file = file("data-dir=" + directory, "checksums-validity=6h");
    Map<String, String> env = Map.of("HOLDFAST_CHECKSUMS_VALIDITY", "PT8H");
    assertThat(ServerConfigLoader.load(file, Map.of(), Map.of()).checksumsValidity())
        .isEqualTo(Duration.ofHours(6));
    assertThat(ServerConfigLoader.load(file, env, Map.of()).checksumsValidity())
        .isEqualTo(Duration.ofHours(8));
    assertThat(
            ServerConfigLoader.load(file, env, flag("checksums-validity", "2d"))
                .checksumsValidity())
        .isEqualTo(Duration.ofDays(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"9m", "599s", "31d", "0s", "-1h"})
  void checksumsValidityOutOfRange_isRejected(String text) {
    assertThatThrownBy(() -> load(flag("checksums-validity", text)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("checksums-validity must be between 10m and 30d, was");
  }

  @Test
  void checksumsValidityWithoutAUnit_isRejectedByName() {
    assertThatThrownBy(() -> load(flag("checksums-validity", "24")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("checksums-validity");
  }
}
