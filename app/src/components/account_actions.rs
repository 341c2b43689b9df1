//! The account page's actions: edit details, deactivate or activate, send a password reset,
//! reset the account, copy a fresh invitation link, delete. Which ones show follows from
//! `domain::lifecycle`, the same rule the worker applies; each asks first and shows the worker's
//! refusal (a second admin may have acted in between) in its dialog. Also the account's history.

use domain::api::{ApiError, AuditEventView, CopiedLink, ErrorCode, UpdateAccountRequest, UserRow};
use domain::i18n::{fill, Ui};
use domain::lifecycle::{Action as Life, Lifecycle};
use domain::{AccountId, Email, PersonName, Timestamp, Username};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::dialog::{on_answer, ConfirmDialog, FormDialog};
use crate::components::field::{FormErrors, TextField};
use crate::components::toast::use_toasts;
use crate::i18n::{format_datetime, iso_datetime, t, use_i18n};

/// One action on an account, offered on the account page and in the row menu of the users list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Edit,
    Deactivate,
    Activate,
    PasswordReset,
    SecurityReport,
    ResetAccount,
    CopyLink,
    Delete,
}

impl Act {
    const ALL: [Act; 8] = [
        Act::Edit,
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
            Act::Edit => Life::Edit,
            Act::Deactivate => Life::Deactivate,
            Act::Activate => Life::Activate,
            Act::PasswordReset => Life::ResetPassword,
            Act::SecurityReport => Life::SecurityReport,
            Act::ResetAccount => Life::ResetAccount,
            Act::CopyLink => Life::CopyLink,
            Act::Delete => Life::Delete,
        }
    }

    /// The button's (and the menu item's) text.
    pub fn label(self) -> Ui {
        match self {
            Act::Edit => Ui::EditDetails,
            Act::Deactivate => Ui::Deactivate,
            Act::Activate => Ui::Activate,
            Act::PasswordReset => Ui::SendPasswordReset,
            Act::SecurityReport => Ui::SendSecurityReport,
            Act::ResetAccount => Ui::ResetAccount,
            Act::CopyLink => Ui::CopyInvitationLink,
            Act::Delete => Ui::DeleteAccount,
        }
    }

    /// Its name in `data-action`.
    pub fn key(self) -> &'static str {
        match self {
            Act::Edit => "edit",
            Act::Deactivate => "deactivate",
            Act::Activate => "activate",
            Act::PasswordReset => "passwordreset",
            Act::SecurityReport => "securityreport",
            Act::ResetAccount => "resetaccount",
            Act::CopyLink => "copylink",
            Act::Delete => "delete",
        }
    }

    /// Whether it is hard to undo (shown in red).
    pub fn is_danger(self) -> bool {
        self == Act::Delete
    }

    /// Question, explanation, confirming text, toast; whether the confirmation is red.
    fn texts(self) -> (Ui, Ui, Ui, Option<Ui>, bool) {
        match self {
            Act::Edit => (Ui::EditDetails, Ui::EditDetails, Ui::Saving, None, false),
            Act::Deactivate => (
                Ui::DeactivateQuestion,
                Ui::DeactivateText,
                Ui::Deactivating,
                Some(Ui::AccountDeactivatedToast),
                true,
            ),
            Act::Activate => (
                Ui::ActivateQuestion,
                Ui::ActivateText,
                Ui::Activating,
                Some(Ui::AccountActivatedToast),
                false,
            ),
            Act::PasswordReset => (
                Ui::PasswordResetQuestion,
                Ui::PasswordResetText,
                Ui::SendingPasswordReset,
                Some(Ui::PasswordResetSentToast),
                false,
            ),
            Act::SecurityReport => (
                Ui::SecurityReportQuestion,
                Ui::SecurityReportText,
                Ui::SendingPasswordReset,
                Some(Ui::SecurityReportSentToast),
                false,
            ),
            Act::ResetAccount => (
                Ui::ResetAccountQuestion,
                Ui::ResetAccountText,
                Ui::ResettingAccount,
                Some(Ui::AccountResetToast),
                true,
            ),
            Act::CopyLink => (
                Ui::CopyLinkQuestion,
                Ui::CopyLinkText,
                Ui::CreatingLink,
                None,
                false,
            ),
            Act::Delete => (
                Ui::DeleteAccountQuestion,
                Ui::DeleteAccountText,
                Ui::Deleting,
                Some(Ui::AccountDeletedToast),
                true,
            ),
        }
    }
}

/// The actions offered on this account, in order: what `domain::lifecycle` allows in its state,
/// not on the admin's own account where that would lock them out, copying links only with the
/// permission for it.
pub fn offered(user: &UserRow, me: AccountId, may_copy: bool) -> Vec<Act> {
    let now = Timestamp(js_sys::Date::now() as i64);
    let state = Lifecycle::of_badge(user.badge);
    let own = user.id == me;
    Act::ALL
        .into_iter()
        .filter(|a| state.allows(a.lifecycle(), now))
        .filter(|a| !(own && a.lifecycle().spares_own_account()))
        .filter(|a| *a != Act::CopyLink || may_copy)
        .collect()
}

/// What an action answered.
#[derive(Debug, Clone)]
enum Outcome {
    Row,
    Deleted,
    Link(CopiedLink),
}

