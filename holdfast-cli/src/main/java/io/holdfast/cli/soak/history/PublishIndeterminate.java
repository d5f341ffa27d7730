package io.holdfast.cli.soak.history;

import java.util.Objects;

/**
 * A write whose outcome is unknown: the admin API timed out, failed with 5xx or the connection
 * broke after the request was sent. It may have taken effect, so the checker does not count a
 * revision of this instance and namespace that was never acknowledged as adopted from nowhere. (It
 * still checks the content's {@link ContentStamp} and that revisions never go backwards.)
 *
 * @param seq the {@code seq} the publisher tried to write, or {@code null}
 * @param detail what happened, in words
 */
public record PublishIndeterminate(
    long nanos, String publisher, String instance, String namespace, Long seq, String detail)
    implements SoakEvent {

  public PublishIndeterminate {
    Objects.requireNonNull(publisher, "publisher");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(detail, "detail");
  }
}
