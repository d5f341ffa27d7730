package io.holdfast.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A JDBC URL shown anywhere keeps its database and user and loses its password, in every form it
 * takes.
 */
class JdbcUrlsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      jdbc:postgresql://db:5432/holdfast?user=hf&password=s3cret                | jdbc:postgresql://db:5432/holdfast?user=hf&password=***
      jdbc:postgresql://db/holdfast?password=s3cret&user=hf                     | jdbc:postgresql://db/holdfast?password=***&user=hf
      jdbc:postgresql://db/holdfast?user=hf&PASSWORD=s3cret&ssl=true            | jdbc:postgresql://db/holdfast?user=hf&PASSWORD=***&ssl=true
      jdbc:postgresql://db/holdfast?sslmode=verify-full&sslpassword=s3cret      | jdbc:postgresql://db/holdfast?sslmode=verify-full&sslpassword=***
      jdbc:postgresql://hf:s3cret@db:5432/holdfast                              | jdbc:postgresql://hf:***@db:5432/holdfast
      jdbc:postgresql://hf:s3cret@db/holdfast?password=s3cret                   | jdbc:postgresql://hf:***@db/holdfast?password=***
      jdbc:sqlserver://db;user=hf;password=s3cret;encrypt=true                  | jdbc:sqlserver://db;user=hf;password=***;encrypt=true
      jdbc:sqlite:/var/lib/holdfast/holdfast.db                                 | jdbc:sqlite:/var/lib/holdfast/holdfast.db
      jdbc:postgresql://db:5432/holdfast?user=hf                                | jdbc:postgresql://db:5432/holdfast?user=hf
      """)
  void redact_hidesThePasswordOnly(String url, String shown) {
    assertThat(JdbcUrls.redact(url)).isEqualTo(shown).doesNotContain("s3cret");
  }

  @Test
  void serverConfigText_showsNeitherTheAdminTokenNorTheDatabasePassword() {
    ServerConfig config =
        ServerConfig.builder(Path.of("data"))
            .adminToken("hfa_do-not-print-this-token")
            .jdbcUrl("jdbc:postgresql://hf:userinfo-secret@db/holdfast?password=query-secret")
            .build();

    assertThat(config.toString())
        .contains("jdbcUrl=jdbc:postgresql://hf:***@db/holdfast?password=***")
        .contains("adminToken=(redacted)")
        .doesNotContain("do-not-print")
        .doesNotContain("secret");
  }
}
