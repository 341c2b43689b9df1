//! `/users?q=…&status=…&sort=…&cursor=…&limit=…`: the client's accounts as an admin works in them:
//! search as you type, filters with their counts, sorting, pages both ways, the invite dialog.
//! Everything lives in the query string, so a link shows the same list and Back goes to the
//! previous one.

use domain::api::{
    ClientNode, InviteRequest, InviteResponse, MatchCount, Me, UserListQuery, UserPage, UserRow,
};
use domain::i18n::{fill, format_count, Ui};
use domain::list::{ListCounts, ListFilter, ListSort, Order};
use domain::Permission;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query};
use leptos_router::params::Params;
use leptos_router::NavigateOptions;

use crate::access::{may, may_here};
use crate::api;
use crate::components::account_actions::{Act, ActDialog};
use crate::components::alert::ErrorAlert;
use crate::components::bulk::{BulkBar, Selection};
use crate::components::dialog::{on_answer, ConfirmDialog};
use crate::components::icons::next_icon;
use crate::components::invite_form::InviteForm;
use crate::components::toast::use_toasts;
use crate::components::user_table::{RowActions, UserTable};
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

/// The page's query string (see [`UserListQuery::to_query_string`]).
#[derive(Params, Debug, Clone, PartialEq)]
struct UsersQuery {
    status: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

impl UsersQuery {
    /// What the list shows; anything unknown falls back to the default.
    fn list(&self) -> UserListQuery {
        UserListQuery {
            status: self
                .status
                .as_deref()
                .and_then(ListFilter::parse)
                .unwrap_or_default(),
            q: self.q.clone().filter(|q| !q.trim().is_empty()),
            sort: self
                .sort
                .as_deref()
                .and_then(ListSort::parse)
                .unwrap_or_default(),
            cursor: self.cursor.clone().filter(|c| !c.is_empty()),
            limit: self
                .limit
                .as_deref()
                .and_then(|l| l.parse().ok())
                .filter(|l| UserListQuery::PAGE_SIZES.contains(l)),
        }
    }
}

/// The list's address under `base` for a query.
fn users_href(base: &str, query: &UserListQuery) -> String {
    let params = query.to_query_string();
    let sep = if base.contains('?') { '&' } else { '?' };
    if params.is_empty() {
        base.to_owned()
    } else {
        format!("{base}{sep}{params}")
    }
}

fn filter_label(filter: ListFilter) -> Ui {
    match filter {
        ListFilter::All => Ui::StatusAll,
        ListFilter::Invited => Ui::StatusInvited,
        ListFilter::Expiring => Ui::StatusExpiring,
        ListFilter::Expired => Ui::StatusExpired,
        ListFilter::Accepted => Ui::StatusAccepted,
        ListFilter::Deactivated => Ui::StatusDeactivated,
    }
}

fn sort_label(sort: ListSort) -> Ui {
    match sort {
        ListSort::Newest => Ui::SortNewest,
        ListSort::Name => Ui::SortName,
        ListSort::Status => Ui::SortStatus,
    }
}

/// Typing pauses this long before the list searches.
const SEARCH_DEBOUNCE_MS: u64 = 250;

/// The accounts of one client with the invite action: the users page (the active client) and a
/// client's Users tab. `base` is the page's own address, the list's query is added to it.
#[component]
pub fn UsersScreen(me: Me, client: ClientNode, base: String) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let query = use_query::<UsersQuery>();
    // a malformed query shows the unfiltered first page
    let list = Memo::new(move |_| {
        query
            .read()
            .as_ref()
            .map(UsersQuery::list)
            .unwrap_or_default()
    });
    let base = StoredValue::new(base);
    let go = {
        let navigate = navigate.clone();
        move |query: UserListQuery, replace: bool| {
            navigate(
                &users_href(&base.read_value(), &query),
                NavigateOptions {
                    replace,
                    scroll: false,
                    ..NavigateOptions::default()
                },
            );
        }
    };

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
    // the last counts and match count, kept while the next page loads so nothing jumps
    let counts = RwSignal::new(None::<ListCounts>);
    let matches = RwSignal::new(None::<MatchCount>);
    let resend = Action::new_local(move |row: &UserRow| {
        let row = row.clone();
        async move { api::resend_invitation(row.id).await.map(|_| row) }
    });
    // the answer to each resend: a toast either way (the row shows the new expiry after the refetch)
    on_answer(resend, move |result| match result {
        Ok(row) => toasts.show(fill(i18n.text(Ui::InvitationResent), &[&row.email])),
        Err(e) => toasts.show(e.error.code.text(i18n.lang_untracked()).to_owned()),
    });
    let on_resend = may_invite.then(|| {
        Callback::new(move |row: UserRow| {
            resend.dispatch(row);
        })
    });
    // cancelling asks first: the person's link stops working
    let cancelling = RwSignal::new(None::<UserRow>);
    let cancel_error = RwSignal::new(None::<domain::api::ErrorCode>);
    let cancel = Action::new_local(move |row: &UserRow| {
        let row = row.clone();
        async move { api::cancel_invitation(row.id).await.map(|_| row) }
    });
    on_answer(cancel, move |result| match result {
        Ok(row) => {
            cancelling.set(None);
            toasts.show(fill(
                i18n.text(Ui::InvitationCancelled),
                &[&row.full_name()],
            ));
        }
        Err(e) => cancel_error.set(Some(e.error.code)),
    });
    let on_cancel = may_invite.then(|| {
        Callback::new(move |row: UserRow| {
            cancel_error.set(None);
            cancelling.set(Some(row));
        })
    });
    // every other action of a row (the account page's): one dialog at a time, then the list again
    let acting = RwSignal::new(None::<(UserRow, Act)>);
    let acted = RwSignal::new(0u32);
    let may_copy = may(&me, Permission::CopyInvitationLinks, &client.path);
    let row_actions = match (on_resend, on_cancel) {
        (Some(on_resend), Some(on_cancel)) => Some(RowActions {
            on_resend,
            on_cancel,
            on_act: Callback::new(move |pair| acting.set(Some(pair))),
            me: me.id,
            may_copy,
        }),
        _ => None,
    };
    // rows ticked for a bulk action (admins who may act on accounts); a new filter or search starts over
    let selection = may_invite.then(Selection::new);
    let page_ids = RwSignal::new(Vec::<domain::AccountId>::new());
    let bulk_version = RwSignal::new(0u32);
    let filtered = Memo::new(move |_| {
        let q = list.get();
        (q.status, q.q)
    });
    Effect::new(move |previous: Option<()>| {
        filtered.track();
        if previous.is_some() {
            if let Some(sel) = selection {
                sel.clear();
            }
        }
    });
    let users = LocalResource::new(move || {
        // a sent or resent invitation, or a bulk action, changes the list: fetch it again
        bulk_version.track();
        acted.track();
        invite.version().track();
        resend.version().track();
        cancel.version().track();
        let query = list.get();
        async move {
            let page = api::list_users(key, query.clone()).await;
            session.notice(&page);
            if let Ok(page) = &page {
                page_ids.set(page.users.iter().map(|u| u.id).collect());
                counts.set(Some(page.counts));
                if query.cursor.is_none() {
                    matches.set(page.matches);
                }
            }
            page
        }
    });
    let refreshing = RwSignal::new(false);

