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

use crate::components::account_actions::{offered, Act};
use crate::components::bulk::Selection;
use crate::components::status_badge::StatusBadge;
use crate::i18n::{role_label, t, use_i18n};

/// The users table. `labelled_by` names the heading that titles it; `search` is what to mark.
#[component]
pub fn UserTable(
    users: Vec<UserRow>,
    labelled_by: &'static str,
    #[prop(optional)] search: Option<String>,
    /// What an admin who manages these accounts may do from a row.
    #[prop(default = None)]
    actions: Option<RowActions>,
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
                    {actions.map(|_| view! { <col class="col-menu"/> })}
                </colgroup>
                <thead>
                    <tr>
                        {select_head}
                        <th scope="col">{t(Ui::Name)}</th>
                        <th scope="col">{t(Ui::Username)}</th>
                        <th scope="col">{t(Ui::Email)}</th>
                        <th scope="col">{t(Ui::Role)}</th>
                        <th scope="col">{t(Ui::Status)}</th>
                        {actions.map(|_| view! { <th scope="col" class="cell-menu"><span class="visually-hidden">{t(Ui::Actions)}</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    {users
                        .into_iter()
                        .map(|user| view! { <UserTableRow user=user search=search.clone() actions=actions selection=selection page=page/> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A row's actions: resend and cancel (the list's own), and every other action of the account page
/// (`act`), for accounts other than `me` where that would lock one out.
#[derive(Debug, Clone, Copy)]
pub struct RowActions {
    /// Send the invitation again (one click).
    pub on_resend: Callback<UserRow>,
    /// Cancel the invitation (asks first).
    pub on_cancel: Callback<UserRow>,
    /// Any other action: the list opens its dialog.
    pub on_act: Callback<(UserRow, Act)>,
    /// The signed-in admin's own account.
    pub me: domain::AccountId,
    /// May copy invitation links.
    pub may_copy: bool,
}

#[component]
fn UserTableRow(
    user: UserRow,
    search: String,
    actions: Option<RowActions>,
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
    let resend = actions.filter(|_| resendable).map(|a| {
        row_action(
            &user,
            a.on_resend,
            Ui::ResendInvitation,
            Ui::ResendInvitationTo,
        )
    });
    let menu = actions.map(
        |a| view! { <td class="cell-menu">{row_menu(&user, a, resendable, cancellable)}</td> },
    );
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
                <span class="row-actions">{resend}</span>
            </td>
            {menu}
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

/// The row's menu: a "⋯" button opening a popover (light dismiss: a click outside or Escape
/// closes it, and focus goes back to the button) with every action the account's state allows,
/// the same list as the account page. Arrow keys move between the items.
fn row_menu(
    user: &UserRow,
    a: RowActions,
    resendable: bool,
    cancellable: bool,
) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let menu_id = format!("row-menu-{}", user.id);
    let button = NodeRef::<leptos::html::Button>::new();
    let menu = NodeRef::<leptos::html::Div>::new();
    let hide = move || {
        if let Some(m) = menu.get_untracked() {
            let _ = m.hide_popover();
        }
    };
    let item = |text: Ui, danger: bool, run: Box<dyn Fn() + Send + Sync>| {
        view! {
            <button
                type="button"
                role="menuitem"
                class="row-menu-item"
                class:row-menu-danger=danger
                on:click=move |_| {
                    hide();
                    run();
                }
            >
                {t(text)}
            </button>
        }
    };
    let mut items = Vec::new();
    let offered = offered(user, a.me, a.may_copy);
    let mut acts = offered.iter().copied().peekable();
    if let Some(Act::Edit) = acts.peek().copied() {
        acts.next();
        let row = user.clone();
        items.push(
            item(
                Ui::EditDetails,
                false,
                Box::new(move || a.on_act.run((row.clone(), Act::Edit))),
            )
            .into_any(),
        );
    }
    if resendable {
        let row = user.clone();
        items.push(
            item(
                Ui::ResendInvitation,
                false,
                Box::new(move || a.on_resend.run(row.clone())),
            )
            .into_any(),
        );
    }
    if cancellable {
        let row = user.clone();
        items.push(
            item(
                Ui::CancelInvitation,
                false,
                Box::new(move || a.on_cancel.run(row.clone())),
            )
            .into_any(),
        );
    }
    let href = format!("/accounts/{}#access-heading", user.id);
    items.push(
        view! { <a role="menuitem" class="row-menu-item" href=href on:click=move |_| hide()>{t(Ui::ChangeRoleAndAccess)}</a> }
            .into_any(),
    );
    for act in acts {
        if act.is_danger() {
            items.push(view! { <hr class="row-menu-rule" role="separator"/> }.into_any());
        }
        let row = user.clone();
        items.push(
            item(
                act.label(),
                act.is_danger(),
                Box::new(move || a.on_act.run((row.clone(), act))),
            )
            .into_any(),
        );
    }
    let label = user.full_name();
    // placed under the button, right-aligned to it, or above it near the bottom of the window
    let place = move |ev: web_sys::Event| {
        use wasm_bindgen::JsCast;
        let open = js_sys::Reflect::get(&ev, &"newState".into())
            .ok()
            .and_then(|v| v.as_string())
            .is_some_and(|s| s == "open");
        let (Some(b), Some(m)) = (button.get_untracked(), menu.get_untracked()) else {
            return;
        };
        if !open {
            let _ = b.set_attribute("aria-expanded", "false");
            return;
        }
        let _ = b.set_attribute("aria-expanded", "true");
        let r = b.get_bounding_client_rect();
        let m_el: &web_sys::HtmlElement = m.unchecked_ref();
        let (w, h) = (
            f64::from(m_el.offset_width()),
            f64::from(m_el.offset_height()),
        );
        let window = web_sys::window().expect("window");
        let vh = window
            .inner_height()
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(800.0);
        let left = (r.right() - w).max(8.0);
        let top = if r.bottom() + 4.0 + h > vh && r.top() - 4.0 - h > 0.0 {
            r.top() - 4.0 - h
        } else {
            r.bottom() + 4.0
        };
        let style = m_el.style();
        let _ = style.set_property("left", &format!("{left}px"));
        let _ = style.set_property("top", &format!("{top}px"));
        if let Ok(Some(first)) = m.query_selector("[role=menuitem]") {
            if let Some(first) = first.dyn_ref::<web_sys::HtmlElement>() {
                let _ = first.focus();
            }
        }
    };
    let keys = move |ev: leptos::ev::KeyboardEvent| {
        use wasm_bindgen::JsCast;
        let step: i32 = match ev.key().as_str() {
            "ArrowDown" => 1,
            "ArrowUp" => -1,
            "Home" => i32::MIN,
            "End" => i32::MAX,
            _ => return,
        };
        ev.prevent_default();
        let Some(m) = menu.get_untracked() else {
            return;
        };
        let Ok(list) = m.query_selector_all("[role=menuitem]") else {
            return;
        };
        let n = list.length() as i32;
        if n == 0 {
            return;
        }
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let at = (0..n)
            .find(|i| {
                list.get(*i as u32)
                    .map(|e| e.unchecked_into::<web_sys::Element>())
                    == active
            })
            .unwrap_or(0);
        let next = match step {
            i32::MIN => 0,
            i32::MAX => n - 1,
            s => (at + s).rem_euclid(n),
        };
        if let Some(e) = list
            .get(next as u32)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = e.focus();
        }
    };
    view! {
        <button
            type="button"
            class="icon-button row-menu-button"
            node_ref=button
            popovertarget=menu_id.clone()
            aria-haspopup="menu"
            aria-expanded="false"
            aria-label=move || fill(i18n.text(Ui::ActionsFor), &[&label])
            title=t(Ui::Actions)
        >
            <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
                <circle cx="4" cy="10" r="1.8" fill="currentColor"/>
                <circle cx="10" cy="10" r="1.8" fill="currentColor"/>
                <circle cx="16" cy="10" r="1.8" fill="currentColor"/>
            </svg>
        </button>
        <div id=menu_id popover="auto" role="menu" class="row-menu" node_ref=menu on:toggle=place on:keydown=keys>
            {items}
        </div>
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
