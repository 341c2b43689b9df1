//! `/`: admins go to the users list; everyone else sees their account; signed out goes to sign-in.

use domain::i18n::{fill, Ui};
use domain::Permission;
use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::access::may_here;
use crate::i18n::{page_title, role_label, t, use_i18n};
use crate::pages::{replace, signed_in_only};
use crate::session::use_session;

/// The start page.
#[component]
pub fn HomePage() -> impl IntoView {
    page_title(|lang| Ui::YourAccount.text(lang).to_owned());
    signed_in_only(|me| {
        if may_here(&me, Permission::ViewAccounts) {
            view! { <Redirect path="/users" options=replace()/> }.into_any()
        } else {
            view! { <Welcome me=me/> }.into_any()
        }
    })
}

#[component]
fn Welcome(me: domain::api::Me) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let first_name = me.first_name.clone();
    let client_name = me.client.name.clone();
    let role = role_label(&me.role);
    view! {
        <section class="card card-narrow welcome">
            <h1>
                {move || {
                    let key = if session.just_accepted() { Ui::Welcome } else { Ui::HomeTitle };
                    fill(i18n.text(key), &[&first_name])
                }}
            </h1>
            <p class="lead">{move || fill(i18n.text(Ui::HomeLead), &[&client_name])}</p>
            <h2 class="section-title">{t(Ui::YourAccount)}</h2>
            <dl class="details">
                <div>
                    <dt>{t(Ui::Name)}</dt>
                    <dd>{me.full_name()}</dd>
                </div>
                <div>
                    <dt>{t(Ui::ClientId)}</dt>
                    <dd class="mono">{me.client.client_id}</dd>
                </div>
                <div>
                    <dt>{t(Ui::Username)}</dt>
                    <dd class="mono">{me.username}</dd>
                </div>
                <div>
                    <dt>{t(Ui::Email)}</dt>
                    <dd>{me.email}</dd>
                </div>
                <div>
                    <dt>{t(Ui::Role)}</dt>
                    <dd>{role}</dd>
                </div>
            </dl>
        </section>
    }
}
