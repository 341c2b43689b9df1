//! The account page's actions: edit details, deactivate or activate, send a password reset,
//! reset the account, copy a fresh invitation link, delete. Which ones show follows from
//! `domain::lifecycle`, the same rule the worker applies; each asks first and shows the worker's
//! refusal (a second admin may have acted in between) in its dialog. Also the account's history.

use domain::api::{ApiError, AuditEventView, CopiedLink, ErrorCode, UpdateAccountRequest, UserRow};
use domain::i18n::{fill, Ui};
use domain::lifecycle::{Action as Life, Lifecycle};
use domain::{AccountId, Email, PersonName, Timestamp, Username};
use leptos::prelude::*;

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::dialog::{on_answer, ConfirmDialog, FormDialog};
use crate::components::field::{FormErrors, TextField};
use crate::components::toast::use_toasts;
use crate::i18n::{format_datetime, iso_datetime, t, use_i18n};

/// One action on the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Deactivate,
    Activate,
    PasswordReset,
    SecurityReport,
    ResetAccount,
    CopyLink,
    Delete,
}

impl Act {
    const ALL: [Act; 7] = [
        Act::Deactivate,
        Act::Activate,
        Act::PasswordReset,
        Act::SecurityReport,
        Act::ResetAccount,
        Act::CopyLink,
        Act::Delete,
    ];

    fn lifecycle(self) -> Life {
        match self {
            Act::Deactivate => Life::Deactivate,
            Act::Activate => Life::Activate,
            Act::PasswordReset => Life::ResetPassword,
            Act::SecurityReport => Life::SecurityReport,
            Act::ResetAccount => Life::ResetAccount,
            Act::CopyLink => Life::CopyLink,
            Act::Delete => Life::Delete,
        }
    }

    /// Button, question, explanation, confirming text, toast; whether it is hard to undo.
    fn texts(self) -> (Ui, Ui, Ui, Ui, Option<Ui>, bool) {
        match self {
            Act::Deactivate => (
                Ui::Deactivate,
                Ui::DeactivateQuestion,
                Ui::DeactivateText,
                Ui::Deactivating,
                Some(Ui::AccountDeactivatedToast),
                true,
            ),
            Act::Activate => (
                Ui::Activate,
                Ui::ActivateQuestion,
                Ui::ActivateText,
                Ui::Activating,
                Some(Ui::AccountActivatedToast),
                false,
            ),
            Act::PasswordReset => (
                Ui::SendPasswordReset,
                Ui::PasswordResetQuestion,
                Ui::PasswordResetText,
                Ui::SendingPasswordReset,
                Some(Ui::PasswordResetSentToast),
                false,
            ),
            Act::SecurityReport => (
                Ui::SendSecurityReport,
                Ui::SecurityReportQuestion,
                Ui::SecurityReportText,
                Ui::SendingPasswordReset,
                Some(Ui::SecurityReportSentToast),
                false,
            ),
            Act::ResetAccount => (
                Ui::ResetAccount,
                Ui::ResetAccountQuestion,
                Ui::ResetAccountText,
                Ui::ResettingAccount,
                Some(Ui::AccountResetToast),
                true,
            ),
            Act::CopyLink => (
                Ui::CopyInvitationLink,
                Ui::CopyLinkQuestion,
                Ui::CopyLinkText,
                Ui::CreatingLink,
                None,
                false,
            ),
            Act::Delete => (
                Ui::DeleteAccount,
                Ui::DeleteAccountQuestion,
                Ui::DeleteAccountText,
                Ui::Deleting,
                Some(Ui::AccountDeletedToast),
                true,
            ),
        }
    }

    /// Acting on oneself would lock one out: the worker refuses it, so it is not offered.
    fn on_others_only(self) -> bool {
        self.lifecycle().spares_own_account()
    }
}

/// What an action answered.
#[derive(Debug, Clone)]
enum Outcome {
    Row,
    Deleted,
    Link(CopiedLink),
}

async fn run(id: AccountId, act: Act) -> Result<Outcome, ApiError> {
    match act {
        Act::Deactivate => api::account_action(id, "deactivate")
            .await
            .map(|_| Outcome::Row),
        Act::Activate => api::account_action(id, "activate")
            .await
            .map(|_| Outcome::Row),
        Act::PasswordReset => api::account_action(id, "password-reset")
            .await
            .map(|_| Outcome::Row),
        Act::SecurityReport => api::account_action(id, "security-report")
            .await
            .map(|_| Outcome::Row),
        Act::ResetAccount => api::account_action(id, "reset").await.map(|_| Outcome::Row),
        Act::CopyLink => api::copy_invitation_link(id).await.map(Outcome::Link),
        Act::Delete => api::delete_account(id).await.map(|_| Outcome::Deleted),
    }
}

