//! The Gatehouse worker: turns HTTP into `domain` calls and domain results into D1 statements and mail.
//!
//! `fetch` reads the clock once and hands the request to [`routes::handle`]; `scheduled` runs the cron
//! jobs in [`jobs`]. Storage sits behind [`store`], one module per table; mail behind [`mail`].

mod auth;
mod breached;
mod config;
mod error;
mod http;
mod jobs;
mod mail;
mod passwords;
mod random;
mod routes;
mod store;

use domain::Timestamp;
use worker::{
    event, Context, Date, Env, Request, Response, Result, ScheduleContext, ScheduledEvent,
};

#[event(start)]
fn start() {
    // a panic is a bug: say where in the log (the request still answers 500 / the run fails)
    std::panic::set_hook(Box::new(|info| worker::console_error!("panic: {info}")));
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    let now = Timestamp(Date::now().as_millis() as i64);
    Ok(routes::handle(req, env, ctx, now).await)
}

#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    // the cron's own scheduled time, not the wall clock, so a late run does the work it was meant to
    jobs::run_all(&env, Timestamp(event.schedule() as i64)).await;
}
