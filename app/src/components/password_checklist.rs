//! The live list of password rules, driven by the same `PasswordPolicy::check` the worker enforces
//! (all but the breached-password rule, which only the worker can check).

use domain::i18n::Ui;
use domain::PasswordRule;
use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

/// Each rule of the policy with ✓ or ✗ (and "met" / "not met yet" for screen readers), plus whether
/// both passwords match.
#[component]
pub fn PasswordChecklist(
    /// The list's id, for the password field's `aria-describedby`.
    id: &'static str,
    /// Every rule of the client's policy, in order.
    rules: Vec<PasswordRule>,
    /// The rules the current password does not meet.
    #[prop(into)]
    unmet: Signal<Vec<PasswordRule>>,
    /// Whether the confirmation equals the password (and is not empty).
    #[prop(into)]
    matches: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let title_id = format!("{id}-title");
    view! {
        <div class="checklist" id=id>
            <p class="checklist-title" id=title_id.clone()>{t(Ui::PasswordRules)}</p>
            <ul aria-labelledby=title_id>
                {rules
                    .into_iter()
                    .map(|rule| {
                        let text = Signal::derive(move || rule.text(i18n.lang()));
                        if rule == PasswordRule::NotBreached {
                            // only the worker holds the breach list: it answers when the password is saved
                            return view! { <PendingItem text=text/> }.into_any();
                        }
                        let met = Signal::derive(move || !unmet.read().contains(&rule));
                        view! { <ChecklistItem met=met text=text/> }.into_any()
                    })
                    .collect_view()}
                <ChecklistItem met=matches text=Signal::derive(move || i18n.text(Ui::PasswordsMatch).to_owned())/>
            </ul>
        </div>
    }
}

#[component]
fn ChecklistItem(met: Signal<bool>, text: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="checklist-item" class:met=move || met.get() data-met=move || if met.get() { "true" } else { "false" }>
            <span class="checklist-mark" aria-hidden="true">
                {move || if met.get() { "✓" } else { "✗" }}
            </span>
            <span class="checklist-text">{move || text.get()}</span>
            <span class="visually-hidden">
                {move || format!(" ({})", i18n.text(if met.get() { Ui::RuleMet } else { Ui::RuleNotMet }))}
            </span>
        </li>
    }
}

/// A rule the browser cannot check (a known breached password): neither ✓ nor ✗, and says when.
#[component]
fn PendingItem(text: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="checklist-item pending" data-met="pending">
            <span class="checklist-mark" aria-hidden="true">"…"</span>
            <span class="checklist-text">
                {move || text.get()}
                <span class="checklist-note">{move || format!(" ({})", i18n.text(Ui::RuleCheckedOnSave))}</span>
            </span>
        </li>
    }
}
