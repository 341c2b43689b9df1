//! `/roles`: the company's roles as a permission matrix; custom roles can be created and deleted
//! by those who may manage roles (only with permissions they hold themselves).

use domain::api::{Me, RoleRequest, RoleSummary, RoleView};
use domain::i18n::{fill, Ui};
use domain::{Permission, PermissionSet, RoleName};
use leptos::prelude::*;

use crate::access::may_in_company;
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::toast::use_toasts;
use crate::i18n::{page_title, permission_label, role_label, t, use_i18n};
use crate::pages::{signed_in_only, Loading};
use crate::session::use_session;

/// The roles page.
#[component]
pub fn RolesPage() -> impl IntoView {
    page_title(|lang| Ui::Roles.text(lang).to_owned());
    signed_in_only(|me| {
        if may_in_company(&me, Permission::ViewAccounts) {
            view! { <RolesScreen me=me/> }.into_any()
        } else {
            view! { <section class="card card-narrow"><h1>{t(Ui::Roles)}</h1><p>{t(Ui::NoPermissionPage)}</p></section> }
                .into_any()
        }
    })
}

#[component]
fn RolesScreen(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let session = use_session();
    let may_manage = may_in_company(&me, Permission::ManageRoles);
    let held = me.principal.permissions;
    let create = Action::new_local(|r: &RoleRequest| api::create_role(r.clone()));
    let delete = Action::new_local(|r: &RoleView| {
        let r = r.clone();
        async move { api::delete_role(r.id).await.map(|()| r) }
    });
    let roles = LocalResource::new(move || {
        create.version().track();
        delete.version().track();
        async move {
            let list = api::roles().await;
            session.notice(&list);
            list.map(|l| l.roles)
        }
    });
    let name = RwSignal::new(String::new());
    let chosen = RwSignal::new(PermissionSet::EMPTY);
    let error = RwSignal::new(None::<domain::api::ErrorCode>);
    Effect::new(move |_| match create.value().get() {
        Some(Ok(role)) => {
            toasts.show(fill(i18n.text(Ui::RoleCreated), &[&role.name]));
            name.set(String::new());
            chosen.set(PermissionSet::EMPTY);
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e.error.code)),
        None => {}
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(role)) => toasts.show(fill(i18n.text(Ui::RoleDeleted), &[&role.name])),
        Some(Err(e)) => toasts.show(e.error.code.text(i18n.lang_untracked()).to_owned()),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Err(e) = RoleName::parse(&name.get_untracked()) {
            error.set(Some(e.into()));
            return;
        }
        create.dispatch(RoleRequest {
            name: name.get_untracked(),
            permissions: chosen.get_untracked(),
        });
    };
    view! {
        <div class="page">
            <div class="page-header">
                <div>
                    <h1 id="roles-heading">{t(Ui::Roles)}</h1>
                    <p class="lead">{t(Ui::RolesLead)}</p>
                </div>
            </div>
            <section class="card card-flush" aria-labelledby="roles-heading">
                <Transition fallback=|| view! { <Loading/> }>
                    {move || Suspend::new(async move {
                        match roles.await {
                            Err(e) => view! { <ErrorAlert code=e.error.code/> }.into_any(),
                            Ok(list) => view! { <Matrix roles=list may_manage=may_manage delete=delete/> }.into_any(),
                        }
                    })}
                </Transition>
                <p class="hint card-body">{t(Ui::BuiltinNote)}</p>
            </section>
            <Show when=move || may_manage>
                <section class="card" aria-labelledby="new-role-heading">
                    <h2 id="new-role-heading" class="section-title">{t(Ui::NewRole)}</h2>
                    <form class="dialog-body" novalidate on:submit=submit>
                        <div class="field" class:field-invalid=move || error.get().is_some()>
                            <label for="role-name" class="label">{t(Ui::RoleName)}</label>
                            <input id="role-name" class="input" maxlength=RoleName::MAX
                                aria-invalid=move || error.get().is_some().then_some("true")
                                prop:value=move || name.get() on:input=move |ev| { name.set(event_target_value(&ev)); error.set(None); }/>
                            {move || error.get().map(|code| view! { <p class="field-error">{code.text(i18n.lang())}</p> })}
                        </div>
                        <fieldset class="fieldset">
                            <legend class="label">{t(Ui::Permissions)}</legend>
                            <p class="hint">{t(Ui::PermissionsHint)}</p>
                            <div class="checkbox-grid">
                                {Permission::ALL.into_iter().map(|p| {
                                    let id = format!("role-perm-{}", p.as_str());
                                    let label_for = id.clone();
                                    view! {
                                        <label class="checkbox" for=label_for>
                                            <input type="checkbox" id=id disabled=!held.contains(p)
                                                prop:checked=move || chosen.get().contains(p)
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    chosen.update(|s| *s = if on { s.with(p) } else { s.iter().filter(|q| *q != p).collect() });
                                                }/>
                                            <span>{permission_label(p)}</span>
                                        </label>
                                    }
                                }).collect_view()}
                            </div>
                        </fieldset>
                        <div class="button-row">
                            <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>
                                {move || if create.pending().get() { i18n.text(Ui::Creating) } else { i18n.text(Ui::Create) }}
                            </button>
                        </div>
                    </form>
                </section>
            </Show>
        </div>
    }
}

#[component]
fn Matrix(
    roles: Vec<RoleView>,
    may_manage: bool,
    delete: Action<RoleView, Result<RoleView, domain::api::ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="roles-heading">
            <table class="table matrix" aria-labelledby="roles-heading">
                <thead>
                    <tr>
                        <th scope="col">{t(Ui::Role)}</th>
                        {Permission::ALL.into_iter().map(|p| view! { <th scope="col" class="matrix-head">{permission_label(p)}</th> }).collect_view()}
                        <th scope="col"><span class="visually-hidden">{t(Ui::Actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {roles.into_iter().map(|r| {
                        let label = role_label(&RoleSummary { id: r.id, name: r.name.clone(), builtin: r.builtin });
                        let perms = r.permissions;
                        let builtin = r.builtin.is_some();
                        let role = r.clone();
                        let question_name = r.name.clone();
                        view! {
                            <tr>
                                <th scope="row">
                                    {label}
                                    {builtin.then(|| view! { <span class="badge badge-neutral">{t(Ui::Builtin)}</span> })}
                                </th>
                                {Permission::ALL.into_iter().map(|p| {
                                    let on = perms.contains(p);
                                    view! {
                                        <td class="matrix-cell" data-label=permission_label(p)>
                                            {on.then(|| view! { <span class="check" aria-hidden="true">"✓"</span> })}
                                            <span class="visually-hidden">{if on { t(Ui::Granted) } else { t(Ui::NotGranted) }}</span>
                                        </td>
                                    }
                                }).collect_view()}
                                <td>
                                    {(may_manage && !builtin).then(|| {
                                        let role = role.clone();
                                        let question_name = question_name.clone();
                                        view! {
                                            <button type="button" class="btn btn-secondary btn-small"
                                                aria-label=move || fill(i18n.text(Ui::DeleteRoleNamed), &[&question_name])
                                                on:click=move |_| {
                                                    let q = format!("{}\n\n{}", fill(i18n.text(Ui::DeleteRoleTitle), &[&role.name]), i18n.text(Ui::DeleteRoleText));
                                                    if crate::dom::confirm(&q) { delete.dispatch(role.clone()); }
                                                }>
                                                {t(Ui::Delete)}
                                            </button>
                                        }
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
