//! `/security`: the signed-in person's own sign-in security. Two-factor authentication: set up
//! (password again; a QR code and the key to type; the first code confirms it; ten recovery codes
//! shown once, to download) or turned off (password and a code again).

use domain::api::{ApiError, ErrorCode, TwoFactorEnrolment};
use domain::i18n::Ui;
use leptos::prelude::*;

use crate::api;
use crate::components::dialog::{on_answer, FormDialog};
use crate::components::field::{FormErrors, TextField};
use crate::components::toast::use_toasts;
use crate::i18n::{page_title, t, use_i18n};
use crate::pages::signed_in_only;
use crate::session::use_session;

/// The page.
#[component]
pub fn SecurityPage() -> impl IntoView {
    page_title(|lang| Ui::SecurityTitle.text(lang).to_owned());
    signed_in_only(|me| {
        view! {
            <SecurityScreen
                on=me.two_factor
                must_enrol=me.must_enrol_two_factor
                company=me.home_client.name.clone()
                email=me.email.clone()
            />
        }
    })
}

/// Where the set-up is.
#[derive(Debug, Clone)]
enum Setup {
    /// Asking for the password.
    Password,
    /// The key is shown; waiting for its first code.
    Scan(TwoFactorEnrolment),
    /// On: the recovery codes, this once.
    Codes(Vec<String>),
}

#[component]
fn SecurityScreen(on: bool, must_enrol: bool, company: String, email: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let setup = RwSignal::new(None::<Setup>);
    let turning_off = RwSignal::new(false);
    let changing = RwSignal::new(None::<OwnChange>);
    // the session's account, read again after a change
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(me) = api::current_session().await {
                session.signed_in(me);
            }
        });
    };
    view! {
        <div class="page page-narrow">
            <div class="page-header">
                <div>
                    <h1 id="security-heading">{t(Ui::SecurityTitle)}</h1>
                    <p class="lead">{t(Ui::SecurityLead)}</p>
                </div>
            </div>
            {must_enrol.then(|| view! {
                <div class="alert alert-warning" role="alert" id="must-enrol">
                    <strong>{t(Ui::MustEnrolTitle)}</strong>
                    <p>{move || domain::i18n::fill(i18n.text(Ui::MustEnrolText), &[&company])}</p>
                </div>
            })}
            <section class="card" aria-labelledby="two-factor-heading">
                <div class="section-head">
                    <h2 id="two-factor-heading" class="section-title">{t(Ui::TwoFactorTitle)}</h2>
                    {if on {
                        view! { <span class="badge badge-accepted" data-two-factor="on"><span class="badge-dot" aria-hidden="true"></span>{t(Ui::TwoFactorOn)}</span> }.into_any()
                    } else {
                        view! { <span class="badge badge-cancelled" data-two-factor="off">{t(Ui::TwoFactorOff)}</span> }.into_any()
                    }}
                </div>
                <p class="note">{move || if on { i18n.text(Ui::TwoFactorOnText) } else { i18n.text(Ui::TwoFactorOffText) }}</p>
                <div class="button-row">
                    {if on {
                        view! {
                            <button type="button" class="btn btn-danger-quiet" on:click=move |_| turning_off.set(true)>
                                {t(Ui::TwoFactorTurnOff)}
                            </button>
                        }
                            .into_any()
                    } else {
                        view! {
                            <button type="button" class="btn btn-primary" on:click=move |_| setup.set(Some(Setup::Password))>
                                {t(Ui::TwoFactorSetUp)}
                            </button>
                        }
                            .into_any()
                    }}
                </div>
            </section>
            {(!must_enrol).then(|| view! {
                <section class="card" aria-labelledby="own-heading">
                    <h2 id="own-heading" class="section-title">{t(Ui::OwnPasswordEmailTitle)}</h2>
                    <div class="own-row">
                        <div>
                            <p class="own-label">{t(Ui::Password)}</p>
                            <p class="own-value">{t(Ui::OwnPasswordText)}</p>
                        </div>
                        <button type="button" class="btn btn-secondary btn-small" on:click=move |_| changing.set(Some(OwnChange::Password))>
                            {t(Ui::ChangeOwnPassword)}
                        </button>
                    </div>
                    <div class="own-row">
                        <div>
                            <p class="own-label">{t(Ui::Email)}</p>
                            <p class="own-value" data-own-email="">{email.clone()}</p>
                        </div>
                        <button type="button" class="btn btn-secondary btn-small" on:click=move |_| changing.set(Some(OwnChange::Email))>
                            {t(Ui::ChangeOwnEmail)}
                        </button>
                    </div>
                </section>
                <crate::components::sessions::Sessions/>
            })}
        </div>
        {move || setup.get().map(|step| match step {
            Setup::Password => view! {
                <PasswordDialog on_enrolment=move |e| setup.set(Some(Setup::Scan(e))) on_close=move |()| setup.set(None)/>
            }.into_any(),
            Setup::Scan(enrolment) => view! {
                <ScanDialog enrolment=enrolment on_enabled=move |codes| setup.set(Some(Setup::Codes(codes))) on_close=move |()| setup.set(None)/>
            }.into_any(),
            Setup::Codes(codes) => view! {
                <CodesDialog codes=codes on_close=move |()| { setup.set(None); refresh(); }/>
            }.into_any(),
        })}
        {move || changing.get().map(|what| view! {
            <OwnChangeDialog what=what two_factor=on on_done=move |()| { changing.set(None); refresh(); } on_close=move |()| changing.set(None)/>
        })}
        {move || turning_off.get().then(|| view! {
            <TurnOffDialog on_done=move |()| { turning_off.set(false); refresh(); } on_close=move |()| turning_off.set(false)/>
        })}
    }
}

