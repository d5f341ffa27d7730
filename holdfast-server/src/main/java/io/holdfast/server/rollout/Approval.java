package io.holdfast.server.rollout;

import java.time.Instant;

/** One approver's approval of a change. */
public record Approval(String approver, String comment, Instant approvedAt) {}