async fn run(id: AccountId, act: Act) -> Result<Outcome, ApiError> {
    let on_account = |path: &'static str| async move {
        api::account_action(id, path).await.map(|_| Outcome::Row)
    };
    match act {
        // the edit goes through its form (`EditDialog`), never through here
        Act::Edit => Ok(Outcome::Row),
        Act::Deactivate => on_account("deactivate").await,
        Act::Activate => on_account("activate").await,
        Act::PasswordReset => on_account("password-reset").await,
        Act::SecurityReport => on_account("security-report").await,
        Act::ResetAccount => on_account("reset").await,
        Act::CopyLink => api::copy_invitation_link(id).await.map(Outcome::Link),
        Act::Delete => api::delete_account(id).await.map(|_| Outcome::Deleted),
    }
}

/// The actions card of the account page: a button for each offered action, each opening
/// [`ActDialog`].
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
    let asking = RwSignal::new(None::<Act>);
    let buttons = offered(&user, me, may_copy)
        .into_iter()
        .map(|a| {
            view! {
                <button
                    type="button"
                    class=if a.is_danger() { "btn btn-danger-quiet" } else { "btn btn-secondary" }
                    data-action=a.key()
                    on:click=move |_| asking.set(Some(a))
                >
                    {t(a.label())}
                </button>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="actions-heading">
            <h2 id="actions-heading" class="section-title">{t(Ui::AccountActions)}</h2>
            <p class="note">{t(Ui::AccountActionsLead)}</p>
            <div class="button-row button-row-wrap">{buttons}</div>
        </section>
        {move || asking.get().map(|a| view! {
            <ActDialog user=user.clone() act=a on_changed=on_changed on_deleted=on_deleted on_close=move |()| asking.set(None)/>
        })}
    }
}

/// One action on one account: the edit form, or "really?" with what will happen; then a toast,
/// or, for a copied link, the link shown once. The worker's refusal (a second admin may have acted
/// in between) shows in the dialog.
#[component]
pub fn ActDialog(
    user: UserRow,
    act: Act,
    /// Something changed: read the account (or the list) again.
    #[prop(into)]
    on_changed: Callback<()>,
    /// The account was deleted.
    #[prop(into)]
    on_deleted: Callback<()>,
    /// The dialog closed.
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    if act == Act::Edit {
        return view! {
            <EditDialog user=user on_saved=move |()| { on_changed.run(()); on_close.run(()); } on_close=on_close/>
        }
        .into_any();
    }
    let refusal = RwSignal::new(None::<ErrorCode>);
    let link = RwSignal::new(None::<CopiedLink>);
    let id = user.id;
    let name = user.full_name();
    let run_act = Action::new_local(move |a: &Act| {
        let a = *a;
        async move { run(id, a).await }
    });
    {
        let name = name.clone();
        on_answer(
            run_act,
            move |result: Result<Outcome, ApiError>| match result {
                Ok(outcome) => {
                    if let Some(toast) = act.texts().3 {
                        toasts.show(fill(i18n.text(toast), &[&name]));
                    }
                    match outcome {
                        Outcome::Row => {
                            on_changed.run(());
                            on_close.run(());
                        }
                        Outcome::Deleted => {
                            on_deleted.run(());
                            on_close.run(());
                        }
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
    let (question, text, confirming, _, danger) = act.texts();
    view! {
        <Show
            when=move || link.with(Option::is_some)
            fallback={
                let name = name.clone();
                move || {
                    let name = name.clone();
                    view! {
                        <ConfirmDialog
                            title=Signal::derive(move || fill(i18n.text(question), &[&name]))
                            message=Signal::derive(move || i18n.text(text).to_owned())
                            confirm=act.label()
                            confirming=confirming
                            danger=danger
                            pending=run_act.pending()
                            error=refusal
                            on_confirm=move |()| {
                                refusal.set(None);
                                run_act.dispatch(act);
                            }
                            on_close=on_close
                        />
                    }
                }
            }
        >
            {move || link.get().map(|copied| view! { <LinkDialog copied=copied on_close=on_close/> })}
        </Show>
    }
    .into_any()
}

/// A fresh invitation link, shown once, with a button that copies it.
#[component]
fn LinkDialog(copied: CopiedLink, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let until = copied.expires_at;
    let copied_now = RwSignal::new(false);
    let text = copied.link.clone();
    let copy = move |()| {
        // navigator.clipboard.writeText(link): a secure context (https, or localhost)
        let window = web_sys::window().expect("window");
        let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into())
            .ok()
            .filter(|c| !c.is_undefined());
        let write = clipboard.as_ref().and_then(|c| {
            js_sys::Reflect::get(c, &"writeText".into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        });
        if let (Some(c), Some(f)) = (clipboard, write) {
            if f.call1(&c, &text.as_str().into()).is_ok() {
                copied_now.set(true);
            }
        }
    };
    view! {
        <FormDialog
            id="copied"
            title=Signal::derive(move || i18n.text(Ui::LinkShownOnce).to_owned())
            lead=Signal::derive(move || fill(i18n.text(Ui::LinkShownOnceHint), &[&format_datetime(until, i18n.lang())]))
            submit=Ui::CopyLink
            submitting=Ui::CopyLink
            pending=Signal::stored(false)
            dismiss=Ui::Close
            on_submit=Callback::new(copy)
            on_close=on_close
        >
            <label for="copied-link" class="label">{t(Ui::LinkShownOnce)}</label>
            <input id="copied-link" class="input mono" readonly value=copied.link.clone() autofocus
                on:focus=move |ev| {
                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        input.select();
                    }
                }
            />
            <p class="hint" role="status">{move || copied_now.get().then(|| i18n.text(Ui::LinkCopied))}</p>
        </FormDialog>
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
                <span class="section-links">
                    <a class="link-button" href=format!("/audit?account={id}")>{t(Ui::AuditFullLog)}</a>
                    <a class="link-button" href=format!("/audit?actor={id}")>{t(Ui::AuditActionsBy)}</a>
                </span>
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
