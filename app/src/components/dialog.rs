//! Modal dialogs: a native `<dialog>` opened with `showModal()` (focus moves in and stays in,
//! Escape closes, the page behind is inert), and the button that opened it gets focus back.
//!
//! A dialog is shown while its [`Opener`] is open. It closes by Cancel, Escape or the close button
//! (the native `close` event), or when its owner calls [`Opener::close`] after a success.

use domain::api::ErrorCode;
use domain::i18n::Ui;
use leptos::html;
use leptos::prelude::*;

use crate::components::alert::ErrorAlert;
use crate::components::icons::close_icon;
use crate::i18n::{t, use_i18n};

/// Whether a dialog is shown, and the button that opened it (focus goes back there).
#[derive(Debug, Clone, Copy)]
pub struct Opener {
    open: RwSignal<bool>,
    trigger: NodeRef<html::Button>,
}

impl Opener {
    /// Closed.
    pub fn new() -> Self {
        Self {
            open: RwSignal::new(false),
            trigger: NodeRef::new(),
        }
    }

    /// Whether the dialog is shown (tracked).
    pub fn is_open(self) -> bool {
        self.open.get()
    }

    /// Shows the dialog.
    pub fn open(self) {
        self.open.set(true);
    }

    /// Hides the dialog and gives focus back to the button that opened it.
    pub fn close(self) {
        self.open.set(false);
        if let Some(button) = self.trigger.get_untracked() {
            let _ = button.focus();
        }
    }

    /// Put on the button that opens the dialog (`node_ref=opener.trigger()`).
    pub fn trigger(self) -> NodeRef<html::Button> {
        self.trigger
    }
}

