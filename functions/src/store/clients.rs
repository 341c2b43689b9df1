//! Clients and their settings rows.

use domain::i18n::Lang;
use domain::password::PasswordPolicy;
use domain::values::UsernameFormat;
use domain::Ttl;
use serde::Deserialize;
use worker::Result;

use super::{text, Store};

/// A client's per-client settings.
pub struct ClientSettings {
    /// How long invitation links work.
    pub invitation_ttl: Ttl,
    /// How usernames are proposed.
    pub username_format: UsernameFormat,
    /// Password rules.
    pub password_policy: PasswordPolicy,
    /// Default language for mail.
    pub language: Lang,
}

#[derive(Deserialize)]
struct SettingsRow {
    invitation_ttl_seconds: i64,
    username_format: String,
    password_policy: String,
    language: String,
}

impl From<SettingsRow> for ClientSettings {
    fn from(r: SettingsRow) -> Self {
        ClientSettings {
            invitation_ttl: Ttl(r.invitation_ttl_seconds),
            username_format: UsernameFormat::from_setting(&r.username_format),
            password_policy: PasswordPolicy::from_setting(&r.password_policy),
            language: Lang::from_tag(&r.language).unwrap_or_default(),
        }
    }
}

impl Store {
    /// A client's settings; a client without a row gets the defaults (21-day links, first.last, …).
    pub async fn client_settings(&self, client_db_id: &str) -> Result<ClientSettings> {
        let row = self
            .prepare("SELECT invitation_ttl_seconds, username_format, password_policy, language FROM client_settings WHERE client_id = ?1")
            .bind(&[text(client_db_id)])?
            .first::<SettingsRow>(None)
            .await?;
        Ok(row.map(ClientSettings::from).unwrap_or(ClientSettings {
            invitation_ttl: Ttl::DEFAULT_INVITATION,
            username_format: UsernameFormat::default(),
            password_policy: PasswordPolicy::default(),
            language: Lang::default(),
        }))
    }
}