/// The actions card.
#[component]
pub fn AccountActions(
    /// The account as listed.
    user: UserRow,
    /// The signed-in admin's own account (not acted on).
    me: AccountId,
    /// May copy invitation links.
    may_copy: bool,
    /// Something changed: read the account again.
    #[prop(into)]
    on_changed: Callback<()>,
    /// The account was deleted: leave the page.
    #[prop(into)]
    on_deleted: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let now = Timestamp(js_sys::Date::now() as i64);
    let state = Lifecycle::of_badge(user.badge);
    let own = user.id == me;
    let offered: Vec<Act> = Act::ALL
        .into_iter()
        .filter(|a| state.allows(a.lifecycle(), now))
        .filter(|a| !(own && a.on_others_only()))
        .filter(|a| *a != Act::CopyLink || may_copy)
        .collect();
    let asking = RwSignal::new(None::<Act>);
    let refusal = RwSignal::new(None::<ErrorCode>);
    let link = RwSignal::new(None::<CopiedLink>);
    let editing = RwSignal::new(false);
    let id = user.id;
    let name = user.full_name();
    let act = Action::new_local(move |a: &Act| {
        let a = *a;
        async move { run(id, a).await.map(|o| (a, o)) }
    });
    {
        let name = name.clone();
        on_answer(
            act,
            move |result: Result<(Act, Outcome), ApiError>| match result {
                Ok((a, outcome)) => {
                    asking.set(None);
                    if let Some(toast) = a.texts().4 {
                        toasts.show(fill(i18n.text(toast), &[&name]));
                    }
                    match outcome {
                        Outcome::Row => on_changed.run(()),
                        Outcome::Deleted => on_deleted.run(()),
                        Outcome::Link(copied) => {
                            link.set(Some(copied));
                            on_changed.run(());
                        }
                    }
                }
                Err(e) => refusal.set(Some(e.error.code)),
            },
        );
    }
    let buttons = offered
        .iter()
        .map(|a| {
            let a = *a;
            let (label, ..) = a.texts();
            let danger = a == Act::Delete;
            view! {
                <button
                    type="button"
                    class=if danger { "btn btn-danger-quiet" } else { "btn btn-secondary" }
                    data-action=format!("{a:?}").to_lowercase()
                    on:click=move |_| {
                        refusal.set(None);
                        asking.set(Some(a));
                    }
                >
                    {t(label)}
                </button>
            }
        })
        .collect_view();
    let dialog_name = name.clone();
    view! {
        <section class="card" aria-labelledby="actions-heading">
            <h2 id="actions-heading" class="section-title">{t(Ui::AccountActions)}</h2>
            <p class="note">{t(Ui::AccountActionsLead)}</p>
            <div class="button-row button-row-wrap">
                <button type="button" class="btn btn-secondary" data-action="edit" on:click=move |_| editing.set(true)>
                    {t(Ui::EditDetails)}
                </button>
                {buttons}
            </div>
            {move || link.get().map(|copied| {
                let until = copied.expires_at;
                view! {
                    <div class="copied-link" role="status">
                        <label for="copied-link" class="label">{t(Ui::LinkShownOnce)}</label>
                        <input id="copied-link" class="input mono" readonly value=copied.link.clone()
                            on:focus=move |ev| {
                                use wasm_bindgen::JsCast;
                                if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                    input.select();
                                }
                            }
                        />
                        <p class="hint">{move || fill(i18n.text(Ui::LinkShownOnceHint), &[&format_datetime(until, i18n.lang())])}</p>
                    </div>
                }
            })}
        </section>
        {move || asking.get().map(|a| {
            let (_, question, text, confirming, _, danger) = a.texts();
            let name = dialog_name.clone();
            view! {
                <ConfirmDialog
                    title=Signal::derive(move || fill(i18n.text(question), &[&name]))
                    message=Signal::derive(move || i18n.text(text).to_owned())
                    confirm=a.texts().0
                    confirming=confirming
                    danger=danger
                    pending=act.pending()
                    error=refusal
                    on_confirm=move |()| {
                        refusal.set(None);
                        act.dispatch(a);
                    }
                    on_close=move |()| asking.set(None)
                />
            }
        })}
        {move || editing.get().then(|| view! {
            <EditDialog user=user.clone() on_saved=move |()| { editing.set(false); on_changed.run(()); } on_close=move |()| editing.set(false)/>
        })}
    }
}

const EDIT_FIELDS: [(&str, &str); 4] = [
    ("first_name", "edit-first-name"),
    ("surname", "edit-surname"),
    ("email", "edit-email"),
    ("username", "edit-username"),
];