impl Default for Opener {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs `handle` with each answer the action gets from now on (answers from before are ignored, so
/// a dialog opened again does not react to the last one's result).
pub fn on_answer<I, O>(action: Action<I, O>, handle: impl Fn(O) + 'static)
where
    I: 'static,
    O: Clone + 'static,
{
    let handled = StoredValue::new(action.version().get_untracked());
    Effect::new(move |_| {
        let version = action.version().get();
        if version == handled.get_value() {
            return;
        }
        handled.set_value(version);
        if let Some(value) = action.value().get_untracked() {
            handle(value);
        }
    });
}

/// A modal dialog holding one form: title, optional lead, the fields, Cancel and a submit button.
#[component]
pub fn FormDialog(
    /// Prefix of the title's and lead's ids.
    id: &'static str,
    /// The title.
    #[prop(into)]
    title: Signal<String>,
    /// A line under the title.
    #[prop(optional, into)]
    lead: Option<Signal<String>>,
    /// The submit button's text.
    submit: Ui,
    /// The submit button's text while the request runs.
    submitting: Ui,
    /// Whether the request runs.
    #[prop(into)]
    pending: Signal<bool>,
    /// The submit button cannot be used (still loading, nothing to do).
    #[prop(optional, into)]
    disabled: Option<Signal<bool>>,
    /// The submit button does something that is hard to undo.
    #[prop(optional)]
    danger: bool,
    /// The dismissing button's text (Cancel unless that would read like the action itself).
    #[prop(optional)]
    dismiss: Option<Ui>,
    /// Something was typed: Cancel, Escape and the close button ask before discarding it.
    #[prop(optional, into)]
    dirty: Option<Signal<bool>>,
    /// The form was submitted.
    #[prop(into)]
    on_submit: Callback<()>,
    /// The dialog closed by Cancel, Escape or its close button.
    #[prop(into)]
    on_close: Callback<()>,
    /// The fields.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<html::Dialog>::new();
    let disabled = disabled.unwrap_or_else(|| Signal::stored(false));
    let dirty = dirty.unwrap_or_else(|| Signal::stored(false));
    let dismiss = dismiss.unwrap_or(Ui::Cancel);
    // "discard what you typed?" is showing in the footer
    let asking = RwSignal::new(false);
    let keep_button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if asking.get() {
            if let Some(button) = keep_button.get() {
                let _ = button.focus();
            }
        }
    });
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    });
    let close_now = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    // Cancel, Escape and the close button: straight away, unless typed text would be lost
    let close = move || {
        if dirty.get_untracked() && !pending.get_untracked() {
            asking.set(true);
        } else {
            close_now();
        }
    };
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let lead_id = format!("{id}-lead");
    let described_by = lead.is_some().then(|| lead_id.clone());
    let submit_class = if danger {
        "btn btn-danger"
    } else {
        "btn btn-primary"
    };
    view! {
        <dialog
            node_ref=dialog
            class="dialog"
            aria-labelledby=labelled_by
            aria-describedby=described_by
            on:close=move |_| on_close.run(())
            on:cancel=move |ev: leptos::ev::Event| {
                // Escape: the native dialog would close; ask first when something was typed
                if dirty.get_untracked() && !pending.get_untracked() {
                    ev.prevent_default();
                    asking.set(true);
                }
            }
        >
            <form
                class="dialog-form"
                novalidate
                on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    if !pending.get_untracked() && !disabled.get_untracked() {
                        on_submit.run(());
                    }
                }
            >
                <div class="dialog-header">
                    <div>
                        <h2 id=title_id class="dialog-title">{move || title.get()}</h2>
                        {lead.map(|lead| view! { <p id=lead_id class="dialog-lead">{move || lead.get()}</p> })}
                    </div>
                    <button
                        type="button"
                        class="icon-button"
                        aria-label=t(Ui::Close)
                        title=t(Ui::Close)
                        on:click=move |_| close()
                    >
                        {close_icon()}
                    </button>
                </div>
                <div class="dialog-body">{children()}</div>
                <Show
                    when=move || asking.get()
                    fallback=move || view! {
                        <div class="dialog-footer">
                            <button type="button" class="btn btn-secondary" on:click=move |_| close()>
                                {t(dismiss)}
                            </button>
                            <button
                                type="submit"
                                class=submit_class
                                disabled=move || pending.get() || disabled.get()
                                aria-busy=move || pending.get().then_some("true")
                            >
                                {move || if pending.get() { i18n.text(submitting) } else { i18n.text(submit) }}
                            </button>
                        </div>
                    }
                >
                    <div class="dialog-footer dialog-footer-ask" role="alert">
                        <p class="dialog-ask">{t(Ui::DiscardQuestion)}</p>
                        <button
                            type="button"
                            class="btn btn-secondary"
                            node_ref=keep_button
                            on:click=move |_| asking.set(false)
                        >
                            {t(Ui::KeepEditing)}
                        </button>
                        <button type="button" class="btn btn-danger" on:click=move |_| close_now()>
                            {t(Ui::Discard)}
                        </button>
                    </div>
                </Show>
            </form>
        </dialog>
    }
}

/// "Really do this?": a title, what will happen, and the confirming button; a refusal from the
/// worker shows in the dialog.
#[component]
pub fn ConfirmDialog(
    /// The question.
    #[prop(into)]
    title: Signal<String>,
    /// What will happen.
    #[prop(into)]
    message: Signal<String>,
    /// The confirming button's text.
    confirm: Ui,
    /// Its text while the request runs.
    confirming: Ui,
    /// The action is hard to undo (red button).
    #[prop(optional)]
    danger: bool,
    /// The dismissing button's text (default Cancel).
    #[prop(optional)]
    dismiss: Option<Ui>,
    /// Whether the request runs.
    #[prop(into)]
    pending: Signal<bool>,
    /// The worker's refusal, if any.
    #[prop(into)]
    error: Signal<Option<ErrorCode>>,
    /// Confirmed.
    #[prop(into)]
    on_confirm: Callback<()>,
    /// Closed without (or after) confirming.
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    view! {
        <FormDialog
            id="confirm"
            title=title
            submit=confirm
            submitting=confirming
            pending=pending
            danger=danger
            dismiss=dismiss.unwrap_or(Ui::Cancel)
            on_submit=on_confirm
            on_close=on_close
        >
            <p class="confirm-text">{move || message.get()}</p>
            {move || error.get().map(|code| view! { <ErrorAlert code=code/> })}
        </FormDialog>
    }
}
