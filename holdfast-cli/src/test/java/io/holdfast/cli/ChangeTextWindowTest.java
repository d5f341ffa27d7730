package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** How {@code holdfast change status} prints a ring's progress through its change windows. */
class ChangeTextWindowTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aRingWithInstancesWaiting_showsTheNextOpeningInTheCustomersZoneAndTheOperators()
      throws Exception {
    String text =
        ChangeText.window(
            JSON.readTree(
                """
                {"ring":"live","instances":3,"received":1,"waiting":2,
                 "nextOpening":{"at":"2027-03-09T00:00:00Z","instance":"nyc",
                                "zone":"America/New_York","local":"2027-03-08T19:00"}}
                """),
            ZoneId.of("Asia/Tokyo"));

    assertThat(text)
        .isEqualTo(
            "ring live: 1 of 3 instances have it, 2 wait for their window; next opens"
                + " 2027-03-09T00:00:00Z for nyc (2027-03-08T19:00 in America/New_York;"
                + " 2027-03-09T09:00 here, Asia/Tokyo)");
  }

  @Test
  void aRingWhereEveryInstanceHasTheChange_saysSo_withoutAnOpening() throws Exception {
    String text =
        ChangeText.window(
            JSON.readTree("{\"ring\":\"test\",\"instances\":2,\"received\":2,\"waiting\":0}"),
            ZoneId.of("UTC"));

    assertThat(text).isEqualTo("ring test: 2 of 2 instances have it, 0 wait for their window");
  }
}
