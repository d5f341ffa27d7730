package io.holdfast.server.console;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One operator's login on this replica. It holds the hash of the credential that logged in, never
 * the token, and is checked against the credentials in force on every request, so a credential that
 * is removed or rotated ends its sessions. Thread-safe.
 */
final class ConsoleSession {

  /** A one-shot message for the next page, after a redirect. */
  record Flash(boolean error, String title, String detail) {}

  private final String key;
  private final String csrfToken;
  private final String credentialHash;
  private final Instant createdAt;
  private volatile Instant lastSeen;
  private final AtomicReference<Flash> flash = new AtomicReference<>();

  /**
   * @param key the hash of the session id, under which the session is kept
   * @param csrfToken the synchronizer token every form of this session carries
   */
  ConsoleSession(String key, String csrfToken, String credentialHash, Instant createdAt) {
    this.key = key;
    this.csrfToken = csrfToken;
    this.credentialHash = credentialHash;
    this.createdAt = createdAt;
    this.lastSeen = createdAt;
  }

  String key() {
    return key;
  }

  String csrfToken() {
    return csrfToken;
  }

  String credentialHash() {
    return credentialHash;
  }

  Instant createdAt() {
    return createdAt;
  }

  Instant lastSeen() {
    return lastSeen;
  }

  void touch(Instant now) {
    lastSeen = now;
  }

  void flash(Flash message) {
    flash.set(message);
  }

  /** The pending message, removed so that it shows once. */
  Flash takeFlash() {
    return flash.getAndSet(null);
  }
}
