//! A list of live sessions with "Sign out" for each and "Sign out everywhere else" (one's own,
//! on the sign-in security page) or "Sign out everywhere" (an admin on an account page).

use domain::api::{ApiError, EndSessionsRequest, EndedSessions, SessionView};
use domain::i18n::{fill, format_count, Ui};
use domain::AccountId;
use leptos::prelude::*;

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::dialog::on_answer;
use crate::components::toast::use_toasts;
use crate::i18n::{format_datetime, iso_datetime, t, use_i18n};

/// The sessions card. `account`: an admin's view of that account; `None`: one's own.
#[component]
pub fn Sessions(#[prop(optional)] account: Option<AccountId>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let list = LocalResource::new(move || api::sessions(account));
    let end = Action::new_local(move |r: &EndSessionsRequest| {
        let r = r.clone();
        async move { api::end_sessions(account, r).await }
    });
    on_answer(end, move |r: Result<EndedSessions, ApiError>| {
        match r {
            Ok(done) => toasts.show(fill(
                i18n.text(Ui::SessionsEndedToast),
                &[&format_count(u64::from(done.ended), i18n.lang_untracked())],
            )),
            Err(e) => toasts.show(e.error.code.text(i18n.lang_untracked()).to_owned()),
        }
        list.refetch();
    });
    let own = account.is_none();
    let row = move |s: SessionView| {
        let id = s.id;
        let seen = s.last_seen_at;
        let started = s.created_at;
        let device = if s.device.is_empty() {
            None
        } else {
            Some(s.device.clone())
        };
        let ip = s.ip.clone().unwrap_or_default();
        view! {
            <li class="session" class:session-current=s.current>
                <div class="session-main">
                    <span class="session-device">{move || device.clone().unwrap_or_else(|| i18n.text(Ui::UnknownDevice).to_owned())}</span>
                    {s.current.then(|| view! { <span class="chip chip-small">{t(Ui::ThisBrowser)}</span> })}
                    <span class="session-meta">
                        <span class="mono">{ip}</span>
                        " · "
                        {move || fill(i18n.text(Ui::SessionLastActive), &[&format_datetime(seen, i18n.lang())])}
                        " · "
                        <time datetime=iso_datetime(started)>{move || fill(i18n.text(Ui::SessionStarted), &[&format_datetime(started, i18n.lang())])}</time>
                    </span>
                </div>
                {(!s.current).then(|| view! {
                    <button type="button" class="btn btn-secondary btn-small" disabled=move || end.pending().get()
                        on:click=move |_| { end.dispatch(EndSessionsRequest { session: Some(id), others: false }); }>
                        {t(Ui::SignOutSession)}
                    </button>
                })}
            </li>
        }
    };
    view! {
        <section class="card" aria-labelledby="sessions-heading">
            <div class="section-head">
                <h2 id="sessions-heading" class="section-title">
                    {move || if own { i18n.text(Ui::SessionsTitle) } else { i18n.text(Ui::AccountSessionsTitle) }}
                </h2>
                <button type="button" class="btn btn-secondary btn-small" disabled=move || end.pending().get()
                    on:click=move |_| { end.dispatch(EndSessionsRequest { session: None, others: true }); }>
                    {move || if own { i18n.text(Ui::SignOutEverywhereElse) } else { i18n.text(Ui::SignOutEverywhere) }}
                </button>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(l) => {
                            let limits = [l.idle_minutes.to_string(), l.max_hours.to_string()];
                            let lead = move || domain::i18n::fill(i18n.text(Ui::SessionsLead), &[&limits[0], &limits[1]]);
                            let sessions = if l.sessions.is_empty() {
                                view! { <p class="note">{t(Ui::NoSessions)}</p> }.into_any()
                            } else {
                                view! { <ul class="sessions">{l.sessions.into_iter().map(row).collect_view()}</ul> }.into_any()
                            };
                            view! { <p class="note">{lead}</p> {sessions} }.into_any()
                        }
                        Err(e) => view! { <ErrorAlert code=e.error.code/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
