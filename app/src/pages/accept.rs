//! `/accept#token`: the invitation link. The link is checked first; only a usable one shows the
//! form. The page speaks the invitation's language (the person can switch), shows who invited
//! them, and checks the password live with the client's policy before the worker checks it again.

use domain::api::{AcceptRequest, ErrorCode, InvitationView, Me};
use domain::i18n::{fill, Ui};
use domain::password::{Password, Personal};
use domain::{Email, PasswordRule, Permission, PersonName};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::field::{FormErrors, TextField};
use crate::components::password_checklist::PasswordChecklist;
use crate::components::toast::use_toasts;
use crate::i18n::{format_datetime, iso_datetime, page_title, t, use_i18n};
use crate::pages::{replace, Loading};
use crate::session::use_session;

/// Request fields shown with their own error message, and the inputs they belong to.
const FIELDS: [(&str, &str); 4] = [
    ("first_name", "accept-first-name"),
    ("surname", "accept-surname"),
    ("password", "accept-password"),
    ("password_confirmation", "accept-password-confirmation"),
];

/// The accept page.
#[component]
pub fn AcceptPage() -> impl IntoView {
    let i18n = use_i18n();
    // the token sits after `#`: the browser never sends it to a server, so no log or Referer holds it
    let location = use_location();
    let token = Memo::new(move |_| crate::pages::link_token(&location.hash.get()));
    let invitation = LocalResource::new(move || {
        let token = token.get();
        async move { api::invitation(&token).await }
    });
    // speak the invitation's language once it is known; the switcher still works afterwards
    Effect::new(move |_| {
        if let Some(Ok(view)) = invitation.get() {
            i18n.follow(view.language);
        }
    });

    view! {
        <Suspense fallback=|| view! { <Loading text=Ui::CheckingLink/> }>
            {move || Suspend::new(async move {
                match invitation.await {
                    Ok(view) => view! { <AcceptForm token=token.get_untracked() invitation=view/> }.into_any(),
                    Err(e) if is_link_problem(e.error.code) => {
                        view! { <LinkProblem code=e.error.code token=token.get_untracked()/> }.into_any()
                    }
                    Err(e) => {
                        view! {
                            <section class="card card-narrow">
                                <ErrorAlert code=e.error.code/>
                                <button type="button" class="btn btn-secondary" on:click=move |_| invitation.refetch()>
                                    {t(Ui::TryAgain)}
                                </button>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Answers that say the link itself is unusable (rather than that the worker could not be asked):
/// invitation and password-reset links alike, and links whose account was deactivated or deleted.
pub(crate) fn is_link_problem(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::InvitationNotFound
            | ErrorCode::InvitationExpired
            | ErrorCode::InvitationCancelled
            | ErrorCode::InvitationReplaced
            | ErrorCode::InvitationUsed
            | ErrorCode::LinkAccountDeactivated
            | ErrorCode::LinkAccountDeleted
            | ErrorCode::ResetNotFound
            | ErrorCode::ResetExpired
            | ErrorCode::ResetUsed
            | ErrorCode::NotFound
    )
}

/// Why the link cannot be used (expired, cancelled, replaced, used, unknown), before any password field.
#[component]
pub(crate) fn LinkProblem(
    code: ErrorCode,
    #[prop(optional)] title: Option<Ui>,
    /// An invitation link's token: a link that ran out, was cancelled or replaced offers to ask
    /// the inviting admin for a new one.
    #[prop(optional)]
    token: Option<String>,
) -> impl IntoView {
    let title = title.unwrap_or(Ui::InvitationProblem);
    page_title(move |lang| title.text(lang).to_owned());
    let i18n = use_i18n();
    let renewable = matches!(
        code,
        ErrorCode::InvitationExpired
            | ErrorCode::InvitationCancelled
            | ErrorCode::InvitationReplaced
    );
    let ask = Action::new_local(|token: &String| {
        let token = token.clone();
        async move { api::request_new_link(&token).await }
    });
    let asked = move || matches!(ask.value().get(), Some(Ok(())));
    let failed = move || {
        ask.value()
            .get()
            .and_then(Result::err)
            .map(|e| e.error.code)
    };
    let renew = token.filter(|_| renewable).map(|token| {
        view! {
            <Show
                when=asked
                fallback=move || {
                    let token = token.clone();
                    view! {
                        {move || failed().map(|code| view! { <ErrorAlert code=code/> })}
                        <button
                            type="button"
                            class="btn btn-primary"
                            disabled=move || ask.pending().get()
                            on:click=move |_| {
                                ask.dispatch(token.clone());
                            }
                        >
                            {move || if ask.pending().get() { i18n.text(Ui::AskingForNewLink) } else { i18n.text(Ui::AskForNewLink) }}
                        </button>
                    }
                }
            >
                <p class="alert alert-success" role="status">{t(Ui::NewLinkAsked)}</p>
            </Show>
        }
    });
    let new_reset = matches!(code, ErrorCode::ResetExpired | ErrorCode::ResetUsed).then(|| {
        view! { <A href="/forgot" attr:class="btn btn-primary">{t(Ui::RequestNewReset)}</A> }
    });
    view! {
        <section class="card card-narrow link-problem">
            <h1>{t(title)}</h1>
            <p class="alert alert-warning" role="alert">
                {move || code.text(i18n.lang())}
            </p>
            <p class="link-problem-actions">
                {renew}
                {new_reset}
                <A href="/signin" attr:class="btn btn-secondary">{t(Ui::GoToSignIn)}</A>
            </p>
        </section>
    }
}

#[component]
fn AcceptForm(token: String, invitation: InvitationView) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();

    let client_id = RwSignal::new(invitation.client_id.clone());
    let username = RwSignal::new(invitation.username.clone());
    let first_name = RwSignal::new(invitation.first_name.clone());
    let surname = RwSignal::new(invitation.surname.clone());
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let show_password = RwSignal::new(false);

    let policy = invitation.password_policy.clone();
    let rules = policy.rules();
    let personal_username = invitation.username.clone();
    let email_local_part = Email::parse(&invitation.email)
        .map(|e| e.local_part().to_owned())
        .unwrap_or_else(|_| {
            invitation
                .email
                .split('@')
                .next()
                .unwrap_or_default()
                .to_owned()
        });
    let unmet = Memo::new(move |_| {
        // nothing typed yet: nothing is ticked (an empty password "contains no username" too)
        if password.read().is_empty() {
            return policy.rules();
        }
        // the names as corrected on this page: the worker checks the ones it stores
        let (first, last) = (first_name.read(), surname.read());
        let personal = Personal {
            username: &personal_username,
            email_local_part: &email_local_part,
            first_name: first.trim(),
            surname: last.trim(),
        };
        policy.check(&Password::new(&password.read()), personal)
    });
    // compared as the worker compares them: after NFC normalisation
    let matches = Memo::new(move |_| {
        !confirmation.read().is_empty()
            && Password::new(&confirmation.read()) == Password::new(&password.read())
    });

    let accept = Action::new_local(move |request: &AcceptRequest| {
        let request = AcceptRequest {
            token: token.clone(),
            ..request.clone()
        };
        async move { api::accept_invitation(request).await }
    });
    let pending = accept.pending();
    let errors = FormErrors::new(&FIELDS);
    errors.clear_on_edit("first_name", first_name);
    errors.clear_on_edit("surname", surname);
    errors.clear_on_edit("password", password);
    errors.clear_on_edit("password_confirmation", confirmation);
    errors.clear_code_on_edit(ErrorCode::WeakPassword, password);
    let handled = StoredValue::new(0);
    Effect::new(move |_| {
        let version = accept.version().get();
        if version == handled.get_value() {
            return;
        }
        handled.set_value(version);
        match accept.value().get_untracked() {
            Some(Ok(me)) => signed_in(me, session, toasts, i18n.lang_untracked(), &navigate),
            Some(Err(e)) => {
                let mut error = e.error;
                if error.code == ErrorCode::WeakPassword {
                    // shown in the alert with the list of unmet rules, whatever field it names
                    error.field = None;
                }
                errors.answer(error);
            }
            None => {}
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        // names are checked here as the worker will; the password rules are left to the worker's
        // answer, so a person who submits anyway sees exactly what it refuses
        let mut problems = Vec::new();
        if let Err(e) = PersonName::parse(&first_name.get_untracked()) {
            problems.push(("first_name", ErrorCode::from(e)));
        }
        if let Err(e) = PersonName::parse(&surname.get_untracked()) {
            problems.push(("surname", ErrorCode::from(e)));
        }
        if !errors.check(problems) {
            return;
        }
        accept.dispatch(AcceptRequest {
            token: String::new(),
            first_name: first_name.get_untracked(),
            surname: surname.get_untracked(),
            password: password.get_untracked(),
            password_confirmation: confirmation.get_untracked(),
        });
    };

    let password_type = Signal::derive(move || {
        if show_password.get() {
            "text"
        } else {
            "password"
        }
    });
    let client_name = invitation.client_name.clone();
    page_title({
        let client_name = client_name.clone();
        move |lang| fill(Ui::AcceptTitle.text(lang), &[&client_name])
    });
    let invited_by = invitation.invited_by.clone();
    let expires_at = invitation.expires_at;
    let message = invitation.message.clone().filter(|m| !m.trim().is_empty());
    let message_by = invitation.invited_by.clone();

    view! {
        <section class="card card-accept">
            <h1>{move || fill(i18n.text(Ui::AcceptTitle), &[&client_name])}</h1>
            <p class="lead">{move || fill(i18n.text(Ui::AcceptLead), &[&invited_by])}</p>
            {message.map(|message| {
                view! {
                    <figure class="personal-message">
                        <figcaption>{move || fill(i18n.text(Ui::MessageFrom), &[&message_by])}</figcaption>
                        <blockquote>{message}</blockquote>
                    </figure>
                }
            })}
            <p class="expiry">
                <time datetime=iso_datetime(expires_at)>
                    {move || {
                        let lang = i18n.lang();
                        fill(Ui::AcceptExpires.text(lang), &[&format_datetime(expires_at, lang)])
                    }}
                </time>
            </p>
            <form class="form" novalidate on:submit=submit>
                <fieldset class="fieldset">
                    <legend>{t(Ui::YourDetails)}</legend>
                    <div class="field-row">
                        <TextField id="accept-client-id" label=Ui::ClientId value=client_id readonly=true/>
                        <TextField id="accept-username" label=Ui::Username value=username readonly=true autocomplete="username"/>
                    </div>
                    <div class="field-row">
                        <TextField
                            id="accept-first-name"
                            label=Ui::FirstName
                            value=first_name
                            required=true
                            autocomplete="given-name"
                            maxlength=PersonName::MAX
                            error=errors.of("first_name")
                        />
                        <TextField
                            id="accept-surname"
                            label=Ui::Surname
                            value=surname
                            required=true
                            autocomplete="family-name"
                            maxlength=PersonName::MAX
                            error=errors.of("surname")
                        />
                    </div>
                </fieldset>
                <fieldset class="fieldset">
                    <legend>{t(Ui::ChoosePassword)}</legend>
                    <TextField
                        id="accept-password"
                        label=Ui::Password
                        value=password
                        required=true
                        input_type=password_type
                        autocomplete="new-password"
                        described_by="accept-checklist"
                        error=errors.of("password")
                    />
                    <TextField
                        id="accept-password-confirmation"
                        label=Ui::ConfirmPassword
                        value=confirmation
                        required=true
                        input_type=password_type
                        autocomplete="new-password"
                        error=errors.of("password_confirmation")
                    />
                    <div class="checkbox">
                        <input
                            id="accept-show-password"
                            type="checkbox"
                            prop:checked=move || show_password.get()
                            on:change=move |ev| show_password.set(event_target_checked(&ev))
                        />
                        <label for="accept-show-password">{t(Ui::ShowPassword)}</label>
                    </div>
                    <PasswordChecklist id="accept-checklist" rules=rules unmet=unmet matches=matches/>
                </fieldset>
                // next to the button, where the person is looking after pressing it
                {move || {
                    errors
                        .general()
                        .map(|error| {
                            let rules = error.rules.clone();
                            view! {
                                <ErrorAlert code=error.code>
                                    {(!rules.is_empty())
                                        .then(|| {
                                            view! {
                                                <ul class="alert-list">
                                                    {rules
                                                        .into_iter()
                                                        .map(|rule: PasswordRule| view! { <li>{move || rule.text(i18n.lang())}</li> })
                                                        .collect_view()}
                                                </ul>
                                            }
                                        })}
                                </ErrorAlert>
                            }
                        })
                }}
                <button
                    type="submit"
                    class="btn btn-primary btn-block"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || if pending.get() { i18n.text(Ui::Accepting) } else { i18n.text(Ui::AcceptInvitation) }}
                </button>
            </form>
        </section>
    }
}

/// Accepted: the worker has signed the person in. Plain users land on their welcome page; admins
/// land on the users list, so they get the welcome as a toast.
fn signed_in(
    me: Me,
    session: crate::session::Session,
    toasts: crate::components::toast::Toasts,
    lang: domain::i18n::Lang,
    navigate: &impl Fn(&str, leptos_router::NavigateOptions),
) {
    if crate::access::may_here(&me, Permission::ViewAccounts) {
        toasts.show(fill(Ui::Welcome.text(lang), &[&me.first_name]));
    }
    session.set_just_accepted(true);
    session.signed_in(me);
    navigate("/", replace());
}
