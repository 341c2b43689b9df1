//! Failed sign-in counters. Always used through a `first-primary` store, never a lagging replica.

use domain::throttle::Failures;
use domain::Timestamp;
use serde::Deserialize;
use worker::Result;

use super::{int, text, Store};

#[derive(Deserialize)]
struct Row {
    window_start: i64,
    failures: i64,
}

impl Store {
    /// The failures recorded for a key.
    pub async fn sign_in_failures(&self, key: &str) -> Result<Option<Failures>> {
        let row = self
            .prepare("SELECT window_start, failures FROM sign_in_failures WHERE key = ?1")
            .bind(&[text(key)])?
            .first::<Row>(None)
            .await?;
        Ok(row.map(|r| Failures {
            window_start: Timestamp(r.window_start),
            count: r.failures.clamp(0, i64::from(u32::MAX)) as u32,
        }))
    }

    /// Stores `next` (from [`Failures::record`]). When it continues the stored window, the stored
    /// count is incremented in place instead, so concurrent failures are all counted.
    pub async fn record_sign_in_failure(&self, key: &str, next: Failures) -> Result<()> {
        self.prepare(
            "INSERT INTO sign_in_failures (key, window_start, failures) VALUES (?1, ?2, ?3) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN window_start = excluded.window_start THEN failures + 1 ELSE excluded.failures END, \
               window_start = excluded.window_start",
        )
        .bind(&[text(key), int(next.window_start.0), int(i64::from(next.count))])?
        .run()
        .await?;
        Ok(())
    }

    /// Forgets a key's failures after a successful sign-in.
    pub async fn clear_sign_in_failures(&self, key: &str) -> Result<()> {
        self.prepare("DELETE FROM sign_in_failures WHERE key = ?1")
            .bind(&[text(key)])?
            .run()
            .await?;
        Ok(())
    }
}
