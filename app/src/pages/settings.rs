//! A client's Settings tab: every setting with the value in force and where it comes from
//! ("Inherited from Acme GmbH"), an override for this client, and "Reset to inherited".

use domain::api::{ClientNode, SettingsView};
use domain::i18n::{fill, Lang, Ui};
use domain::settings::{Effective, PasswordPreset, SettingsOverrides, Source};
use domain::values::UsernameFormat;
use domain::Ttl;
use leptos::prelude::*;

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::toast::use_toasts;
use crate::i18n::{t, use_i18n};
use crate::pages::Loading;

/// The tab.
#[component]
pub fn SettingsTab(client: ClientNode) -> impl IntoView {
    let key = client.key;
    let view_data = LocalResource::new(move || api::settings(key));
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {
                let name = client.name.clone();
                move || {
                    let name = name.clone();
                    Suspend::new(async move {
                        match view_data.await {
                            Ok(v) => view! { <SettingsForm key=key name=name view=v/> }.into_any(),
                            Err(e) => view! { <ErrorAlert code=e.error.code/> }.into_any(),
                        }
                    })
                }
            }
        </Transition>
    }
}

fn source_text<T>(e: &Effective<T>, lang: Lang) -> String {
    match &e.source {
        Source::Default => Ui::SourceDefault.text(lang).to_owned(),
        Source::Own => Ui::SourceOwn.text(lang).to_owned(),
        Source::Inherited { name, .. } => fill(Ui::SourceInherited.text(lang), &[name]),
    }
}

fn ttl_text(ttl: Ttl, lang: Lang) -> String {
    let hours = ttl.0 / 3600;
    if hours % 24 == 0 {
        let days = hours / 24;
        if days == 1 {
            Ui::DayValue.text(lang).to_owned()
        } else {
            fill(Ui::DaysValue.text(lang), &[&days.to_string()])
        }
    } else if hours == 1 {
        Ui::HourValue.text(lang).to_owned()
    } else {
        fill(Ui::HoursValue.text(lang), &[&hours.to_string()])
    }
}

/// A number input bound to an optional override, with a reset button.
#[component]
fn NumberSetting(
    id: &'static str,
    label: Ui,
    hint: Ui,
    value: RwSignal<Option<i64>>,
    in_force: Signal<String>,
    source: Signal<String>,
    error: Signal<bool>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint_id.clone();
    view! {
        <div class="setting" class:field-invalid=move || error.get()>
            <label for=id class="label">{t(label)}</label>
            <p class="setting-source">{move || in_force.get()}" · "{move || source.get()}</p>
            <div class="setting-row">
                <input type="number" id=id class="input input-narrow" min="1" aria-describedby=described
                    aria-invalid=move || error.get().then_some("true")
                    prop:value=move || value.get().map(|n| n.to_string()).unwrap_or_default()
                    on:input=move |ev| value.set(event_target_value(&ev).trim().parse().ok())/>
                <button type="button" class="btn btn-secondary btn-small" disabled=move || value.get().is_none()
                    on:click=move |_| value.set(None)>{t(Ui::ResetToInherited)}</button>
            </div>
            <p id=hint_id class="hint">{t(hint)}</p>
        </div>
    }
}

