package io.holdfast.cli.soak.history;

/** The properties a soak must keep, one per way of breaking them. */
public enum ViolationKind {
  ACKNOWLEDGED_NOT_SERVED(
      "every acknowledged revision is served by every replica after the final heal"),
  REVISION_WENT_BACKWARDS("no client ever sees a revision go backwards"),
  CONFLICTING_CONTENT("an equal revision has an equal content hash"),
  UNVERIFIED_ADOPTED("no client adopts anything unverified"),
  SEATS_OVER_LIMIT("never more seats than quantity plus overage"),
  SEAT_HOLDER_DENIED("no seat holder is ever denied"),
  APPLICATION_EXCEPTION("no exception reaches the application"),
  TENANT_CROSSED("no byte crosses tenants"),
  NOT_FRESH_AFTER_HEAL("every client is FRESH within the bound after the final heal"),
  INCOMPLETE_HISTORY("the history holds what the checks need (a final heal, the replicas' reads)");

  private final String rule;

  ViolationKind(String rule) {
    this.rule = rule;
  }

  /** The property, in words. */
  public String rule() {
    return rule;
  }
}
