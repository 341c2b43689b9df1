//! Which clients an account may access: all (its own client and everything below it) or a chosen
//! list, plus an optional default client it lands in after sign-in. Ids (with the prefix `p`):
//! radios `{p}access-all` / `{p}access-chosen`, checkboxes `{p}access-client-{key}`, select
//! `{p}default-client`.

use domain::api::{ClientNode, ErrorCode};
use domain::i18n::Ui;
use domain::{ClientAccess, ClientKey, ClientPath};
use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

/// The clients the default-client select offers for an access choice.
pub fn default_candidates<'a>(
    clients: &'a [ClientNode],
    home: &'a ClientPath,
    access: &'a ClientAccess,
) -> impl Iterator<Item = &'a ClientNode> + 'a {
    clients
        .iter()
        .filter(move |c| access.reaches(home, &c.path))
}

/// Whether a chosen list is empty (the form refuses to send it).
pub fn is_empty_choice(access: &ClientAccess) -> bool {
    matches!(access, ClientAccess::Only(keys) if keys.is_empty())
}

/// The access editor.
#[component]
pub fn AccessPicker(
    /// Prefix of every id ("" in the invite dialog, "account-" on the account page).
    prefix: &'static str,
    /// The clients the admin may grant (the ones they may access), depth first.
    clients: Vec<ClientNode>,
    /// The account's own client ("all" means it and everything below it).
    home: ClientPath,
    /// Whether the admin may grant "all" (only when they may access all clients themselves).
    all_allowed: bool,
    /// The choice.
    access: RwSignal<ClientAccess>,
    /// The default client.
    default_client: RwSignal<Option<ClientKey>>,
    /// The worker's error for `access`.
    #[prop(into)]
    error: Signal<Option<ErrorCode>>,
    /// The worker's error for `default_client`.
    #[prop(into)]
    default_error: Signal<Option<ErrorCode>>,
    /// Nothing can be changed.
    #[prop(optional, into)]
    readonly: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let clients = StoredValue::new(clients);
    let home = StoredValue::new(home);
    // the list last chosen, so flipping to "all" and back keeps it
    let last_chosen = StoredValue::new(match access.get_untracked() {
        ClientAccess::Only(keys) => keys,
        ClientAccess::All => {
            let home = home.get_value().client();
            clients
                .with_value(|c| c.iter().any(|n| n.key == home))
                .then_some(home)
                .into_iter()
                .collect()
        }
    });
    let chosen = move || matches!(access.get(), ClientAccess::Only(_));
    let empty = move || is_empty_choice(&access.get());

    // a default client outside the new choice is dropped
    Effect::new(move |_| {
        let access = access.get();
        if let Some(key) = default_client.get_untracked() {
            let still = clients.with_value(|c| {
                home.with_value(|h| default_candidates(c, h, &access).any(|n| n.key == key))
            });
            if !still {
                default_client.set(None);
            }
        }
    });

    let all_id = format!("{prefix}access-all");
    let all_for = all_id.clone();
    let chosen_id = format!("{prefix}access-chosen");
    let chosen_for = chosen_id.clone();
    let name = format!("{prefix}access");
    let list_id = format!("{prefix}access-list");
    let error_id = format!("{prefix}access-error");
    let default_id = format!("{prefix}default-client");
    let default_hint = format!("{prefix}default-client-hint");
    let default_error_id = format!("{prefix}default-client-error");
    let toggle = move |key: ClientKey, on: bool| {
        access.update(|a| {
            if let ClientAccess::Only(keys) = a {
                keys.retain(|k| *k != key);
                if on {
                    keys.push(key);
                }
                last_chosen.set_value(keys.clone());
            }
        });
    };
    let described = {
        let error_id = error_id.clone();
        move || (error.get().is_some() || empty()).then(|| error_id.clone())
    };

    view! {
        <fieldset class="fieldset fieldset-compact" aria-describedby=described>
            <legend>{t(Ui::ClientAccess)}</legend>
            <div class="radio-group">
                <label class="radio" for=all_for>
                    <input
                        type="radio"
                        id=all_id
                        name=name.clone()
                        value="all"
                        prop:checked=move || !chosen()
                        disabled=move || readonly.get() || !all_allowed
                        on:change=move |_| access.set(ClientAccess::All)
                    />
                    <span>
                        <span class="radio-label">{t(Ui::AccessAll)}</span>
                        <span class="hint">
                            {if all_allowed { t(Ui::AccessAllHint) } else { t(Ui::AccessAllUnavailable) }}
                        </span>
                    </span>
                </label>
                <label class="radio" for=chosen_for>
                    <input
                        type="radio"
                        id=chosen_id
                        name=name
                        value="chosen"
                        // the list exists only while this is chosen; never point at a missing id
                        aria-controls={
                            let list_id = list_id.clone();
                            move || chosen().then(|| list_id.clone())
                        }
                        prop:checked=chosen
                        disabled=move || readonly.get()
                        on:change=move |_| access.set(ClientAccess::Only(last_chosen.get_value()))
                    />
                    <span>
                        <span class="radio-label">{t(Ui::AccessChosen)}</span>
                        <span class="hint">{t(Ui::AccessChosenHint)}</span>
                    </span>
                </label>
            </div>
            <Show when=chosen>
                <div class="check-list check-list-tree" id=list_id.clone() role="group" aria-label=t(Ui::ChosenClients)>
                    {clients
                        .get_value()
                        .into_iter()
                        .map(|c| {
                            let id = format!("{prefix}access-client-{}", c.key);
                            let label_for = id.clone();
                            let key = c.key;
                            let depth = c.path.depth();
                            view! {
                                <label class="checkbox" for=label_for style:--depth=depth.to_string()>
                                    <input
                                        type="checkbox"
                                        id=id
                                        value=key.to_string()
                                        prop:checked=move || matches!(&*access.read(), ClientAccess::Only(keys) if keys.contains(&key))
                                        disabled=move || readonly.get()
                                        on:change=move |ev| toggle(key, event_target_checked(&ev))
                                    />
                                    <span>{c.name}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
            </Show>
            {move || {
                // an empty list says so itself, whatever the worker answered before
                let text = if empty() {
                    Some(i18n.text(Ui::AccessNeedsOne))
                } else {
                    error.get().map(|code| code.text(i18n.lang()))
                };
                text.map(|text| view! { <p class="field-error" id=error_id.clone()>{text}</p> })
            }}
        </fieldset>
        <div class="field" class:field-invalid=move || default_error.get().is_some()>
            <label for=default_id.clone() class="label">{t(Ui::DefaultClient)}</label>
            <select
                id=default_id
                class="select"
                aria-describedby=move || {
                    if default_error.get().is_some() {
                        format!("{default_error_id} {default_hint}")
                    } else {
                        default_hint.clone()
                    }
                }
                aria-invalid=move || default_error.get().is_some().then_some("true")
                disabled=move || readonly.get()
                on:change=move |ev| default_client.set(ClientKey::parse(&event_target_value(&ev)))
            >
                <option value="" prop:selected=move || default_client.get().is_none()>
                    {t(Ui::DefaultClientNone)}
                </option>
                {move || {
                    let access = access.get();
                    clients
                        .with_value(|c| {
                            home.with_value(|h| {
                                default_candidates(c, h, &access)
                                    .map(|n| {
                                        let key = n.key;
                                        let text = format!("{}{}", "\u{a0}\u{a0}".repeat(n.path.depth()), n.name);
                                        view! {
                                            <option value=key.to_string() prop:selected=move || default_client.get() == Some(key)>
                                                {text}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            })
                        })
                }}
            </select>
            <p class="hint" id=format!("{prefix}default-client-hint")>{t(Ui::DefaultClientHint)}</p>
            {move || {
                default_error
                    .get()
                    .map(|code| {
                        view! {
                            <p class="field-error" id=format!("{prefix}default-client-error")>
                                {code.text(i18n.lang())}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
