package io.holdfast.cli.fleet;

/**
 * A fleet at one moment: how many members are in each status, and the seat traffic so far.
 *
 * <p>A member's status is the worst of its namespaces' (see {@link SimulatedFleet}); {@code
 * unstarted} counts members with a namespace that holds no document yet (INITIALIZING).
 *
 * @param members how many members the fleet runs
 * @param fresh members whose every namespace is FRESH
 * @param stale members serving a last-known-good copy of some namespace, inside its grace period
 * @param expired members with a namespace whose grace period is used up
 * @param unstarted members with a namespace that holds no document yet
 * @param admissions logins admitted since the start (a holder's login included)
 * @param denied logins denied since the start, of any kind, holders' included
 * @param holdersDenied logins denied to a user who held a seat (the subset of {@code denied} that
 *     must stay 0)
 * @param applicationErrors exceptions that reached the simulated application's loop
 */
public record FleetView(
    int members,
    int fresh,
    int stale,
    int expired,
    int unstarted,
    long admissions,
    long denied,
    long holdersDenied,
    long applicationErrors) {

  /** Whether every member is FRESH. */
  public boolean allFresh() {
    return members > 0 && fresh == members;
  }
}
