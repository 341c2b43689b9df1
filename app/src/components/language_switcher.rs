//! The language `<select>` in the header; the choice is remembered in this browser.

use domain::i18n::{Lang, Ui};
use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

/// Picks the app's language.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="language-switcher">
            <label for="language-switcher" class="visually-hidden">{t(Ui::Language)}</label>
            <svg class="language-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
                <path
                    fill="currentColor"
                    d="M10 1.8a8.2 8.2 0 1 0 0 16.4 8.2 8.2 0 0 0 0-16.4Zm5.9 7.4h-2.6a13 13 0 0 0-1.1-5.1 6.6 6.6 0 0 1 3.7 5.1ZM10 3.5c.7.9 1.5 2.9 1.7 5.7H8.3c.2-2.8 1-4.8 1.7-5.7ZM7.8 4.1a13 13 0 0 0-1.1 5.1H4.1a6.6 6.6 0 0 1 3.7-5.1Zm-3.7 6.7h2.6c.1 1.9.5 3.7 1.1 5.1a6.6 6.6 0 0 1-3.7-5.1Zm5.9 5.7c-.7-.9-1.5-2.9-1.7-5.7h3.4c-.2 2.8-1 4.8-1.7 5.7Zm2.2-.6c.6-1.4 1-3.2 1.1-5.1h2.6a6.6 6.6 0 0 1-3.7 5.1Z"
                />
            </svg>
            <select
                id="language-switcher"
                class="select select-compact"
                on:change=move |ev| {
                    if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
                        i18n.choose(lang);
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <option value=lang.code() lang=lang.code() prop:selected=move || i18n.lang() == lang>
                                {lang.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
