//! Small pieces the pages are built from.

pub mod access_picker;
pub mod account_actions;
pub mod alert;
pub mod bulk;
pub mod dialog;
pub mod field;
pub mod header;
pub mod icons;
pub mod invite_form;
pub mod language_switcher;
pub mod password_checklist;
pub mod permission_picker;
pub mod role_select;
pub mod sessions;
pub mod status_badge;
pub mod toast;
pub mod user_table;
