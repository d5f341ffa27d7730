package io.holdfast.server.console;

import io.holdfast.server.auth.CredentialTokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The console sessions of this replica, in memory: a login on one replica is unknown to the others,
 * so a load balancer in front of several replicas must keep an operator on one (sticky sessions),
 * and a restart logs everyone out. That keeps replicas stateless towards the store, as the rest of
 * the design wants.
 *
 * <p>Session ids are 256 random bits. Sessions are kept under the SHA-256 of their id, so a heap
 * dump does not hand out live cookies. A session ends when idle for {@link
 * ConsoleSettings#idleTimeout()}, {@link ConsoleSettings#maxLifetime()} after login, or at logout.
 * Expiry is judged when a session is read, by the injected clock.
 *
 * <p>Thread-safe. Only {@link #create} adds sessions, and creates are serialised by {@code
 * creating}, so making room and adding are one step: concurrent logins never take the count past
 * {@link ConsoleSettings#maxSessions()} (reads and removals need no lock, they only shrink it). A
 * {@link ReentrantLock}, not a monitor: logins run on virtual threads.
 */
final class ConsoleSessions {

  /** A session just created, with the id for its cookie: the only time the id is known. */
  record Created(String id, ConsoleSession session) {}

  private final ConsoleSettings settings;
  private final Clock clock;
  private final SecureRandom random;
  private final Map<String, ConsoleSession> sessions = new ConcurrentHashMap<>();
  private final ReentrantLock creating = new ReentrantLock();

  ConsoleSessions(ConsoleSettings settings, Clock clock, SecureRandom random) {
    this.settings = settings;
    this.clock = clock;
    this.random = random;
  }

  Created create(String credentialHash) {
    Instant now = clock.instant();
    String id = randomToken();
    ConsoleSession session =
        new ConsoleSession(CredentialTokens.hash(id), randomToken(), credentialHash, now);
    creating.lock();
    try {
      if (sessions.size() >= settings.maxSessions()) {
        makeRoom(now);
      }
      sessions.put(session.key(), session);
    } finally {
      creating.unlock();
    }
    return new Created(id, session);
  }

  /** The live session with this id, marked as used now; empty if there is none or it expired. */
  Optional<ConsoleSession> find(String id) {
    return find(id, true);
  }

  /**
   * The live session with this id; empty if there is none or it expired. {@code touch} says whether
   * this counts as use: a page's own polling for live fragments does not, or a console left open on
   * a desk would never reach its idle timeout.
   */
  Optional<ConsoleSession> find(String id, boolean touch) {
    if (id == null || id.isEmpty() || id.length() > 100) {
      return Optional.empty();
    }
    ConsoleSession session = sessions.get(CredentialTokens.hash(id));
    if (session == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (expired(session, now)) {
      sessions.remove(session.key(), session);
      return Optional.empty();
    }
    if (touch) {
      session.touch(now);
    }
    return Optional.of(session);
  }

  void end(ConsoleSession session) {
    sessions.remove(session.key(), session);
  }

  int size() {
    return sessions.size();
  }

  private boolean expired(ConsoleSession session, Instant now) {
    return !now.isBefore(session.lastSeen().plus(settings.idleTimeout()))
        || !now.isBefore(session.createdAt().plus(settings.maxLifetime()));
  }

  /**
   * Drops expired sessions, then, if still full, the least recently used one; under {@code
   * creating}.
   */
  private void makeRoom(Instant now) {
    sessions.values().removeIf(s -> expired(s, now));
    while (sessions.size() >= settings.maxSessions()) {
      sessions.values().stream()
          .min(Comparator.comparing(ConsoleSession::lastSeen))
          .ifPresent(oldest -> sessions.remove(oldest.key(), oldest));
    }
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