/// Step 1: the password again.
#[component]
fn PasswordDialog(
    #[prop(into)] on_enrolment: Callback<TwoFactorEnrolment>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let errors = FormErrors::new(&[("password", "reauth-password")]);
    errors.clear_on_edit("password", password);
    let enrol = Action::new_local(|p: &String| api::two_factor_enrol(p.clone()));
    on_answer(
        enrol,
        move |r: Result<TwoFactorEnrolment, ApiError>| match r {
            Ok(e) => on_enrolment.run(e),
            Err(e) => errors.answer(e.error),
        },
    );
    view! {
        <FormDialog
            id="reauth"
            title=Signal::derive(move || i18n.text(Ui::TwoFactorSetUp).to_owned())
            lead=Signal::derive(move || i18n.text(Ui::ReauthLead).to_owned())
            submit=Ui::Continue
            submitting=Ui::Verifying
            pending=enrol.pending()
            on_submit=move |()| {
                if password.get_untracked().is_empty() {
                    errors.check(vec![("password", ErrorCode::FieldMissing)]);
                } else {
                    enrol.dispatch(password.get_untracked());
                }
            }
            on_close=on_close
        >
            <TextField id="reauth-password" label=Ui::Password value=password input_type="password" autocomplete="current-password" autofocus=true error=errors.of("password")/>
            {move || errors.general().map(|e| view! { <crate::components::alert::ErrorAlert code=e.code/> })}
        </FormDialog>
    }
}

/// Step 2: the QR code and the key; the first code confirms.
#[component]
fn ScanDialog(
    enrolment: TwoFactorEnrolment,
    #[prop(into)] on_enabled: Callback<Vec<String>>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let errors = FormErrors::new(&[("code", "enrol-code")]);
    errors.clear_on_edit("code", code);
    let confirm = Action::new_local(|c: &String| api::two_factor_confirm(c.clone()));
    on_answer(
        confirm,
        move |r: Result<domain::api::TwoFactorEnabled, ApiError>| match r {
            Ok(done) => on_enabled.run(done.recovery_codes),
            Err(e) => errors.answer(e.error),
        },
    );
    // the worker's SVG as an image: no markup of it enters the page
    let qr = format!(
        "data:image/svg+xml;base64,{}",
        crate::dom::base64(enrolment.qr_svg.as_bytes())
    );
    view! {
        <FormDialog
            id="scan"
            title=Signal::derive(move || i18n.text(Ui::ScanTitle).to_owned())
            lead=Signal::derive(move || i18n.text(Ui::ScanLead).to_owned())
            submit=Ui::TwoFactorTurnOn
            submitting=Ui::Verifying
            pending=confirm.pending()
            dirty=Signal::stored(true)
            on_submit=move |()| {
                if !domain::totp::is_well_formed(&code.get_untracked()) {
                    errors.check(vec![("code", ErrorCode::InvalidCode)]);
                } else {
                    confirm.dispatch(code.get_untracked());
                }
            }
            on_close=on_close
        >
            <div class="enrol">
                <img class="enrol-qr" src=qr width="200" height="200" alt=move || i18n.text(Ui::QrAlt).to_owned()/>
                <div class="enrol-key">
                    <p class="label" id="enrol-key-label">{t(Ui::ManualKey)}</p>
                    <code class="mono key" aria-labelledby="enrol-key-label" data-key=enrolment.key.clone()>{enrolment.key.clone()}</code>
                </div>
            </div>
            <TextField id="enrol-code" label=Ui::TwoStepCode value=code autocomplete="one-time-code" autofocus=true error=errors.of("code")/>
        </FormDialog>
    }
}

