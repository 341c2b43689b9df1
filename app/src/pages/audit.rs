//! `/audit`: the active client's audit log. Filters by action, by the account an event is about
//! (`?account=`, from an account page), by who acted (`?actor=`, or a click on a name in the
//! "By" column) and by date; newest first, older pages appended by keyset.

use domain::api::{AuditEventView, AuditPage, AuditQuery, ErrorCode, Me};
use domain::i18n::{fill, Ui};
use domain::{AccountId, Permission, Timestamp};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use wasm_bindgen::JsValue;

use crate::access::may_here;
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::i18n::{format_datetime, iso_datetime, page_title, t, use_i18n};
use crate::pages::{signed_in_only, Loading, NoPermission};

/// The audit log page.
#[component]
pub fn AuditPage() -> impl IntoView {
    page_title(|lang| Ui::AuditLog.text(lang).to_owned());
    signed_in_only(|me| {
        if may_here(&me, Permission::ViewAuditLog) {
            view! { <AuditScreen me=me/> }.into_any()
        } else {
            view! { <NoPermission title=Ui::AuditLog/> }.into_any()
        }
    })
}

/// Local midnight of a `YYYY-MM-DD` date input, plus `days`.
fn day_start(date: &str, days: i64) -> Option<i64> {
    if date.is_empty() {
        return None;
    }
    let at = js_sys::Date::new(&JsValue::from_str(&format!("{date}T00:00:00"))).get_time();
    (!at.is_nan()).then(|| at as i64 + days * 86_400_000)
}

/// The words for an action: its label, or the key itself for one this app does not know.
pub fn action_text(key: &str, lang: domain::i18n::Lang) -> String {
    domain::audit::label(key).map_or_else(|| key.to_owned(), |ui| ui.text(lang).to_owned())
}

/// A change's detail (`{"email": ["old", "new"]}`) as "email: old → new" lines.
fn change_lines(detail: &str) -> Vec<String> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(detail) else {
        return vec![];
    };
    fields
        .iter()
        .map(
            |(field, change)| match change.as_array().map(Vec::as_slice) {
                Some([old, new]) => format!(
                    "{}: {} → {}",
                    field.replace('_', " "),
                    old.as_str().unwrap_or_default(),
                    new.as_str().unwrap_or_default()
                ),
                _ => format!("{field}: {change}"),
            },
        )
        .collect()
}

