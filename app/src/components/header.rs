//! The bar on every page: product, client, navigation, language, who is signed in, sign out.

use domain::api::ErrorCode;
use domain::i18n::{fill, Ui};
use domain::Permission;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::access::{may_here, may_in_company};
use crate::api;
use crate::components::language_switcher::LanguageSwitcher;
use crate::components::toast::use_toasts;
use crate::dom;
use crate::i18n::{t, use_i18n};
use crate::session::{use_session, SessionState};

/// The page header.
#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let navigate = use_navigate();

    let sign_out = Action::new_local(|_: &()| api::sign_out());
    let handled = StoredValue::new(0);
    Effect::new(move |_| {
        let version = sign_out.version().get();
        if version == handled.get_value() {
            return;
        }
        handled.set_value(version);
        match sign_out.value().get_untracked() {
            Some(Ok(())) => {
                session.signed_out();
                navigate("/signin", NavigateOptions::default());
            }
            Some(Err(e)) if e.error.code == ErrorCode::Unauthenticated => {
                session.signed_out();
                navigate("/signin", NavigateOptions::default());
            }
            Some(Err(e)) => toasts.show(e.error.code.text(i18n.lang_untracked()).to_owned()),
            None => {}
        }
    });
    let pending = sign_out.pending();

    let me = Memo::new(move |_| session.me());
    let sees_users = move || {
        me.get()
            .is_some_and(|me| may_here(&me, Permission::ViewAccounts))
    };
    let sees_audit = move || {
        me.get()
            .is_some_and(|me| may_here(&me, Permission::ViewAuditLog))
    };
    let sees_roles = move || {
        me.get()
            .is_some_and(|me| may_in_company(&me, Permission::ViewAccounts))
    };

    view! {
        <header class="topbar">
            <a
                class="skip-link"
                href="#main"
                on:click=|ev| {
                    ev.prevent_default();
                    dom::focus_id("main");
                }
            >
                {t(Ui::SkipToContent)}
            </a>
            <div class="topbar-inner">
                <A href="/" attr:class="brand">
                    <svg class="brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                        <path fill="currentColor" d="M12 2 3 6v6c0 5 3.8 9.4 9 10 5.2-.6 9-5 9-10V6l-9-4Zm0 5a3 3 0 0 1 1.5 5.6V16h-3v-3.4A3 3 0 0 1 12 7Z"/>
                    </svg>
                    <span class="brand-name">{t(Ui::AppName)}</span>
                </A>
                {move || {
                    me.get()
                        .map(|me| {
                            view! {
                                <span class="client-chip" title=move || i18n.text(Ui::Client)>
                                    {me.client.name}
                                </span>
                            }
                        })
                }}
                // a session that must set up two-factor sign-in first reaches nothing else
                <Show when=move || me.get().is_some_and(|me| !me.must_enrol_two_factor)>
                    <nav class="topnav" aria-label=t(Ui::MainNavigation)>
                        <Show when=sees_users>
                            <A href="/users">{t(Ui::Users)}</A>
                        </Show>
                        <Show when=sees_users>
                            <A href="/clients">{t(Ui::ClientsNav)}</A>
                        </Show>
                        <Show when=sees_roles>
                            <A href="/roles">{t(Ui::Roles)}</A>
                        </Show>
                        <Show when=sees_audit>
                            <A href="/audit">{t(Ui::AuditLog)}</A>
                        </Show>
                    </nav>
                    <ClientSwitcher/>
                </Show>
                // nothing on the right until the worker has said who is signed in, so the language
                // switcher does not jump left when the name and "Sign out" arrive beside it
                <div class="topbar-end">
                    <Show when=move || !matches!(session.state(), SessionState::Checking)>
                    <LanguageSwitcher/>
                    {move || {
                        me.get()
                            .map(|me| {
                                let name = me.full_name();
                                view! {
                                    // one's own sign-in security (two-factor authentication)
                                    <A href="/security" attr:class="signed-in-as" attr:title=move || i18n.text(Ui::SecurityTitle)>
                                        {move || fill(i18n.text(Ui::SignedInAs), &[&name])}
                                    </A>
                                    <button
                                        type="button"
                                        class="btn btn-secondary btn-small"
                                        disabled=move || pending.get()
                                        on:click=move |_| {
                                            sign_out.dispatch(());
                                        }
                                    >
                                        {t(Ui::SignOut)}
                                    </button>
                                }
                            })
                    }}
                    </Show>
                </div>
            </div>
        </header>
    }
}

/// Picks the active client among the accessible ones; shown only when there is more than one.
#[component]
fn ClientSwitcher() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let active = Memo::new(move |_| session.me().map(|me| me.client.key));
    let clients = LocalResource::new(move || {
        // a new session (another account) may see other clients
        let _ = session.me().map(|me| me.id);
        // and a created or renamed client shows at once
        session.track_clients();
        async move { api::clients().await }
    });
    let switch = Action::new_local(|key: &domain::ClientKey| api::switch_client(*key));
    Effect::new(move |_| {
        if let Some(result) = switch.value().get() {
            session.notice(&result);
            match result {
                Ok(me) => {
                    toasts.show(fill(i18n.text(Ui::ClientSwitched), &[&me.client.name]));
                    session.signed_in(me);
                }
                Err(e) => toasts.show(e.error.code.text(i18n.lang_untracked()).to_owned()),
            }
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = clients.await.map(|t| t.clients).unwrap_or_default();
                (list.len() > 1).then(|| view! {
                    <div class="client-switcher">
                        <label for="client-switcher" class="visually-hidden">{t(Ui::ActiveClient)}</label>
                        <select
                            id="client-switcher"
                            class="select select-small"
                            disabled=move || switch.pending().get()
                            on:change=move |ev| {
                                if let Some(key) = domain::ClientKey::parse(&event_target_value(&ev)) {
                                    switch.dispatch(key);
                                }
                            }
                        >
                            {list
                                .into_iter()
                                .map(|c| {
                                    let key = c.key;
                                    let label = format!("{}{}", "\u{a0}\u{a0}".repeat(c.path.depth()), c.name);
                                    view! {
                                        <option value=key.to_string() prop:selected=move || active.get() == Some(key)>
                                            {label}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                })
            })}
        </Transition>
    }
}
