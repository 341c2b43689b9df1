//! Short confirmations ("Invitation sent to …") in a polite live region, bottom right; each one
//! closes itself after a while or by its close button.

use std::time::Duration;

use domain::i18n::Ui;
use leptos::prelude::*;

use crate::components::icons::close_icon;
use crate::i18n::t;

/// How long a toast stays on screen.
const SHOW_FOR: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq)]
struct Toast {
    id: u64,
    text: String,
}

/// The toasts on screen, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    /// Creates the list and provides it to the whole app.
    pub fn provide() -> Self {
        let toasts = Self {
            items: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        };
        provide_context(toasts);
        toasts
    }

    /// Shows a message.
    pub fn show(self, text: String) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|items| items.push(Toast { id, text }));
        set_timeout(move || self.dismiss(id), SHOW_FOR);
    }

    fn dismiss(self, id: u64) {
        self.items
            .try_update(|items| items.retain(|toast| toast.id != id));
    }
}

/// The toasts provided by [`Toasts::provide`].
pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

/// Where toasts appear. The live region is always in the page, so screen readers announce what is
/// added to it.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    let close = t(Ui::Close);
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || toasts.items.get() key=|toast| toast.id let:toast>
                <div class="toast">
                    <span class="toast-text">{toast.text}</span>
                    <button
                        type="button"
                        class="toast-close"
                        aria-label=close
                        title=close
                        on:click=move |_| toasts.dismiss(toast.id)
                    >
                        {close_icon()}
                    </button>
                </div>
            </For>
        </div>
    }
}
