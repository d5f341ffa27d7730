package io.holdfast.cli.soak.history;

import io.holdfast.client.Status;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Each client's overall status as the history tells it: {@link Status#INITIALIZING} from its first
 * event and after each restart, then what its {@link StatusChange}s say.
 */
final class ClientStatuses {

  private final Map<String, Status> statuses = new TreeMap<>();

  /**
   * Updates from the event.
   *
   * @return the client the event is about, or {@code null} if it is about none
   */
  String accept(SoakEvent event) {
    String client =
        switch (event) {
          case ClientStarted c -> {
            statuses.put(c.client(), Status.INITIALIZING);
            yield c.client();
          }
          case StatusChange s -> {
            statuses.put(s.client(), s.status());
            yield s.client();
          }
          case Observed o -> o.client();
          case Decision d -> d.client();
          case ApplicationError e -> e.client();
          default -> null;
        };
    if (client != null) {
      statuses.putIfAbsent(client, Status.INITIALIZING);
    }
    return client;
  }

  Status status(String client) {
    return statuses.getOrDefault(client, Status.INITIALIZING);
  }

  /** Every client seen so far, by name. */
  Set<String> clients() {
    return statuses.keySet();
  }
}
