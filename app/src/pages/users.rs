//! `/users?status=…&cursor=…`: the client's accounts, newest first, with their status, a status
//! filter, keyset pagination and the invite dialog. Filter and page live in the query string, so a
//! link shows the same list and Back goes to the previous one.

use domain::api::{ClientNode, InviteRequest, InviteResponse, Me, UserListQuery, UserPage};
use domain::i18n::{fill, Ui};
use domain::{AccountStatus, Permission};
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query};
use leptos_router::params::Params;
use leptos_router::NavigateOptions;

use crate::access::{may, may_here};
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::icons::next_icon;
use crate::components::invite_form::InviteForm;
use crate::components::toast::use_toasts;
use crate::components::user_table::UserTable;
use crate::i18n::{page_title, t, use_i18n};
use crate::pages::{signed_in_only, Loading};
use crate::session::use_session;

/// The users page (admins only).
#[component]
pub fn UsersPage() -> impl IntoView {
    page_title(|lang| Ui::Users.text(lang).to_owned());
    signed_in_only(|me| {
        if may_here(&me, Permission::ViewAccounts) {
            let client = ClientNode {
                key: me.client.key,
                client_id: me.client.client_id.clone(),
                name: me.client.name.clone(),
                path: me.client.path.clone(),
                is_sender: me.client.is_sender,
                active: true,
            };
            // the active client changes with the switcher: show that client's list
            view! { <UsersScreen me=me client=client base="/users".to_owned()/> }.into_any()
        } else {
            view! {
                <section class="card card-narrow">
                    <h1>{t(Ui::Users)}</h1>
                    <p>{t(Ui::NoPermission)}</p>
                </section>
            }
            .into_any()
        }
    })
}

/// The page's query string: `?status=invited&cursor=…`.
#[derive(Params, Debug, Clone, PartialEq)]
struct UsersQuery {
    status: Option<String>,
    cursor: Option<String>,
}

/// The list's address under `base` for a filter and a page (`None`: the first).
fn users_href(base: &str, status: Option<AccountStatus>, cursor: Option<&str>) -> String {
    let mut params = Vec::new();
    if let Some(status) = status {
        params.push(format!("status={}", status.as_str()));
    }
    if let Some(cursor) = cursor {
        params.push(format!(
            "cursor={}",
            String::from(js_sys::encode_uri_component(cursor))
        ));
    }
    let sep = if base.contains('?') { '&' } else { '?' };
    if params.is_empty() {
        base.to_owned()
    } else {
        format!("{base}{sep}{}", params.join("&"))
    }
}

fn status_label(status: Option<AccountStatus>) -> Ui {
    match status {
        None => Ui::StatusAll,
        Some(AccountStatus::Invited) => Ui::StatusInvited,
        Some(AccountStatus::Accepted) => Ui::StatusAccepted,
        Some(AccountStatus::Deactivated) => Ui::StatusDeactivated,
    }
}

