package io.holdfast.server.admin;

import io.helidon.common.context.Context;

/**
 * An admin or console request's place among those a replica serves at once ({@code
 * max-admin-requests}). A write gives it back once committed, before it waits for this replica to
 * serve the write ({@link ReadYourWrites}). That wait is a snapshot refresh, which the snapshot
 * holder runs one at a time and shares between every write that waits for it; holding the place
 * through it would keep the next writer from even committing, so a burst of publishes would pay for
 * one rebuild each, one after another, instead of sharing them.
 */
@FunctionalInterface
public interface AdminTurn {

  /** For a request that holds no place (none is needed, or it was never counted). */
  AdminTurn NONE = () -> {};

  /** Gives the place back; only the first call does anything. */
  void giveBack();

  /** The turn the admission filter registered in {@code requestContext}, else {@link #NONE}. */
  static AdminTurn of(Context requestContext) {
    return requestContext.get(AdminTurn.class, AdminTurn.class).orElse(NONE);
  }

  /** Registers {@code turn} in {@code requestContext}, for {@link #of}. */
  static void register(Context requestContext, AdminTurn turn) {
    requestContext.register(AdminTurn.class, turn);
  }
}
