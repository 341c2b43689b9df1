//! The "Invite user" dialog: a native modal `<dialog>` (focus moves in and stays in, Escape closes,
//! the page behind is inert) with the invitation form. The username is proposed live from the
//! names in the client's format, then from the worker (which knows the names taken), until the
//! admin types their own. Cancel or Escape with typed text asks before discarding it.

use domain::access::ClientAccess;
use domain::api::{ApiError, ClientNode, ErrorCode, InviteRequest, InviteResponse, Me, RoleView};
use domain::i18n::{fill, Lang, Ui};
use domain::values::UsernameFormat;
use domain::{ClientKey, Email, PermissionSet, PersonName, PersonalMessage, RoleId, Username};
use leptos::prelude::*;

use crate::api;
use crate::components::access_picker::{is_empty_choice, AccessPicker};
use crate::components::alert::ErrorAlert;
use crate::components::dialog::{on_answer, FormDialog};
use crate::components::field::{FormErrors, TextField};
use crate::components::permission_picker::PermissionPicker;
use crate::components::role_select::RoleSelect;
use crate::i18n::{t, use_i18n};

/// Request fields the form shows errors under; an error naming any other goes in the alert box.
const FIELDS: [(&str, &str); 8] = [
    ("first_name", "invite-first-name"),
    ("surname", "invite-surname"),
    ("email", "invite-email"),
    ("username", "invite-username"),
    ("role", "invite-role"),
    ("message", "invite-message"),
    ("access", "access-all"),
    ("default_client", "default-client"),
];

