package io.holdfast.cli.soak.history;

/**
 * The final heal: the nemesis has stopped and every fault is cleared at this time. After it, every
 * replica must serve every acknowledged revision and every client must become FRESH.
 */
public record Heal(long nanos) implements SoakEvent {}
