package io.holdfast.server.keyset;

/**
 * What a publish did.
 *
 * @param version the version of the key set published
 * @param created whether it was stored now; {@code false} when the newest stored key set already
 *     was these very bytes (a retried publish)
 */
public record KeySetPublication(long version, boolean created) {}