#[component]
fn AuditScreen(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let key = me.client.key;
    let client_name = me.client.name.clone();
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let account = RwSignal::new(
        query
            .read_untracked()
            .get("account")
            .and_then(|a| AccountId::parse(&a)),
    );
    let actor = RwSignal::new(
        query
            .read_untracked()
            .get("actor")
            .and_then(|a| AccountId::parse(&a)),
    );
    let filters = Memo::new(move |_| AuditQuery {
        action: Some(action.get()).filter(|a| !a.is_empty()),
        account: account.get(),
        actor: actor.get(),
        from: day_start(&from.get(), 0),
        to: day_start(&until.get(), 1),
        limit: Some(50),
        ..AuditQuery::default()
    });
    // pages already shown (older ones appended), and the cursor of the next
    let older = RwSignal::new(Vec::<AuditEventView>::new());
    let next = RwSignal::new(None::<String>);
    let loading_more = RwSignal::new(false);
    let first = LocalResource::new(move || {
        let q = filters.get();
        async move {
            let page = api::audit_log(key, &q).await;
            older.set(Vec::new());
            next.set(page.as_ref().ok().and_then(|p| p.next_cursor.clone()));
            page
        }
    });
    let more = move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        let q = AuditQuery {
            cursor: Some(cursor),
            ..filters.get_untracked()
        };
        loading_more.set(true);
        leptos::task::spawn_local(async move {
            if let Ok(AuditPage {
                events,
                next_cursor,
            }) = api::audit_log(key, &q).await
            {
                older.update(|o| o.extend(events));
                next.set(next_cursor);
            }
            loading_more.set(false);
        });
    };
    let subject_name = RwSignal::new(None::<String>);
    let actor_name = RwSignal::new(None::<String>);
    let on_actor = Callback::new(move |(id, name): (AccountId, String)| {
        actor_name.set(Some(name));
        actor.set(Some(id));
    });
    let reset = move |_| {
        action.set(String::new());
        from.set(String::new());
        until.set(String::new());
        account.set(None);
        actor.set(None);
    };
    view! {
        <div class="page">
            <div class="page-header">
                <div>
                    <h1 id="audit-heading">{t(Ui::AuditLog)}</h1>
                    <p class="lead">{move || fill(i18n.text(Ui::AuditLogLead), &[&client_name])}</p>
                </div>
            </div>
            <section class="card card-flush" aria-labelledby="audit-heading">
                <div class="list-tools audit-tools">
                    <div class="field-inline">
                        <label for="audit-action" class="label">{t(Ui::AuditAction)}</label>
                        <select id="audit-action" class="select" on:change=move |ev| action.set(event_target_value(&ev))>
                            <option value="" prop:selected=move || action.get().is_empty()>{t(Ui::AuditAllActions)}</option>
                            {domain::audit::ACTIONS
                                .iter()
                                .map(|(k, ui)| {
                                    let k = *k;
                                    view! { <option value=k prop:selected=move || action.get() == k>{t(*ui)}</option> }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field-inline">
                        <label for="audit-from" class="label">{t(Ui::AuditFrom)}</label>
                        <input id="audit-from" class="input" type="date" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev))/>
                    </div>
                    <div class="field-inline">
                        <label for="audit-until" class="label">{t(Ui::AuditUntil)}</label>
                        <input id="audit-until" class="input" type="date" prop:value=move || until.get() on:change=move |ev| until.set(event_target_value(&ev))/>
                    </div>
                    <Show when=move || account.get().is_some()>
                        <span class="chip">
                            {move || fill(i18n.text(Ui::AuditOnlyAccount), &[&subject_name.get().unwrap_or_default()])}
                            <button type="button" class="link-button" on:click=move |_| account.set(None)>{t(Ui::AuditShowAll)}</button>
                        </span>
                    </Show>
                    <Show when=move || actor.get().is_some()>
                        <span class="chip">
                            {move || fill(i18n.text(Ui::AuditOnlyActor), &[&actor_name.get().unwrap_or_default()])}
                            <button type="button" class="link-button" on:click=move |_| actor.set(None)>{t(Ui::AuditShowAll)}</button>
                        </span>
                    </Show>
                    <button type="button" class="link-button" on:click=reset>{t(Ui::AuditResetFilters)}</button>
                </div>
                <Transition fallback=|| view! { <Loading/> }>
                    {move || Suspend::new(async move {
                        match first.await {
                            Ok(page) if page.events.is_empty() => view! { <p class="empty-title audit-empty">{t(Ui::AuditEmpty)}</p> }.into_any(),
                            Ok(page) => {
                                if account.get_untracked().is_some() {
                                    subject_name.set(page.events.iter().find_map(|e| e.subject_name.clone()));
                                }
                                if actor.get_untracked().is_some() && actor_name.get_untracked().is_none() {
                                    actor_name.set(page.events.iter().find_map(|e| e.actor_name.clone()));
                                }
                                view! {
                                    <div class="table-scroll" tabindex="0" role="region" aria-labelledby="audit-heading">
                                        <table class="table table-audit" aria-labelledby="audit-heading">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{t(Ui::AuditWhen)}</th>
                                                    <th scope="col">{t(Ui::AuditAction)}</th>
                                                    <th scope="col">{t(Ui::AuditWho)}</th>
                                                    <th scope="col">{t(Ui::AuditWhom)}</th>
                                                    <th scope="col">{t(Ui::AuditChange)}</th>
                                                    <th scope="col">{t(Ui::AuditWhere)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {page.events.into_iter().map(|e| view! { <EventRow e=e on_actor=on_actor/> }).collect_view()}
                                                {move || older.get().into_iter().map(|e| view! { <EventRow e=e on_actor=on_actor/> }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }
                                    .into_any()
                            }
                            Err(e) if e.error.code == ErrorCode::Forbidden => view! { <NoPermission title=Ui::AuditLog/> }.into_any(),
                            Err(e) => view! { <div class="card-body"><ErrorAlert code=e.error.code/></div> }.into_any(),
                        }
                    })}
                </Transition>
                <Show when=move || next.get().is_some()>
                    <div class="pager">
                        <button type="button" class="btn btn-secondary btn-small" disabled=move || loading_more.get() on:click=more>
                            {t(Ui::AuditOlder)}
                        </button>
                    </div>
                </Show>
            </section>
        </div>
    }
}

#[component]
fn EventRow(
    e: AuditEventView,
    /// A click on who acted: only their events.
    on_actor: Callback<(AccountId, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let at: Timestamp = e.at;
    let key = e.action.clone();
    let by = e.actor_name.clone();
    let actor = e.actor;
    let about = e.subject.map(|id| (id, e.subject_name.clone()));
    let changes = e.detail.as_deref().map(change_lines).unwrap_or_default();
    let ip = e.ip.clone().unwrap_or_default();
    let agent = e.user_agent.clone().unwrap_or_default();
    view! {
        <tr>
            <td class="cell-when"><time datetime=iso_datetime(at)>{move || format_datetime(at, i18n.lang())}</time></td>
            <th scope="row" class="cell-action">{move || action_text(&key, i18n.lang())}</th>
            <td>
                {match (by, actor) {
                    (Some(name), Some(id)) => {
                        let label = name.clone();
                        let shown = name.clone();
                        view! {
                            <button
                                type="button"
                                class="link-button audit-actor"
                                title=move || fill(i18n.text(Ui::AuditOnlyActor), &[&label])
                                on:click=move |_| on_actor.run((id, name.clone()))
                            >
                                {shown}
                            </button>
                        }
                            .into_any()
                    }
                    (_, Some(_)) => view! { <span>{t(Ui::AuditGone)}</span> }.into_any(),
                    (_, None) => view! { <span>{t(Ui::BySystem)}</span> }.into_any(),
                }}
            </td>
            <td>
                {about.map(|(id, name)| match name {
                    Some(name) => view! { <a href=format!("/accounts/{id}")>{name}</a> }.into_any(),
                    None => view! { <span class="note">{t(Ui::AuditGone)}</span> }.into_any(),
                })}
            </td>
            <td class="cell-change">{changes.into_iter().map(|line| view! { <span class="change-line">{line}</span> }).collect_view()}</td>
            <td class="cell-where">
                <span class="mono">{ip}</span>
                <span class="cell-agent" title=agent.clone()>{agent.clone()}</span>
            </td>
        </tr>
    }
}