/// The accounts of one client with the invite action: the users page (the active client) and a
/// client's Users tab. `base` is the page's own address, filters and pages are added to it.
#[component]
pub fn UsersScreen(me: Me, client: ClientNode, base: String) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let query = use_query::<UsersQuery>();
    // an unknown status or a malformed query shows the unfiltered first page
    let status = Memo::new(move |_| {
        query
            .read()
            .as_ref()
            .ok()
            .and_then(|q| q.status.as_deref().and_then(AccountStatus::parse))
    });
    let cursor = Memo::new(move |_| {
        query
            .read()
            .as_ref()
            .ok()
            .and_then(|q| q.cursor.clone())
            .filter(|c| !c.is_empty())
    });

    let key = client.key;
    let invite =
        Action::new_local(move |request: &InviteRequest| api::invite(key, request.clone()));
    // what the invite dialog offers: the client's defaults, the company's roles, accessible clients
    let invite_data = LocalResource::new(move || async move {
        let detail = api::client(key).await?;
        let roles = api::roles().await?;
        let tree = api::clients().await?;
        Ok::<_, domain::api::ApiError>((detail, roles.roles, tree.clients))
    });
    let may_invite = may(&me, Permission::ManageRolesAndRights, &client.path);
    let users = LocalResource::new(move || {
        // a sent invitation changes the list: fetch it again
        invite.version().track();
        let query = UserListQuery {
            status: status.get(),
            cursor: cursor.get(),
            limit: None,
        };
        async move {
            let page = api::list_users(key, query).await;
            session.notice(&page);
            page
        }
    });
    let refreshing = RwSignal::new(false);

    let dialog_open = RwSignal::new(false);
    let invite_button = NodeRef::<html::Button>::new();
    let on_close = move |()| {
        dialog_open.set(false);
        if let Some(button) = invite_button.get_untracked() {
            let _ = button.focus();
        }
    };
    let base_sent = base.clone();
    let on_sent = {
        let navigate = navigate.clone();
        move |response: InviteResponse| {
            toasts.show(fill(i18n.text(Ui::InvitationSent), &[&response.user.email]));
            // the new person is at the top of the first page of "all" and "invited"
            let shows_new = cursor.get_untracked().is_none()
                && matches!(status.get_untracked(), None | Some(AccountStatus::Invited));
            if !shows_new {
                navigate(
                    &users_href(&base_sent, None, None),
                    NavigateOptions::default(),
                );
            }
        }
    };

    let base_filter = base.clone();
    let base_list = base.clone();
    let change_filter = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::Event| {
            let chosen = AccountStatus::parse(&event_target_value(&ev));
            navigate(
                &users_href(&base_filter, chosen, None),
                NavigateOptions::default(),
            );
        }
    };

    let client_name = client.name.clone();
    let dialog_client_name = client.name.clone();
    let not_sender_name = client.name.clone();
    let is_sender = client.is_sender;
    let me_dialog = me.clone();

    view! {
        <div class="page">
            <div class="page-header">
                <div>
                    <h1 id="users-heading">{t(Ui::Users)}</h1>
                    <p class="lead">{move || fill(i18n.text(Ui::UsersLead), &[&client_name])}</p>
                </div>
                <Show when=move || may_invite>
                <button
                    type="button"
                    class="btn btn-primary"
                    disabled=!is_sender
                    aria-describedby=(!is_sender).then_some("not-sender-note")
                    node_ref=invite_button
                    aria-haspopup="dialog"
                    on:click=move |_| {
                        invite.clear();
                        dialog_open.set(true);
                    }
                >
                    <svg class="btn-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
                        <path fill="currentColor" d="M9 4h2v5h5v2h-5v5H9v-5H4V9h5V4Z"/>
                    </svg>
                    {t(Ui::InviteUser)}
                </button>
                </Show>
            </div>
            {(!is_sender && may_invite).then(|| view! {
                <p id="not-sender-note" class="note">{move || fill(i18n.text(Ui::NotSenderNote), &[&not_sender_name])}</p>
            })}
            <section class="card card-flush" aria-labelledby="users-heading" aria-busy=move || refreshing.get().then_some("true")>
                <div class="toolbar">
                    <div class="field-inline">
                        <label for="status-filter" class="label">{t(Ui::FilterByStatus)}</label>
                        <select id="status-filter" class="select" on:change=change_filter>
                            {std::iter::once(None)
                                .chain(AccountStatus::ALL.map(Some))
                                .map(|option| {
                                    view! {
                                        <option
                                            value=option.map(AccountStatus::as_str).unwrap_or_default()
                                            prop:selected=move || status.get() == option
                                        >
                                            {t(status_label(option))}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <Show when=move || refreshing.get()>
                        <span class="refreshing" aria-hidden="true">
                            <span class="spinner spinner-small"></span>
                        </span>
                    </Show>
                </div>
                <Transition fallback=|| view! { <Loading/> } set_pending=refreshing.write_only()>
                    {move || {
                        let base_list = base_list.clone();
                        Suspend::new(async move {
                        match users.await {
                            Ok(page) => view! { <UsersList page=page status=status.get_untracked() cursor=cursor.get_untracked() base=base_list.clone()/> }.into_any(),
                            Err(e) => {
                                view! {
                                    <div class="card-body">
                                        <ErrorAlert code=e.error.code/>
                                        <button type="button" class="btn btn-secondary" on:click=move |_| users.refetch()>
                                            {t(Ui::TryAgain)}
                                        </button>
                                    </div>
                                }
                                    .into_any()
                            }
                        }
                    })}}
                </Transition>
            </section>
            <Show when=move || dialog_open.get()>
                {
                    let on_sent = on_sent.clone();
                    let me = me_dialog.clone();
                    let name = dialog_client_name.clone();
                    move || Suspend::new({
                        let on_sent = on_sent.clone();
                        let me = me.clone();
                        let name = name.clone();
                        async move {
                            match invite_data.await {
                                Ok((detail, roles, clients)) => view! {
                                    <InviteForm
                                        action=invite
                                        username_format=detail.username_format
                                        client_name=name
                                        default_role=detail.default_role
                                        roles=roles
                                        clients=clients
                                        client_key=key
                                        me=me
                                        on_sent=on_sent
                                        on_close=on_close
                                    />
                                }.into_any(),
                                Err(e) => view! { <ErrorAlert code=e.error.code/> }.into_any(),
                            }
                        }
                    })
                }
            </Show>
        </div>
    }
}

/// One page of accounts, or why there are none, with the buttons to page on.
#[component]
fn UsersList(
    page: UserPage,
    status: Option<AccountStatus>,
    cursor: Option<String>,
    base: String,
) -> impl IntoView {
    let navigate = use_navigate();
    let base_first = base.clone();
    let first_page = {
        let navigate = navigate.clone();
        cursor.is_some().then(|| {
            view! {
                <button
                    type="button"
                    class="btn btn-secondary btn-small"
                    on:click=move |_| navigate(&users_href(&base_first, status, None), NavigateOptions::default())
                >
                    {t(Ui::FirstPage)}
                </button>
            }
        })
    };
    let next_page = page.next_cursor.clone().map(|next| {
        view! {
            <button
                type="button"
                class="btn btn-secondary btn-small"
                on:click=move |_| navigate(&users_href(&base, status, Some(&next)), NavigateOptions::default())
            >
                {t(Ui::NextPage)}
                {next_icon()}
            </button>
        }
    });
    let has_pages = cursor.is_some() || page.next_cursor.is_some();
    let body = if page.users.is_empty() {
        let everything = status.is_none() && cursor.is_none();
        view! {
            <div class="empty-state">
                <svg class="empty-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
                    <path
                        fill="currentColor"
                        d="M24 6a8 8 0 1 1 0 16 8 8 0 0 1 0-16Zm0 4a4 4 0 1 0 0 8 4 4 0 0 0 0-8Zm0 16c8.8 0 16 4.5 16 10v4H8v-4c0-5.5 7.2-10 16-10Zm0 4c-6.6 0-11.3 3-11.9 6h23.8c-.6-3-5.3-6-11.9-6Z"
                    />
                </svg>
                {if everything {
                    view! {
                        <p class="empty-title">{t(Ui::NoUsers)}</p>
                        <p class="empty-lead">{t(Ui::NoUsersLead)}</p>
                    }
                        .into_any()
                } else {
                    view! { <p class="empty-title">{t(Ui::NoUsersWithStatus)}</p> }.into_any()
                }}
            </div>
        }
        .into_any()
    } else {
        view! { <UserTable users=page.users labelled_by="users-heading"/> }.into_any()
    };
    view! {
        {body}
        {has_pages
            .then(|| {
                view! {
                    <nav class="pager" aria-label=t(Ui::Pagination)>
                        {first_page}
                        <span class="pager-spacer"></span>
                        {next_page}
                    </nav>
                }
            })}
    }
}
