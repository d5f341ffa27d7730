-- Admin credentials get a lifecycle: an optional expiry, revocation (the row stays, so that a
-- revoked token is recognised and named in the audit log), the time of last use (written at most
-- once a minute per replica and credential, never with a revision), and, for the bootstrap
-- credential, the hash of the configured token it was last set from: a restart with the same
-- configured token leaves a rotated, demoted or revoked bootstrap credential as it is.
ALTER TABLE admin_credentials ADD COLUMN expires_at TEXT;
ALTER TABLE admin_credentials ADD COLUMN revoked_at TEXT;
ALTER TABLE admin_credentials ADD COLUMN last_used_at TEXT;
ALTER TABLE admin_credentials ADD COLUMN configured_hash TEXT;

UPDATE admin_credentials SET configured_hash = token_hash WHERE name = 'bootstrap';