#[component]
fn SettingsForm(key: domain::ClientKey, name: String, view: SettingsView) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let current = RwSignal::new(view);
    let own = current.get_untracked().own;
    // the form edits days / hours; stored as seconds
    let invitation_days = RwSignal::new(own.invitation_ttl.map(|t| t.0 / 86400));
    let reset_hours = RwSignal::new(own.reset_ttl.map(|t| t.0 / 3600));
    let min_length = RwSignal::new(own.password_min_length.map(i64::from));
    let deletion_days = RwSignal::new(own.deletion_after_days.map(i64::from));
    let preset = RwSignal::new(own.password_preset);
    let format = RwSignal::new(own.username_format);
    let language = RwSignal::new(own.language);
    let default_role = own.default_role;
    let save = Action::new_local(move |o: &SettingsOverrides| api::put_settings(key, o.clone()));
    let field_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            match result {
                Ok(v) => {
                    current.set(v);
                    field_error.set(None);
                    toasts.show(fill(i18n.text(Ui::SettingsSaved), &[&name]));
                }
                Err(e) => {
                    field_error.set(e.error.field.clone());
                    toasts.show(e.error.code.text(i18n.lang_untracked()).to_owned());
                }
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SettingsOverrides {
            invitation_ttl: invitation_days.get_untracked().map(|d| Ttl(d * 86400)),
            reset_ttl: reset_hours.get_untracked().map(|h| Ttl(h * 3600)),
            password_preset: preset.get_untracked(),
            password_min_length: min_length
                .get_untracked()
                .and_then(|n| u16::try_from(n).ok()),
            username_format: format.get_untracked(),
            default_role,
            language: language.get_untracked(),
            deletion_after_days: deletion_days
                .get_untracked()
                .and_then(|n| u32::try_from(n).ok()),
        });
    };
    let lang = move || i18n.lang();
    let eff = move || current.get().effective;
    let err =
        move |f: &'static str| Signal::derive(move || field_error.get().as_deref() == Some(f));
    view! {
        <form class="settings" novalidate on:submit=submit>
            <p class="lead">{t(Ui::SettingsLead)}</p>
            <NumberSetting id="setting-invitation-days" label=Ui::InvitationValidity hint=Ui::TtlHint value=invitation_days
                in_force=Signal::derive(move || fill(i18n.text(Ui::InForce), &[&ttl_text(eff().invitation_ttl.value, lang())]))
                source=Signal::derive(move || source_text(&eff().invitation_ttl, lang()))
                error=err("invitation_ttl")/>
            <NumberSetting id="setting-reset-hours" label=Ui::ResetValidity hint=Ui::TtlHint value=reset_hours
                in_force=Signal::derive(move || fill(i18n.text(Ui::InForce), &[&ttl_text(eff().reset_ttl.value, lang())]))
                source=Signal::derive(move || source_text(&eff().reset_ttl, lang()))
                error=err("reset_ttl")/>
            <div class="setting">
                <label for="setting-preset" class="label">{t(Ui::PasswordPresetLabel)}</label>
                <p class="setting-source">{move || source_text(&eff().password_preset, lang())}</p>
                <div class="setting-row">
                    <select id="setting-preset" class="select"
                        on:change=move |ev| preset.set(PasswordPreset::parse(&event_target_value(&ev)))>
                        <option value="" prop:selected=move || preset.get().is_none()>{t(Ui::ResetToInherited)}</option>
                        <option value="default" prop:selected=move || preset.get() == Some(PasswordPreset::Default)>{t(Ui::PresetDefault)}</option>
                        <option value="nist" prop:selected=move || preset.get() == Some(PasswordPreset::Nist)>{t(Ui::PresetNist)}</option>
                    </select>
                </div>
            </div>
            <NumberSetting id="setting-min-length" label=Ui::MinPasswordLength hint=Ui::MinLengthHint value=min_length
                in_force=Signal::derive(move || fill(i18n.text(Ui::InForce), &[&eff().password_policy().min_length.to_string()]))
                source=Signal::derive(move || source_text(&eff().password_min_length, lang()))
                error=err("password_min_length")/>
            <div class="setting">
                <label for="setting-format" class="label">{t(Ui::UsernameFormatLabel)}</label>
                <p class="setting-source">{move || source_text(&eff().username_format, lang())}</p>
                <select id="setting-format" class="select"
                    on:change=move |ev| format.set(UsernameFormat::parse(&event_target_value(&ev)))>
                    <option value="" prop:selected=move || format.get().is_none()>{t(Ui::ResetToInherited)}</option>
                    {UsernameFormat::ALL.into_iter().map(|f| {
                        let label = match f {
                            UsernameFormat::FirstDotLast => Ui::FormatFirstLast,
                            UsernameFormat::InitialLast => Ui::FormatInitialLast,
                            UsernameFormat::LastDotFirst => Ui::FormatLastFirst,
                        };
                        view! { <option value=f.as_str() prop:selected=move || format.get() == Some(f)>{t(label)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="setting">
                <label for="setting-language" class="label">{t(Ui::SettingsLanguage)}</label>
                <p class="setting-source">{move || source_text(&eff().language, lang())}</p>
                <select id="setting-language" class="select"
                    on:change=move |ev| language.set(Lang::from_tag(&event_target_value(&ev)))>
                    <option value="" prop:selected=move || language.get().is_none()>{t(Ui::ResetToInherited)}</option>
                    {Lang::ALL.into_iter().map(|l| view! {
                        <option value=l.code() lang=l.code() prop:selected=move || language.get() == Some(l)>{l.native_name()}</option>
                    }).collect_view()}
                </select>
            </div>
            <NumberSetting id="setting-deletion-days" label=Ui::DeletionAfter hint=Ui::DeletionHint value=deletion_days
                in_force=Signal::derive(move || fill(i18n.text(Ui::InForce), &[&fill(i18n.text(Ui::DaysValue), &[&eff().deletion_after_days.value.to_string()])]))
                source=Signal::derive(move || source_text(&eff().deletion_after_days, lang()))
                error=err("deletion_after_days")/>
            <div class="button-row">
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { i18n.text(Ui::Saving) } else { i18n.text(Ui::SaveSettings) }}
                </button>
            </div>
        </form>
    }
}
