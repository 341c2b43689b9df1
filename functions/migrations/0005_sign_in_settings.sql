-- Sign-in settings per client (inherited down the tree like the others; NULL inherits):
-- the session idle timeout and lifetime, and whether two-factor sign-in is required.
ALTER TABLE client_settings ADD COLUMN session_idle_minutes INTEGER;
ALTER TABLE client_settings ADD COLUMN session_max_hours INTEGER;
ALTER TABLE client_settings ADD COLUMN require_two_factor INTEGER;

-- A session keeps the limits in force when it began: its own idle timeout (the absolute one is
-- already its expires_at). Sessions from before this migration keep the old 30 minutes.
ALTER TABLE sessions ADD COLUMN idle_ms INTEGER NOT NULL DEFAULT 1800000;
-- 1: the account's client requires two-factor sign-in and the account has none yet; the session
-- reaches only its own enrolment (and sign-out) until the first code confirms it.
ALTER TABLE sessions ADD COLUMN enrol_only INTEGER NOT NULL DEFAULT 0;
