package io.holdfast.server.store;

import io.holdfast.server.namespace.LayerVersion;

/**
 * A layer a rolling-out change serves to the instances of one ring it has reached, in place of the
 * published one. {@code layer.revision()} is the revision of the ring's release.
 */
public record RingLayer(String ring, LayerVersion layer) {}
