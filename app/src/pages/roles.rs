//! `/roles`: the company's roles as a permission matrix. Those who may manage roles create and edit
//! custom roles in a dialog (granting only permissions they hold themselves) and delete them after
//! a confirmation; built-in roles are read-only.

use domain::api::{ApiError, ErrorCode, Me, RoleRequest, RoleSummary, RoleView};
use domain::i18n::{fill, Ui};
use domain::{Permission, PermissionSet, RoleId, RoleName};
use leptos::prelude::*;

use crate::access::may_in_company;
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::dialog::{on_answer, ConfirmDialog, FormDialog};
use crate::components::field::{FormErrors, TextField};
use crate::components::permission_picker::PermissionPicker;
use crate::components::toast::use_toasts;
use crate::dom;
use crate::i18n::{page_title, permission_label, role_label, t, use_i18n};
use crate::pages::{signed_in_only, Loading, NoPermission};
use crate::session::use_session;

/// Creates (no id) or changes (an id) a role.
type SaveAction = Action<(Option<RoleId>, RoleRequest), Result<RoleView, ApiError>>;
/// Deletes a role, answering with the deleted one (for the toast).
type DeleteAction = Action<RoleView, Result<RoleView, ApiError>>;

/// The roles page.
#[component]
pub fn RolesPage() -> impl IntoView {
    page_title(|lang| Ui::Roles.text(lang).to_owned());
    signed_in_only(|me| {
        if may_in_company(&me, Permission::ViewAccounts) {
            view! { <RolesScreen me=me/> }.into_any()
        } else {
            view! { <NoPermission title=Ui::Roles/> }.into_any()
        }
    })
}

/// What the role dialog edits.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    New,
    Role(RoleView),
}

