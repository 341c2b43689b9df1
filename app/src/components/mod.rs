//! Small pieces the pages are built from.

pub mod alert;
pub mod field;
pub mod header;
pub mod icons;
pub mod invite_form;
pub mod language_switcher;
pub mod password_checklist;
pub mod status_badge;
pub mod toast;
pub mod user_table;
