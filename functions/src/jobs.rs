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

/// Most accounts the automatic deletion moves per client and batch, and per run in all.
const AUTO_DELETE_BATCH: u32 = 1000;
const AUTO_DELETE_PER_RUN: usize = 10_000;

/// Most deleted accounts one purge batch removes, and per run in all.
const PURGE_BATCH: u32 = 1000;
const PURGE_PER_RUN: usize = 10_000;

/// Most old audit events or dead links one run drops.
const DROP_BATCH: u32 = 5000;

/// Runs every job once; one job failing does not stop the others.
pub async fn run_all(env: &Env, now: Timestamp) {
    let started = worker::Date::now().as_millis();
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
    match store.purge_expired_challenges(now).await {
        Ok(0) => {}
        Ok(n) => worker::console_log!("cron: {n} sign-ins that never got their code removed"),
        Err(e) => worker::console_error!("cron: sign-in challenge purge: {e}"),
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
    match auto_delete(&store, now).await {
        Ok(0) => {}
        Ok(n) => worker::console_log!("cron: {n} accounts deactivated past their period deleted"),
        Err(e) => worker::console_error!("cron: automatic deletion: {e}"),
    }
    match purge(&store, now).await {
        Ok(0) => {}
        Ok(n) => worker::console_log!("cron: {n} deleted accounts purged"),
        Err(e) => worker::console_error!("cron: purge: {e}"),
    }
    let retention = Config::from_env(env).audit_retention_days;
    let cutoff = Timestamp(now.0 - i64::from(retention) * 86_400_000);
    match store.drop_old_audit_events(cutoff, DROP_BATCH).await {
        Ok(0) => {}
        Ok(n) => worker::console_log!("cron: {n} audit events older than {retention} days dropped"),
        Err(e) => worker::console_error!("cron: audit retention: {e}"),
    }
    match store.drop_expired_dead_links(now, DROP_BATCH).await {
        Ok(0) => {}
        Ok(n) => worker::console_log!("cron: {n} dead links dropped"),
        Err(e) => worker::console_error!("cron: dead links: {e}"),
    }
    match store.purge_ended_sign_in_attempts(now).await {
        Ok(n) => worker::console_log!("cron: {n} ended sign-in attempt counters removed"),
        Err(e) => worker::console_error!("cron: sign-in counter purge: {e}"),
    }
    // what the run cost, as D1 bills it (`make bench-cron` reads this line)
    worker::console_log!(
        "cron: run took {} ms, D1 rows read {}, rows written {}",
        worker::Date::now().as_millis() - started,
        store.rows_read(),
        store.rows_written()
    );
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

/// Deletes accounts deactivated longer than their client's period (its settings), client by
/// client, in batches; the next run continues where this one stopped.
async fn auto_delete(store: &Store, now: Timestamp) -> worker::Result<usize> {
    use domain::lifecycle::Periods;
    let mut done = 0;
    for (client, path) in store.clients_with_deactivated().await? {
        let Some(path) = domain::ClientPath::from_stored(&path) else {
            continue;
        };
        let settings = store.settings_in_force(&path).await?;
        let periods = Periods::of(&settings);
        let cutoff = periods.deactivated_due_by(now);
        let purge_at = now.plus(periods.recovery_window);
        loop {
            let n = store
                .auto_delete(&client, cutoff, now, purge_at, AUTO_DELETE_BATCH)
                .await?;
            done += n;
            if n < AUTO_DELETE_BATCH as usize || done >= AUTO_DELETE_PER_RUN {
                break;
            }
        }
        if done >= AUTO_DELETE_PER_RUN {
            break;
        }
    }
    Ok(done)
}

/// Purges deleted accounts past their recovery window, in batches.
async fn purge(store: &Store, now: Timestamp) -> worker::Result<usize> {
    let mut done = 0;
    loop {
        let n = store.purge_due(now, PURGE_BATCH).await?;
        done += n;
        if n < PURGE_BATCH as usize || done >= PURGE_PER_RUN {
            return Ok(done);
        }
    }
}