    // the search box: what is typed shows at once, the list follows once typing pauses
    let typed = RwSignal::new(list.get_untracked().q.unwrap_or_default());
    let typing = StoredValue::new(0u32);
    let search_now = {
        let go = go.clone();
        move |text: String| {
            let mut next = list.get_untracked();
            let wanted = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
            if next.q.as_deref().map(str::trim) != wanted.as_deref() {
                next.q = wanted;
                next.cursor = None;
                go(next, true);
            }
        }
    };
    let on_search_input = {
        let search_now = search_now.clone();
        move |text: String| {
            typed.set(text.clone());
            let n = typing.get_value().wrapping_add(1);
            typing.set_value(n);
            let search_now = search_now.clone();
            set_timeout(
                move || {
                    if typing.get_value() == n {
                        search_now(text);
                    }
                },
                std::time::Duration::from_millis(SEARCH_DEBOUNCE_MS),
            );
        }
    };
    // Back and Forward change the address: the box follows when nobody is typing
    Effect::new(move |_| {
        let q = list.get().q.unwrap_or_default();
        let settled = typing.get_value();
        set_timeout(
            move || {
                if typing.get_value() == settled && typed.get_untracked().trim() != q.trim() {
                    typed.set(q);
                }
            },
            std::time::Duration::from_millis(SEARCH_DEBOUNCE_MS + 50),
        );
    });

