-- Sign-in security: two-factor authentication (TOTP, RFC 6238), the sign-in step that asks for its
-- code, and the browsers known to an account (device cookies).
-- An account's secret is base32 (domain::totp); a new one waits in totp_pending until the person
-- confirms it with a code. totp_last_step is the last step a code was accepted for: a code of that
-- step or an earlier one is a replay. Resetting the account clears all of it.
ALTER TABLE accounts ADD COLUMN totp_secret TEXT;
ALTER TABLE accounts ADD COLUMN totp_pending TEXT;
ALTER TABLE accounts ADD COLUMN totp_enabled_at INTEGER;
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER;

-- ten per account, shown once; only their digests are kept; each works once
CREATE TABLE recovery_codes (
  account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  digest      TEXT NOT NULL,
  used_at     INTEGER,
  PRIMARY KEY (account_id, digest)
);

-- a password that was right, waiting for its second factor: a short-lived token in its own
-- cookie (only its digest here, under its own purpose prefix), never a session
CREATE TABLE sign_in_challenges (
  digest      TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX sign_in_challenges_account ON sign_in_challenges (account_id);
CREATE INDEX sign_in_challenges_expiry ON sign_in_challenges (expires_at);

-- Browsers that signed in to an account (a long-lived __Host- cookie; only its digest here): the
-- account-wide sign-in ceiling never holds them up (see domain::throttle).
CREATE TABLE known_devices (
  digest      TEXT NOT NULL,
  account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (digest, account_id)
);
CREATE INDEX known_devices_account ON known_devices (account_id);
