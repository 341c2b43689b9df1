//! `/clients` and `/clients/:key?tab=users|settings`: the company's client tree (the accessible
//! part) with an "Is sender" column; selecting a client shows its Users tab (the same list and
//! Invite action, inviting into that client) and its Settings tab.

use domain::api::{ApiError, ClientNode, CreateClientRequest, Me, UpdateClientRequest};
use domain::i18n::{fill, Ui};
use domain::{ClientId, ClientKey, Permission};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params, use_query};
use leptos_router::params::Params;

use crate::access::may;
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::dialog::{on_answer, ConfirmDialog, FormDialog, Opener};
use crate::components::field::{FormErrors, TextField};
use crate::components::toast::use_toasts;
use crate::i18n::{page_title, t, use_i18n};
use crate::pages::settings::SettingsTab;
use crate::pages::users::UsersScreen;
use crate::pages::{signed_in_only, Loading, NoPermission};
use crate::session::use_session;

#[derive(Params, Debug, Clone, PartialEq)]
struct ClientParams {
    key: Option<String>,
}

#[derive(Params, Debug, Clone, PartialEq)]
struct TabQuery {
    tab: Option<String>,
}

/// The Companies & Clients page.
#[component]
pub fn ClientsPage() -> impl IntoView {
    page_title(|lang| Ui::CompaniesAndClients.text(lang).to_owned());
    signed_in_only(|me| {
        if crate::access::may_here(&me, Permission::ViewAccounts) {
            view! { <ClientsScreen me=me/> }.into_any()
        } else {
            view! { <NoPermission title=Ui::CompaniesAndClients/> }.into_any()
        }
    })
}

#[component]
fn ClientsScreen(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params::<ClientParams>();
    let query = use_query::<TabQuery>();
    let selected = Memo::new(move |_| {
        params
            .read()
            .as_ref()
            .ok()
            .and_then(|p| p.key.as_deref().and_then(ClientKey::parse))
    });
    let settings_tab = Memo::new(move |_| {
        query
            .read()
            .as_ref()
            .ok()
            .and_then(|q| q.tab.clone())
            .as_deref()
            == Some("settings")
    });
    // any change to a client refetches the tree
    let changed = RwSignal::new(0u32);
    let tree = LocalResource::new(move || {
        changed.track();
        async move {
            let tree = api::clients().await;
            session.notice(&tree);
            tree.map(|t| t.clients)
        }
    });
    let dialog_parent = RwSignal::new(None::<ClientNode>);
    // after a change the tree is drawn anew; focus goes back to the button that made it
    let refocus = StoredValue::new(None::<String>);
    let new_button = NodeRef::<html::Button>::new();

    view! {
        <div class="page">
            <div class="page-header">
                <div>
                    <h1 id="clients-heading">{t(Ui::CompaniesAndClients)}</h1>
                    <p class="lead">{t(Ui::ClientsLead)}</p>
                </div>
            </div>
            <Transition fallback=|| view! { <Loading/> }>
                {
                    let me = me.clone();
                    move || {
                        let me = me.clone();
                        Suspend::new(async move {
                            match tree.await {
                                Err(e) => view! { <ErrorAlert code=e.error.code/> }.into_any(),
                                Ok(clients) => {
                                    let current = selected
                                        .get()
                                        .and_then(|k| clients.iter().find(|c| c.key == k).cloned());
                                    // new sub-clients go below the selected client, else the first one
                                    let parent = current.clone().or_else(|| clients.first().cloned());
                                    let may_create = parent
                                        .as_ref()
                                        .is_some_and(|p| may(&me, Permission::ManageClients, &p.path));
                                    view! {
                                        <section class="card card-flush" aria-labelledby="clients-heading">
                                            <div class="toolbar">
                                                <Show when=move || may_create>
                                                    {
                                                        let parent = parent.clone();
                                                        view! {
                                                            <button type="button" id="new-client" class="btn btn-secondary btn-small"
                                                                node_ref=new_button aria-haspopup="dialog"
                                                                on:click=move |_| dialog_parent.set(parent.clone())>
                                                                {t(Ui::NewSubClient)}
                                                            </button>
                                                        }
                                                    }
                                                </Show>
                                            </div>
                                            <ClientTable clients=clients.clone() selected=selected.get()/>
                                        </section>
                                        {current.map(|client| {
                                            let me = me.clone();
                                            view! {
                                                <ClientDetailView
                                                    me=me
                                                    client=client
                                                    clients=clients.clone()
                                                    settings_tab=settings_tab.get()
                                                    changed=changed
                                                    refocus=refocus
                                                />
                                            }
                                        })}
                                    }
                                        .into_any()
                                }
                            }
                        })
                    }
                }
            </Transition>
            {move || dialog_parent.get().map(|parent| view! {
                <NewClientDialog
                    parent=parent
                    on_created=move |c: ClientNode| {
                        use_toasts().show(fill(i18n.text(Ui::ClientCreated), &[&c.name]));
                        refocus.set_value(Some("new-client".to_owned()));
                        session.clients_changed();
                        changed.update(|n| *n += 1);
                    }
                    on_close=move |()| {
                        dialog_parent.set(None);
                        if let Some(b) = new_button.get_untracked() { let _ = b.focus(); }
                    }
                />
            })}
        </div>
    }
}

