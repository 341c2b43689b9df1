//! Bulk actions on the users list: the rows ticked (on any page), or everything matching the
//! filter and search; a bar with the actions; a confirmation; then the worker's report of every
//! row (done, or skipped and why), readable here and downloadable as CSV.

use domain::api::{
    BulkAction, BulkFilter, BulkReport, BulkRequest, BulkSelection, ErrorCode, UserListQuery,
    MAX_BULK,
};
use domain::i18n::{fill, format_count, Ui};
use domain::{AccountId, RoleId};
use leptos::prelude::*;

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::dialog::{on_answer, ConfirmDialog, FormDialog};
use crate::components::role_select::RoleSelect;
use crate::dom;
use crate::i18n::{t, use_i18n};

/// Rows of skipped accounts the report dialog shows; the CSV has every row.
const SHOWN_REFUSALS: usize = 50;

/// Which accounts are picked: ticked rows (in the order ticked), or everything matching.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    ids: RwSignal<Vec<AccountId>>,
    all_matching: RwSignal<bool>,
}

impl Selection {
    /// Nothing picked.
    pub fn new() -> Self {
        Self {
            ids: RwSignal::new(Vec::new()),
            all_matching: RwSignal::new(false),
        }
    }

    /// Whether this row is picked (tracked).
    pub fn contains(self, id: AccountId) -> bool {
        self.all_matching.get() || self.ids.with(|ids| ids.contains(&id))
    }

    /// Ticks or unticks one row (ticking off a row of "everything matching" keeps the page's others).
    pub fn set(self, id: AccountId, on: bool, page: &[AccountId]) {
        if self.all_matching.get_untracked() {
            self.all_matching.set(false);
            self.ids.set(page.to_vec());
        }
        self.ids.update(|ids| {
            let at = ids.iter().position(|x| *x == id);
            match (on, at) {
                (true, None) if ids.len() < MAX_BULK => ids.push(id),
                (false, Some(i)) => {
                    ids.remove(i);
                }
                _ => {}
            }
        });
    }

    /// Ticks or unticks every row of the page.
    pub fn set_page(self, page: &[AccountId], on: bool) {
        if !on {
            self.all_matching.set(false);
        }
        self.ids.update(|ids| {
            if on {
                for id in page {
                    if !ids.contains(id) && ids.len() < MAX_BULK {
                        ids.push(*id);
                    }
                }
            } else {
                ids.retain(|id| !page.contains(id));
            }
        });
    }

    /// Whether every row of the page is picked (tracked).
    pub fn has_page(self, page: &[AccountId]) -> bool {
        !page.is_empty() && page.iter().all(|id| self.contains(*id))
    }

    /// Whether some but not all rows of the page are picked (tracked).
    pub fn has_some_of(self, page: &[AccountId]) -> bool {
        page.iter().any(|id| self.contains(*id)) && !self.has_page(page)
    }

    /// Picks everything matching the list's filter and search.
    pub fn pick_all_matching(self) {
        self.all_matching.set(true);
    }

    /// Whether everything matching is picked (tracked).
    pub fn is_all_matching(self) -> bool {
        self.all_matching.get()
    }

    /// How many ticked rows (tracked; not counting "everything matching").
    pub fn ticked(self) -> usize {
        self.ids.with(Vec::len)
    }

    /// Picks nothing.
    pub fn clear(self) {
        self.all_matching.set(false);
        self.ids.set(Vec::new());
    }

    /// The selection as the API takes it.
    fn request(self, query: &UserListQuery) -> BulkSelection {
        if self.all_matching.get_untracked() {
            BulkSelection::Matching(BulkFilter {
                status: query.status,
                q: query.q.clone(),
            })
        } else {
            BulkSelection::Accounts(self.ids.get_untracked())
        }
    }
}

impl Default for Selection {
    fn default() -> Self {
        Self::new()
    }
}

fn button_label(action: BulkAction) -> Ui {
    match action {
        BulkAction::Resend => Ui::ResendInvitation,
        BulkAction::Cancel => Ui::CancelInvitation,
        BulkAction::Deactivate => Ui::Deactivate,
        BulkAction::Activate => Ui::Activate,
        BulkAction::Delete => Ui::Delete,
        BulkAction::ChangeRole => Ui::BulkChangeRole,
    }
}

fn question(action: BulkAction) -> Ui {
    match action {
        BulkAction::Resend => Ui::BulkResendQuestion,
        BulkAction::Cancel => Ui::BulkCancelQuestion,
        BulkAction::Deactivate => Ui::BulkDeactivateQuestion,
        BulkAction::Activate => Ui::BulkActivateQuestion,
        BulkAction::Delete => Ui::BulkDeleteQuestion,
        BulkAction::ChangeRole => Ui::BulkChangeRoleQuestion,
    }
}

