//! Cron jobs: small, idempotent, resumable; each takes the scheduled time and the store.

use domain::Timestamp;
use worker::Env;

use crate::config::Config;
use crate::mail::{self, Mailer};
use crate::store::Store;

/// Most mail one run delivers, so a run stays well inside its CPU limit; the next run continues.
const MAIL_BATCH: u32 = 50;

/// Most accounts one run writes search terms for (those created before migration 0002).
const REINDEX_BATCH: u32 = 500;

/// Most past invitation-expiry counter slots (of each unit) one run drops.
const EXPIRY_SLOT_BATCH: u32 = 1000;

/// Runs every job once; one job failing does not stop the others.
pub async fn run_all(env: &Env, now: Timestamp) {
    let store = match Store::open_primary(env) {
        Ok(s) => s,
        Err(e) => return worker::console_error!("cron: no database: {e}"),
    };
    match deliver_mail(env, &store, now).await {
        Ok((sent, failed)) => worker::console_log!("cron: mail delivered {sent}, failed {failed}"),
        Err(e) => worker::console_error!("cron: mail delivery: {e}"),
    }
    match store.purge_expired_sessions(now).await {
        Ok(n) => worker::console_log!("cron: {n} expired sessions removed"),
        Err(e) => worker::console_error!("cron: session purge: {e}"),
    }
    match store.reindex_search(REINDEX_BATCH).await {
        Ok(0) => {}
        Ok(n) => worker::console_log!("cron: search terms written for {n} older accounts"),
        Err(e) => worker::console_error!("cron: search reindex: {e}"),
    }
    match store.drop_past_expiry_slots(now, EXPIRY_SLOT_BATCH).await {
        Ok(0) => {}
        Ok(n) => worker::console_log!("cron: {n} past invitation-expiry counter slots dropped"),
        Err(e) => worker::console_error!("cron: expiry slot clean-up: {e}"),
    }
    match store.purge_ended_sign_in_attempts(now).await {
        Ok(n) => worker::console_log!("cron: {n} ended sign-in attempt counters removed"),
        Err(e) => worker::console_error!("cron: sign-in counter purge: {e}"),
    }
}

/// Delivers due outbox mail (first attempts missed by `wait_until`, and retries).
async fn deliver_mail(env: &Env, store: &Store, now: Timestamp) -> worker::Result<(usize, usize)> {
    let mailer = Mailer::from_env(env, &Config::from_env(env)).map_err(worker::Error::RustError)?;
    let (mut sent, mut failed) = (0, 0);
    let lease_until = Timestamp(now.0 + mail::LEASE_MS);
    for queued in store.claim_due_mail(now, lease_until, MAIL_BATCH).await? {
        if mail::deliver(store, &mailer, &queued, now).await? {
            sent += 1;
        } else {
            failed += 1;
        }
    }
    Ok((sent, failed))
}
