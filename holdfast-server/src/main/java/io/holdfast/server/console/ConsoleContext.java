package io.holdfast.server.console;

import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.admin.NamespaceService;
import io.holdfast.server.admin.ReadYourWrites;
import io.holdfast.server.auth.Authenticator;
import io.holdfast.server.fleet.Fleet;
import io.holdfast.server.probe.ReplicaProbe;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.rollout.Changes;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.SnapshotHolder;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.upgrade.ReplicaVersion;
import io.holdfast.server.window.WindowSettings;
import java.time.Clock;

/**
 * What the console's pages share: the same services the admin API calls (so a console action is
 * authorised, validated and audited exactly as the API call is), the JSON limits of request bodies,
 * and what runs after a write so this replica shows its own write at once (the console's wrappers
 * run it, as the API's gate does).
 */
record ConsoleContext(
    ConfigStore store,
    SnapshotHolder snapshots,
    Changes changes,
    NamespaceService namespaces,
    WindowSettings windows,
    Fleet fleet,
    ReplicaProbe probe,
    ReplicaVersion version,
    Clock clock,
    StrictJson json,
    ReadYourWrites writes,
    Authenticator authenticator) {

  /** The snapshot being served; 503 before the first load, as in the API. */
  EffectiveSnapshot snapshot() {
    EffectiveSnapshot snapshot = snapshots.current();
    if (snapshot == null) {
      throw new ProblemException(
          ProblemType.NOT_READY, "this replica has not loaded its first snapshot yet");
    }
    return snapshot;
  }
}
