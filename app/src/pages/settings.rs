//! A client's Settings tab: every setting with the value in force and where it comes from
//! ("Inherited from Acme GmbH"), an override for this client, and "Reset to inherited" (which makes
//! the client's own value `null` again). Saving sends the client's complete own overrides.

use domain::api::{ApiError, ClientNode, ErrorCode, RoleView, SettingsView};
use domain::i18n::{fill, Lang, Ui};
use domain::settings::{PasswordPreset, SettingsOverrides, Source};
use domain::values::UsernameFormat;
use domain::{RoleId, Ttl};
use leptos::prelude::*;

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::dialog::on_answer;
use crate::components::field::FormErrors;
use crate::components::toast::use_toasts;
use crate::i18n::{t, use_i18n};
use crate::pages::Loading;
use crate::session::use_session;

/// Request fields and the inputs their errors show under.
const FIELDS: [(&str, &str); 11] = [
    ("invitation_ttl", "setting-invitation-ttl"),
    ("reset_ttl", "setting-reset-ttl"),
    ("password_preset", "setting-preset"),
    ("password_min_length", "setting-min-length"),
    ("username_format", "setting-format"),
    ("default_role", "setting-default-role"),
    ("language", "setting-language"),
    ("deletion_after_days", "setting-deletion-days"),
    ("session_idle_minutes", "setting-session-idle"),
    ("session_max_hours", "setting-session-max"),
    ("require_two_factor", "setting-require-two-factor"),
];