fn explanation(action: BulkAction) -> Ui {
    match action {
        BulkAction::Resend => Ui::BulkResendText,
        BulkAction::Cancel => Ui::CancelInvitationText,
        BulkAction::Deactivate => Ui::DeactivateText,
        BulkAction::Activate => Ui::ActivateText,
        BulkAction::Delete => Ui::DeleteAccountText,
        BulkAction::ChangeRole => Ui::BulkChangeRoleText,
    }
}

/// The bar over the table while something is picked: how many, "select all matching", the
/// actions, "clear selection"; then the confirmation and the report.
#[component]
pub fn BulkBar(
    selection: Selection,
    /// The client the list shows.
    client: domain::ClientKey,
    /// The list's query (filter and search).
    #[prop(into)]
    query: Signal<UserListQuery>,
    /// How many accounts match the filter and search (when known).
    #[prop(into)]
    matching: Signal<Option<u64>>,
    /// The ids of the page shown.
    #[prop(into)]
    page: Signal<Vec<AccountId>>,
    /// After an action: the list fetches its page again.
    #[prop(into)]
    on_done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(None::<BulkAction>);
    let error = RwSignal::new(None::<ErrorCode>);
    let report = RwSignal::new(None::<BulkReport>);
    let run = Action::new_local(move |request: &BulkRequest| {
        let request = request.clone();
        async move { api::bulk_action(client, request).await }
    });
    on_answer(run, move |result| match result {
        Ok(r) => {
            asking.set(None);
            selection.clear();
            report.set(Some(r));
            on_done.run(());
        }
        Err(e) => error.set(Some(e.error.code)),
    });
    let count = move || {
        if selection.is_all_matching() {
            matching.get().unwrap_or(0)
        } else {
            selection.ticked() as u64
        }
    };
    let offer_all = move || {
        let total = matching.get().unwrap_or(0);
        !selection.is_all_matching()
            && page.with(|p| selection.has_page(p))
            && total > selection.ticked() as u64
    };
    view! {
        <Show when=move || { count() > 0 }>
            <div class="bulk-bar" role="region" aria-label=t(Ui::BulkActions)>
                <p class="bulk-count" aria-live="polite">
                    {move || {
                        let lang = i18n.lang();
                        if selection.is_all_matching() {
                            fill(Ui::BulkAllMatchingSelected.text(lang), &[&format_count(count(), lang)])
                        } else {
                            fill(Ui::BulkSelected.text(lang), &[&format_count(count(), lang)])
                        }
                    }}
                </p>
                <Show when=offer_all>
                    {move || {
                        let total = matching.get().unwrap_or(0);
                        if total > MAX_BULK as u64 {
                            view! { <span class="bulk-note">{t(Ui::BulkAtMost)}</span> }.into_any()
                        } else {
                            view! {
                                <button type="button" class="link-button" on:click=move |_| selection.pick_all_matching()>
                                    {move || fill(i18n.text(Ui::BulkSelectAllMatching), &[&format_count(total, i18n.lang())])}
                                </button>
                            }
                                .into_any()
                        }
                    }}
                </Show>
                <div class="bulk-actions">
                    {BulkAction::ALL
                        .into_iter()
                        .map(|action| {
                            let class = if action == BulkAction::Delete {
                                "btn btn-danger-quiet btn-small"
                            } else {
                                "btn btn-secondary btn-small"
                            };
                            view! {
                                <button
                                    type="button"
                                    class=class
                                    data-bulk=action.as_str()
                                    on:click=move |_| {
                                        error.set(None);
                                        asking.set(Some(action));
                                    }
                                >
                                    {t(button_label(action))}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                <button type="button" class="link-button bulk-clear" on:click=move |_| selection.clear()>
                    {t(Ui::BulkClearSelection)}
                </button>
            </div>
        </Show>
        {move || asking.get().filter(|a| *a == BulkAction::ChangeRole).map(|_| {
            let n = count();
            view! {
                <ChangeRoleDialog
                    title=Signal::derive(move || fill(i18n.text(Ui::BulkChangeRoleQuestion), &[&format_count(n, i18n.lang())]))
                    pending=run.pending()
                    error=error
                    on_submit=move |role| {
                        error.set(None);
                        run.dispatch(BulkRequest {
                            action: BulkAction::ChangeRole,
                            selection: selection.request(&query.get_untracked()),
                            role: Some(role),
                        });
                    }
                    on_close=move |()| asking.set(None)
                />
            }
        })}
        {move || asking.get().filter(|a| *a != BulkAction::ChangeRole).map(|action| {
            let n = count();
            view! {
                <ConfirmDialog
                    title=Signal::derive(move || fill(i18n.text(question(action)), &[&format_count(n, i18n.lang())]))
                    message=Signal::derive(move || format!("{} {}", i18n.text(explanation(action)), i18n.text(Ui::BulkText)))
                    confirm=button_label(action)
                    confirming=Ui::BulkWorking
                    danger=matches!(action, BulkAction::Delete | BulkAction::Deactivate)
                    pending=run.pending()
                    error=error
                    on_confirm=move |()| {
                        error.set(None);
                        run.dispatch(BulkRequest {
                            action,
                            selection: selection.request(&query.get_untracked()),
                            role: None,
                        });
                    }
                    on_close=move |()| asking.set(None)
                />
            }
        })}
        {move || report.get().map(|r| view! { <BulkReportDialog report=r on_close=move |()| report.set(None)/> })}
    }
}

/// The role for "Change role": the company's roles in a select, the worker's refusal under it.
#[component]
fn ChangeRoleDialog(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] pending: Signal<bool>,
    error: RwSignal<Option<ErrorCode>>,
    #[prop(into)] on_submit: Callback<RoleId>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let roles = LocalResource::new(api::roles);
    let role = RwSignal::new(None::<RoleId>);
    view! {
        <FormDialog
            id="bulk-role"
            title=title
            lead=Signal::derive(move || i18n.text(Ui::BulkChangeRoleText).to_owned())
            submit=Ui::BulkChangeRole
            submitting=Ui::BulkWorking
            pending=pending
            disabled=Signal::derive(move || role.get().is_none())
            on_submit=move |()| {
                if let Some(r) = role.get_untracked() {
                    on_submit.run(r);
                }
            }
            on_close=on_close
        >
            <Suspense fallback=|| view! { <p class="note">{t(Ui::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match roles.await {
                        Ok(list) => match list.roles.first().map(|r| r.id) {
                            Some(first) => {
                                let chosen = RwSignal::new(first);
                                Effect::new(move || role.set(Some(chosen.get())));
                                view! { <RoleSelect id="bulk-role-select" roles=list.roles role=chosen error=error/> }.into_any()
                            }
                            None => ().into_any(),
                        },
                        Err(e) => view! { <ErrorAlert code=e.error.code/> }.into_any(),
                    }
                })}
            </Suspense>
        </FormDialog>
    }
}

/// Every row's result: the counts, the skipped rows with the reason, and the whole report as CSV.
#[component]
fn BulkReportDialog(report: BulkReport, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (done, refused) = (u64::from(report.done), u64::from(report.refused));
    let skipped: Vec<_> = report
        .rows
        .iter()
        .filter(|r| r.refused.is_some())
        .take(SHOWN_REFUSALS)
        .cloned()
        .collect();
    let more = report.refused as usize - skipped.len();
    let report = StoredValue::new(report);
    let download = move |()| {
        let r = report.read_value();
        dom::download(
            &format!("gatehouse-{}.csv", r.action.as_str()),
            "text/csv;charset=utf-8",
            &r.to_csv(i18n.lang_untracked()),
        );
    };
    view! {
        <FormDialog
            id="bulk-report"
            title=Signal::derive(move || {
                let lang = i18n.lang();
                fill(Ui::BulkReportTitle.text(lang), &[&format_count(done, lang), &format_count(refused, lang)])
            })
            submit=Ui::BulkDownload
            submitting=Ui::BulkDownload
            pending=Signal::stored(false)
            dismiss=Ui::Close
            on_submit=Callback::new(download)
            on_close=on_close
        >
            {skipped.is_empty().then(|| view! { <p class="bulk-all-done">{t(Ui::BulkAllDone)}</p> })}
            {(!skipped.is_empty()).then(|| view! {
                <h3 class="bulk-report-heading">{t(Ui::BulkSkippedHeading)}</h3>
                <div class="table-scroll" tabindex="0">
                    <table class="table table-compact">
                        <thead>
                            <tr>
                                <th scope="col">{t(Ui::Name)}</th>
                                <th scope="col">{t(Ui::Username)}</th>
                                <th scope="col">{t(Ui::BulkReason)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {skipped.into_iter().map(|row| {
                                let code = row.refused.unwrap_or(ErrorCode::Internal);
                                view! {
                                    <tr>
                                        <th scope="row">{row.name}</th>
                                        <td class="cell-mono">{row.username}</td>
                                        <td>{move || code.text(i18n.lang())}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {(more > 0).then(|| view! {
                    <p class="bulk-more">{move || fill(i18n.text(Ui::BulkMoreInReport), &[&format_count(more as u64, i18n.lang())])}</p>
                })}
            })}
        </FormDialog>
    }
}
