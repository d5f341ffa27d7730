package io.holdfast.server.store;

import io.holdfast.server.model.Scope;
import java.util.List;

/** What a publish produced: the new revision and the layers it changed. */
public record PublishResult(String namespace, long revision, List<Scope> scopes) {}
