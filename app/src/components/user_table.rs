//! The accounts of one page of the users list, as a real table with column and row headers.

use domain::api::UserRow;
use domain::i18n::Ui;
use leptos::prelude::*;

use crate::components::status_badge::StatusBadge;
use crate::i18n::{role_label, t};

/// The users table. `labelled_by` names the heading that titles it.
#[component]
pub fn UserTable(users: Vec<UserRow>, labelled_by: &'static str) -> impl IntoView {
    view! {
        // scrolls sideways on narrow screens; focusable so keyboard users can scroll it too
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby=labelled_by>
            <table class="table" aria-labelledby=labelled_by>
                <thead>
                    <tr>
                        <th scope="col">{t(Ui::Name)}</th>
                        <th scope="col">{t(Ui::Username)}</th>
                        <th scope="col">{t(Ui::Email)}</th>
                        <th scope="col">{t(Ui::Role)}</th>
                        <th scope="col">{t(Ui::Status)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || users.clone() key=|user| user.id let:user>
                        <UserTableRow user=user/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UserTableRow(user: UserRow) -> impl IntoView {
    let initials: String = [&user.first_name, &user.surname]
        .iter()
        .filter_map(|name| name.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    let role = role_label(&user.role);
    let href = format!("/accounts/{}", user.id);
    view! {
        <tr>
            <th scope="row" class="cell-name">
                // initials drawn by CSS from the attribute, so the cell's text is just the name
                <span class="avatar" aria-hidden="true" data-initials=initials></span>
                <a href=href class="cell-link">{user.full_name()}</a>
            </th>
            // data-label: narrow screens show each row as a card with the column name beside the value
            <td class="cell-mono" data-label=t(Ui::Username)>{user.username}</td>
            <td class="cell-email" data-label=t(Ui::Email)>{user.email}</td>
            <td data-label=t(Ui::Role)>{role}</td>
            <td data-label=t(Ui::Status)>
                <StatusBadge badge=user.badge/>
            </td>
        </tr>
    }
}