/// Step 3: the recovery codes, this once.
#[component]
fn CodesDialog(codes: Vec<String>, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let text = codes.join("\r\n");
    let download = move |()| {
        crate::dom::download(
            "gatehouse-recovery-codes.txt",
            "text/plain;charset=utf-8",
            &text,
        );
    };
    view! {
        <FormDialog
            id="codes"
            title=Signal::derive(move || i18n.text(Ui::RecoveryCodesTitle).to_owned())
            lead=Signal::derive(move || i18n.text(Ui::RecoveryCodesLead).to_owned())
            submit=Ui::RecoveryCodesDownload
            submitting=Ui::RecoveryCodesDownload
            pending=Signal::stored(false)
            dismiss=Ui::RecoveryCodesSaved
            on_submit=Callback::new(download)
            on_close=Callback::new(move |()| {
                toasts.show(Ui::TwoFactorOnToast.text(i18n.lang_untracked()).to_owned());
                on_close.run(());
            })
        >
            <ol class="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code class="mono">{c}</code></li> }).collect_view()}
            </ol>
        </FormDialog>
    }
}

/// Turning it off: password and a code again.
#[component]
fn TurnOffDialog(
    #[prop(into)] on_done: Callback<()>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let errors = FormErrors::new(&[("password", "off-password"), ("code", "off-code")]);
    errors.clear_on_edit("password", password);
    errors.clear_on_edit("code", code);
    let off = Action::new_local(|(p, c): &(String, String)| {
        api::two_factor_disable(p.clone(), c.clone())
    });
    on_answer(off, move |r: Result<(), ApiError>| match r {
        Ok(()) => {
            toasts.show(Ui::TwoFactorOffToast.text(i18n.lang_untracked()).to_owned());
            on_done.run(());
        }
        Err(e) => errors.answer(e.error),
    });
    view! {
        <FormDialog
            id="off"
            title=Signal::derive(move || i18n.text(Ui::TwoFactorTurnOff).to_owned())
            lead=Signal::derive(move || i18n.text(Ui::TwoFactorOffLead).to_owned())
            submit=Ui::TwoFactorTurnOff
            submitting=Ui::Verifying
            danger=true
            pending=off.pending()
            on_submit=move |()| {
                let mut problems = vec![];
                if password.get_untracked().is_empty() {
                    problems.push(("password", ErrorCode::FieldMissing));
                }
                if !domain::totp::is_well_formed(&code.get_untracked()) {
                    problems.push(("code", ErrorCode::InvalidCode));
                }
                if errors.check(problems) {
                    off.dispatch((password.get_untracked(), code.get_untracked()));
                }
            }
            on_close=on_close
        >
            <TextField id="off-password" label=Ui::Password value=password input_type="password" autocomplete="current-password" autofocus=true error=errors.of("password")/>
            <TextField id="off-code" label=Ui::TwoStepCode value=code autocomplete="one-time-code" error=errors.of("code")/>
        </FormDialog>
    }
}

/// What the person changes of their own account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OwnChange {
    Password,
    Email,
}

