//! The bar on every page: product, client, navigation, language, who is signed in, sign out.

use domain::api::ErrorCode;
use domain::i18n::{fill, Ui};
use domain::Permission;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::api;
use crate::components::language_switcher::LanguageSwitcher;
use crate::components::toast::use_toasts;
use crate::dom;
use crate::i18n::{t, use_i18n};
use crate::session::use_session;

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
    let is_admin = move || {
        me.get()
            .is_some_and(|me| me.role.can(Permission::ViewAccounts))
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
                <Show when=is_admin>
                    <nav class="topnav" aria-label=t(Ui::MainNavigation)>
                        <A href="/users">{t(Ui::Users)}</A>
                    </nav>
                </Show>
                <div class="topbar-end">
                    <LanguageSwitcher/>
                    {move || {
                        me.get()
                            .map(|me| {
                                let name = me.full_name();
                                view! {
                                    <span class="signed-in-as" title=me.username.clone()>
                                        {move || fill(i18n.text(Ui::SignedInAs), &[&name])}
                                    </span>
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
                </div>
            </div>
        </header>
    }
}
