package io.holdfast.server.model;

import java.util.Objects;

/**
 * Where a layer applies: to every instance ({@code default}), to the instances of one ring ({@code
 * ring:<name>}) or to one instance ({@code instance:<id>}). Layers merge in that order, later ones
 * patching earlier ones. Immutable.
 */
public record Scope(Kind kind, String target) {

  /** The three layer kinds, in merge order. */
  public enum Kind {
    DEFAULT,
    RING,
    INSTANCE
  }

  public static final Scope DEFAULT = new Scope(Kind.DEFAULT, "");

  public Scope {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(target, "target");
  }

  public static Scope ring(String ring) {
    return new Scope(Kind.RING, Names.require("ring", ring));
  }

  public static Scope instance(String instance) {
    return new Scope(Kind.INSTANCE, Names.require("instance id", instance));
  }

  /**
   * Parses {@code default}, {@code ring:<name>} or {@code instance:<id>}.
   *
   * @throws InvalidNameException if the text is none of those
   */
  public static Scope parse(String text) {
    if ("default".equals(text)) {
      return DEFAULT;
    }
    if (text != null && text.startsWith("ring:")) {
      return ring(text.substring(5));
    }
    if (text != null && text.startsWith("instance:")) {
      return instance(text.substring(9));
    }
    throw new InvalidNameException(
        "layer scope must be default, ring:<name> or instance:<id>; was '" + text + "'");
  }

  /** The wire and storage form. */
  public String key() {
    return switch (kind) {
      case DEFAULT -> "default";
      case RING -> "ring:" + target;
      case INSTANCE -> "instance:" + target;
    };
  }

  @Override
  public String toString() {
    return key();
  }
}
