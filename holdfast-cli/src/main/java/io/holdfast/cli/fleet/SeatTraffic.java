package io.holdfast.cli.fleet;

import io.holdfast.client.seats.Admission;
import java.util.concurrent.atomic.AtomicLong;

/** The fleet's running totals of logins and of exceptions in its application loop. Thread-safe. */
final class SeatTraffic {

  private final AtomicLong admissions = new AtomicLong();
  private final AtomicLong denied = new AtomicLong();
  private final AtomicLong holdersDenied = new AtomicLong();
  private final AtomicLong applicationErrors = new AtomicLong();

  /**
   * Counts one login. A holder turned away because the held document suspends or cancels the
   * subscription is a denial, but not a holder denied: that is the vendor's decision, which the
   * checker must honour, not a failure of the client.
   */
  void record(Admission admission, boolean heldASeat) {
    if (admission.admitted()) {
      admissions.incrementAndGet();
      return;
    }
    denied.incrementAndGet();
    if (heldASeat && admission.outcome() != Admission.Outcome.DENIED_NOT_SUBSCRIBED) {
      holdersDenied.incrementAndGet();
    }
  }

  void applicationError() {
    applicationErrors.incrementAndGet();
  }

  long admissions() {
    return admissions.get();
  }

  long denied() {
    return denied.get();
  }

  long holdersDenied() {
    return holdersDenied.get();
  }

  long applicationErrors() {
    return applicationErrors.get();
  }
}