    let dialog_open = RwSignal::new(false);
    let invite_button = NodeRef::<html::Button>::new();
    let on_close = move |()| {
        dialog_open.set(false);
        if let Some(button) = invite_button.get_untracked() {
            let _ = button.focus();
        }
    };
    let on_sent = {
        let go = go.clone();
        move |response: InviteResponse| {
            toasts.show(if response.resent {
                fill(i18n.text(Ui::InvitationResent), &[&response.user.email])
            } else {
                fill(
                    i18n.text(Ui::InvitationSentAs),
                    &[&response.user.email, &response.user.username],
                )
            });
            // the new person is at the top of the first page of "all", newest first
            let now = list.get_untracked();
            let shows_new = now.cursor.is_none()
                && now.q.is_none()
                && now.status == ListFilter::All
                && now.order() == Order::Newest;
            if !shows_new {
                go(
                    UserListQuery {
                        limit: now.limit,
                        ..UserListQuery::default()
                    },
                    false,
                );
            }
        }
    };

    let change_sort = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let mut next = list.get_untracked();
            next.sort = ListSort::parse(&event_target_value(&ev)).unwrap_or_default();
            next.cursor = None;
            go(next, false);
        }
    };
    let change_size = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let mut next = list.get_untracked();
            next.limit = event_target_value(&ev).parse().ok();
            next.cursor = None;
            go(next, false);
        }
    };
    let clear_search = {
        let search_now = search_now.clone();
        move || {
            typed.set(String::new());
            typing.set_value(typing.get_value().wrapping_add(1));
            search_now(String::new());
            crate::dom::focus_id("user-search");
        }
    };

    let client_name = client.name.clone();
    let dialog_client_name = client.name.clone();
    let not_sender_name = client.name.clone();
    let is_sender = client.is_sender;
    let me_dialog = me.clone();
    let clear_for_list = clear_search.clone();
    let go_list = go.clone();

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
                <div class="list-tools">
                    <div class="search-box" role="search">
                        <label for="user-search" class="visually-hidden">{t(Ui::SearchUsers)}</label>
                        <svg class="search-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
                            <path fill="currentColor" d="M8.5 3a5.5 5.5 0 0 1 4.38 8.83l4.15 4.14-1.06 1.06-4.14-4.15A5.5 5.5 0 1 1 8.5 3Zm0 1.5a4 4 0 1 0 0 8 4 4 0 0 0 0-8Z"/>
                        </svg>
                        <input
                            id="user-search"
                            class="input search-input"
                            type="search"
                            autocomplete="off"
                            spellcheck="false"
                            maxlength=domain::search::MAX_QUERY
                            placeholder=t(Ui::SearchPlaceholder)
                            aria-describedby="list-summary"
                            prop:value=move || typed.get()
                            on:input=move |ev| on_search_input(event_target_value(&ev))
                            on:keydown={
                                let clear = clear_search.clone();
                                move |ev: leptos::ev::KeyboardEvent| {
                                    if ev.key() == "Escape" && !typed.get_untracked().is_empty() {
                                        ev.prevent_default();
                                        clear();
                                    }
                                }
                            }
                        />
                    </div>
                    <div class="field-inline">
                        <label for="sort-by" class="label">{t(Ui::SortBy)}</label>
                        {move || {
                            let q = list.get();
                            let order = q.order();
                            if order.follows(q.sort) || matches!(order, Order::Newest | Order::Name | Order::Status) {
                                view! {
                                    <select id="sort-by" class="select" on:change=change_sort.clone()>
                                        {ListSort::ALL
                                            .map(|option| view! {
                                                <option value=option.as_str() prop:selected=move || list.get().sort == option>
                                                    {t(sort_label(option))}
                                                </option>
                                            })
                                            .collect_view()}
                                    </select>
                                }
                                .into_any()
                            } else {
                                // a search lists best matches first, the invitation filters by expiry
                                let fixed = if order == Order::Match { Ui::SortedByMatch } else { Ui::SortedByExpiry };
                                view! {
                                    <select id="sort-by" class="select" disabled>
                                        <option selected>{t(fixed)}</option>
                                    </select>
                                }
                                .into_any()
                            }
                        }}
                    </div>
                    <div class="field-inline">
                        <label for="page-size" class="label">{t(Ui::PageSize)}</label>
                        <select id="page-size" class="select" on:change=change_size>
                            {UserListQuery::PAGE_SIZES
                                .map(|size| view! {
                                    <option value=size.to_string() prop:selected=move || list.get().limit() == size>
                                        {size.to_string()}
                                    </option>
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <span class="refreshing" aria-hidden="true">
                        <Show when=move || refreshing.get()>
                            <span class="spinner spinner-small"></span>
                        </Show>
                    </span>
                </div>
                <nav class="filters" aria-label=t(Ui::FilterByStatus)>
                    {ListFilter::ALL
                        .map(|filter| {
                            let href = move || {
                                let now = list.get();
                                users_href(
                                    &base.read_value(),
                                    &UserListQuery { status: filter, cursor: None, ..now },
                                )
                            };
                            let current = move || (list.get().status == filter).then_some("page");
                            view! {
                                <a href=href class="filter" aria-current=current data-filter=filter.as_str()>
                                    <span class="filter-label">{t(filter_label(filter))}</span>
                                    <span class="filter-count">
                                        {move || counts.get().map(|c| format_count(c.of(filter), i18n.lang()))}
                                    </span>
                                </a>
                            }
                        })
                        .collect_view()}
                </nav>
                <p id="list-summary" class="list-summary" aria-live="polite">
                    {move || {
                        let lang = i18n.lang();
                        let q = list.get();
                        if q.search().is_some() {
                            matches.get().map(|m| match (m.count, m.more) {
                                (_, true) => fill(Ui::MatchMore.text(lang), &[&format_count(u64::from(m.count), lang)]),
                                (1, false) => Ui::MatchOne.text(lang).to_owned(),
                                (n, false) => fill(Ui::MatchMany.text(lang), &[&format_count(u64::from(n), lang)]),
                            })
                        } else {
                            counts.get().map(|c| match c.of(q.status) {
                                1 => Ui::AccountsInFilterOne.text(lang).to_owned(),
                                n => fill(Ui::AccountsInFilter.text(lang), &[&format_count(n, lang)]),
                            })
                        }
                    }}
                </p>
                {selection.map(|selection| {
                    let matching = Signal::derive(move || {
                        let q = list.get();
                        if q.search().is_some() {
                            matches.get().filter(|m| !m.more).map(|m| u64::from(m.count))
                        } else {
                            counts.get().map(|c| c.of(q.status))
                        }
                    });
                    view! {
                        <BulkBar
                            selection=selection
                            client=key
                            query=list
                            matching=matching
                            page=page_ids
                            on_done=move |()| bulk_version.update(|v| *v += 1)
                        />
                    }
                })}
                <Transition fallback=|| view! { <Loading/> } set_pending=refreshing.write_only()>
                    {move || {
                        let clear = clear_for_list.clone();
                        let go = go_list.clone();
                        Suspend::new(async move {
                        match users.await {
                            Ok(page) => view! { <UsersList page=page query=list.get_untracked() go=go on_clear=clear actions=row_actions selection=selection/> }.into_any(),
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
            {move || acting.get().map(|(row, act)| view! {
                <ActDialog
                    user=row
                    act=act
                    on_changed=move |()| acted.update(|v| *v += 1)
                    on_deleted=move |()| acted.update(|v| *v += 1)
                    on_close=move |()| acting.set(None)
                />
            })}
            {move || cancelling.get().map(|row| {
                let name = row.full_name();
                view! {
                    <ConfirmDialog
                        title=Signal::derive(move || fill(i18n.text(Ui::CancelInvitationQuestion), &[&name]))
                        message=Signal::derive(move || i18n.text(Ui::CancelInvitationText).to_owned())
                        confirm=Ui::CancelInvitation
                        confirming=Ui::Cancelling
                        dismiss=Ui::KeepInvitation
                        danger=true
                        pending=cancel.pending()
                        error=cancel_error
                        on_confirm=move |()| {
                            cancel_error.set(None);
                            cancel.dispatch(row.clone());
                        }
                        on_close=move |()| cancelling.set(None)
                    />
                }
            })}
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

/// One page of accounts, or why there are none, with the buttons to page back and on.
#[component]
fn UsersList<G, C>(
    page: UserPage,
    query: UserListQuery,
    go: G,
    on_clear: C,
    actions: Option<RowActions>,
    selection: Option<Selection>,
) -> impl IntoView
where
    G: Fn(UserListQuery, bool) + Clone + Send + Sync + 'static,
    C: Fn() + Clone + Send + Sync + 'static,
{
    let pager_button = |label: Ui, cursor: Option<String>, next: bool| {
        let go = go.clone();
        let query = query.clone();
        let disabled = cursor.is_none();
        view! {
            <button
                type="button"
                class="btn btn-secondary btn-small"
                disabled=disabled
                data-page=if next { "next" } else { "previous" }
                on:click=move |_| {
                    go(UserListQuery { cursor: cursor.clone(), ..query.clone() }, false);
                    crate::dom::focus_id("users-heading");
                }
            >
                {(!next).then(|| view! { <span class="flip">{next_icon()}</span> })}
                {t(label)}
                {next.then(next_icon)}
            </button>
        }
    };
    let has_pages = page.prev_cursor.is_some() || page.next_cursor.is_some();
    let pager = has_pages.then(|| {
        view! {
            <nav class="pager" aria-label=t(Ui::Pagination)>
                {pager_button(Ui::PreviousPage, page.prev_cursor.clone(), false)}
                <span class="pager-spacer"></span>
                {pager_button(Ui::NextPage, page.next_cursor.clone(), true)}
            </nav>
        }
    });
    let i18n = use_i18n();
    let body = if page.users.is_empty() {
        let everything = query.status == ListFilter::All && query.cursor.is_none();
        let searched = query.q.clone().filter(|_| query.search().is_some());
        view! {
            <div class="empty-state">
                <svg class="empty-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
                    <path
                        fill="currentColor"
                        d="M24 6a8 8 0 1 1 0 16 8 8 0 0 1 0-16Zm0 4a4 4 0 1 0 0 8 4 4 0 0 0 0-8Zm0 16c8.8 0 16 4.5 16 10v4H8v-4c0-5.5 7.2-10 16-10Zm0 4c-6.6 0-11.3 3-11.9 6h23.8c-.6-3-5.3-6-11.9-6Z"
                    />
                </svg>
                {match searched {
                    Some(q) => {
                        let on_clear = on_clear.clone();
                        view! {
                            <p class="empty-title">{move || fill(i18n.text(Ui::NoMatches), &[q.trim()])}</p>
                            <p class="empty-lead">{t(Ui::NoMatchesLead)}</p>
                            <button type="button" class="btn btn-secondary" on:click=move |_| on_clear()>
                                {t(Ui::ClearSearch)}
                            </button>
                        }
                            .into_any()
                    }
                    None if everything => view! {
                        <p class="empty-title">{t(Ui::NoUsers)}</p>
                        <p class="empty-lead">{t(Ui::NoUsersLead)}</p>
                    }
                        .into_any(),
                    None => view! { <p class="empty-title">{t(Ui::NoUsersWithStatus)}</p> }.into_any(),
                }}
            </div>
        }
        .into_any()
    } else {
        let search = query.search().map(|q| q.as_str().to_owned());
        match search {
            Some(search) => {
                view! { <UserTable users=page.users labelled_by="users-heading" search=search actions=actions selection=selection/> }
                    .into_any()
            }
            None => view! { <UserTable users=page.users labelled_by="users-heading" actions=actions selection=selection/> }.into_any(),
        }
    };
    view! {
        {body}
        {pager}
    }
}