/// The tree as a table: names indented by depth, each a link that selects the client.
#[component]
fn ClientTable(clients: Vec<ClientNode>, selected: Option<ClientKey>) -> impl IntoView {
    if clients.is_empty() {
        return view! { <p class="empty-title">{t(Ui::NoClients)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="clients-heading">
            <table class="table tree-table" aria-labelledby="clients-heading">
                <thead>
                    <tr>
                        <th scope="col">{t(Ui::Name)}</th>
                        <th scope="col">{t(Ui::ClientId)}</th>
                        <th scope="col">{t(Ui::IsSender)}</th>
                        <th scope="col">{t(Ui::Active)}</th>
                    </tr>
                </thead>
                <tbody>
                    {clients
                        .into_iter()
                        .map(|c| {
                            let href = format!("/clients/{}?tab=users", c.key);
                            // a custom property set through the CSSOM: the CSP forbids style attributes
                            let depth = c.path.depth().to_string();
                            let current = (selected == Some(c.key)).then_some("page");
                            let sender = c.is_sender;
                            let active = c.active;
                            view! {
                                <tr class:row-selected=current.is_some()>
                                    <th scope="row" class="tree-name" style:--depth=depth>
                                        <A href=href attr:aria-current=current>{c.name.clone()}</A>
                                    </th>
                                    <td class="cell-mono" data-label=t(Ui::ClientId)>{c.client_id.clone()}</td>
                                    <td data-label=t(Ui::IsSender)>
                                        {sender.then(|| view! { <span class="check" aria-hidden="true">"✓"</span> })}
                                        <span class="visually-hidden">{if sender { t(Ui::Yes) } else { t(Ui::No) }}</span>
                                    </td>
                                    <td data-label=t(Ui::Active)>
                                        {if active { t(Ui::Active) } else { t(Ui::Inactive) }}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The selected client: its actions and its Users / Settings tabs.
#[component]
fn ClientDetailView(
    me: Me,
    client: ClientNode,
    /// The whole accessible tree (for the move dialog's choice of parents).
    clients: Vec<ClientNode>,
    settings_tab: bool,
    changed: RwSignal<u32>,
    refocus: StoredValue<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let session = use_session();
    Effect::new(move |_| {
        if let Some(id) = refocus.get_value() {
            refocus.set_value(None);
            crate::dom::focus_id(&id);
        }
    });
    let rename = Opener::new();
    let move_dialog = Opener::new();
    let confirm_active = Opener::new();
    let key = client.key;
    let may_manage = may(&me, Permission::ManageClients, &client.path);
    let may_settings = may(&me, Permission::ManageSettings, &client.path);
    let may_view = may(&me, Permission::ViewAccounts, &client.path);
    let is_company = client.path.parent().is_none();
    let update = Action::new_local(move |request: &UpdateClientRequest| {
        api::update_client(key, request.clone())
    });
    // the sender mark is changed right away; rename, move and (de)activation go through dialogs
    on_answer(
        update,
        move |result: Result<ClientNode, ApiError>| match result {
            Ok(node) => {
                toasts.show(fill(i18n.text(Ui::ClientSaved), &[&node.name]));
                refocus.set_value(Some("client-sender".to_owned()));
                session.clients_changed();
                changed.update(|n| *n += 1);
            }
            Err(e) => {
                session.notice::<()>(&Err(e.clone()));
                toasts.show(e.error.code.text(i18n.lang_untracked()).to_owned());
            }
        },
    );
    let saved = move |node: ClientNode, button: &'static str| {
        toasts.show(fill(i18n.text(Ui::ClientSaved), &[&node.name]));
        refocus.set_value(Some(button.to_owned()));
        session.clients_changed();
        changed.update(|n| *n += 1);
    };
    let parents: Vec<ClientNode> = clients
        .iter()
        .filter(|c| !c.path.is_within(&client.path) && may(&me, Permission::ManageClients, &c.path))
        .cloned()
        .collect();
    let users_href = format!("/clients/{key}?tab=users");
    let settings_href = format!("/clients/{key}?tab=settings");
    let base = users_href.clone();
    let sender = client.is_sender;
    let active = client.active;
    let client_for_dialogs = StoredValue::new(client.clone());
    let parents = StoredValue::new(parents);
    view! {
        <section class="card client-detail" aria-labelledby="client-title">
            <div class="page-header">
                <h2 id="client-title">{client.name.clone()}</h2>
                <Show when=move || may_manage>
                    <div class="button-row" role="group" aria-label=t(Ui::ClientActions)>
                        <button type="button" id="client-rename" class="btn btn-secondary btn-small" aria-haspopup="dialog"
                            node_ref=rename.trigger() on:click=move |_| rename.open()>
                            {t(Ui::Rename)}
                        </button>
                        {(!is_company).then(|| view! {
                            <button type="button" id="client-move" class="btn btn-secondary btn-small" aria-haspopup="dialog"
                                node_ref=move_dialog.trigger() on:click=move |_| move_dialog.open()>
                                {t(Ui::Move)}
                            </button>
                        })}
                        <button type="button" id="client-sender" class="btn btn-secondary btn-small" disabled=move || update.pending().get()
                            aria-busy=move || update.pending().get().then_some("true")
                            on:click=move |_| { update.dispatch(UpdateClientRequest { is_sender: Some(!sender), ..Default::default() }); }>
                            {if sender { t(Ui::UnmarkSender) } else { t(Ui::MarkSender) }}
                        </button>
                        {(!is_company).then(|| view! {
                            <button type="button" id="client-active" class="btn btn-secondary btn-small" aria-haspopup="dialog"
                                node_ref=confirm_active.trigger() on:click=move |_| confirm_active.open()>
                                {if active { t(Ui::Deactivate) } else { t(Ui::Activate) }}
                            </button>
                        })}
                    </div>
                </Show>
            </div>
            // plain links: the router's <A> marks both tabs current, as they differ only in the query
            <nav class="tabs" aria-label=t(Ui::ClientSections)>
                <a href=users_href id="tab-users" class="tab" aria-current=(!settings_tab).then_some("page")>{t(Ui::Users)}</a>
                <Show when=move || may_settings>
                    <a href=settings_href.clone() id="tab-settings" class="tab" aria-current=settings_tab.then_some("page")>{t(Ui::Settings)}</a>
                </Show>
            </nav>
            <Show when=move || rename.is_open()>
                <RenameDialog
                    client=client_for_dialogs.get_value()
                    on_saved=move |node: ClientNode| { rename.close(); saved(node, "client-rename"); }
                    on_close=move |()| rename.close()
                />
            </Show>
            <Show when=move || move_dialog.is_open()>
                <MoveDialog
                    client=client_for_dialogs.get_value()
                    parents=parents.get_value()
                    on_saved=move |node: ClientNode| { move_dialog.close(); saved(node, "client-move"); }
                    on_close=move |()| move_dialog.close()
                />
            </Show>
            <Show when=move || confirm_active.is_open()>
                <ActiveDialog
                    client=client_for_dialogs.get_value()
                    on_saved=move |node: ClientNode| { confirm_active.close(); saved(node, "client-active"); }
                    on_close=move |()| confirm_active.close()
                />
            </Show>
            {if settings_tab && may_settings {
                view! { <SettingsTab client=client.clone()/> }.into_any()
            } else if may_view {
                view! { <UsersScreen me=me.clone() client=client.clone() base=base.clone()/> }.into_any()
            } else {
                view! { <p>{t(Ui::NoPermissionPage)}</p> }.into_any()
            }}
        </section>
    }
}

/// "New sub-client": name, client ID, is sender.
#[component]
fn NewClientDialog(
    parent: ClientNode,
    #[prop(into)] on_created: Callback<ClientNode>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let client_id = RwSignal::new(String::new());
    let is_sender = RwSignal::new(true);
    const FIELDS: [(&str, &str); 2] = [("name", "client-name"), ("client_id", "client-id")];
    let errors = FormErrors::new(&FIELDS);
    errors.clear_on_edit("name", name);
    errors.clear_on_edit("client_id", client_id);
    let parent_key = parent.key;
    let create = Action::new_local(move |request: &CreateClientRequest| {
        api::create_client(parent_key, request.clone())
    });
    on_answer(create, move |result| match result {
        Ok(node) => {
            on_created.run(node);
            on_close.run(());
        }
        Err(e) => errors.answer(e.error),
    });
    let submit = move |()| {
        let mut problems = vec![];
        if let Err(e) = domain::values::ClientName::parse(&name.get_untracked()) {
            problems.push(("name", e.into()));
        }
        if let Err(e) = ClientId::parse(&client_id.get_untracked()) {
            problems.push(("client_id", e.into()));
        }
        if errors.check(problems) {
            create.dispatch(CreateClientRequest {
                name: name.get_untracked(),
                client_id: client_id.get_untracked(),
                is_sender: is_sender.get_untracked(),
            });
        }
    };
    let parent_name = parent.name.clone();
    view! {
        <FormDialog
            id="new-client"
            title=Signal::derive(t(Ui::NewSubClient))
            lead=Signal::derive(move || fill(i18n.text(Ui::NewSubClientLead), &[&parent_name]))
            submit=Ui::Create
            submitting=Ui::Creating
            pending=create.pending()
            on_submit=submit
            on_close=on_close
        >
            <p class="required-note">{t(Ui::RequiredNote)}</p>
            <TextField id="client-name" label=Ui::Name value=name required=true autocomplete="off" autofocus=true
                maxlength=domain::values::ClientName::MAX error=errors.of("name")/>
            <TextField id="client-id" label=Ui::ClientId value=client_id required=true autocomplete="off"
                hint=Ui::ClientIdHint maxlength=32 error=errors.of("client_id")/>
            <label class="checkbox" for="client-is-sender">
                <input type="checkbox" id="client-is-sender" prop:checked=move || is_sender.get()
                    on:change=move |ev| is_sender.set(event_target_checked(&ev))/>
                <span>{t(Ui::IsSender)}</span>
            </label>
            <p class="hint">{t(Ui::IsSenderHint)}</p>
            {move || errors.general().map(|e| view! { <ErrorAlert code=e.code/> })}
        </FormDialog>
    }
}

/// One PATCH of a client, answered with the changed client.
fn update_action(key: ClientKey) -> Action<UpdateClientRequest, Result<ClientNode, ApiError>> {
    Action::new_local(move |request: &UpdateClientRequest| api::update_client(key, request.clone()))
}

/// "Rename client": the new name, its error beside the field.
#[component]
fn RenameDialog(
    client: ClientNode,
    #[prop(into)] on_saved: Callback<ClientNode>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    const FIELDS: [(&str, &str); 1] = [("name", "client-rename")];
    let session = use_session();
    let name = RwSignal::new(client.name.clone());
    let errors = FormErrors::new(&FIELDS);
    errors.clear_on_edit("name", name);
    let update = update_action(client.key);
    on_answer(update, move |result| match result {
        Ok(node) => on_saved.run(node),
        Err(e) => {
            session.notice::<()>(&Err(e.clone()));
            errors.answer(e.error);
        }
    });
    let submit = move |()| {
        let problems = match domain::values::ClientName::parse(&name.get_untracked()) {
            Err(e) => vec![("name", e.into())],
            Ok(_) => Vec::new(),
        };
        if errors.check(problems) {
            update.dispatch(UpdateClientRequest {
                name: Some(name.get_untracked()),
                ..Default::default()
            });
        }
    };
    view! {
        <FormDialog
            id="rename-client"
            title=Signal::derive(t(Ui::RenameClient))
            submit=Ui::Save
            submitting=Ui::Saving
            pending=update.pending()
            on_submit=submit
            on_close=on_close
        >
            <TextField
                id="client-rename"
                label=Ui::Name
                value=name
                required=true
                autocomplete="off"
                autofocus=true
                maxlength=domain::values::ClientName::MAX
                error=errors.of("name")
            />
            {move || errors.general().map(|e| view! { <ErrorAlert code=e.code/> })}
        </FormDialog>
    }
}

/// "Move client": a new parent among the clients outside its own subtree.
#[component]
fn MoveDialog(
    client: ClientNode,
    parents: Vec<ClientNode>,
    #[prop(into)] on_saved: Callback<ClientNode>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    const FIELDS: [(&str, &str); 1] = [("parent", "client-parent")];
    let i18n = use_i18n();
    let session = use_session();
    let current = client.path.parent();
    let parent = RwSignal::new(current.or_else(|| parents.first().map(|p| p.key)));
    let errors = FormErrors::new(&FIELDS);
    let update = update_action(client.key);
    on_answer(update, move |result| match result {
        Ok(node) => on_saved.run(node),
        Err(e) => {
            session.notice::<()>(&Err(e.clone()));
            errors.answer(e.error);
        }
    });
    let none = parents.is_empty();
    let submit = move |()| {
        if let Some(key) = parent.get_untracked() {
            errors.clear();
            update.dispatch(UpdateClientRequest {
                parent: Some(key),
                ..Default::default()
            });
        }
    };
    let error = errors.of("parent");
    let name = client.name.clone();
    view! {
        <FormDialog
            id="move-client"
            title=Signal::derive(t(Ui::MoveClient))
            lead=Signal::derive(move || fill(i18n.text(Ui::MoveLead), &[&name]))
            submit=Ui::Move
            submitting=Ui::Saving
            pending=update.pending()
            disabled=none
            on_submit=submit
            on_close=on_close
        >
            {if none {
                view! { <p class="note">{t(Ui::NoMoveTargets)}</p> }.into_any()
            } else {
                view! {
                    <div class="field" class:field-invalid=move || error.get().is_some()>
                        <label for="client-parent" class="label">{t(Ui::NewParent)}</label>
                        <select
                            id="client-parent"
                            class="select"
                            autofocus
                            aria-invalid=move || error.get().is_some().then_some("true")
                            on:change=move |ev| parent.set(ClientKey::parse(&event_target_value(&ev)))
                        >
                            {parents
                                .into_iter()
                                .map(|p| {
                                    let key = p.key;
                                    let text = format!("{}{}", "\u{a0}\u{a0}".repeat(p.path.depth()), p.name);
                                    view! {
                                        <option value=key.to_string() prop:selected=move || parent.get() == Some(key)>
                                            {text}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        {move || error.get().map(|code| view! { <p class="field-error">{code.text(i18n.lang())}</p> })}
                    </div>
                }
                    .into_any()
            }}
            {move || errors.general().map(|e| view! { <ErrorAlert code=e.code/> })}
        </FormDialog>
    }
}

/// "Deactivate …?" / "Activate …?": what it means for the accounts, then the PATCH.
#[component]
fn ActiveDialog(
    client: ClientNode,
    #[prop(into)] on_saved: Callback<ClientNode>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let error = RwSignal::new(None::<domain::api::ErrorCode>);
    let update = update_action(client.key);
    on_answer(update, move |result| match result {
        Ok(node) => on_saved.run(node),
        Err(e) => {
            session.notice::<()>(&Err(e.clone()));
            error.set(Some(e.error.code));
        }
    });
    let active = client.active;
    let name = client.name.clone();
    let (title, text, confirm) = if active {
        (
            Ui::DeactivateClientTitle,
            Ui::DeactivateClientText,
            Ui::Deactivate,
        )
    } else {
        (
            Ui::ActivateClientTitle,
            Ui::ActivateClientText,
            Ui::Activate,
        )
    };
    view! {
        <ConfirmDialog
            title=Signal::derive(move || fill(i18n.text(title), &[&name]))
            message=Signal::derive(move || i18n.text(text).to_owned())
            confirm=confirm
            confirming=Ui::Saving
            danger=active
            pending=update.pending()
            error=error
            on_confirm=move |()| {
                error.set(None);
                update.dispatch(UpdateClientRequest { active: Some(!active), ..Default::default() });
            }
            on_close=on_close
        />
    }
}
