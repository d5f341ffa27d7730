package io.holdfast.server.instance;

import java.time.Instant;
import java.util.Map;

/**
 * One customer deployment. Only the hash of its credential is stored. The assignment revision moves
 * when the instance's documents change without a layer publish (a move to another ring), so that
 * its effective revision still goes up.
 */
public record Instance(
    String id,
    String ring,
    Map<String, String> labels,
    String credentialHash,
    long assignmentRevision,
    Instant createdAt,
    Instant updatedAt) {}