#[component]
fn RolesScreen(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let session = use_session();
    let may_manage = may_in_company(&me, Permission::ManageRoles);
    let held = me.principal.permissions;
    let save: SaveAction = Action::new_local(|(id, r): &(Option<RoleId>, RoleRequest)| {
        let (id, r) = (*id, r.clone());
        async move {
            match id {
                Some(id) => api::update_role(id, r).await,
                None => api::create_role(r).await,
            }
        }
    });
    let delete: DeleteAction = Action::new_local(|r: &RoleView| {
        let r = r.clone();
        async move { api::delete_role(r.id).await.map(|()| r) }
    });
    let roles = LocalResource::new(move || {
        save.version().track();
        delete.version().track();
        async move {
            let list = api::roles().await;
            session.notice(&list);
            list.map(|l| l.roles)
        }
    });

    let editing = RwSignal::new(None::<Editing>);
    let deleting = RwSignal::new(None::<RoleView>);
    let delete_error = RwSignal::new(None::<ErrorCode>);
    // the button that opened a dialog; after a change the table is drawn anew, and focus goes to
    // this id (or another one that still exists) once it is
    let return_to = StoredValue::new(String::from("new-role"));
    let refocus = StoredValue::new(None::<String>);
    let close_editing = move |()| {
        editing.set(None);
        dom::focus_id(&return_to.get_value());
    };
    let close_deleting = move |()| {
        deleting.set(None);
        dom::focus_id(&return_to.get_value());
    };
    let on_saved = move |role: RoleView| {
        let created = matches!(editing.get_untracked(), Some(Editing::New));
        let text = if created {
            Ui::RoleCreated
        } else {
            Ui::RoleSaved
        };
        toasts.show(fill(i18n.text(text), &[&role.name]));
        refocus.set_value(Some(format!("edit-role-{}", role.id)));
        editing.set(None);
    };
    on_answer(delete, move |result| match result {
        Ok(role) => {
            toasts.show(fill(i18n.text(Ui::RoleDeleted), &[&role.name]));
            refocus.set_value(Some(
                if may_manage {
                    "new-role"
                } else {
                    "roles-heading"
                }
                .to_owned(),
            ));
            deleting.set(None);
        }
        Err(e) => {
            session.notice::<()>(&Err(e.clone()));
            delete_error.set(Some(e.error.code));
        }
    });

    view! {
        <div class="page">
            <div class="page-header">
                <div>
                    <h1 id="roles-heading" tabindex="-1">{t(Ui::Roles)}</h1>
                    <p class="lead">{t(Ui::RolesLead)}</p>
                </div>
                {may_manage
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                id="new-role"
                                class="btn btn-primary"
                                aria-haspopup="dialog"
                                on:click=move |_| {
                                    return_to.set_value("new-role".to_owned());
                                    save.clear();
                                    editing.set(Some(Editing::New));
                                }
                            >
                                <svg class="btn-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
                                    <path fill="currentColor" d="M9 4h2v5h5v2h-5v5H9v-5H4V9h5V4Z"/>
                                </svg>
                                {t(Ui::NewRole)}
                            </button>
                        }
                    })}
            </div>
            <section class="card card-flush" aria-labelledby="roles-heading">
                <p class="note note-in-card">{t(Ui::BuiltinNote)}</p>
                <Transition fallback=|| view! { <Loading/> }>
                    {move || Suspend::new(async move {
                        match roles.await {
                            Err(e) => {
                                view! {
                                    <div class="card-body">
                                        <ErrorAlert code=e.error.code/>
                                        <button type="button" class="btn btn-secondary" on:click=move |_| roles.refetch()>
                                            {t(Ui::TryAgain)}
                                        </button>
                                    </div>
                                }
                                    .into_any()
                            }
                            Ok(list) => {
                                view! {
                                    <Matrix
                                        roles=list
                                        may_manage=may_manage
                                        refocus=refocus
                                        on_edit=move |role: RoleView| {
                                            return_to.set_value(format!("edit-role-{}", role.id));
                                            save.clear();
                                            editing.set(Some(Editing::Role(role)));
                                        }
                                        on_delete=move |role: RoleView| {
                                            return_to.set_value(format!("delete-role-{}", role.id));
                                            delete_error.set(None);
                                            deleting.set(Some(role));
                                        }
                                    />
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Transition>
            </section>
            {move || {
                editing
                    .get()
                    .map(|what| {
                        let role = match what {
                            Editing::New => None,
                            Editing::Role(role) => Some(role),
                        };
                        view! { <RoleDialog role=role held=held action=save on_saved=on_saved on_close=close_editing/> }
                    })
            }}
            {move || {
                deleting
                    .get()
                    .map(|role| {
                        let name = role.name.clone();
                        let doomed = role.clone();
                        view! {
                            <ConfirmDialog
                                title=Signal::derive(move || fill(i18n.text(Ui::DeleteRoleTitle), &[&name]))
                                message=Signal::derive(move || i18n.text(Ui::DeleteRoleText).to_owned())
                                confirm=Ui::Delete
                                confirming=Ui::Deleting
                                danger=true
                                pending=delete.pending()
                                error=delete_error
                                on_confirm=move |()| {
                                    delete.dispatch(doomed.clone());
                                }
                                on_close=close_deleting
                            />
                        }
                    })
            }}
        </div>
    }
}

/// Rows = roles, columns = permissions; each cell says granted or not in text for screen readers.
#[component]
fn Matrix(
    roles: Vec<RoleView>,
    may_manage: bool,
    refocus: StoredValue<Option<String>>,
    #[prop(into)] on_edit: Callback<RoleView>,
    #[prop(into)] on_delete: Callback<RoleView>,
) -> impl IntoView {
    let i18n = use_i18n();
    // drawn anew after a change: put focus back where the person was
    Effect::new(move |_| {
        if let Some(id) = refocus.get_value() {
            refocus.set_value(None);
            dom::focus_id(&id);
        }
    });
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="roles-heading">
            <table class="table matrix" aria-labelledby="roles-heading">
                <thead>
                    <tr>
                        <th scope="col">{t(Ui::Role)}</th>
                        {Permission::ALL
                            .into_iter()
                            .map(|p| view! { <th scope="col" class="matrix-head">{permission_label(p)}</th> })
                            .collect_view()}
                        {may_manage.then(|| view! { <th scope="col">{t(Ui::Actions)}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {roles
                        .into_iter()
                        .map(|r| {
                            let label = role_label(&RoleSummary {
                                id: r.id,
                                name: r.name.clone(),
                                builtin: r.builtin,
                            });
                            let perms = r.permissions;
                            let builtin = r.builtin.is_some();
                            let actions = may_manage
                                .then(|| {
                                    if builtin {
                                        view! {
                                            // the badge beside the name already says it
                                            <td data-label=t(Ui::Actions)>
                                                <span class="visually-hidden">{t(Ui::Builtin)}</span>
                                            </td>
                                        }
                                            .into_any()
                                    } else {
                                        let (edit, remove) = (r.clone(), r.clone());
                                        let (edit_name, delete_name) = (r.name.clone(), r.name.clone());
                                        view! {
                                            <td data-label=t(Ui::Actions)>
                                                <div class="button-row">
                                                    <button
                                                        type="button"
                                                        id=format!("edit-role-{}", r.id)
                                                        class="btn btn-secondary btn-small"
                                                        aria-haspopup="dialog"
                                                        aria-label=move || fill(i18n.text(Ui::EditRoleNamed), &[&edit_name])
                                                        on:click=move |_| on_edit.run(edit.clone())
                                                    >
                                                        {t(Ui::Edit)}
                                                    </button>
                                                    <button
                                                        type="button"
                                                        id=format!("delete-role-{}", r.id)
                                                        class="btn btn-secondary btn-small"
                                                        aria-haspopup="dialog"
                                                        aria-label=move || fill(i18n.text(Ui::DeleteRoleNamed), &[&delete_name])
                                                        on:click=move |_| on_delete.run(remove.clone())
                                                    >
                                                        {t(Ui::Delete)}
                                                    </button>
                                                </div>
                                            </td>
                                        }
                                            .into_any()
                                    }
                                });
                            view! {
                                <tr>
                                    <th scope="row">
                                        {label}
                                        {builtin.then(|| view! { <span class="badge badge-neutral">{t(Ui::Builtin)}</span> })}
                                    </th>
                                    {Permission::ALL
                                        .into_iter()
                                        .map(|p| {
                                            let on = perms.contains(p);
                                            view! {
                                                <td class="matrix-cell" data-label=permission_label(p)>
                                                    {on.then(|| view! { <span class="check" aria-hidden="true">"✓"</span> })}
                                                    <span class="visually-hidden">
                                                        {if on { t(Ui::Granted) } else { t(Ui::NotGranted) }}
                                                    </span>
                                                </td>
                                            }
                                        })
                                        .collect_view()}
                                    {actions}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Request fields the role dialog shows errors under.
const ROLE_FIELDS: [(&str, &str); 1] = [("name", "role-name")];

/// "New role" / "Edit …": the name and the permissions (only held ones can be ticked).
#[component]
fn RoleDialog(
    role: Option<RoleView>,
    held: PermissionSet,
    action: SaveAction,
    #[prop(into)] on_saved: Callback<RoleView>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = role.as_ref().map(|r| r.id);
    let old_name = role.as_ref().map(|r| r.name.clone());
    let name = RwSignal::new(old_name.clone().unwrap_or_default());
    let permissions = RwSignal::new(role.map(|r| r.permissions).unwrap_or_default());
    let errors = FormErrors::new(&ROLE_FIELDS);
    errors.clear_on_edit("name", name);
    on_answer(action, move |result| match result {
        Ok(role) => on_saved.run(role),
        Err(e) => {
            session.notice::<()>(&Err(e.clone()));
            errors.answer(e.error);
        }
    });
    let title = Signal::derive(move || match &old_name {
        Some(n) => fill(i18n.text(Ui::EditRoleNamed), &[n]),
        None => i18n.text(Ui::NewRole).to_owned(),
    });
    let submit = move |()| {
        let problems: Vec<(&'static str, ErrorCode)> = match RoleName::parse(&name.get_untracked())
        {
            Err(e) => vec![("name", e.into())],
            Ok(_) => Vec::new(),
        };
        if !errors.check(problems) {
            return;
        }
        action.dispatch((
            id,
            RoleRequest {
                name: name.get_untracked(),
                permissions: permissions.get_untracked(),
            },
        ));
    };
    view! {
        <FormDialog
            id="role"
            title=title
            submit=if id.is_some() { Ui::Save } else { Ui::Create }
            submitting=if id.is_some() { Ui::Saving } else { Ui::Creating }
            pending=action.pending()
            on_submit=submit
            on_close=on_close
        >
            <TextField
                id="role-name"
                label=Ui::RoleName
                value=name
                required=true
                autocomplete="off"
                autofocus=true
                maxlength=RoleName::MAX
                error=errors.of("name")
            />
            <PermissionPicker
                prefix="role-perm"
                legend=Ui::Permissions
                hint=Ui::PermissionsHint
                selected=permissions
                holds=held
            />
            {move || errors.general().map(|e| view! { <ErrorAlert code=e.code/> })}
        </FormDialog>
    }
}
