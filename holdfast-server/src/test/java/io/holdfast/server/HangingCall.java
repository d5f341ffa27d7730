package io.holdfast.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;

/**
 * A real component wrapped so that calls of one method hang until the test lets them go: a database
 * call that does not answer, at a chosen step. {@link #entered} opens when the first such call is
 * waiting; {@link #release()} lets every call through, now and later. A proxy rather than a
 * hand-written wrapper, so that it follows the interface as it changes.
 */
public final class HangingCall {

  private final String method;
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  public HangingCall(String method) {
    this.method = method;
  }

  /** {@code delegate}, with calls of the method named at construction hanging until released. */
  public <T> T around(Class<T> type, T delegate) {
    Object proxy =
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, called, args) -> {
              if (called.getName().equals(method)) {
                entered.countDown();
                released.await();
              }
              try {
                return called.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
    return type.cast(proxy);
  }

  /** Waits until a call of the method is hanging. */
  public void awaitEntered() throws InterruptedException {
    entered.await();
  }

  /** Lets every hanging call, and every later one, through. */
  public void release() {
    released.countDown();
  }

  /**
   * Waits until {@code thread} stops running and returns its state: {@code WAITING} when it parks
   * on a lock, {@code BLOCKED} when it waits for a monitor (which pins a virtual thread's carrier
   * on JDK 21 to 23). Spins rather than sleeps: the wait is a few microseconds.
   */
  public static Thread.State awaitStopped(Thread thread) {
    Thread.State state;
    while ((state = thread.getState()) == Thread.State.RUNNABLE || state == Thread.State.NEW) {
      Thread.onSpinWait();
    }
    return state;
  }
}
