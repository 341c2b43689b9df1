//! The accounts of one page of the users list, as a real table with column and row headers.
//! Column widths are fixed (they do not jump between pages and filters); a search's matches are
//! marked; e-mail addresses break only before `@` or `.`. On a phone each row is compact: name
//! and status, the e-mail address underneath.

use domain::api::UserRow;
use domain::i18n::{fill, Ui};
use domain::lifecycle::{Action, Lifecycle};
use domain::search::highlight;
use domain::Timestamp;
use leptos::prelude::*;

use crate::components::bulk::Selection;
use crate::components::status_badge::StatusBadge;
use crate::i18n::{role_label, t, use_i18n};

/// The users table. `labelled_by` names the heading that titles it; `search` is what to mark.
#[component]
pub fn UserTable(
    users: Vec<UserRow>,
    labelled_by: &'static str,
    #[prop(optional)] search: Option<String>,
    /// Offered on rows whose invitation has not been accepted (expired ones above all).
    #[prop(default = None)]
    on_resend: Option<Callback<UserRow>>,
    /// Offered on rows whose invitation link still works.
    #[prop(default = None)]
    on_cancel: Option<Callback<UserRow>>,
    /// Rows can be ticked for a bulk action.
    #[prop(default = None)]
    selection: Option<Selection>,
) -> impl IntoView {
    let search = search.unwrap_or_default();
    let page: Vec<domain::AccountId> = users.iter().map(|u| u.id).collect();
    let page = StoredValue::new(page);
    let select_col = selection.map(|_| view! { <col class="col-select"/> });
    let select_head = selection.map(|sel| {
        view! {
            <th scope="col" class="cell-select">
                <input
                    type="checkbox"
                    class="row-check"
                    aria-label=t(Ui::SelectAllOnPage)
                    prop:checked=move || page.with_value(|p| sel.has_page(p))
                    prop:indeterminate=move || page.with_value(|p| sel.has_some_of(p))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        page.with_value(|p| sel.set_page(p, on));
                    }
                />
            </th>
        }
    });
    view! {
        // scrolls sideways on narrow screens; focusable so keyboard users can scroll it too
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby=labelled_by>
            <table class="table table-users" aria-labelledby=labelled_by>
                <colgroup>
                    {select_col}
                    <col class="col-name"/>
                    <col class="col-username"/>
                    <col class="col-email"/>
                    <col class="col-role"/>
                    <col class="col-status"/>
                </colgroup>
                <thead>
                    <tr>
                        {select_head}
                        <th scope="col">{t(Ui::Name)}</th>
                        <th scope="col">{t(Ui::Username)}</th>
                        <th scope="col">{t(Ui::Email)}</th>
                        <th scope="col">{t(Ui::Role)}</th>
                        <th scope="col">{t(Ui::Status)}</th>
                    </tr>
                </thead>
                <tbody>
                    {users
                        .into_iter()
                        .map(|user| view! { <UserTableRow user=user search=search.clone() on_resend=on_resend on_cancel=on_cancel selection=selection page=page/> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UserTableRow(
    user: UserRow,
    search: String,
    on_resend: Option<Callback<UserRow>>,
    on_cancel: Option<Callback<UserRow>>,
    selection: Option<Selection>,
    page: StoredValue<Vec<domain::AccountId>>,
) -> impl IntoView {
    let id = user.id;
    let select = selection.map(|sel| {
        let i18n = use_i18n();
        let label = user.full_name();
        view! {
            <td class="cell-select">
                <input
                    type="checkbox"
                    class="row-check"
                    aria-label=move || fill(i18n.text(Ui::SelectAccount), &[&label])
                    prop:checked=move || sel.contains(id)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        page.with_value(|p| sel.set(id, on, p));
                    }
                />
            </td>
        }
    });
    let initials: String = [&user.first_name, &user.surname]
        .iter()
        .filter_map(|name| name.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    let role = role_label(&user.role);
    let href = format!("/accounts/{}", user.id);
    let name = marked(&user.full_name(), &search, false);
    let username = marked(&user.username, &search, false);
    let email = marked(&user.email, &search, true);
    // one click from the row: an invitation not accepted yet can be sent again, a pending one cancelled
    // the same rule the worker applies, from the state the badge stands for
    let state = Lifecycle::of_badge(user.badge);
    let now = Timestamp(js_sys::Date::now() as i64);
    let resendable = state.allows(Action::Resend, now);
    let cancellable = state.allows(Action::Cancel, now);
    let resend = on_resend.filter(|_| resendable).map(|callback| {
        row_action(
            &user,
            callback,
            Ui::ResendInvitation,
            Ui::ResendInvitationTo,
        )
    });
    let cancel = on_cancel.filter(|_| cancellable).map(|callback| {
        row_action(
            &user,
            callback,
            Ui::CancelInvitation,
            Ui::CancelInvitationOf,
        )
    });
    view! {
        <tr class:row-selected=move || selection.is_some_and(|sel| sel.contains(id))>
            {select}
            <th scope="row" class="cell-name">
                // initials drawn by CSS from the attribute, so the cell's text is just the name
                <span class="avatar" aria-hidden="true" data-initials=initials></span>
                <a href=href class="cell-link">{name}</a>
            </th>
            <td class="cell-mono cell-username">{username}</td>
            // the full address on hover (and for a screen reader the text itself is complete)
            <td class="cell-email" title=user.email.clone()>{email}</td>
            <td class="cell-role">{role}</td>
            <td class="cell-status">
                <StatusBadge badge=user.badge/>
                <span class="row-actions">{resend}{cancel}</span>
            </td>
        </tr>
    }
}

/// A quiet button in the row acting on its account; its accessible name says whose row it is
/// ("Resend invitation to Anna Müller"), starting with the visible text.
fn row_action(
    user: &UserRow,
    callback: Callback<UserRow>,
    text: Ui,
    named: Ui,
) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let row = user.clone();
    let label = user.full_name();
    view! {
        <button
            type="button"
            class="link-button"
            aria-label=move || fill(i18n.text(named), &[&label])
            on:click=move |_| callback.run(row.clone())
        >
            {t(text)}
        </button>
    }
}

/// The text with the parts a search matched in `<mark>`; an e-mail address gets a line-break
/// opportunity before each `@` and `.` (and nowhere else).
fn marked(text: &str, search: &str, email: bool) -> impl IntoView {
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut at = 0;
    for (from, to) in highlight(text, search) {
        if from > at {
            pieces.push((text[at..from].to_owned(), false));
        }
        pieces.push((text[from..to].to_owned(), true));
        at = to;
    }
    if at < text.len() {
        pieces.push((text[at..].to_owned(), false));
    }
    pieces
        .into_iter()
        .map(|(piece, hit)| {
            let parts = breakable(&piece, email);
            if hit {
                view! { <mark class="match">{parts}</mark> }.into_any()
            } else {
                parts.into_any()
            }
        })
        .collect_view()
}

fn breakable(text: &str, email: bool) -> impl IntoView + use<> {
    if !email {
        return vec![text.to_owned().into_any()];
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if (c == '@' || c == '.') && i > 0 {
            out.push(text[start..i].to_owned().into_any());
            out.push(view! { <wbr/> }.into_any());
            start = i;
        }
    }
    out.push(text[start..].to_owned().into_any());
    out
}
