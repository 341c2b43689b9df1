//! Sign-in attempt counters. Always used through a `first-primary` store, never a lagging replica.

use domain::throttle::{
    counts_for_account, is_first_refusal, sign_in_verdict, source_key, Attempts, Verdict,
};
use domain::Timestamp;
use serde::Deserialize;
use worker::Result;

use super::{int, text, Store};

#[derive(Deserialize)]
struct Row {
    window_start: i64,
    attempts: i64,
}

impl Store {
    /// Counts one more attempt on `key` and returns the count including it, in one statement, so
    /// concurrent attempts are each counted before any password is checked ([`Attempts::next`]
    /// is the rule; the cutoff comes from it).
    pub async fn count_sign_in_attempt(&self, key: &str, now: Timestamp) -> Result<Attempts> {
        let row = self
            .prepare(
                "INSERT INTO sign_in_attempts (key, window_start, attempts) VALUES (?1, ?2, 1) \
                 ON CONFLICT (key) DO UPDATE SET \
                   attempts = CASE WHEN window_start > ?3 THEN attempts + 1 ELSE 1 END, \
                   window_start = CASE WHEN window_start > ?3 THEN window_start ELSE ?2 END \
                 RETURNING window_start, attempts",
            )
            .bind(&[text(key), int(now.0), int(Attempts::window_cutoff(now).0)])?
            .first::<Row>(None)
            .await?
            .ok_or("the attempt upsert returned no row")?;
        Ok(Attempts {
            window_start: Timestamp(row.window_start),
            count: row.attempts.clamp(0, i64::from(u32::MAX)) as u32,
        })
    }

    /// Counts one attempt on `account_key` from `ip` (and, where `domain::throttle` says so, on
    /// the account key across sources): the verdict, and whether a refusal is the first of its
    /// window.
    pub async fn count_attempt(
        &self,
        account_key: &str,
        ip: Option<&str>,
        known_browser: bool,
        now: Timestamp,
    ) -> Result<(Verdict, bool)> {
        let source = self
            .count_sign_in_attempt(&source_key(account_key, ip), now)
            .await?;
        let account = if counts_for_account(source, known_browser) {
            Some(self.count_sign_in_attempt(account_key, now).await?)
        } else {
            None
        };
        Ok((
            sign_in_verdict(source, account),
            is_first_refusal(source, account),
        ))
    }

    /// Forgets the attempts on `account_key`, from `ip` and across sources, after a success.
    pub async fn clear_attempts(&self, account_key: &str, ip: Option<&str>) -> Result<()> {
        self.clear_sign_in_attempts(&source_key(account_key, ip))
            .await?;
        self.clear_sign_in_attempts(account_key).await
    }

    /// Forgets a key's attempts after a successful sign-in.
    pub async fn clear_sign_in_attempts(&self, key: &str) -> Result<()> {
        self.prepare("DELETE FROM sign_in_attempts WHERE key = ?1")
            .bind(&[text(key)])?
            .run()
            .await?;
        Ok(())
    }

    /// Removes counters whose window has ended (any typed name creates one); returns how many.
    pub async fn purge_ended_sign_in_attempts(&self, now: Timestamp) -> Result<usize> {
        let r = self
            .prepare("DELETE FROM sign_in_attempts WHERE window_start <= ?1")
            .bind(&[int(Attempts::window_cutoff(now).0)])?
            .run()
            .await?;
        Ok(r.meta()?.and_then(|m| m.changes).unwrap_or(0))
    }
}
