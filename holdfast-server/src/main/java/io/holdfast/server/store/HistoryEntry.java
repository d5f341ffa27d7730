package io.holdfast.server.store;

import io.holdfast.server.model.Scope;
import java.util.List;

/** One revision in a namespace's history, with the layers it changed. */
public record HistoryEntry(RevisionEntry revision, List<Scope> scopes) {}
