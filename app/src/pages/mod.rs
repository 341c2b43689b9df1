//! One file per route.

pub mod accept;
pub mod account;
pub mod audit;
pub mod clients;
pub mod home;
pub mod not_found;
pub mod reset;
pub mod roles;
pub mod security;
pub mod settings;
pub mod signin;
pub mod users;

use domain::api::Me;
use domain::i18n::Ui;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::NavigateOptions;

use crate::components::alert::ErrorAlert;
use crate::i18n::t;
use crate::session::{use_session, SessionState};

/// The token of a mailed link from the page's `#` fragment (`#abc…` → `abc…`).
pub fn link_token(hash: &str) -> String {
    hash.trim_start_matches('#').to_owned()
}

/// Renders `page` for the signed-in account; sends people who are signed out to `/signin`, and
/// shows loading while the session is checked and an error (with "Try again") when it cannot be.
pub fn signed_in_only<V: IntoView + 'static>(
    page: impl Fn(Me) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let state = Memo::new(move |_| session.state());
    move || match state.get() {
        SessionState::Checking => view! { <Loading/> }.into_any(),
        SessionState::SignedOut => {
            view! { <Redirect path="/signin" options=replace()/> }.into_any()
        }
        SessionState::Unreachable(e) => view! { <Unreachable code=e.error.code/> }.into_any(),
        // the client requires two-factor sign-in and this account has none: set it up first
        SessionState::SignedIn(me)
            if me.must_enrol_two_factor
                && leptos_router::hooks::use_location()
                    .pathname
                    .get_untracked()
                    != "/security" =>
        {
            view! { <Redirect path="/security" options=replace()/> }.into_any()
        }
        SessionState::SignedIn(me) => page(me).into_view().into_any(),
    }
}

/// Navigation that replaces the current history entry (redirects), so Back does not bounce.
pub fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..NavigateOptions::default()
    }
}

/// A page-sized loading state.
#[component]
pub fn Loading(#[prop(optional)] text: Option<Ui>) -> impl IntoView {
    view! {
        <div class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <span>{t(text.unwrap_or(Ui::Loading))}</span>
        </div>
    }
}

/// The worker could not be reached to check the session.
#[component]
fn Unreachable(code: domain::api::ErrorCode) -> impl IntoView {
    let session = use_session();
    view! {
        <section class="card card-narrow">
            <ErrorAlert code=code/>
            <button type="button" class="btn btn-secondary" on:click=move |_| session.check()>
                {t(Ui::TryAgain)}
            </button>
        </section>
    }
}

/// A page the account's permissions do not cover.
#[component]
pub fn NoPermission(
    /// The page's name.
    title: Ui,
    /// Why not.
    #[prop(optional)]
    text: Option<Ui>,
) -> impl IntoView {
    view! {
        <section class="card card-narrow">
            <h1>{t(title)}</h1>
            <p>{t(text.unwrap_or(Ui::NoPermissionPage))}</p>
        </section>
    }
}
