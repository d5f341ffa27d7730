package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code holdfast soak} refuses bad options before it starts anything. */
class SoakCommandTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--store=mysql|--store must be sqlite or postgres, was mysql",
        "--duration=3 minutes|--duration must be a duration",
        "--duration=0s|--duration must be positive",
        "--replicas=1|--replicas must be 2 to 9, was 1",
        "--clients=1|--clients must be 2 to 64, was 1",
        "--jdbc-url=jdbc:sqlite:x.db|--jdbc-url must be a jdbc:postgresql: URL"
      })
  void soak_badOption_namesItOnStderr_exits2_withoutAStackTrace(String option, String message) {
    CliRun run = CliRun.raw("soak", option);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: ").contains(message).doesNotContain("Exception");
    assertThat(run.out()).isEmpty();
  }
}
