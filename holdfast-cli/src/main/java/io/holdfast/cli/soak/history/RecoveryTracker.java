package io.holdfast.cli.soak.history;

import io.holdfast.client.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Follows the faults and the clients' statuses through a history to time each client's return to
 * FRESH after each heal. A heal is a fault's end that leaves no fault active, or the final {@link
 * Heal} while faults are still active (it clears them all); its window closes when the next fault
 * starts.
 */
final class RecoveryTracker {

  private final ClientStatuses statuses = new ClientStatuses();
  private final Set<String> activeFaults = new HashSet<>();
  private final List<HealRecovery> heals = new ArrayList<>();
  private final Map<String, Long> recovered = new TreeMap<>();
  private final Set<String> waiting = new TreeSet<>();
  // FRESH at the heal: later changes inside the window are not a recovery from this heal.
  private final Set<String> freshAtOpening = new HashSet<>();
  private long healNanos = -1;
  private boolean everHealed;

  void accept(SoakEvent event) {
    String client = statuses.accept(event);
    if (event instanceof Fault f && f.phase() == Fault.Phase.START) {
      closeWindow();
      activeFaults.add(f.id());
    } else if (event instanceof Fault f) {
      activeFaults.remove(f.id());
      if (activeFaults.isEmpty() && healNanos < 0) {
        openWindow(f.nanos());
      }
    } else if (event instanceof Heal h) {
      if (!activeFaults.isEmpty() || !everHealed) {
        activeFaults.clear();
        closeWindow();
        openWindow(h.nanos());
      }
    } else if (client != null && healNanos >= 0) {
      follow(client, event.nanos());
    }
  }

  private void openWindow(long nanos) {
    healNanos = nanos;
    everHealed = true;
    for (String client : statuses.clients()) {
      if (statuses.status(client) == Status.FRESH) {
        freshAtOpening.add(client);
      } else {
        waiting.add(client);
      }
    }
  }

  private void follow(String client, long nanos) {
    if (freshAtOpening.contains(client)) {
      return;
    }
    if (statuses.status(client) == Status.FRESH) {
      if (waiting.remove(client)) {
        recovered.put(client, nanos - healNanos);
      }
    } else if (!recovered.containsKey(client)) {
      // A client that first shows up inside the window must recover too.
      waiting.add(client);
    }
  }

  private void closeWindow() {
    if (healNanos >= 0) {
      heals.add(
          new HealRecovery(healNanos, freshAtOpening.size(), recovered, List.copyOf(waiting)));
      freshAtOpening.clear();
      recovered.clear();
      waiting.clear();
      healNanos = -1;
    }
  }

  RecoveryTimes finish() {
    closeWindow();
    return new RecoveryTimes(heals);
  }
}
