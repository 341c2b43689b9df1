//! The language the app speaks right now: chosen in the header and remembered in `localStorage`,
//! else the browser's, else English. Texts come from `domain::i18n`; this module only picks the
//! language and formats dates in the viewer's locale and time zone.

use domain::i18n::{Lang, Ui};
use domain::Timestamp;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::dom;

/// Where the chosen language is remembered.
const STORAGE_KEY: &str = "gatehouse.lang";

/// The current language, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// Creates the language state from storage or the browser and provides it to the whole app.
    pub fn provide() -> Self {
        let initial = dom::stored(STORAGE_KEY)
            .and_then(|tag| Lang::from_tag(&tag))
            .or_else(|| dom::browser_language().and_then(|tag| Lang::from_tag(&tag)))
            .unwrap_or_default();
        let i18n = Self {
            lang: RwSignal::new(initial),
        };
        Effect::new(move |_| dom::set_document_language(i18n.lang.get().code()));
        provide_context(i18n);
        i18n
    }

    /// The current language (tracked).
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    /// The current language, without subscribing to changes.
    pub fn lang_untracked(self) -> Lang {
        self.lang.get_untracked()
    }

    /// A catalogue text in the current language (tracked).
    pub fn text(self, key: Ui) -> &'static str {
        key.text(self.lang.get())
    }

    /// The person picked a language: use it and remember it.
    pub fn choose(self, lang: Lang) {
        dom::store(STORAGE_KEY, lang.code());
        self.lang.set(lang);
    }

    /// A page asks for a language (an invitation's): use it without overriding the remembered choice.
    pub fn follow(self, lang: Lang) {
        self.lang.set(lang);
    }
}

/// The language state provided by [`I18n::provide`].
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A reactive text for a view: re-renders when the language changes.
pub fn t(key: Ui) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || i18n.text(key)
}

/// "14 Dec 2026, 17:00" in the viewer's time zone, in the app's language with the browser's regional
/// conventions when they share a language (`en-GB` vs `en-US`).
pub fn format_datetime(at: Timestamp, lang: Lang) -> String {
    let locale = dom::browser_language()
        .filter(|tag| Lang::from_tag(tag) == Some(lang))
        .unwrap_or_else(|| lang.code().to_owned());
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    js_sys::Date::new(&JsValue::from_f64(at.millis() as f64))
        .to_locale_string(&locale, &options)
        .into()
}

/// The machine-readable form for `<time datetime>`.
pub fn iso_datetime(at: Timestamp) -> String {
    js_sys::Date::new(&JsValue::from_f64(at.millis() as f64))
        .to_iso_string()
        .into()
}

/// A permission's name in the viewer's language.
pub fn permission_label(p: domain::Permission) -> impl Fn() -> &'static str + Copy + Send + Sync {
    use domain::Permission::*;
    t(match p {
        ViewAccounts => Ui::PermViewAccounts,
        ManageRolesAndRights => Ui::PermManageRolesAndRights,
        ManageClients => Ui::PermManageClients,
        ManageRoles => Ui::PermManageRoles,
        ManageSettings => Ui::PermManageSettings,
        ViewAuditLog => Ui::PermViewAuditLog,
        ViewLicenses => Ui::PermViewLicenses,
        CopyInvitationLinks => Ui::PermCopyInvitationLinks,
    })
}

/// A role's name as shown: the built-in roles in the viewer's language, custom ones as named.
pub fn role_label(
    role: &domain::api::RoleSummary,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let i18n = use_i18n();
    let builtin = role.builtin;
    let name = role.name.clone();
    move || match builtin {
        Some(domain::BuiltinRole::Admin) => i18n.text(Ui::RoleAdmin).to_owned(),
        Some(domain::BuiltinRole::User) => i18n.text(Ui::RoleUser).to_owned(),
        None => name.clone(),
    }
}

/// Keeps the document title at "{page} – Gatehouse" in the current language while the calling page
/// is shown.
pub fn page_title(page: impl Fn(Lang) -> String + 'static) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        let lang = i18n.lang();
        dom::set_title(&format!("{} – {}", page(lang), Ui::AppName.text(lang)));
    });
}
