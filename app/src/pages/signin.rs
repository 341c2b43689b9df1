//! `/signin`: client ID, username and password; then, for an account with two-factor
//! authentication, the code from its authenticator app (or a recovery code).

use domain::api::LoginRequest;
use domain::i18n::Ui;
use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::field::{FormErrors, TextField};
use crate::i18n::{page_title, t, use_i18n};
use crate::pages::{replace, Loading};
use crate::session::{use_session, SessionState};

/// Request fields shown with their own error message, and the inputs they belong to.
const FIELDS: [(&str, &str); 3] = [
    ("client_id", "signin-client-id"),
    ("username", "signin-username"),
    ("password", "signin-password"),
];

/// The sign-in page; signed-in people are sent on to `/`.
#[component]
pub fn SignInPage() -> impl IntoView {
    page_title(|lang| Ui::SignIn.text(lang).to_owned());
    let session = use_session();
    let state = Memo::new(move |_| session.state());
    move || match state.get() {
        SessionState::Checking => view! { <Loading/> }.into_any(),
        SessionState::SignedIn(_) => view! { <Redirect path="/" options=replace()/> }.into_any(),
        SessionState::SignedOut | SessionState::Unreachable(_) => {
            view! { <SignInForm/> }.into_any()
        }
    }
}

#[component]
fn SignInForm() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let client_id = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let sign_in = Action::new_local(|request: &LoginRequest| api::sign_in(request.clone()));
    // the password was right and the account has a second factor: its code comes next
    let second_step = RwSignal::new(false);
    // the code step ran out: back to the password, saying why
    let expired = RwSignal::new(false);
    let pending = sign_in.pending();
    let errors = FormErrors::new(&FIELDS);
    errors.clear_on_edit("client_id", client_id);
    errors.clear_on_edit("username", username);
    errors.clear_on_edit("password", password);
    let handled = StoredValue::new(0);
    Effect::new(move |_| {
        let version = sign_in.version().get();
        if version == handled.get_value() {
            return;
        }
        handled.set_value(version);
        match sign_in.value().get_untracked() {
            // the page turns into a redirect to `/`
            Some(Ok(api::SignInAnswer::SignedIn(me))) => session.signed_in(*me),
            Some(Ok(api::SignInAnswer::SecondFactor)) => {
                password.set(String::new());
                second_step.set(true);
            }
            Some(Err(e)) => errors.answer(e.error),
            None => {}
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        errors.clear();
        sign_in.dispatch(LoginRequest {
            client_id: client_id.get_untracked().trim().to_owned(),
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        });
    };

    view! {
        <Show when=move || !second_step.get() fallback=move || view! {
            <CodeStep on_expired=move |()| { second_step.set(false); expired.set(true); }/>
        }>
        <section class="card card-auth">
            <h1>{t(Ui::SignInTitle)}</h1>
            <p class="lead">{t(Ui::SignInLead)}</p>
            <form class="form" novalidate on:submit=submit>
                {move || expired.get().then(|| view! { <ErrorAlert code=domain::api::ErrorCode::SignInExpired/> })}
                {move || errors.general().map(|e| view! { <ErrorAlert code=e.code/> })}
                <TextField
                    id="signin-client-id"
                    label=Ui::ClientId
                    value=client_id
                    autofocus=true
                    error=errors.of("client_id")
                />
                <TextField
                    id="signin-username"
                    label=Ui::Username
                    value=username
                    autocomplete="username"
                    error=errors.of("username")
                />
                <TextField
                    id="signin-password"
                    label=Ui::Password
                    value=password
                    input_type="password"
                    autocomplete="current-password"
                    error=errors.of("password")
                />
                <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get() aria-busy=move || pending.get().then_some("true")>
                    {move || if pending.get() { i18n.text(Ui::SigningIn) } else { i18n.text(Ui::SignIn) }}
                </button>
            </form>
            <p class="auth-footer">
                <leptos_router::components::A href="/forgot">{t(Ui::ForgotPassword)}</leptos_router::components::A>
            </p>
        </section>
        </Show>
    }
}

/// The second step: six digits from the authenticator app, or one of the recovery codes.
#[component]
fn CodeStep(#[prop(into)] on_expired: Callback<()>) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let recovery = RwSignal::new(false);
    let errors = FormErrors::new(&[("code", "signin-code")]);
    errors.clear_on_edit("code", code);
    let verify = Action::new_local(|code: &String| api::second_factor(code.clone()));
    let pending = verify.pending();
    crate::components::dialog::on_answer(
        verify,
        move |result: Result<domain::api::Me, domain::api::ApiError>| match result {
            Ok(me) => session.signed_in(me),
            Err(e) if e.error.code == domain::api::ErrorCode::SignInExpired => on_expired.run(()),
            Err(e) => errors.answer(e.error),
        },
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let typed = code.get_untracked();
        if !domain::totp::is_well_formed(&typed) {
            errors.check(vec![("code", domain::api::ErrorCode::InvalidCode)]);
            return;
        }
        errors.clear();
        verify.dispatch(typed);
    };
    view! {
        <section class="card card-auth">
            <h1>{t(Ui::TwoStepTitle)}</h1>
            <p class="lead">
                {move || if recovery.get() { i18n.text(Ui::TwoStepRecoveryLead) } else { i18n.text(Ui::TwoStepLead) }}
            </p>
            <form class="form" novalidate on:submit=submit>
                {move || errors.general().map(|e| view! { <ErrorAlert code=e.code/> })}
                <TextField
                    id="signin-code"
                    label=Ui::TwoStepCode
                    value=code
                    autocomplete="one-time-code"
                    autofocus=true
                    error=errors.of("code")
                />
                <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get() aria-busy=move || pending.get().then_some("true")>
                    {move || if pending.get() { i18n.text(Ui::Verifying) } else { i18n.text(Ui::Verify) }}
                </button>
            </form>
            <p class="auth-footer">
                <button type="button" class="link-button" on:click=move |_| recovery.update(|r| *r = !*r)>
                    {move || if recovery.get() { i18n.text(Ui::UseAppCode) } else { i18n.text(Ui::UseRecoveryCode) }}
                </button>
            </p>
        </section>
    }
}