/// One's own new password or e-mail address, with the current password (and a code) again.
#[component]
fn OwnChangeDialog(
    what: OwnChange,
    two_factor: bool,
    #[prop(into)] on_done: Callback<()>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let session = use_session();
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let new_value = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let errors = FormErrors::new(&[
        ("password", "own-password"),
        ("code", "own-code"),
        ("new_password", "own-new"),
        ("email", "own-new"),
        ("new_password_confirmation", "own-confirm"),
    ]);
    for (field, signal) in [
        ("password", password),
        ("code", code),
        ("new_password", new_value),
        ("email", new_value),
        ("new_password_confirmation", confirmation),
    ] {
        errors.clear_on_edit(field, signal);
    }
    let save = Action::new_local(move |(): &()| {
        let password = password.get_untracked();
        let code = two_factor.then(|| code.get_untracked());
        let new_value = new_value.get_untracked();
        let confirmation = confirmation.get_untracked();
        async move {
            match what {
                OwnChange::Password => {
                    api::change_own_password(domain::api::PasswordChangeRequest {
                        password,
                        code,
                        new_password: new_value,
                        new_password_confirmation: confirmation,
                    })
                    .await
                }
                OwnChange::Email => {
                    api::change_own_email(domain::api::EmailChangeRequest {
                        password,
                        code,
                        email: new_value,
                    })
                    .await
                }
            }
        }
    });
    on_answer(save, move |r: Result<domain::api::Me, ApiError>| match r {
        Ok(me) => {
            let toast = match what {
                OwnChange::Password => Ui::PasswordChangedToast,
                OwnChange::Email => Ui::OwnEmailChangedToast,
            };
            toasts.show(toast.text(i18n.lang_untracked()).to_owned());
            session.signed_in(me);
            on_done.run(());
        }
        Err(e) => errors.answer(e.error),
    });
    let (title, lead, new_label) = match what {
        OwnChange::Password => (
            Ui::ChangeOwnPassword,
            Ui::ChangeOwnPasswordLead,
            Ui::NewPassword,
        ),
        OwnChange::Email => (Ui::ChangeOwnEmail, Ui::ChangeOwnEmailLead, Ui::NewEmail),
    };
    let new_error = errors.of(match what {
        OwnChange::Password => "new_password",
        OwnChange::Email => "email",
    });
    view! {
        <FormDialog
            id="own"
            title=Signal::derive(move || i18n.text(title).to_owned())
            lead=Signal::derive(move || i18n.text(lead).to_owned())
            submit=Ui::Save
            submitting=Ui::Saving
            pending=save.pending()
            on_submit=move |()| {
                let mut problems = vec![];
                if password.get_untracked().is_empty() {
                    problems.push(("password", ErrorCode::FieldMissing));
                }
                if two_factor && code.get_untracked().trim().is_empty() {
                    problems.push(("code", ErrorCode::FieldMissing));
                }
                if new_value.get_untracked().is_empty() {
                    problems.push((if what == OwnChange::Password { "new_password" } else { "email" }, ErrorCode::FieldMissing));
                }
                if errors.check(problems) {
                    save.dispatch(());
                }
            }
            on_close=on_close
        >
            <TextField id="own-password" label=Ui::CurrentPassword value=password input_type="password" autocomplete="current-password" autofocus=true error=errors.of("password")/>
            {two_factor.then(|| view! {
                <TextField id="own-code" label=Ui::TwoStepCode value=code autocomplete="one-time-code" error=errors.of("code")/>
            })}
            {match what {
                OwnChange::Password => view! {
                    <TextField id="own-new" label=new_label value=new_value input_type="password" autocomplete="new-password" error=new_error/>
                    <TextField id="own-confirm" label=Ui::ConfirmNewPassword value=confirmation input_type="password" autocomplete="new-password" error=errors.of("new_password_confirmation")/>
                }.into_any(),
                OwnChange::Email => view! {
                    <TextField id="own-new" label=new_label value=new_value input_type="email" autocomplete="email" error=new_error/>
                }.into_any(),
            }}
            {move || errors.general().map(|e| view! { <crate::components::alert::ErrorAlert code=e.code/> })}
        </FormDialog>
    }
}
