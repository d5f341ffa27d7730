package io.holdfast.server.http;

import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.snapshot.SnapshotHolder;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.window.WindowSettings;

/**
 * What every admin endpoint needs: the store, the gate its routes are registered behind, body
 * parsing, token minting, the snapshot being served, and change windows' settings.
 */
record AdminContext(
    ConfigStore store,
    AdminGate gate,
    RequestBodies bodies,
    CredentialTokens tokens,
    SnapshotHolder snapshots,
    WindowSettings windows) {}
