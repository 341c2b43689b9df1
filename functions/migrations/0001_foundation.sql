-- Gatehouse foundation: clients, their settings, accounts, invitations, sessions, mail outbox, audit log.
-- Times are milliseconds since the Unix epoch (UTC). Ids are UUID text. Every list has an index that
-- serves its keyset order, so no query scans a tenant.

CREATE TABLE clients (
  id          TEXT PRIMARY KEY,
  client_id   TEXT NOT NULL UNIQUE,            -- what people type at sign-in, lowercase
  name        TEXT NOT NULL,
  parent_id   TEXT REFERENCES clients(id),     -- the client tree; NULL for a company's main client
  is_sender   INTEGER NOT NULL DEFAULT 1,      -- accounts can only be created in sender clients
  created_at  INTEGER NOT NULL
);

CREATE TABLE client_settings (
  client_id                TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
  invitation_ttl_seconds   INTEGER NOT NULL DEFAULT 1814400 CHECK (invitation_ttl_seconds > 0), -- 21 days
  reset_ttl_seconds        INTEGER NOT NULL DEFAULT 86400 CHECK (reset_ttl_seconds > 0),        -- 24 hours
  username_format          TEXT NOT NULL DEFAULT 'first.last',
  password_policy          TEXT NOT NULL DEFAULT 'default',
  language                 TEXT NOT NULL DEFAULT 'en'
);

CREATE TABLE accounts (
  id             TEXT PRIMARY KEY,
  client_id      TEXT NOT NULL REFERENCES clients(id),
  username       TEXT NOT NULL,
  email          TEXT NOT NULL,
  first_name     TEXT NOT NULL,
  surname        TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('admin', 'user')),
  status         TEXT NOT NULL CHECK (status IN ('invited', 'accepted', 'deactivated')),
  password_hash  TEXT,
  language       TEXT NOT NULL DEFAULT 'en',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX accounts_username ON accounts (client_id, username);
CREATE UNIQUE INDEX accounts_email ON accounts (client_id, email);
CREATE INDEX accounts_newest ON accounts (client_id, created_at DESC, id DESC);
CREATE INDEX accounts_status_newest ON accounts (client_id, status, created_at DESC, id DESC);

CREATE TABLE invitations (
  id            TEXT PRIMARY KEY,
  account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  client_id     TEXT NOT NULL REFERENCES clients(id),
  email         TEXT NOT NULL,
  token_digest  TEXT NOT NULL UNIQUE,          -- SHA-256 of the link's token; the token itself is never stored
  state         TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'cancelled', 'replaced')),
  invited_by    TEXT REFERENCES accounts(id),
  message       TEXT,
  language      TEXT NOT NULL DEFAULT 'en',
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  ended_at      INTEGER                         -- when it left 'pending'
);
-- at most one pending invitation per e-mail per client (inviting again is a resend)
CREATE UNIQUE INDEX invitations_one_pending ON invitations (client_id, email) WHERE state = 'pending';
CREATE INDEX invitations_account ON invitations (account_id, state);

CREATE TABLE sessions (
  token_digest  TEXT PRIMARY KEY,               -- SHA-256 of the cookie's token
  account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Mail is written here in the same batch as the change that causes it, then delivered with retries.
-- After delivery the bodies (which may carry a link's token) are cleared, except in the local dev outbox.
CREATE TABLE outbox (
  id               TEXT PRIMARY KEY,
  client_id        TEXT REFERENCES clients(id),
  kind             TEXT NOT NULL,
  recipient        TEXT NOT NULL,
  subject          TEXT NOT NULL,
  body_text        TEXT NOT NULL,
  body_html        TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  sent_at          INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_newest ON outbox (created_at DESC);

CREATE TABLE audit_events (
  id          TEXT PRIMARY KEY,
  client_id   TEXT,
  actor_id    TEXT,
  action      TEXT NOT NULL,
  subject_id  TEXT,
  ip          TEXT,
  created_at  INTEGER NOT NULL
);
CREATE INDEX audit_events_client ON audit_events (client_id, created_at DESC);

-- sign-in attempts since the last success per typed client ID + username (also for names that do
-- not exist), counted before the password is checked; read and written on the primary only
CREATE TABLE sign_in_attempts (
  key           TEXT PRIMARY KEY,
  window_start  INTEGER NOT NULL,
  attempts      INTEGER NOT NULL
);
CREATE INDEX sign_in_attempts_window ON sign_in_attempts (window_start);
