package io.holdfast.client.internal;

import io.holdfast.client.DocumentRejectedException;
import io.holdfast.client.DocumentValidator;
import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * The application's document validators, by namespace, each call fenced: a validator that throws
 * rejects the document, it never ends the sync loop. Immutable; the validators are called on the
 * sync loop's thread only.
 */
final class Validators {

  private final Map<String, DocumentValidator> byNamespace;
  private final System.Logger log;

  Validators(Map<String, DocumentValidator> byNamespace, System.Logger log) {
    this.byNamespace = Map.copyOf(byNamespace);
    this.log = log;
  }

  /**
   * Asks the namespace's validator, if it has one, about a document that passed every other check.
   *
   * @return why the application rejected it, or {@code null} if it accepts it
   */
  String rejection(String namespace, VerifiedDocument document) {
    DocumentValidator validator = byNamespace.get(namespace);
    if (validator == null) {
      return null;
    }
    String reason;
    try {
      // A copy: the validator must not be able to change what will be served.
      validator.validate(document.envelope().content().deepCopy());
      return null;
    } catch (DocumentRejectedException e) {
      reason = e.getMessage();
    } catch (RuntimeException e) {
      // Documented as a rejection; logged with its trace, as it is more likely a bug than a
      // verdict.
      log.log(
          Level.WARNING,
          "the validator of namespace "
              + namespace
              + " threw on revision "
              + document.revision()
              + "; the document counts as rejected",
          e);
      reason = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }
    return "rejected by the application: " + reason + " (revision " + document.revision() + ")";
  }
}
