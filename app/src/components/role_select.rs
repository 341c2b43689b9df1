//! The role of an account: a select over the company's roles (built-in ones by their translated
//! name), its error beside it. Used by the invite dialog and the account page.

use domain::api::{ErrorCode, RoleSummary, RoleView};
use domain::i18n::Ui;
use domain::RoleId;
use leptos::prelude::*;

use crate::i18n::{role_label, t, use_i18n};

/// A labelled role select.
#[component]
pub fn RoleSelect(
    /// The select's id.
    id: &'static str,
    /// The roles offered.
    roles: Vec<RoleView>,
    /// The chosen role.
    role: RwSignal<RoleId>,
    /// The worker's error for `role`.
    #[prop(into)]
    error: Signal<Option<ErrorCode>>,
    /// Nothing can be changed.
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    let described = {
        let error_id = error_id.clone();
        move || error.get().map(|_| error_id.clone())
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id class="label">{t(Ui::Role)}</label>
            <select
                id=id
                class="select"
                disabled=move || disabled.get()
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
                on:change=move |ev| {
                    if let Some(r) = RoleId::parse(&event_target_value(&ev)) {
                        role.set(r);
                    }
                }
            >
                {roles
                    .into_iter()
                    .map(|r| {
                        let value = r.id;
                        let label = role_label(&RoleSummary { id: r.id, name: r.name, builtin: r.builtin });
                        view! {
                            <option value=value.to_string() prop:selected=move || role.get() == value>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {move || {
                error.get().map(|code| view! { <p class="field-error" id=error_id.clone()>{code.text(i18n.lang())}</p> })
            }}
        </div>
    }
}
