package io.holdfast.cli.soak.history;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One thing that happened during a soak, as the runner recorded it. A soak's {@link History} is the
 * sequence of these in the order they were recorded, which is also the order of {@link #nanos()}:
 * the {@link HistoryRecorder} stamps the time and appends under one lock.
 *
 * <p>Each event is one JSON object on one line of a history file, its kind in the {@code type}
 * member. The names below are the file format: new kinds and new members may be added, none is
 * renamed.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SoakHeader.class, name = "header"),
  @JsonSubTypes.Type(value = Published.class, name = "published"),
  @JsonSubTypes.Type(value = PublishIndeterminate.class, name = "publish-indeterminate"),
  @JsonSubTypes.Type(value = SubscriptionChanged.class, name = "subscription-changed"),
  @JsonSubTypes.Type(value = ClientStarted.class, name = "client-started"),
  @JsonSubTypes.Type(value = Observed.class, name = "observed"),
  @JsonSubTypes.Type(value = Decision.class, name = "decision"),
  @JsonSubTypes.Type(value = SeatCount.class, name = "seat-count"),
  @JsonSubTypes.Type(value = ApplicationError.class, name = "application-error"),
  @JsonSubTypes.Type(value = StatusChange.class, name = "status-change"),
  @JsonSubTypes.Type(value = Fault.class, name = "fault"),
  @JsonSubTypes.Type(value = Heal.class, name = "heal"),
  @JsonSubTypes.Type(value = Served.class, name = "served")
})
public sealed interface SoakEvent
    permits SoakHeader,
        Published,
        PublishIndeterminate,
        SubscriptionChanged,
        ClientStarted,
        Observed,
        Decision,
        SeatCount,
        ApplicationError,
        StatusChange,
        Fault,
        Heal,
        Served {

  /** Monotonic nanoseconds since the soak started (its {@link SoakHeader} is at 0). */
  long nanos();
}