/// The invite dialog. It opens when mounted; `on_close` runs however it closes (Cancel, Escape,
/// after sending), and `on_sent` runs first when the worker accepted the invitation.
#[component]
pub fn InviteForm(
    /// Sends the invitation; the page refetches its list when this action's version changes.
    action: Action<InviteRequest, Result<InviteResponse, ApiError>>,
    /// How the client builds usernames.
    username_format: UsernameFormat,
    /// The client the account is created in.
    client_name: String,
    /// The role proposed (the client's default role).
    default_role: RoleId,
    /// The company's roles.
    roles: Vec<RoleView>,
    /// The clients the admin may access (for the access list and the default client).
    clients: Vec<ClientNode>,
    /// The client the account is created in (pre-assigned in a chosen access list).
    client_key: ClientKey,
    /// The admin.
    me: Me,
    /// The invitation was sent.
    #[prop(into)]
    on_sent: Callback<InviteResponse>,
    /// The dialog closed.
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();

    let first_name = RwSignal::new(String::new());
    let surname = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let username_edited = RwSignal::new(false);
    let role = RwSignal::new(default_role);
    let extra = RwSignal::new(PermissionSet::EMPTY);
    // "all clients" is only the admin's to grant when they may access all clients themselves
    let may_grant_all = matches!(me.principal.access, ClientAccess::All);
    let access = RwSignal::new(if may_grant_all {
        ClientAccess::All
    } else {
        ClientAccess::Only(vec![client_key])
    });
    // "all" means the target client and everything below it
    let home = clients
        .iter()
        .find(|c| c.key == client_key)
        .map(|c| c.path.clone())
        .unwrap_or_else(|| me.principal.home.clone());
    let default_client = RwSignal::new(None::<ClientKey>);
    let held = me.principal.permissions;
    // only roles the admin could grant are offered
    let roles: Vec<RoleView> = roles
        .into_iter()
        .filter(|r| r.permissions.is_subset_of(held))
        .collect();
    let role_permissions = {
        let roles = roles.clone();
        Memo::new(move |_| {
            let id = role.get();
            roles
                .iter()
                .find(|r| r.id == id)
                .map(|r| r.permissions)
                .unwrap_or_default()
        })
    };
    let message = RwSignal::new(String::new());
    let language = RwSignal::new(i18n.lang_untracked());

    let proposed = Memo::new(move |_| {
        Username::propose(&first_name.read(), &surname.read(), username_format)
            .map(|u| u.as_str().to_owned())
            .unwrap_or_default()
    });
    Effect::new(move |_| {
        let proposal = proposed.get();
        if !username_edited.get_untracked() {
            username.set(proposal);
        }
    });
    // the worker knows which names are taken in the client: once the admin pauses typing, its
    // proposal (`anna.mueller3`) replaces the local one, unless the admin typed their own
    let asked = StoredValue::new(0u32);
    Effect::new(move |_| {
        let (first, last) = (first_name.get(), surname.get());
        let n = asked.get_value().wrapping_add(1);
        asked.set_value(n);
        if first.trim().is_empty() && last.trim().is_empty() {
            return;
        }
        set_timeout(
            move || {
                if asked.get_value() != n {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let answer = api::username_suggestion(client_key, &first, &last).await;
                    if let Ok(Some(proposal)) = answer.map(|a| a.username) {
                        if asked.get_value() == n && !username_edited.get_untracked() {
                            username.set(proposal);
                        }
                    }
                });
            },
            std::time::Duration::from_millis(300),
        );
    });
    let dirty = Signal::derive(move || {
        username_edited.get()
            || [first_name, surname, email, message]
                .iter()
                .any(|v| !v.read().trim().is_empty())
    });

    let errors = FormErrors::new(&FIELDS);
    errors.clear_on_edit("first_name", first_name);
    errors.clear_on_edit("surname", surname);
    errors.clear_on_edit("email", email);
    errors.clear_on_edit("username", username);
    errors.clear_on_edit("message", message);

    // the answer to this dialog's submissions (the action may have run before it opened)
    on_answer(action, move |result| match result {
        Ok(response) => {
            on_sent.run(response);
            on_close.run(());
        }
        Err(e) => errors.answer(e.error),
    });
    let pending = action.pending();

    let submit = move |()| {
        let chosen_username = username_edited
            .get_untracked()
            .then(|| username.get_untracked());
        let problems = check(
            &first_name.get_untracked(),
            &surname.get_untracked(),
            &email.get_untracked(),
            chosen_username.as_deref(),
            &message.get_untracked(),
        );
        if !errors.check(problems) {
            return;
        }
        let message = message.get_untracked();
        let access = access.get_untracked();
        if is_empty_choice(&access) {
            return;
        }
        action.dispatch(InviteRequest {
            first_name: first_name.get_untracked(),
            surname: surname.get_untracked(),
            email: email.get_untracked(),
            username: chosen_username,
            role: Some(role.get_untracked()),
            extra_permissions: extra.get_untracked(),
            access: Some(access),
            default_client: default_client.get_untracked(),
            message: (!message.trim().is_empty()).then_some(message),
            language: Some(language.get_untracked()),
        });
    };

    view! {
        <FormDialog
            id="invite"
            title=Signal::derive(t(Ui::InviteUser))
            lead=Signal::derive(move || fill(i18n.text(Ui::InviteIntoClient), &[&client_name]))
            submit=Ui::SendInvitation
            submitting=Ui::Sending
            pending=pending
            dirty=dirty
            on_submit=submit
            on_close=on_close
        >
            <p class="required-note">{t(Ui::RequiredNote)}</p>
            <div class="field-row">
                <TextField
                    id="invite-first-name"
                    label=Ui::FirstName
                    value=first_name
                    required=true
                    autocomplete="off"
                    autofocus=true
                    maxlength=PersonName::MAX
                    error=errors.of("first_name")
                />
                <TextField
                    id="invite-surname"
                    label=Ui::Surname
                    value=surname
                    required=true
                    autocomplete="off"
                    maxlength=PersonName::MAX
                    error=errors.of("surname")
                />
            </div>
            <TextField
                id="invite-email"
                label=Ui::Email
                value=email
                required=true
                input_type="email"
                autocomplete="off"
                maxlength=Email::MAX
                error=errors.of("email")
            />
            <TextField
                id="invite-username"
                label=Ui::Username
                value=username
                autocomplete="off"
                hint=Ui::UsernameHint
                hint_when=Signal::derive(move || !username_edited.get())
                maxlength=Username::MAX
                error=errors.of("username")
                on_input=move |text: String| username_edited.set(!text.trim().is_empty())
            />
            <div class="field-row">
                <RoleSelect id="invite-role" roles=roles role=role error=errors.of("role")/>
                <div class="field">
                    <label for="invite-language" class="label">{t(Ui::InvitationLanguage)}</label>
                    <select
                        id="invite-language"
                        class="select"
                        on:change=move |ev| {
                            if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
                                language.set(lang);
                            }
                        }
                    >
                        {Lang::ALL
                            .into_iter()
                            .map(|lang| {
                                view! {
                                    <option value=lang.code() lang=lang.code() prop:selected=move || language.get() == lang>
                                        {lang.native_name()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <PermissionPicker
                prefix="extra"
                legend=Ui::AdditionalPermissions
                hint=Ui::AdditionalPermissionsHint
                selected=extra
                holds=held
                only_held=true
                included=role_permissions
            />
            <AccessPicker
                prefix=""
                clients=clients
                home=home
                all_allowed=may_grant_all
                access=access
                default_client=default_client
                error=errors.of("access")
                default_error=errors.of("default_client")
            />
            <TextField
                id="invite-message"
                label=Ui::PersonalMessage
                value=message
                multiline=true
                hint=Ui::PersonalMessageHint
                maxlength=PersonalMessage::MAX
                error=errors.of("message")
            />
            // at the end of the form, next to the buttons
            {move || errors.general().map(|e| view! { <ErrorAlert code=e.code/> })}
        </FormDialog>
    }
}

/// The domain's own parsers, run before sending so every bad field shows at once; the worker runs
/// the same ones and has the final say.
fn check(
    first_name: &str,
    surname: &str,
    email: &str,
    username: Option<&str>,
    message: &str,
) -> Vec<(&'static str, ErrorCode)> {
    let mut errors = Vec::new();
    if let Err(e) = PersonName::parse(first_name) {
        errors.push(("first_name", e.into()));
    }
    if let Err(e) = PersonName::parse(surname) {
        errors.push(("surname", e.into()));
    }
    if let Err(e) = Email::parse(email) {
        errors.push(("email", e.into()));
    }
    if let Some(Err(e)) = username.map(Username::parse) {
        errors.push(("username", e.into()));
    }
    if let Err(e) = PersonalMessage::parse(message) {
        errors.push(("message", e.into()));
    }
    errors
}
