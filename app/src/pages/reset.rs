//! `/forgot`: "Forgot your password?" (the same confirmation whether or not an account matches),
//! and `/reset#token`: the reset link, checked first, then a new password with the same live
//! checklist as the accept page; saving signs the person in (every other session ends).

use domain::api::{ErrorCode, ForgotPasswordRequest, ResetPasswordRequest, ResetView};
use domain::i18n::{fill, Ui};
use domain::password::{Password, Personal};
use domain::PasswordRule;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::field::{FormErrors, TextField};
use crate::components::password_checklist::PasswordChecklist;
use crate::components::toast::use_toasts;
use crate::i18n::{format_datetime, page_title, t, use_i18n};
use crate::pages::accept::{is_link_problem, LinkProblem};
use crate::pages::{replace, Loading};
use crate::session::use_session;

const FORGOT_FIELDS: [(&str, &str); 2] =
    [("client_id", "forgot-client-id"), ("login", "forgot-login")];

/// The "forgot your password?" page.
#[component]
pub fn ForgotPage() -> impl IntoView {
    page_title(|lang| Ui::ForgotTitle.text(lang).to_owned());
    let i18n = use_i18n();
    let client_id = RwSignal::new(String::new());
    let login = RwSignal::new(String::new());
    let sent = RwSignal::new(false);
    let errors = FormErrors::new(&FORGOT_FIELDS);
    errors.clear_on_edit("client_id", client_id);
    errors.clear_on_edit("login", login);
    let ask = Action::new_local(|r: &ForgotPasswordRequest| api::forgot_password(r.clone()));
    let pending = ask.pending();
    crate::components::dialog::on_answer(ask, move |result: Result<(), domain::api::ApiError>| {
        match result {
            Ok(()) => sent.set(true),
            Err(e) => errors.answer(e.error),
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let mut problems = vec![];
        if client_id.get_untracked().trim().is_empty() {
            problems.push(("client_id", ErrorCode::FieldMissing));
        }
        if login.get_untracked().trim().is_empty() {
            problems.push(("login", ErrorCode::FieldMissing));
        }
        if !errors.check(problems) {
            return;
        }
        ask.dispatch(ForgotPasswordRequest {
            client_id: client_id.get_untracked().trim().to_owned(),
            login: login.get_untracked().trim().to_owned(),
        });
    };
    view! {
        <section class="card card-auth">
            <h1>{t(Ui::ForgotTitle)}</h1>
            {move || if sent.get() {
                view! {
                    <p class="alert alert-success" role="status">{t(Ui::ForgotSent)}</p>
                    <p><A href="/signin" attr:class="btn btn-secondary">{t(Ui::BackToSignIn)}</A></p>
                }.into_any()
            } else {
                view! {
                    <p class="lead">{t(Ui::ForgotLead)}</p>
                    <form class="form" novalidate on:submit=submit>
                        {move || errors.general().map(|e| view! { <ErrorAlert code=e.code/> })}
                        <TextField id="forgot-client-id" label=Ui::ClientId value=client_id autofocus=true error=errors.of("client_id")/>
                        <TextField id="forgot-login" label=Ui::UsernameOrEmail value=login autocomplete="username" error=errors.of("login")/>
                        <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get() aria-busy=move || pending.get().then_some("true")>
                            {move || if pending.get() { i18n.text(Ui::Sending) } else { i18n.text(Ui::SendResetLink) }}
                        </button>
                    </form>
                    <p class="auth-footer"><A href="/signin">{t(Ui::BackToSignIn)}</A></p>
                }.into_any()
            }}
        </section>
    }
}

/// The reset link's page.
#[component]
pub fn ResetPage() -> impl IntoView {
    let i18n = use_i18n();
    // the token sits after `#`: the browser never sends it to a server, so no log or Referer holds it
    let location = use_location();
    let token = Memo::new(move |_| crate::pages::link_token(&location.hash.get()));
    let reset = LocalResource::new(move || {
        let token = token.get();
        async move { api::password_reset(&token).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(view)) = reset.get() {
            i18n.follow(view.language);
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading text=Ui::CheckingLink/> }>
            {move || Suspend::new(async move {
                match reset.await {
                    Ok(view) => view! { <ResetForm token=token.get_untracked() reset=view/> }.into_any(),
                    Err(e) if is_link_problem(e.error.code) => {
                        view! {
                            <LinkProblem code=e.error.code title=Ui::ResetProblem/>
                            <p class="center"><A href="/forgot">{t(Ui::ForgotPassword)}</A></p>
                        }.into_any()
                    }
                    Err(e) => view! {
                        <section class="card card-narrow">
                            <ErrorAlert code=e.error.code/>
                            <button type="button" class="btn btn-secondary" on:click=move |_| reset.refetch()>{t(Ui::TryAgain)}</button>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

const RESET_FIELDS: [(&str, &str); 2] = [
    ("password", "reset-password"),
    ("password_confirmation", "reset-password-confirmation"),
];

#[component]
fn ResetForm(token: String, reset: ResetView) -> impl IntoView {
    page_title(|lang| Ui::ResetTitle.text(lang).to_owned());
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let policy = reset.password_policy.clone();
    let rules = policy.rules();
    let (username, first, last) = (
        reset.username.clone(),
        reset.first_name.clone(),
        reset.surname.clone(),
    );
    let unmet = Memo::new(move |_| {
        if password.read().is_empty() {
            return policy.rules();
        }
        // the e-mail's local part is checked by the worker; the page knows the names and username
        policy.check(
            &Password::new(&password.read()),
            Personal {
                username: &username,
                email_local_part: "",
                first_name: &first,
                surname: &last,
            },
        )
    });
    let matches = Memo::new(move |_| {
        !confirmation.read().is_empty()
            && Password::new(&confirmation.read()) == Password::new(&password.read())
    });
    let errors = FormErrors::new(&RESET_FIELDS);
    errors.clear_on_edit("password", password);
    errors.clear_on_edit("password_confirmation", confirmation);
    errors.clear_code_on_edit(ErrorCode::WeakPassword, password);
    let save = Action::new_local(move |r: &ResetPasswordRequest| {
        let r = ResetPasswordRequest {
            token: token.clone(),
            ..r.clone()
        };
        async move { api::complete_password_reset(r).await }
    });
    let pending = save.pending();
    crate::components::dialog::on_answer(
        save,
        move |result: Result<domain::api::Me, domain::api::ApiError>| match result {
            Ok(me) => {
                toasts.show(i18n.text(Ui::PasswordChangedToast).to_owned());
                session.signed_in(me);
                navigate("/", replace());
            }
            Err(e) => {
                let mut error = e.error;
                if error.code == ErrorCode::WeakPassword {
                    error.field = None;
                }
                errors.answer(error);
            }
        },
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        errors.clear();
        save.dispatch(ResetPasswordRequest {
            token: String::new(),
            password: password.get_untracked(),
            password_confirmation: confirmation.get_untracked(),
        });
    };
    let who = reset.username.clone();
    let client = reset.client_name.clone();
    let until = reset.expires_at;
    view! {
        <section class="card card-auth">
            <h1>{t(Ui::ResetTitle)}</h1>
            <p class="lead">{move || fill(i18n.text(Ui::ResetLead), &[&who, &client])}</p>
            <p class="expiry">{move || fill(i18n.text(Ui::ResetExpiresAt), &[&format_datetime(until, i18n.lang())])}</p>
            <form class="form" novalidate on:submit=submit>
                <TextField id="reset-password" label=Ui::Password value=password required=true input_type=Signal::stored("password")
                    autocomplete="new-password" described_by="reset-checklist" error=errors.of("password")/>
                <TextField id="reset-password-confirmation" label=Ui::ConfirmPassword value=confirmation required=true
                    input_type=Signal::stored("password") autocomplete="new-password" error=errors.of("password_confirmation")/>
                <PasswordChecklist id="reset-checklist" rules=rules unmet=unmet matches=matches/>
                {move || errors.general().map(|error| {
                    let rules = error.rules.clone();
                    view! {
                        <ErrorAlert code=error.code>
                            {(!rules.is_empty()).then(|| view! {
                                <ul class="alert-list">
                                    {rules.into_iter().map(|rule: PasswordRule| view! { <li>{move || rule.text(i18n.lang())}</li> }).collect_view()}
                                </ul>
                            })}
                        </ErrorAlert>
                    }
                })}
                <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get() aria-busy=move || pending.get().then_some("true")>
                    {move || if pending.get() { i18n.text(Ui::Saving) } else { i18n.text(Ui::SetNewPassword) }}
                </button>
            </form>
        </section>
    }
}
