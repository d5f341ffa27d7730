package io.holdfast.server.store;

import io.holdfast.server.model.Scope;
import java.util.List;

/**
 * One revision in a namespace's history.
 *
 * @param scopes the layers it changed; for a ring release, the layers the change serves that ring
 * @param rings the rings a change request reached at this revision, in rollout order: one for a
 *     ring release, every ring still waiting for a hot-fix, none for any other revision
 */
public record HistoryEntry(RevisionEntry revision, List<Scope> scopes, List<String> rings) {}
