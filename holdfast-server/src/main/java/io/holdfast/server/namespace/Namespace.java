package io.holdfast.server.namespace;

import java.time.Instant;

/** A named JSON document whose effective value each instance receives. */
public record Namespace(String name, String description, long revision, Instant createdAt) {}
