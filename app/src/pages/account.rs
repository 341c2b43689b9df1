//! `/accounts/:id`: one account with its status, and the editor for its role, additional
//! permissions, client access and default client. The worker refuses what the admin may not grant
//! (`exceeds_own_rights`) and taking the last admin's role (`last_admin`); both show as an alert.

use domain::api::{
    AccessRequest, AccountView, ApiError, ClientNode, ErrorCode, Me, RoleSummary, RoleView,
};
use domain::i18n::{fill, Ui};
use domain::{AccountId, ClientAccess, Permission, PermissionSet};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

use crate::access::may;
use crate::api;
use crate::components::access_picker::{is_empty_choice, AccessPicker};
use crate::components::account_actions::{AccountActions, AccountHistory};
use crate::components::alert::ErrorAlert;
use crate::components::dialog::on_answer;
use crate::components::field::FormErrors;
use crate::components::permission_picker::PermissionPicker;
use crate::components::role_select::RoleSelect;
use crate::components::status_badge::StatusBadge;
use crate::components::toast::use_toasts;
use crate::i18n::{format_datetime, iso_datetime, page_title, role_label, t, use_i18n};
use crate::pages::{signed_in_only, Loading};
use crate::session::use_session;

#[derive(Params, Debug, Clone, PartialEq)]
struct AccountParams {
    id: Option<String>,
}

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    page_title(|lang| Ui::Account.text(lang).to_owned());
    let params = use_params::<AccountParams>();
    let id = Memo::new(move |_| {
        params
            .read()
            .as_ref()
            .ok()
            .and_then(|p| p.id.as_deref().and_then(AccountId::parse))
    });
    signed_in_only(move |me| match id.get() {
        Some(id) => view! { <AccountScreen me=me id=id/> }.into_any(),
        None => view! {
            <section class="card card-narrow">
                <ErrorAlert code=ErrorCode::NotFound/>
            </section>
        }
        .into_any(),
    })
}

/// What the page shows: the account, the company's roles, the clients the admin may access.
#[derive(Debug, Clone)]
struct Loaded {
    account: AccountView,
    roles: Vec<RoleView>,
    clients: Vec<ClientNode>,
}

async fn load(id: AccountId) -> Result<Loaded, ApiError> {
    let account = api::account(id).await?;
    // without them the editor still shows the account, read-only
    let roles = api::roles().await.map(|l| l.roles).unwrap_or_default();
    let clients = api::clients().await.map(|t| t.clients).unwrap_or_default();
    Ok(Loaded {
        account,
        roles,
        clients,
    })
}

#[component]
fn AccountScreen(me: Me, id: AccountId) -> impl IntoView {
    let session = use_session();
    let data = LocalResource::new(move || async move {
        let loaded = load(id).await;
        session.notice(&loaded);
        loaded
    });
    view! {
        <div class="page">
            <Transition fallback=|| view! { <Loading/> }>
                {
                    let me = me.clone();
                    move || {
                        let me = me.clone();
                        Suspend::new(async move {
                            match data.await {
                                Ok(loaded) => view! { <AccountDetails me=me loaded=loaded on_changed=move |()| data.refetch()/> }.into_any(),
                                Err(e) => {
                                    view! {
                                        <section class="card card-narrow">
                                            <ErrorAlert code=e.error.code/>
                                            <button type="button" class="btn btn-secondary" on:click=move |_| data.refetch()>
                                                {t(Ui::TryAgain)}
                                            </button>
                                        </section>
                                    }
                                        .into_any()
                                }
                            }
                        })
                    }
                }
            </Transition>
        </div>
    }
}

/// Request fields shown with their own error, and where focus goes for them.
const FIELDS: [(&str, &str); 3] = [
    ("role", "account-role"),
    ("access", "account-access-chosen"),
    ("default_client", "account-default-client"),
];

