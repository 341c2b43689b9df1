//! Gatehouse in the browser: a Leptos single-page app that talks JSON to the worker's `/api`.
//!
//! `api` alone speaks HTTP; `i18n` and `session` are app-wide state handed down as context; each
//! route is one file under `pages`, built from the small pieces under `components`.

mod access;
mod api;
mod app;
mod components;
mod dom;
mod i18n;
mod pages;
mod session;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
