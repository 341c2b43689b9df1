//! Decorative icons, hidden from screen readers (the button or text next to them says what they mean).

use leptos::prelude::*;

/// An "×" for close buttons.
pub fn close_icon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M5.3 4 10 8.6 14.7 4 16 5.3 11.4 10l4.6 4.7-1.3 1.3-4.7-4.6L5.3 16 4 14.7 8.6 10 4 5.3 5.3 4Z"/>
        </svg>
    }
}

/// A "›" after "Next page".
pub fn next_icon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M7.3 4.3 13 10l-5.7 5.7-1.4-1.4L10.2 10 5.9 5.7l1.4-1.4Z"/>
        </svg>
    }
}
