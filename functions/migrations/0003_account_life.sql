-- The account's whole life: deactivation, deletion and recovery, password resets, the audit log
-- as a page. Append-only from here on, as every migration.

-- Deleted accounts leave `accounts` (and with it every list, counter, search row, session, pending
-- link and the unique username and e-mail, so the address can be invited again at once) and wait
-- here for the recovery window; the cron purges them afterwards. `account` is the accounts row as
-- JSON (the worker's one column list writes and restores it), `access_list` its explicit client
-- access, `was` what a recovery returns to (domain::lifecycle::Recovered).
CREATE TABLE deleted_accounts (
  id           TEXT PRIMARY KEY,
  client_id    TEXT NOT NULL,
  company_id   TEXT NOT NULL,
  was          TEXT NOT NULL,
  account      TEXT NOT NULL,
  access_list  TEXT NOT NULL DEFAULT '[]',
  deleted_at   INTEGER NOT NULL,
  purge_at     INTEGER NOT NULL,
  deleted_by   TEXT
);
CREATE INDEX deleted_accounts_purge ON deleted_accounts (purge_at);
CREATE INDEX deleted_accounts_client ON deleted_accounts (client_id, deleted_at DESC, id DESC);

-- The links of a deleted account, so that opening one says why it no longer works (the rows they
-- belonged to are gone); dropped by the cron once the link would have run out anyway.
CREATE TABLE dead_links (
  token_digest  TEXT PRIMARY KEY,
  account_id    TEXT NOT NULL,
  reason        TEXT NOT NULL,
  expires_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX dead_links_expiry ON dead_links (expires_at);
CREATE INDEX dead_links_account ON dead_links (account_id);

-- Password-reset links: typed apart from invitations by their own table and a purpose-separated
-- digest (domain::token), at most one pending per account (a new one replaces it).
CREATE TABLE password_resets (
  id            TEXT PRIMARY KEY,
  account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  token_digest  TEXT NOT NULL UNIQUE,
  state         TEXT NOT NULL,          -- pending | used | replaced | revoked
  requested_by  TEXT,                   -- the admin; NULL when the person asked ("forgot")
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  ended_at      INTEGER
);
CREATE UNIQUE INDEX password_resets_one_pending ON password_resets (account_id) WHERE state = 'pending';
CREATE INDEX password_resets_pending_expiry ON password_resets (expires_at) WHERE state = 'pending';

-- Deactivated accounts by the time they were switched off, per client: the automatic deletion's
-- work list (a range per client, however many accounts it has).
CREATE INDEX accounts_deactivated ON accounts (client_id, deactivated_at) WHERE status = 'deactivated';

-- The audit log as a page: the browser, and what changed (JSON before → after).
ALTER TABLE audit_events ADD COLUMN user_agent TEXT;
ALTER TABLE audit_events ADD COLUMN detail TEXT;
-- keyset pages in (created_at, id) order, whole client or by actor, action or account
DROP INDEX audit_events_client;
CREATE INDEX audit_events_client ON audit_events (client_id, created_at DESC, id DESC);
CREATE INDEX audit_events_actor ON audit_events (client_id, actor_id, created_at DESC, id DESC);
CREATE INDEX audit_events_action ON audit_events (client_id, action, created_at DESC, id DESC);
CREATE INDEX audit_events_subject ON audit_events (subject_id, created_at DESC, id DESC)
  WHERE subject_id IS NOT NULL;
-- the retention job's range
CREATE INDEX audit_events_age ON audit_events (created_at);

-- A compare-and-swap that lost aborts its whole batch (a D1 batch is one transaction): the
-- statement right after a swap inserts here when the swap changed no row, and the trigger raises.
-- So the follow-up statements of a batch (sessions ended, audit event, notice) never run for the
-- loser, whatever instant both requests saw. See store::Store::lost_swap_aborts.
CREATE TABLE swap_misses (reason TEXT NOT NULL);
CREATE TRIGGER swap_misses_abort BEFORE INSERT ON swap_misses
BEGIN
  SELECT RAISE(ABORT, 'gatehouse: compare-and-swap lost');
END;
