package io.holdfast.cli.soak.history;

import java.util.List;

/**
 * No byte crosses tenants: the {@code owner} of every document a client of an instance holds, and
 * of every document a replica serves for an instance, is that instance.
 */
final class TenantCheck implements HistoryCheck {

  @Override
  public void accept(SoakEvent event, Violations violations) {
    if (event instanceof Observed o
        && o.stamp() != null
        && !o.stamp().owner().equals(o.instance())) {
      violations.reportOnce(
          ViolationKind.TENANT_CROSSED,
          List.of(o.client(), o.namespace(), o.revision()),
          o.nanos(),
          o.client(),
          "%s of %s held a %s document owned by %s (revision %d)"
              .formatted(o.client(), o.instance(), o.namespace(), o.stamp().owner(), o.revision()));
    } else if (event instanceof Served s
        && s.stamp() != null
        && !s.stamp().owner().equals(s.instance())) {
      violations.report(
          ViolationKind.TENANT_CROSSED,
          s.nanos(),
          s.replica(),
          "%s serves %s a %s document owned by %s"
              .formatted(s.replica(), s.instance(), s.namespace(), s.stamp().owner()));
    }
  }

  @Override
  public void finish(long endNanos, Violations violations) {
    // Judged as the events come.
  }
}
