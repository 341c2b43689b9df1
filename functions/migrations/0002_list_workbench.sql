-- The users list as a workbench: search, counts, sorting by name, filters by invitation expiry.
-- Append-only from here on. Counters and search rows are kept by triggers, so every write path
-- (the worker, seeds, an operator's SQL) keeps them exact in the same transaction as the change.

-- What the worker computes for an account (domain::search): the folded "surname first" it sorts
-- by, and its search terms as JSON `[[term, shared], …]`; and the expiry of its pending
-- invitation (kept by the invitation triggers below), which the expiry filters are served by.
ALTER TABLE accounts ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN search_terms TEXT NOT NULL DEFAULT '[]';
ALTER TABLE accounts ADD COLUMN invite_expires_at INTEGER;

CREATE INDEX accounts_name ON accounts (client_id, sort_name, id);
CREATE INDEX accounts_status_name ON accounts (client_id, status, sort_name, id);
CREATE INDEX accounts_invite_expiry ON accounts (client_id, invite_expires_at, id)
  WHERE invite_expires_at IS NOT NULL;
-- who invited whom; also what SQLite's foreign-key check of invitations.invited_by reads when an
-- account is inserted or deleted (without it, that check scans every invitation)
CREATE INDEX invitations_invited_by ON invitations (invited_by);
-- accounts whose terms were written before this migration: the reindex job's work list
CREATE INDEX accounts_unindexed ON accounts (id) WHERE search_terms = '[]';

-- One row per search term of an account. A search is a range `term >= q AND term < q || U+10FFFF`
-- over (client, term); `shared < length(q)` keeps the first term of each account that matches,
-- read from the index entry itself. The status copy serves search within a status filter.
CREATE TABLE account_terms (
  account_id  TEXT NOT NULL,
  term        TEXT NOT NULL,
  client_id   TEXT NOT NULL,
  status      TEXT NOT NULL,
  shared      INTEGER NOT NULL,
  PRIMARY KEY (account_id, term)
) WITHOUT ROWID;
CREATE INDEX account_terms_search ON account_terms (client_id, term, account_id, shared);
CREATE INDEX account_terms_status_search ON account_terms (client_id, status, term, account_id, shared);

-- Accounts per client and stored status.
CREATE TABLE account_counts (
  client_id  TEXT NOT NULL,
  status     TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (client_id, status)
) WITHOUT ROWID;

-- Pending invitations per client: all of them ('p', slot 0), and by the day ('d', days since the
-- epoch) and the hour ('h', hours since the epoch) their link runs out. Counts only ever read
-- slots from now on (at most the longest validity in days, plus the hours of two days):
-- "expiring within 3 days" is a sum of slots plus the partial hours at each end
-- (domain::list::ExpiryCover), "expired" is all pending minus those not yet expired. Past slots
-- are never read; the cron drops them.
CREATE TABLE invitation_expiry_counts (
  client_id  TEXT NOT NULL,
  unit       TEXT NOT NULL,
  slot       INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (client_id, unit, slot)
) WITHOUT ROWID;

-- the cron's clean-up of slots that lie in the past, across clients
CREATE INDEX invitation_expiry_slots ON invitation_expiry_counts (unit, slot);

INSERT INTO account_counts (client_id, status, n)
  SELECT client_id, status, count(*) FROM accounts GROUP BY client_id, status;

UPDATE accounts SET invite_expires_at =
  (SELECT i.expires_at FROM invitations i WHERE i.account_id = accounts.id AND i.state = 'pending');

INSERT INTO invitation_expiry_counts (client_id, unit, slot, n)
  SELECT client_id, 'p', 0, count(*) FROM accounts
  WHERE invite_expires_at IS NOT NULL GROUP BY client_id;
INSERT INTO invitation_expiry_counts (client_id, unit, slot, n)
  SELECT client_id, 'd', invite_expires_at / 86400000, count(*) FROM accounts
  WHERE invite_expires_at IS NOT NULL GROUP BY client_id, invite_expires_at / 86400000;
INSERT INTO invitation_expiry_counts (client_id, unit, slot, n)
  SELECT client_id, 'h', invite_expires_at / 3600000, count(*) FROM accounts
  WHERE invite_expires_at IS NOT NULL GROUP BY client_id, invite_expires_at / 3600000;

-- Until the reindex job has folded them, older accounts sort and are found by their lower-cased
-- names (exact for names without accents).
UPDATE accounts SET sort_name = lower(surname || ' ' || first_name);

CREATE TRIGGER accounts_inserted AFTER INSERT ON accounts BEGIN
  INSERT INTO account_terms (account_id, term, client_id, status, shared)
    SELECT NEW.id, json_extract(value, '$[0]'), NEW.client_id, NEW.status, json_extract(value, '$[1]')
    FROM json_each(NEW.search_terms);
  INSERT INTO account_counts (client_id, status, n) VALUES (NEW.client_id, NEW.status, 1)
    ON CONFLICT (client_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER accounts_terms_changed AFTER UPDATE OF search_terms ON accounts
  WHEN NEW.search_terms IS NOT OLD.search_terms BEGIN
  DELETE FROM account_terms WHERE account_id = OLD.id;
  INSERT INTO account_terms (account_id, term, client_id, status, shared)
    SELECT NEW.id, json_extract(value, '$[0]'), NEW.client_id, NEW.status, json_extract(value, '$[1]')
    FROM json_each(NEW.search_terms);
END;

CREATE TRIGGER accounts_status_changed AFTER UPDATE OF status, client_id ON accounts
  WHEN NEW.status IS NOT OLD.status OR NEW.client_id IS NOT OLD.client_id BEGIN
  UPDATE account_terms SET status = NEW.status, client_id = NEW.client_id WHERE account_id = NEW.id;
  UPDATE account_counts SET n = n - 1 WHERE client_id = OLD.client_id AND status = OLD.status;
  INSERT INTO account_counts (client_id, status, n) VALUES (NEW.client_id, NEW.status, 1)
    ON CONFLICT (client_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER accounts_expiry_changed AFTER UPDATE OF invite_expires_at, client_id ON accounts
  WHEN NEW.invite_expires_at IS NOT OLD.invite_expires_at OR NEW.client_id IS NOT OLD.client_id BEGIN
  UPDATE invitation_expiry_counts SET n = n - 1 WHERE OLD.invite_expires_at IS NOT NULL
    AND client_id = OLD.client_id AND unit = 'd' AND slot = OLD.invite_expires_at / 86400000;
  UPDATE invitation_expiry_counts SET n = n - 1 WHERE OLD.invite_expires_at IS NOT NULL
    AND client_id = OLD.client_id AND unit = 'h' AND slot = OLD.invite_expires_at / 3600000;
  INSERT INTO invitation_expiry_counts (client_id, unit, slot, n)
    SELECT NEW.client_id, 'd', NEW.invite_expires_at / 86400000, 1 WHERE NEW.invite_expires_at IS NOT NULL
    ON CONFLICT (client_id, unit, slot) DO UPDATE SET n = n + 1;
  INSERT INTO invitation_expiry_counts (client_id, unit, slot, n)
    SELECT NEW.client_id, 'h', NEW.invite_expires_at / 3600000, 1 WHERE NEW.invite_expires_at IS NOT NULL
    ON CONFLICT (client_id, unit, slot) DO UPDATE SET n = n + 1;
  UPDATE invitation_expiry_counts SET n = n - 1 WHERE OLD.invite_expires_at IS NOT NULL
    AND client_id = OLD.client_id AND unit = 'p' AND slot = 0;
  INSERT INTO invitation_expiry_counts (client_id, unit, slot, n)
    SELECT NEW.client_id, 'p', 0, 1 WHERE NEW.invite_expires_at IS NOT NULL
    ON CONFLICT (client_id, unit, slot) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER accounts_deleted AFTER DELETE ON accounts BEGIN
  DELETE FROM account_terms WHERE account_id = OLD.id;
  UPDATE account_counts SET n = n - 1 WHERE client_id = OLD.client_id AND status = OLD.status;
  UPDATE invitation_expiry_counts SET n = n - 1 WHERE OLD.invite_expires_at IS NOT NULL
    AND client_id = OLD.client_id AND unit = 'd' AND slot = OLD.invite_expires_at / 86400000;
  UPDATE invitation_expiry_counts SET n = n - 1 WHERE OLD.invite_expires_at IS NOT NULL
    AND client_id = OLD.client_id AND unit = 'h' AND slot = OLD.invite_expires_at / 3600000;
  UPDATE invitation_expiry_counts SET n = n - 1 WHERE OLD.invite_expires_at IS NOT NULL
    AND client_id = OLD.client_id AND unit = 'p' AND slot = 0;
END;

-- an account's invite_expires_at is its pending invitation's expiry, whatever order a batch
-- writes invitations in (a resend inserts the new one and ends the old one)
CREATE TRIGGER invitations_inserted AFTER INSERT ON invitations BEGIN
  UPDATE accounts SET invite_expires_at =
    (SELECT i.expires_at FROM invitations i WHERE i.account_id = NEW.account_id AND i.state = 'pending')
    WHERE id = NEW.account_id;
END;

CREATE TRIGGER invitations_changed AFTER UPDATE OF state, expires_at ON invitations BEGIN
  UPDATE accounts SET invite_expires_at =
    (SELECT i.expires_at FROM invitations i WHERE i.account_id = NEW.account_id AND i.state = 'pending')
    WHERE id = NEW.account_id;
END;

CREATE TRIGGER invitations_deleted AFTER DELETE ON invitations BEGIN
  UPDATE accounts SET invite_expires_at =
    (SELECT i.expires_at FROM invitations i WHERE i.account_id = OLD.account_id AND i.state = 'pending')
    WHERE id = OLD.account_id;
END;
