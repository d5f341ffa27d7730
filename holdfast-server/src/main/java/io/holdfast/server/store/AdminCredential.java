package io.holdfast.server.store;

import io.holdfast.server.model.Role;
import java.time.Instant;

/** A named admin credential with its role. Only the token's hash is kept. */
public record AdminCredential(String name, Role role, String tokenHash, Instant createdAt) {}
