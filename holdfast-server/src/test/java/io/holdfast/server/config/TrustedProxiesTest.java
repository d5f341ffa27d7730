package io.holdfast.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code trusted-proxies} key: CIDR blocks of literal addresses, nothing trusted by default.
 */
class TrustedProxiesTest {

  @TempDir Path directory;

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void blocksMatchTheirAddressesOnly_ipv4AndIpv6() throws Exception {
    TrustedProxies proxies =
        TrustedProxies.of(List.of("10.0.0.0/8", " 192.168.1.7 ", "2001:db8::/33"));

    assertThat(proxies.trusts(ip("10.255.0.1"))).isTrue();
    assertThat(proxies.trusts(ip("11.0.0.1"))).isFalse();
    assertThat(proxies.trusts(ip("192.168.1.7"))).isTrue();
    assertThat(proxies.trusts(ip("192.168.1.8"))).isFalse();
    assertThat(proxies.trusts(ip("2001:db8:7fff::1"))).isTrue();
    assertThat(proxies.trusts(ip("2001:db8:8000::1"))).as("outside the /33").isFalse();
    assertThat(proxies.trusts(null)).isFalse();
    assertThat(proxies.cidrs()).containsExactly("10.0.0.0/8", "192.168.1.7", "2001:db8::/33");
  }

  @Test
  void byDefault_nobodyIsTrusted() throws Exception {
    ServerConfig config =
        ServerConfigLoader.load(null, Map.of(), Map.of("data-dir", directory.toString()));

    assertThat(config.trustedProxies().isEmpty()).isTrue();
    assertThat(config.trustedProxies().trusts(ip("127.0.0.1"))).isFalse();
  }

  @Test
  void theKey_isReadFromFlagsAndEnvironment() throws Exception {
    ServerConfig fromFlag =
        ServerConfigLoader.load(
            null,
            Map.of(),
            Map.of("data-dir", directory.toString(), "trusted-proxies", "127.0.0.1/32,::1/128"));
    ServerConfig fromEnv =
        ServerConfigLoader.load(
            null,
            Map.of("HOLDFAST_TRUSTED_PROXIES", "10.1.0.0/16"),
            Map.of("data-dir", directory.toString()));

    assertThat(fromFlag.trustedProxies().trusts(ip("::1"))).isTrue();
    assertThat(fromEnv.trustedProxies().trusts(ip("10.1.2.3"))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0/33",
        "10.0.0.0/-1",
        "10.0.0.0/x",
        "proxy.example.com",
        "::1/129",
        "10.0.0"
      })
  void aBadEntry_isAConfigExceptionNamingIt(String entry) {
    assertThatThrownBy(
            () ->
                ServerConfigLoader.load(
                    null,
                    Map.of(),
                    Map.of(
                        "data-dir",
                        directory.toString(),
                        "trusted-proxies",
                        "127.0.0.1/32," + entry)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("trusted-proxies: '" + entry + "'");
  }
}
