package io.holdfast.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An application's own check of a namespace's document, for rules no signature can know: a seat
 * count that must be positive, a URL that must parse, a key the application cannot run without.
 * Registered per namespace with {@link HoldfastClient.Builder#validator}.
 *
 * <pre>{@code
 * .validator("core", content -> {
 *   if (content.path("seats").asInt(0) <= 0) {
 *     throw new DocumentRejectedException("seats must be positive");
 *   }
 * })
 * }</pre>
 *
 * <p>It is called only with documents that passed every check of the client (digest, signature by a
 * pinned key, binding to this instance and namespace, no rollback), once for each new document,
 * before that document replaces the last-known-good one. Return normally to accept it. Throw {@link
 * DocumentRejectedException} to reject it; any other {@link RuntimeException} rejects it too, with
 * the exception's message as the reason (and is logged). A rejected document is not adopted: the
 * last-known-good document stays, in memory and on disk; the namespace becomes STALE (or EXPIRED
 * once the grace period is used up) with the reason {@code rejected by the application: <reason>
 * (revision <n>)}; change listeners are not called. The same document is not downloaded again
 * before the poll interval has passed; any other document, such as a fix published as a newer
 * revision, is fetched and validated at once.
 *
 * <p>Not called for the copy loaded from the disk cache at start-up: that copy was validated when
 * it was accepted. A validator made stricter in a new release of the application therefore first
 * applies to the next document a replica serves.
 *
 * <p>Runs on the client's sync thread, one document at a time: a slow validator delays the sync of
 * every namespace, so keep it quick and free of I/O.
 */
@FunctionalInterface
public interface DocumentValidator {

  /**
   * @param content the document's content, a copy the validator may read (changing it changes
   *     nothing)
   * @throws DocumentRejectedException to reject the document, saying why
   */
  void validate(JsonNode content) throws DocumentRejectedException;
}
