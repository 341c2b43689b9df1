//! The pill that says where an account stands: text and colour, never colour alone, and for a
//! pending invitation when its link runs out.

use domain::i18n::{fill, Ui};
use domain::{Badge, Timestamp};
use leptos::prelude::*;

use crate::i18n::{format_datetime, iso_datetime, t, use_i18n};

/// An account's status badge, with "expires …" / "expired …" under pending invitations.
#[component]
pub fn StatusBadge(badge: Badge) -> impl IntoView {
    let (class, label, note): (&str, Ui, Option<(Ui, Timestamp)>) = match badge {
        Badge::Invited { expires_at } => (
            "badge badge-invited",
            Ui::StatusInvited,
            expires_at.map(|at| (Ui::ExpiresOn, at)),
        ),
        Badge::Expired { expired_at } => (
            "badge badge-expired",
            Ui::StatusExpired,
            Some((Ui::ExpiredOn, expired_at)),
        ),
        Badge::Cancelled => ("badge badge-deactivated", Ui::StatusCancelled, None),
        Badge::Accepted => ("badge badge-accepted", Ui::StatusAccepted, None),
        Badge::Deactivated => ("badge badge-deactivated", Ui::StatusDeactivated, None),
    };
    let i18n = use_i18n();
    view! {
        <span class="status">
            <span class=class>
                <span class="badge-dot" aria-hidden="true"></span>
                {t(label)}
            </span>
            {note.map(|(template, at)| {
                view! {
                    <time class="status-note" datetime=iso_datetime(at)>
                        {move || {
                            let lang = i18n.lang();
                            fill(template.text(lang), &[&format_datetime(at, lang)])
                        }}
                    </time>
                }
            })}
        </span>
    }
}
