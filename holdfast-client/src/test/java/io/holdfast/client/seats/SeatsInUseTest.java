package io.holdfast.client.seats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SeatsInUseTest {

  /** A store whose database can be taken down and brought back. */
  private static final class FlakyStore extends ForwardingSeatStore {
    volatile boolean down;

    FlakyStore(SeatStore delegate) {
      super(delegate);
    }

    @Override
    public Map<String, Long> counts() {
      if (down) {
        throw new SeatStoreException(
            "database down", new java.sql.SQLException("connection refused"));
      }
      return super.counts();
    }
  }

  @Test
  void reportsTheStoresCounts_noFiguresWhileItFails_andTheCountsAgainAfter() {
    InMemorySeatStore memory = new InMemorySeatStore();
    memory.tryAssign("crm", "ann", 5);
    FlakyStore store = new FlakyStore(memory);
    SeatsInUse seatsInUse = new SeatsInUse(store);
    assertThat(seatsInUse.get()).isEqualTo(Map.of("crm", 1L));
    store.down = true;
    assertThat(seatsInUse.get()).isEmpty();
    assertThat(seatsInUse.get()).isEmpty();
    store.down = false;
    assertThat(seatsInUse.get()).isEqualTo(Map.of("crm", 1L));
  }
}
