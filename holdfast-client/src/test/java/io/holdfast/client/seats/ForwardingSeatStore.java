package io.holdfast.client.seats;

import java.util.Map;

/** A store that forwards every call, for tests to override the ones they break. */
class ForwardingSeatStore implements SeatStore {

  private final SeatStore delegate;

  ForwardingSeatStore(SeatStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public boolean holds(String application, String user) {
    return delegate.holds(application, user);
  }

  @Override
  public Assignment tryAssign(String application, String user, long limit) {
    return delegate.tryAssign(application, user, limit);
  }

  @Override
  public boolean release(String application, String user) {
    return delegate.release(application, user);
  }

  @Override
  public long count(String application) {
    return delegate.count(application);
  }

  @Override
  public Map<String, Long> counts() {
    return delegate.counts();
  }
}
