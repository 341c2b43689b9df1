//! A labelled form field with its hint and its error message underneath, wired for screen readers
//! (`label for`, `aria-describedby`, `aria-invalid`).

use domain::api::{ErrorBody, ErrorCode};
use domain::i18n::Ui;
use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

/// One labelled input (or textarea). Mandatory fields get an asterisk, which is hidden from screen
/// readers because the input itself says `required`.
#[component]
pub fn TextField(
    /// The input's id (the label points at it; hint and error ids derive from it).
    id: &'static str,
    /// The label text.
    label: Ui,
    /// The field's value.
    value: RwSignal<String>,
    /// Marks the field mandatory.
    #[prop(optional)]
    required: bool,
    /// `text`, `email`, `password`, …
    #[prop(optional, into)]
    input_type: Option<Signal<&'static str>>,
    /// The `autocomplete` token.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// A line of help under the field.
    #[prop(optional)]
    hint: Option<Ui>,
    /// Shows the hint only while this holds (a proposal's hint, until the person types their own).
    #[prop(optional, into)]
    hint_when: Option<Signal<bool>>,
    /// The error to show under the field, if any.
    #[prop(optional, into)]
    error: Option<Signal<Option<ErrorCode>>>,
    /// Shown but not editable.
    #[prop(optional)]
    readonly: bool,
    /// Called with the new text after each keystroke.
    #[prop(optional, into)]
    on_input: Option<Callback<String>>,
    /// Another element describing the field (e.g. the password checklist).
    #[prop(optional)]
    described_by: Option<&'static str>,
    /// The most characters the field takes.
    #[prop(optional)]
    maxlength: Option<usize>,
    /// A multi-line textarea instead of an input.
    #[prop(optional)]
    multiline: bool,
    /// Takes focus when shown.
    #[prop(optional)]
    autofocus: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = error.unwrap_or_else(|| Signal::stored(None));
    let hint_when = hint_when.unwrap_or_else(|| Signal::stored(true));
    let input_type = input_type.unwrap_or_else(|| Signal::stored("text"));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids: Vec<&str> = Vec::new();
            if error.get().is_some() {
                ids.push(&error_id);
            }
            if hint.is_some() && hint_when.get() {
                ids.push(&hint_id);
            }
            if let Some(other) = described_by {
                ids.push(other);
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error.get().is_some().then_some("true");
    let update = move |text: String| {
        value.set(text.clone());
        if let Some(callback) = on_input {
            callback.run(text);
        }
    };
    let control = if multiline {
        view! {
            <textarea
                id=id
                class="input"
                rows="4"
                required=required
                readonly=readonly
                maxlength=maxlength
                aria-invalid=invalid
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| update(event_target_value(&ev))
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id
                class="input"
                type=move || input_type.get()
                autocomplete=autocomplete
                required=required
                readonly=readonly
                autofocus=autofocus
                maxlength=maxlength
                aria-invalid=invalid
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| update(event_target_value(&ev))
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some() class:field-readonly=readonly>
            // the asterisk sits beside the label, not in it, so the label's text is exactly the field's name
            <div class="label-row">
                <label for=id class="label">{t(label)}</label>
                {required.then(|| view! { <span class="required-mark" aria-hidden="true">"*"</span> })}
            </div>
            {control}
            {hint.map(|hint| {
                view! { <p class="hint" id=hint_id hidden=move || !hint_when.get()>{t(hint)}</p> }
            })}
            {move || {
                error.get().map(|code| {
                    view! {
                        <p class="field-error" id=error_id.clone()>
                            {code.text_for_field(label, i18n.lang())}
                        </p>
                    }
                })
            }}
        </div>
    }
}

/// The errors a form shows: its own check before sending, or the worker's answer. An error naming
/// one of the form's fields is shown under that field (and focuses it); any other goes to the
/// form's alert. A field's error goes away as soon as the field is edited.
#[derive(Debug, Clone, Copy)]
pub struct FormErrors {
    /// Request field name → input id, for every field that shows its own error.
    fields: &'static [(&'static str, &'static str)],
    local: RwSignal<Vec<(&'static str, ErrorCode)>>,
    server: RwSignal<Option<ErrorBody>>,
}

impl FormErrors {
    /// No errors yet, for a form with these fields.
    pub fn new(fields: &'static [(&'static str, &'static str)]) -> Self {
        Self {
            fields,
            local: RwSignal::new(Vec::new()),
            server: RwSignal::new(None),
        }
    }

    /// The error to show under a field.
    pub fn of(self, field: &'static str) -> Signal<Option<ErrorCode>> {
        Signal::derive(move || {
            self.local
                .read()
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, code)| *code)
                .or_else(|| {
                    self.server
                        .read()
                        .as_ref()
                        .filter(|e| e.field.as_deref() == Some(field))
                        .map(|e| e.code)
                })
        })
    }

    /// The worker's error when it names none of the form's fields (tracked).
    pub fn general(self) -> Option<ErrorBody> {
        let fields = self.fields;
        self.server.get().filter(|e| {
            !e.field
                .as_deref()
                .is_some_and(|f| fields.iter().any(|(name, _)| *name == f))
        })
    }

    /// Forgets every error (before sending again).
    pub fn clear(self) {
        self.local.set(Vec::new());
        self.server.set(None);
    }

    /// Shows the form's own check; `false` (and focus on the first bad field) when there was an error.
    pub fn check(self, errors: Vec<(&'static str, ErrorCode)>) -> bool {
        self.clear();
        if let Some((field, _)) = errors.first() {
            self.focus(field);
            self.local.set(errors);
            return false;
        }
        true
    }

    /// Shows the worker's answer.
    pub fn answer(self, error: ErrorBody) {
        if let Some(field) = &error.field {
            self.focus(field);
        }
        self.server.set(Some(error));
    }

    /// Drops a field's error when its value changes.
    pub fn clear_on_edit(self, field: &'static str, value: RwSignal<String>) {
        Effect::new(move |first_run: Option<()>| {
            value.track();
            if first_run.is_some() {
                self.local
                    .update(|errors| errors.retain(|(f, _)| *f != field));
                if self.server.with_untracked(|e| {
                    e.as_ref()
                        .is_some_and(|e| e.field.as_deref() == Some(field))
                }) {
                    self.server.set(None);
                }
            }
        });
    }

    /// Drops the worker's error with this code when a value changes (e.g. "weak password" once the
    /// password is edited; the live checklist takes over).
    pub fn clear_code_on_edit(self, code: ErrorCode, value: RwSignal<String>) {
        Effect::new(move |first_run: Option<()>| {
            value.track();
            if first_run.is_some()
                && self
                    .server
                    .with_untracked(|e| e.as_ref().is_some_and(|e| e.code == code))
            {
                self.server.set(None);
            }
        });
    }

    fn focus(self, field: &str) {
        if let Some((_, id)) = self.fields.iter().find(|(name, _)| *name == field) {
            crate::dom::focus_id(id);
        }
    }
}
