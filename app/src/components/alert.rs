//! An error message box that screen readers announce as soon as it appears.

use domain::api::ErrorCode;
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The message for an API error code, in the current language, in a `role="alert"` box.
#[component]
pub fn ErrorAlert(
    /// What went wrong.
    code: ErrorCode,
    /// More lines under the message (e.g. the unmet password rules).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let node = NodeRef::<leptos::html::Div>::new();
    // bring it into view when it appears below the fold (long forms, the dialog's scroll area)
    Effect::new(move |_| {
        if let Some(alert) = node.get() {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            alert.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
    view! {
        <div class="alert alert-error" role="alert" node_ref=node>
            <svg class="alert-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M10 1.5a8.5 8.5 0 1 0 0 17 8.5 8.5 0 0 0 0-17Zm-.9 4.3h1.8v5.6H9.1V5.8Zm0 7.1h1.8v1.8H9.1v-1.8Z"/>
            </svg>
            <div class="alert-body">
                <p>{move || code.text(i18n.lang())}</p>
                {children.map(|c| c())}
            </div>
        </div>
    }
}