#[component]
fn AccountDetails(me: Me, loaded: Loaded, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let session = use_session();
    let Loaded {
        account,
        roles,
        clients,
    } = loaded;
    let user = account.user.clone();
    let client_node = clients.iter().find(|c| c.key == account.client).cloned();
    let editable = client_node
        .as_ref()
        .is_some_and(|c| may(&me, Permission::ManageRolesAndRights, &c.path));
    let grantable: Vec<ClientNode> = clients
        .iter()
        .filter(|c| me.principal.can_access(&c.path))
        .cloned()
        .collect();
    let home = client_node
        .as_ref()
        .map(|c| c.path.clone())
        .unwrap_or_else(|| me.principal.home.clone());
    let all_allowed = matches!(me.principal.access, ClientAccess::All);

    // the role list always holds the account's own role, even if the list could not be read
    let mut roles = roles;
    if !roles.iter().any(|r| r.id == user.role.id) {
        roles.insert(
            0,
            RoleView {
                id: user.role.id,
                name: user.role.name.clone(),
                builtin: user.role.builtin,
                permissions: PermissionSet::EMPTY,
            },
        );
    }
    let roles = StoredValue::new(roles);
    let role = RwSignal::new(user.role.id);
    let role_permissions = Signal::derive(move || {
        let id = role.get();
        roles.with_value(|roles| {
            roles
                .iter()
                .find(|r| r.id == id)
                .map(|r| r.permissions)
                .unwrap_or_default()
        })
    });
    let extras = RwSignal::new(account.extra_permissions);
    let access = RwSignal::new(account.access.clone());
    let default_client = RwSignal::new(account.default_client);
    let shown_role = RwSignal::new(user.role.clone());

    let errors = FormErrors::new(&FIELDS);
    let save = Action::new_local(|(id, request): &(AccountId, AccessRequest)| {
        api::save_account_access(*id, request.clone())
    });
    let name = user.full_name();
    {
        let name = name.clone();
        on_answer(
            save,
            move |result: Result<AccountView, ApiError>| match result {
                Ok(view) => {
                    errors.clear();
                    extras.set(view.extra_permissions);
                    access.set(view.access);
                    default_client.set(view.default_client);
                    role.set(view.user.role.id);
                    shown_role.set(view.user.role);
                    toasts.show(fill(i18n.text(Ui::AccountSaved), &[&name]));
                }
                Err(e) => {
                    session.notice::<()>(&Err(e.clone()));
                    errors.answer(e.error);
                }
            },
        );
    }
    let pending = save.pending();
    let account_id = user.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !editable {
            return;
        }
        let access = access.get_untracked();
        let problems = if is_empty_choice(&access) {
            vec![("access", ErrorCode::FieldMissing)]
        } else {
            Vec::new()
        };
        if !errors.check(problems) {
            return;
        }
        let from_role = role_permissions.get_untracked();
        save.dispatch((
            account_id,
            AccessRequest {
                role: role.get_untracked(),
                extra_permissions: extras
                    .get_untracked()
                    .iter()
                    .filter(|p| !from_role.contains(*p))
                    .collect(),
                access,
                default_client: default_client.get_untracked(),
            },
        ));
    };

    let back = if account.client == me.client.key {
        "/users".to_owned()
    } else {
        format!("/clients/{}?tab=users", account.client)
    };
    let client_name = client_node
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let created = user.created_at;
    let two_factor = account.two_factor;
    let may_copy = client_node
        .as_ref()
        .is_some_and(|c| may(&me, Permission::CopyInvitationLinks, &c.path));
    let may_audit = client_node
        .as_ref()
        .is_some_and(|c| may(&me, Permission::ViewAuditLog, &c.path));
    let navigate = leptos_router::hooks::use_navigate();
    let leave = {
        let back = back.clone();
        move |()| navigate(&back, Default::default())
    };
    let history_version = RwSignal::new(0usize);
    let actions = editable.then(|| {
        view! {
            <AccountActions
                user=user.clone()
                me=me.id
                may_copy=may_copy
                on_changed=move |()| {
                    history_version.update(|v| *v += 1);
                    on_changed.run(());
                }
                on_deleted=leave
            />
        }
    });
    let history = may_audit.then(|| view! { <AccountHistory id=user.id version=history_version/> });
    // where the account is signed in, for admins who manage it (a registered account only)
    let sessions = (editable && user.status != domain::AccountStatus::Invited)
        .then(|| view! { <crate::components::sessions::Sessions account=user.id/> });
    view! {
        <p class="back-link">
            <A href=back>{t(Ui::BackToUsers)}</A>
        </p>
        <section class="card" aria-labelledby="account-heading">
            <div class="account-title">
                <h1 id="account-heading">{name.clone()}</h1>
                <StatusBadge badge=user.badge/>
            </div>
            <dl class="details">
                <div>
                    <dt>{t(Ui::Username)}</dt>
                    <dd class="mono">{user.username.clone()}</dd>
                </div>
                <div>
                    <dt>{t(Ui::Email)}</dt>
                    <dd>{user.email.clone()}</dd>
                </div>
                <div>
                    <dt>{t(Ui::Client)}</dt>
                    <dd>{client_name}</dd>
                </div>
                <div>
                    <dt>{t(Ui::Role)}</dt>
                    <dd>
                        {move || {
                            let r: RoleSummary = shown_role.get();
                            role_label(&r)()
                        }}
                    </dd>
                </div>
                <div>
                    <dt>{t(Ui::StatusInvited)}</dt>
                    <dd>
                        <time datetime=iso_datetime(created)>{move || format_datetime(created, i18n.lang())}</time>
                    </dd>
                </div>
                <div>
                    <dt>{t(Ui::TwoFactorTitle)}</dt>
                    <dd data-two-factor=if two_factor { "on" } else { "off" }>
                        {move || if two_factor { i18n.text(Ui::TwoFactorOn) } else { i18n.text(Ui::TwoFactorOff) }}
                    </dd>
                </div>
            </dl>
        </section>
        {actions}
        <section class="card" aria-labelledby="access-heading">
            <h2 id="access-heading" class="section-title">{t(Ui::RoleAndAccess)}</h2>
            {(!editable).then(|| view! { <p class="note">{t(Ui::ReadOnlyAccess)}</p> })}
            <form class="form" novalidate on:submit=submit>
                <RoleSelect id="account-role" roles=roles.get_value() role=role error=errors.of("role") disabled=!editable/>
                <PermissionPicker
                    prefix="account-perm"
                    legend=Ui::AdditionalPermissions
                    hint=Ui::AdditionalPermissionsHint
                    selected=extras
                    holds=me.principal.permissions
                    included=role_permissions
                    readonly=!editable
                />
                <AccessPicker
                    prefix="account-"
                    clients=grantable
                    home=home
                    all_allowed=all_allowed
                    access=access
                    default_client=default_client
                    error=errors.of("access")
                    default_error=errors.of("default_client")
                    readonly=!editable
                />
                {move || errors.general().map(|e| view! { <ErrorAlert code=e.code/> })}
                {editable
                    .then(|| {
                        view! {
                            <div class="button-row">
                                <button
                                    type="submit"
                                    class="btn btn-primary"
                                    disabled=move || pending.get()
                                    aria-busy=move || pending.get().then_some("true")
                                >
                                    {move || if pending.get() { i18n.text(Ui::Saving) } else { i18n.text(Ui::Save) }}
                                </button>
                            </div>
                        }
                    })}
            </form>
        </section>
        {sessions}
        {history}
    }
}
