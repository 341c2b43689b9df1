//! Any path no route matches.

use domain::i18n::Ui;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{page_title, t};

/// "Page not found", with a way back.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    page_title(|lang| Ui::NotFoundTitle.text(lang).to_owned());
    view! {
        <section class="card card-narrow empty-page">
            <p class="big-code" aria-hidden="true">"404"</p>
            <h1>{t(Ui::NotFoundTitle)}</h1>
            <p>
                <A href="/">{t(Ui::BackHome)}</A>
            </p>
        </section>
    }
}