#[component]
fn EditDialog(
    user: UserRow,
    #[prop(into)] on_saved: Callback<()>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let first_name = RwSignal::new(user.first_name.clone());
    let surname = RwSignal::new(user.surname.clone());
    let email = RwSignal::new(user.email.clone());
    let username = RwSignal::new(user.username.clone());
    let errors = FormErrors::new(&EDIT_FIELDS);
    errors.clear_on_edit("first_name", first_name);
    errors.clear_on_edit("surname", surname);
    errors.clear_on_edit("email", email);
    errors.clear_on_edit("username", username);
    let original = user.clone();
    let dirty = Signal::derive(move || {
        first_name.get() != original.first_name
            || surname.get() != original.surname
            || email.get() != original.email
            || username.get() != original.username
    });
    let id = user.id;
    let save = Action::new_local(move |r: &UpdateAccountRequest| {
        let r = r.clone();
        async move { api::update_account(id, r).await }
    });
    on_answer(
        save,
        move |result: Result<domain::api::AccountView, ApiError>| match result {
            Ok(view) => {
                toasts.show(fill(i18n.text(Ui::DetailsSaved), &[&view.user.full_name()]));
                on_saved.run(());
            }
            Err(e) => errors.answer(e.error),
        },
    );
    let changed = |now: String, was: &str| (now.trim() != was).then(|| now.trim().to_owned());
    let was = user.clone();
    let submit = move |()| {
        let mut problems = vec![];
        if let Err(e) = PersonName::parse(&first_name.get_untracked()) {
            problems.push(("first_name", ErrorCode::from(e)));
        }
        if let Err(e) = PersonName::parse(&surname.get_untracked()) {
            problems.push(("surname", ErrorCode::from(e)));
        }
        if let Err(e) = Email::parse(&email.get_untracked()) {
            problems.push(("email", ErrorCode::from(e)));
        }
        if let Err(e) = Username::parse(&username.get_untracked()) {
            problems.push(("username", ErrorCode::from(e)));
        }
        if !errors.check(problems) {
            return;
        }
        save.dispatch(UpdateAccountRequest {
            first_name: changed(first_name.get_untracked(), &was.first_name),
            surname: changed(surname.get_untracked(), &was.surname),
            email: changed(email.get_untracked(), &was.email),
            username: changed(username.get_untracked(), &was.username),
        });
    };
    let name = user.full_name();
    view! {
        <FormDialog
            id="edit"
            title=Signal::derive(move || fill(i18n.text(Ui::EditDetailsOf), &[&name]))
            submit=Ui::Save
            submitting=Ui::Saving
            pending=save.pending()
            dirty=dirty
            on_submit=submit
            on_close=on_close
        >
            <div class="field-row">
                <TextField id="edit-first-name" label=Ui::FirstName value=first_name required=true maxlength=PersonName::MAX error=errors.of("first_name")/>
                <TextField id="edit-surname" label=Ui::Surname value=surname required=true maxlength=PersonName::MAX error=errors.of("surname")/>
            </div>
            <TextField id="edit-email" label=Ui::Email value=email required=true input_type=Signal::stored("email") hint=Ui::EmailChangeNote error=errors.of("email")/>
            <TextField id="edit-username" label=Ui::Username value=username required=true error=errors.of("username")/>
            {move || errors.general().map(|e| view! { <ErrorAlert code=e.code/> })}
        </FormDialog>
    }
}

/// The account's history: its audit events, newest first.
#[component]
pub fn AccountHistory(
    /// Whose.
    id: AccountId,
    /// Read again when this changes.
    #[prop(into)]
    version: Signal<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let events = LocalResource::new(move || {
        version.track();
        async move { api::account_history(id).await }
    });
    let line = move |e: AuditEventView| {
        let at = e.at;
        let key = e.action.clone();
        let by = e.actor_name.clone();
        let ip = e.ip.clone().unwrap_or_default();
        view! {
            <li class="history-item">
                <time datetime=iso_datetime(at)>{move || format_datetime(at, i18n.lang())}</time>
                <span class="history-action">{move || crate::pages::audit::action_text(&key, i18n.lang())}</span>
                <span class="history-by">
                    {move || match &by {
                        Some(name) => fill(i18n.text(Ui::HistoryBy), &[name]),
                        None => i18n.text(Ui::BySystem).to_owned(),
                    }}
                </span>
                <span class="history-ip mono">{ip}</span>
            </li>
        }
    };
    view! {
        <section class="card" aria-labelledby="history-heading">
            <div class="section-head">
                <h2 id="history-heading" class="section-title">{t(Ui::History)}</h2>
                <a class="link-button" href=format!("/audit?account={id}")>{t(Ui::AuditFullLog)}</a>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match events.await {
                        Ok(page) if page.events.is_empty() => view! { <p class="note">{t(Ui::HistoryEmpty)}</p> }.into_any(),
                        Ok(page) => view! { <ol class="history">{page.events.into_iter().map(line).collect_view()}</ol> }.into_any(),
                        // without the audit permission there is no history to show
                        Err(e) if e.error.code == ErrorCode::Forbidden => ().into_any(),
                        Err(e) => view! { <ErrorAlert code=e.error.code/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
