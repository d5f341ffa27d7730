package io.holdfast.cli.soak;

import io.holdfast.cli.AdminClient;

/**
 * How a failed admin write is counted: a refusal below 500 changed nothing; a 5xx or a broken
 * connection may have taken effect, so the write is indeterminate.
 */
final class AdminOutcome {

  private AdminOutcome() {}

  static boolean indeterminate(RuntimeException failure) {
    if (failure instanceof AdminClient.RefusedException refused) {
      return refused.status() >= 500;
    }
    return true;
  }
}
