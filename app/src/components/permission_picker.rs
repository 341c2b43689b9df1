//! Permission checkboxes (a role's permissions, an account's additional ones). Only permissions the
//! signed-in admin holds can be granted; the worker refuses anything more (`exceeds_own_rights`).

use domain::i18n::Ui;
use domain::{Permission, PermissionSet};
use leptos::prelude::*;

use crate::i18n::{permission_label, t};

/// A fieldset of one checkbox per permission, ids `{prefix}-{permission}`.
#[component]
pub fn PermissionPicker(
    /// Prefix of the checkboxes' ids.
    prefix: &'static str,
    /// The fieldset's legend.
    legend: Ui,
    /// A line under the legend.
    #[prop(optional)]
    hint: Option<Ui>,
    /// The ticked permissions.
    selected: RwSignal<PermissionSet>,
    /// What the admin holds (the only ones that can be ticked or unticked).
    holds: PermissionSet,
    /// Leave out the permissions the admin does not hold instead of showing them disabled.
    #[prop(optional)]
    only_held: bool,
    /// Permissions that come with the role anyway: shown ticked and fixed.
    #[prop(optional, into)]
    included: Option<Signal<PermissionSet>>,
    /// Nothing can be changed.
    #[prop(optional, into)]
    readonly: Signal<bool>,
) -> impl IntoView {
    let included = included.unwrap_or_else(|| Signal::stored(PermissionSet::EMPTY));
    let hint_id = format!("{prefix}-hint");
    let described_by = hint.map(|_| hint_id.clone());
    let shown: Vec<Permission> = Permission::ALL
        .into_iter()
        .filter(|p| !only_held || holds.contains(*p))
        .collect();
    let empty = shown.is_empty();
    view! {
        <fieldset class="fieldset fieldset-compact" aria-describedby=described_by>
            <legend>{t(legend)}</legend>
            {hint.map(|hint| view! { <p class="hint hint-legend" id=hint_id>{t(hint)}</p> })}
            {empty.then(|| view! { <p class="hint">{t(Ui::NoPermissionsToGrant)}</p> })}
            <div class="check-list">
                {shown
                    .into_iter()
                    .map(|p| {
                        let id = format!("{prefix}-{}", p.as_str());
                        let label_for = id.clone();
                        let from_role = move || included.get().contains(p);
                        view! {
                            <label class="checkbox" for=label_for>
                                <input
                                    type="checkbox"
                                    id=id
                                    value=p.as_str()
                                    prop:checked=move || from_role() || selected.get().contains(p)
                                    disabled=move || readonly.get() || from_role() || !holds.contains(p)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        selected
                                            .update(|set| {
                                                *set = set.iter().filter(|q| *q != p).collect();
                                                if on {
                                                    *set = set.with(p);
                                                }
                                            });
                                    }
                                />
                                <span>
                                    {permission_label(p)}
                                    {move || {
                                        from_role()
                                            .then(|| view! { <span class="check-note">" " {t(Ui::IncludedInRole)}</span> })
                                    }}
                                </span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}
