-- Gatehouse schema (the one-time tenancy reset; from here on migrations are append-only).
-- Times are milliseconds since the Unix epoch (UTC). Ids are UUID text. Names of roles, states and
-- permissions are data, checked by `domain`, never by a CHECK list here. Every list has an index that
-- serves its keyset order, so no query scans a tenant.

-- The client tree. A company is its tree's top client (company_id = id). `path` is the materialised
-- path: the ids from the company down to the client, each followed by '/', so "X is inside Y's
-- subtree" is `X.path` starting with `Y.path`, a range over the `clients_path` index.
CREATE TABLE clients (
  id          TEXT PRIMARY KEY,
  company_id  TEXT NOT NULL,
  client_id   TEXT NOT NULL UNIQUE,            -- what people type at sign-in, lowercase
  name        TEXT NOT NULL,
  parent_id   TEXT REFERENCES clients(id),     -- NULL for a company
  path        TEXT NOT NULL UNIQUE,
  is_sender   INTEGER NOT NULL DEFAULT 1,      -- only sender clients hold accounts
  active      INTEGER NOT NULL DEFAULT 1,      -- a deactivated client's accounts (and those below) cannot sign in
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX clients_company ON clients (company_id, path);
-- the few deactivated clients of a company, for the sign-in check
CREATE INDEX clients_inactive ON clients (company_id, path) WHERE active = 0;

-- Per-client settings; NULL means "inherit from the parent" (resolved by domain::settings::resolve).
CREATE TABLE client_settings (
  client_id               TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
  invitation_ttl_seconds  INTEGER,
  reset_ttl_seconds       INTEGER,
  password_preset         TEXT,
  password_min_length     INTEGER,
  username_format         TEXT,
  default_role_id         TEXT,
  language                TEXT,
  deletion_after_days     INTEGER,
  updated_at              INTEGER NOT NULL
);

-- Roles are rows of a company: two built in ('admin', 'user'), any number custom.
-- `permissions` holds permission names separated by spaces; names unknown to the code are ignored.
CREATE TABLE roles (
  id           TEXT PRIMARY KEY,
  company_id   TEXT NOT NULL REFERENCES clients(id),
  name         TEXT NOT NULL,
  builtin      TEXT,
  permissions  TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX roles_name ON roles (company_id, name COLLATE NOCASE);
CREATE UNIQUE INDEX roles_builtin ON roles (company_id, builtin) WHERE builtin IS NOT NULL;

CREATE TABLE accounts (
  id                 TEXT PRIMARY KEY,
  client_id          TEXT NOT NULL REFERENCES clients(id),
  company_id         TEXT NOT NULL,
  username           TEXT NOT NULL,
  email              TEXT NOT NULL,
  first_name         TEXT NOT NULL,
  surname            TEXT NOT NULL,
  role_id            TEXT NOT NULL REFERENCES roles(id),
  extra_permissions  TEXT NOT NULL DEFAULT '',
  access_all         INTEGER NOT NULL DEFAULT 1,   -- 1: home client and below; 0: the rows of account_clients
  default_client_id  TEXT REFERENCES clients(id),
  status             TEXT NOT NULL,
  password_hash      TEXT,
  language           TEXT NOT NULL DEFAULT 'en',
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  deactivated_at     INTEGER,
  deleted_at         INTEGER
);
CREATE UNIQUE INDEX accounts_username ON accounts (client_id, username);
CREATE UNIQUE INDEX accounts_email ON accounts (client_id, email);
CREATE INDEX accounts_newest ON accounts (client_id, created_at DESC, id DESC);
CREATE INDEX accounts_status_newest ON accounts (client_id, status, created_at DESC, id DESC);
-- "is there another active admin", "is this role in use"
CREATE INDEX accounts_company_role ON accounts (company_id, role_id, status);

-- explicit client access (only read when accounts.access_all = 0)
CREATE TABLE account_clients (
  account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  client_id   TEXT NOT NULL REFERENCES clients(id),
  PRIMARY KEY (account_id, client_id)
) WITHOUT ROWID;
CREATE INDEX account_clients_client ON account_clients (client_id);

CREATE TABLE invitations (
  id            TEXT PRIMARY KEY,
  account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  client_id     TEXT NOT NULL REFERENCES clients(id),
  email         TEXT NOT NULL,
  token_digest  TEXT NOT NULL UNIQUE,          -- SHA-256 of the link's token; the token itself is never stored
  state         TEXT NOT NULL,                 -- domain::InvitationState
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
  token_digest      TEXT PRIMARY KEY,           -- SHA-256 of the cookie's token
  id                TEXT NOT NULL UNIQUE,       -- shown in session lists; never the token
  account_id        TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  active_client_id  TEXT NOT NULL REFERENCES clients(id),
  created_at        INTEGER NOT NULL,
  last_seen_at      INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL,
  ip                TEXT,
  user_agent        TEXT
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
  status           TEXT NOT NULL DEFAULT 'pending',
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