/// The tab.
#[component]
pub fn SettingsTab(client: ClientNode) -> impl IntoView {
    let session = use_session();
    let key = client.key;
    let data = LocalResource::new(move || async move {
        let view = api::settings(key).await;
        session.notice(&view);
        // without the roles the default role shows as it is but cannot be picked
        let roles = api::roles().await.map(|l| l.roles).unwrap_or_default();
        view.map(|v| (v, roles))
    });
    let name = StoredValue::new(client.name.clone());
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((v, roles)) => {
                        view! { <SettingsForm key=key name=name.get_value() view=v roles=roles/> }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorAlert code=e.error.code/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn source_text(source: &Source, lang: Lang) -> String {
    match source {
        Source::Default => Ui::SourceDefault.text(lang).to_owned(),
        Source::Own => Ui::SourceOwn.text(lang).to_owned(),
        Source::Inherited { name, .. } => fill(Ui::SourceInherited.text(lang), &[name]),
    }
}

/// A validity period as a number of whole days, else of hours.
fn split_ttl(ttl: Ttl) -> (i64, bool) {
    if ttl.0 > 0 && ttl.0 % 86_400 == 0 {
        (ttl.0 / 86_400, true)
    } else {
        (ttl.0 / 3600, false)
    }
}

fn ttl_text(ttl: Ttl, lang: Lang) -> String {
    let (n, days) = split_ttl(ttl);
    let (one, many) = if days {
        (Ui::DayValue, Ui::DaysValue)
    } else {
        (Ui::HourValue, Ui::HoursValue)
    };
    if n == 1 {
        one.text(lang).to_owned()
    } else {
        fill(many.text(lang), &[&n.to_string()])
    }
}

/// One setting: label, the value in force with its source, the control, "Reset to inherited", the
/// hint and the error.
#[component]
fn SettingRow(
    /// The control's id (label, hint and error point at it).
    id: &'static str,
    label: Ui,
    #[prop(optional)] hint: Option<Ui>,
    /// The value in force, as text.
    #[prop(into)]
    in_force: Signal<String>,
    /// Where it comes from (as saved).
    #[prop(into)]
    source: Signal<Source>,
    /// Whether the client sets it now (in the form).
    #[prop(into)]
    overriding: Signal<bool>,
    /// The client set it when last saved.
    #[prop(into)]
    saved_own: Signal<bool>,
    #[prop(into)] error: Signal<Option<ErrorCode>>,
    #[prop(into)] on_reset: Callback<()>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let source_id = format!("{id}-source");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let hint_shown = hint.map(|_| hint_id.clone());
    view! {
        <div class="setting" class:field-invalid=move || error.get().is_some()>
            <label for=id class="label">{t(label)}</label>
            <p class="setting-source" id=source_id>
                {move || fill(i18n.text(Ui::InForce), &[&in_force.get()])}
                " · "
                {move || {
                    if saved_own.get() && !overriding.get() {
                        i18n.text(Ui::InheritedAfterSave).to_owned()
                    } else {
                        source_text(&source.get(), i18n.lang())
                    }
                }}
            </p>
            <div class="setting-row">
                {children()}
                <Show when=move || overriding.get()>
                    <button type="button" class="btn btn-secondary btn-small" on:click=move |_| on_reset.run(())>
                        {t(Ui::ResetToInherited)}
                        <span class="visually-hidden">": " {t(label)}</span>
                    </button>
                </Show>
            </div>
            {hint.map(|hint| view! { <p id=hint_shown.clone() class="hint">{t(hint)}</p> })}
            {move || error.get().map(|code| view! { <p class="field-error" id=error_id.clone()>{code.text(i18n.lang())}</p> })}
        </div>
    }
}

/// `aria-describedby` for a control: its source line, hint and error.
fn described(
    id: &'static str,
    hint: bool,
    error: Signal<Option<ErrorCode>>,
) -> impl Fn() -> String {
    move || {
        let mut ids = vec![format!("{id}-source")];
        if hint {
            ids.push(format!("{id}-hint"));
        }
        if error.get().is_some() {
            ids.push(format!("{id}-error"));
        }
        ids.join(" ")
    }
}

#[component]
fn SettingsForm(
    key: domain::ClientKey,
    name: String,
    view: SettingsView,
    roles: Vec<RoleView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let session = use_session();
    let saved = RwSignal::new(view.clone());
    let own = RwSignal::new(view.own.clone());
    let roles = StoredValue::new(roles);
    let errors = FormErrors::new(&FIELDS);
    let eff = move || saved.get().effective;
    let lang = move || i18n.lang();

    // texts of the number inputs, so a half-typed value stays as typed; an unreadable one becomes
    // an out-of-range value, which the check refuses beside the field
    let ttl_texts = |ttl: Ttl| {
        let (n, days) = split_ttl(ttl);
        (RwSignal::new(n.to_string()), RwSignal::new(days))
    };
    let (inv_n, inv_days) = ttl_texts(
        view.own
            .invitation_ttl
            .unwrap_or(view.effective.invitation_ttl.value),
    );
    let (reset_n, reset_days) =
        ttl_texts(view.own.reset_ttl.unwrap_or(view.effective.reset_ttl.value));
    let policy_min = view.effective.password_policy().min_length;
    let min_text = RwSignal::new(
        view.own
            .password_min_length
            .map(usize::from)
            .unwrap_or(policy_min)
            .to_string(),
    );
    let deletion_text = RwSignal::new(
        view.own
            .deletion_after_days
            .unwrap_or(view.effective.deletion_after_days.value)
            .to_string(),
    );
    let idle_text = RwSignal::new(
        view.own
            .session_idle_minutes
            .unwrap_or(view.effective.session_idle_minutes.value)
            .to_string(),
    );
    let max_text = RwSignal::new(
        view.own
            .session_max_hours
            .unwrap_or(view.effective.session_max_hours.value)
            .to_string(),
    );
    let ttl_of = |n: RwSignal<String>, days: RwSignal<bool>| {
        let unit = if days.get_untracked() { 86_400 } else { 3600 };
        Ttl(n
            .get_untracked()
            .trim()
            .parse::<i64>()
            .map_or(0, |n| n.saturating_mul(unit)))
    };

    let save = Action::new_local(move |o: &SettingsOverrides| api::put_settings(key, o.clone()));
    on_answer(
        save,
        move |result: Result<SettingsView, ApiError>| match result {
            Ok(v) => {
                // inputs of inherited settings show what is now in force
                let e = &v.effective;
                if v.own.invitation_ttl.is_none() {
                    let (n, days) = split_ttl(e.invitation_ttl.value);
                    inv_n.set(n.to_string());
                    inv_days.set(days);
                }
                if v.own.reset_ttl.is_none() {
                    let (n, days) = split_ttl(e.reset_ttl.value);
                    reset_n.set(n.to_string());
                    reset_days.set(days);
                }
                if v.own.password_min_length.is_none() {
                    min_text.set(e.password_policy().min_length.to_string());
                }
                if v.own.deletion_after_days.is_none() {
                    deletion_text.set(e.deletion_after_days.value.to_string());
                }
                if v.own.session_idle_minutes.is_none() {
                    idle_text.set(e.session_idle_minutes.value.to_string());
                }
                if v.own.session_max_hours.is_none() {
                    max_text.set(e.session_max_hours.value.to_string());
                }
                own.set(v.own.clone());
                saved.set(v);
                toasts.show(fill(i18n.text(Ui::SettingsSaved), &[&name]));
            }
            Err(e) => {
                session.notice::<()>(&Err(e.clone()));
                errors.answer(e.error);
            }
        },
    );
    let pending = save.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let own = own.get_untracked();
        let problems = match own.check() {
            Err(e) => vec![(e.field(), ErrorCode::FieldInvalid)],
            Ok(()) => Vec::new(),
        };
        if errors.check(problems) {
            save.dispatch(own);
        }
    };

    // each row: is it set here now, was it when saved
    macro_rules! overriding {
        ($f:ident) => {
            Signal::derive(move || own.read().$f.is_some())
        };
    }
    macro_rules! saved_own {
        ($f:ident) => {
            Signal::derive(move || saved.read().own.$f.is_some())
        };
    }
    macro_rules! reset {
        ($f:ident) => {
            move |()| own.update(|o| o.$f = None)
        };
    }
    let inv_error = errors.of("invitation_ttl");
    let reset_error = errors.of("reset_ttl");
    let preset_error = errors.of("password_preset");
    let min_error = errors.of("password_min_length");
    let format_error = errors.of("username_format");
    let role_error = errors.of("default_role");
    let language_error = errors.of("language");
    let deletion_error = errors.of("deletion_after_days");
    let idle_error = errors.of("session_idle_minutes");
    let max_error = errors.of("session_max_hours");
    let require_error = errors.of("require_two_factor");
    let require_value = move || {
        own.read()
            .require_two_factor
            .unwrap_or(eff().require_two_factor.value)
    };
    let required_text = move |on: bool, lang: Lang| {
        if on {
            Ui::TwoFactorRequired
        } else {
            Ui::TwoFactorOptional
        }
        .text(lang)
        .to_owned()
    };
    let set_inv = move || {
        let ttl = ttl_of(inv_n, inv_days);
        own.update(|o| o.invitation_ttl = Some(ttl));
    };
    let set_reset = move || {
        let ttl = ttl_of(reset_n, reset_days);
        own.update(|o| o.reset_ttl = Some(ttl));
    };
    let preset_value = move || {
        own.read()
            .password_preset
            .unwrap_or(eff().password_preset.value)
    };
    let format_value = move || {
        own.read()
            .username_format
            .unwrap_or(eff().username_format.value)
    };
    let language_value = move || own.read().language.unwrap_or(eff().language.value);
    let role_value = move || own.read().default_role.or(eff().default_role.value);
    let role_name = move |id: Option<RoleId>, lang: Lang| -> String {
        roles.with_value(|roles| {
            let found = match id {
                Some(id) => roles.iter().find(|r| r.id == id),
                None => roles
                    .iter()
                    .find(|r| r.builtin == Some(domain::BuiltinRole::User)),
            };
            match found {
                Some(r) => match r.builtin {
                    Some(domain::BuiltinRole::Admin) => Ui::RoleAdmin.text(lang).to_owned(),
                    Some(domain::BuiltinRole::User) => Ui::RoleUser.text(lang).to_owned(),
                    None => r.name.clone(),
                },
                None => Ui::RoleUser.text(lang).to_owned(),
            }
        })
    };

    view! {
        <form class="settings" novalidate on:submit=submit>
            <p class="lead">{t(Ui::SettingsLead)}</p>
            <SettingRow
                id="setting-invitation-ttl"
                label=Ui::InvitationValidity
                hint=Ui::TtlHint
                in_force=Signal::derive(move || ttl_text(eff().invitation_ttl.value, lang()))
                source=Signal::derive(move || eff().invitation_ttl.source)
                overriding=overriding!(invitation_ttl)
                saved_own=saved_own!(invitation_ttl)
                error=inv_error
                on_reset=reset!(invitation_ttl)
            >
                <input
                    type="number"
                    id="setting-invitation-ttl"
                    class="input input-narrow"
                    min="1"
                    inputmode="numeric"
                    aria-describedby=described("setting-invitation-ttl", true, inv_error)
                    aria-invalid=move || inv_error.get().is_some().then_some("true")
                    prop:value=move || inv_n.get()
                    on:input=move |ev| {
                        inv_n.set(event_target_value(&ev));
                        set_inv();
                    }
                />
                {ttl_unit("setting-invitation-ttl-unit", inv_days, set_inv)}
            </SettingRow>
            <SettingRow
                id="setting-reset-ttl"
                label=Ui::ResetValidity
                hint=Ui::TtlHint
                in_force=Signal::derive(move || ttl_text(eff().reset_ttl.value, lang()))
                source=Signal::derive(move || eff().reset_ttl.source)
                overriding=overriding!(reset_ttl)
                saved_own=saved_own!(reset_ttl)
                error=reset_error
                on_reset=reset!(reset_ttl)
            >
                <input
                    type="number"
                    id="setting-reset-ttl"
                    class="input input-narrow"
                    min="1"
                    inputmode="numeric"
                    aria-describedby=described("setting-reset-ttl", true, reset_error)
                    aria-invalid=move || reset_error.get().is_some().then_some("true")
                    prop:value=move || reset_n.get()
                    on:input=move |ev| {
                        reset_n.set(event_target_value(&ev));
                        set_reset();
                    }
                />
                {ttl_unit("setting-reset-ttl-unit", reset_days, set_reset)}
            </SettingRow>
            <SettingRow
                id="setting-preset"
                label=Ui::PasswordPresetLabel
                in_force=Signal::derive(move || {
                    let key = match eff().password_preset.value {
                        PasswordPreset::Default => Ui::PresetDefault,
                        PasswordPreset::Nist => Ui::PresetNist,
                    };
                    key.text(lang()).to_owned()
                })
                source=Signal::derive(move || eff().password_preset.source)
                overriding=overriding!(password_preset)
                saved_own=saved_own!(password_preset)
                error=preset_error
                on_reset=reset!(password_preset)
            >
                <select
                    id="setting-preset"
                    class="select"
                    aria-describedby=described("setting-preset", false, preset_error)
                    on:change=move |ev| {
                        let p = PasswordPreset::parse(&event_target_value(&ev));
                        own.update(|o| o.password_preset = p);
                    }
                >
                    <option value="default" prop:selected=move || preset_value() == PasswordPreset::Default>{t(Ui::PresetDefault)}</option>
                    <option value="nist" prop:selected=move || preset_value() == PasswordPreset::Nist>{t(Ui::PresetNist)}</option>
                </select>
            </SettingRow>
            <SettingRow
                id="setting-min-length"
                label=Ui::MinPasswordLength
                hint=Ui::MinLengthHint
                in_force=Signal::derive(move || {
                    let e = eff();
                    let n = e.password_policy().min_length.to_string();
                    if e.password_min_length.value.is_none() {
                        format!("{n} ({})", i18n.text(Ui::PresetMinimum))
                    } else {
                        n
                    }
                })
                source=Signal::derive(move || eff().password_min_length.source)
                overriding=overriding!(password_min_length)
                saved_own=saved_own!(password_min_length)
                error=min_error
                on_reset=reset!(password_min_length)
            >
                <input
                    type="number"
                    id="setting-min-length"
                    class="input input-narrow"
                    min="8"
                    max="128"
                    inputmode="numeric"
                    aria-describedby=described("setting-min-length", true, min_error)
                    aria-invalid=move || min_error.get().is_some().then_some("true")
                    prop:value=move || min_text.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        let n = text.trim().parse::<u16>().unwrap_or(0);
                        min_text.set(text);
                        own.update(|o| o.password_min_length = Some(n));
                    }
                />
            </SettingRow>
            <SettingRow
                id="setting-format"
                label=Ui::UsernameFormatLabel
                in_force=Signal::derive(move || format_label(eff().username_format.value).text(lang()).to_owned())
                source=Signal::derive(move || eff().username_format.source)
                overriding=overriding!(username_format)
                saved_own=saved_own!(username_format)
                error=format_error
                on_reset=reset!(username_format)
            >
                <select
                    id="setting-format"
                    class="select"
                    aria-describedby=described("setting-format", false, format_error)
                    on:change=move |ev| {
                        let f = UsernameFormat::parse(&event_target_value(&ev));
                        own.update(|o| o.username_format = f);
                    }
                >
                    {UsernameFormat::ALL
                        .into_iter()
                        .map(|f| view! { <option value=f.as_str() prop:selected=move || format_value() == f>{t(format_label(f))}</option> })
                        .collect_view()}
                </select>
            </SettingRow>
            <SettingRow
                id="setting-default-role"
                label=Ui::DefaultRole
                in_force=Signal::derive(move || role_name(eff().default_role.value, lang()))
                source=Signal::derive(move || eff().default_role.source)
                overriding=overriding!(default_role)
                saved_own=saved_own!(default_role)
                error=role_error
                on_reset=reset!(default_role)
            >
                <select
                    id="setting-default-role"
                    class="select"
                    disabled=roles.with_value(Vec::is_empty)
                    aria-describedby=described("setting-default-role", false, role_error)
                    on:change=move |ev| {
                        let id = RoleId::parse(&event_target_value(&ev));
                        own.update(|o| o.default_role = id);
                    }
                >
                    {move || {
                        let chosen = role_value();
                        let lang = lang();
                        roles
                            .get_value()
                            .into_iter()
                            .map(|r| {
                                let selected = chosen == Some(r.id)
                                    || (chosen.is_none() && r.builtin == Some(domain::BuiltinRole::User));
                                view! { <option value=r.id.to_string() selected=selected>{role_name(Some(r.id), lang)}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </SettingRow>
            <SettingRow
                id="setting-language"
                label=Ui::SettingsLanguage
                in_force=Signal::derive(move || eff().language.value.native_name().to_owned())
                source=Signal::derive(move || eff().language.source)
                overriding=overriding!(language)
                saved_own=saved_own!(language)
                error=language_error
                on_reset=reset!(language)
            >
                <select
                    id="setting-language"
                    class="select"
                    aria-describedby=described("setting-language", false, language_error)
                    on:change=move |ev| {
                        let l = Lang::from_tag(&event_target_value(&ev));
                        own.update(|o| o.language = l);
                    }
                >
                    {Lang::ALL
                        .into_iter()
                        .map(|l| view! { <option value=l.code() lang=l.code() prop:selected=move || language_value() == l>{l.native_name()}</option> })
                        .collect_view()}
                </select>
            </SettingRow>
            <SettingRow
                id="setting-deletion-days"
                label=Ui::DeletionAfter
                hint=Ui::DeletionHint
                in_force=Signal::derive(move || {
                    fill(i18n.text(Ui::DaysValue), &[&eff().deletion_after_days.value.to_string()])
                })
                source=Signal::derive(move || eff().deletion_after_days.source)
                overriding=overriding!(deletion_after_days)
                saved_own=saved_own!(deletion_after_days)
                error=deletion_error
                on_reset=reset!(deletion_after_days)
            >
                {number_input("setting-deletion-days", ("1", "3650"), deletion_text, deletion_error, move |n| {
                    own.update(|o| o.deletion_after_days = Some(n))
                })}
            </SettingRow>
            <SettingRow
                id="setting-session-idle"
                label=Ui::SessionIdleLabel
                hint=Ui::SessionIdleHint
                in_force=Signal::derive(move || {
                    fill(i18n.text(Ui::MinutesValue), &[&eff().session_idle_minutes.value.to_string()])
                })
                source=Signal::derive(move || eff().session_idle_minutes.source)
                overriding=overriding!(session_idle_minutes)
                saved_own=saved_own!(session_idle_minutes)
                error=idle_error
                on_reset=reset!(session_idle_minutes)
            >
                {number_input("setting-session-idle", ("5", "1440"), idle_text, idle_error, move |n| {
                    own.update(|o| o.session_idle_minutes = Some(n))
                })}
            </SettingRow>
            <SettingRow
                id="setting-session-max"
                label=Ui::SessionMaxLabel
                hint=Ui::SessionMaxHint
                in_force=Signal::derive(move || {
                    fill(i18n.text(Ui::HoursValue), &[&eff().session_max_hours.value.to_string()])
                })
                source=Signal::derive(move || eff().session_max_hours.source)
                overriding=overriding!(session_max_hours)
                saved_own=saved_own!(session_max_hours)
                error=max_error
                on_reset=reset!(session_max_hours)
            >
                {number_input("setting-session-max", ("1", "720"), max_text, max_error, move |n| {
                    own.update(|o| o.session_max_hours = Some(n))
                })}
            </SettingRow>
            <SettingRow
                id="setting-require-two-factor"
                label=Ui::RequireTwoFactorLabel
                hint=Ui::RequireTwoFactorHint
                in_force=Signal::derive(move || required_text(eff().require_two_factor.value, lang()))
                source=Signal::derive(move || eff().require_two_factor.source)
                overriding=overriding!(require_two_factor)
                saved_own=saved_own!(require_two_factor)
                error=require_error
                on_reset=reset!(require_two_factor)
            >
                <select
                    id="setting-require-two-factor"
                    class="select"
                    aria-describedby=described("setting-require-two-factor", true, require_error)
                    on:change=move |ev| {
                        let on = event_target_value(&ev) == "required";
                        own.update(|o| o.require_two_factor = Some(on));
                    }
                >
                    <option value="optional" prop:selected=move || !require_value()>{t(Ui::TwoFactorOptional)}</option>
                    <option value="required" prop:selected=require_value>{t(Ui::TwoFactorRequired)}</option>
                </select>
            </SettingRow>
            {move || errors.general().map(|e| view! { <ErrorAlert code=e.code/> })}
            <div class="button-row">
                <button
                    type="submit"
                    class="btn btn-primary"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || if pending.get() { i18n.text(Ui::Saving) } else { i18n.text(Ui::SaveSettings) }}
                </button>
            </div>
        </form>
    }
}

/// A whole-number setting's input: kept as typed (a half-typed value stays), and an unreadable
/// one passed on as 0, which the range check refuses beside the field.
fn number_input(
    id: &'static str,
    (min, max): (&'static str, &'static str),
    text: RwSignal<String>,
    error: Signal<Option<ErrorCode>>,
    set: impl Fn(u32) + 'static,
) -> impl IntoView {
    view! {
        <input
            type="number"
            id=id
            class="input input-narrow"
            min=min
            max=max
            inputmode="numeric"
            aria-describedby=described(id, true, error)
            aria-invalid=move || error.get().is_some().then_some("true")
            prop:value=move || text.get()
            on:input=move |ev| {
                let typed = event_target_value(&ev);
                let n = typed.trim().parse::<u32>().unwrap_or(0);
                text.set(typed);
                set(n);
            }
        />
    }
}

/// The hours / days select beside a validity period; choosing a unit changes the value.
fn ttl_unit(
    id: &'static str,
    days: RwSignal<bool>,
    changed: impl Fn() + Copy + 'static,
) -> impl IntoView {
    view! {
        <label for=id class="visually-hidden">{t(Ui::Unit)}</label>
        <select
            id=id
            class="select select-unit"
            on:change=move |ev| {
                days.set(event_target_value(&ev) == "days");
                changed();
            }
        >
            <option value="hours" prop:selected=move || !days.get()>{t(Ui::Hours)}</option>
            <option value="days" prop:selected=move || days.get()>{t(Ui::Days)}</option>
        </select>
    }
}

fn format_label(f: UsernameFormat) -> Ui {
    match f {
        UsernameFormat::FirstDotLast => Ui::FormatFirstLast,
        UsernameFormat::InitialLast => Ui::FormatInitialLast,
        UsernameFormat::LastDotFirst => Ui::FormatLastFirst,
    }
}
