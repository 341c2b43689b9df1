//! Per-client settings, inherited down the tree: a client either overrides a setting or inherits
//! it from the nearest ancestor that does, else the product default. [`resolve`] is the only place
//! this is decided; it also says where each effective value comes from.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::ids::{ClientKey, RoleId};
use crate::password::PasswordPolicy;
use crate::time::Ttl;
use crate::values::UsernameFormat;

/// A password-policy preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PasswordPreset {
    /// ≥ 8 characters with upper, lower, digit and special character.
    #[default]
    Default,
    /// NIST SP 800-63B: ≥ 15 characters, no composition rules, no password known from a breach.
    Nist,
}

impl PasswordPreset {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::Nist => "nist",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Default, Self::Nist]
            .into_iter()
            .find(|p| p.as_str() == text)
    }

    /// The preset's rules.
    pub fn policy(self) -> PasswordPolicy {
        match self {
            Self::Default => PasswordPolicy::default(),
            Self::Nist => PasswordPolicy::nist(),
        }
    }
}

/// What one client sets itself; `None` means "inherit". Also the body of a settings change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SettingsOverrides {
    /// Invitation link validity.
    pub invitation_ttl: Option<Ttl>,
    /// Registration and password-reset link validity.
    pub reset_ttl: Option<Ttl>,
    /// Password rules preset.
    pub password_preset: Option<PasswordPreset>,
    /// Fewest password characters (never below the preset's own minimum).
    pub password_min_length: Option<u16>,
    /// How usernames are proposed.
    pub username_format: Option<UsernameFormat>,
    /// The role new accounts get unless the admin picks another.
    pub default_role: Option<RoleId>,
    /// Language of mail and the accept page.
    pub language: Option<Lang>,
    /// Days an account may stay deactivated before it is deleted.
    pub deletion_after_days: Option<u32>,
    /// Minutes without a request after which a session ends (5 – 1,440).
    pub session_idle_minutes: Option<u32>,
    /// Hours after sign-in at which a session ends however it is used (1 – 720).
    pub session_max_hours: Option<u32>,
    /// Everyone signing in to the client uses two-factor authentication; people without it set
    /// it up at their next sign-in before they can do anything else.
    pub require_two_factor: Option<bool>,
}

/// Why a setting's value is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingError {
    /// A link validity outside 1 hour – 90 days (the field's name).
    TtlOutOfRange(&'static str),
    /// A minimum password length outside the preset's minimum – 128.
    MinLengthOutOfRange,
    /// A deletion period outside 1 – 3650 days.
    DeletionOutOfRange,
    /// A session idle timeout outside 5 – 1,440 minutes.
    SessionIdleOutOfRange,
    /// A session lifetime outside 1 – 720 hours.
    SessionMaxOutOfRange,
}

impl SettingError {
    /// The request field the refused value was sent in.
    pub fn field(self) -> &'static str {
        match self {
            Self::TtlOutOfRange(name) => name,
            Self::MinLengthOutOfRange => "password_min_length",
            Self::DeletionOutOfRange => "deletion_after_days",
            Self::SessionIdleOutOfRange => "session_idle_minutes",
            Self::SessionMaxOutOfRange => "session_max_hours",
        }
    }
}

impl SettingsOverrides {
    /// Shortest link validity a client may set.
    pub const MIN_TTL: Ttl = Ttl(60 * 60);
    /// Longest link validity a client may set.
    pub const MAX_TTL: Ttl = Ttl(90 * 24 * 60 * 60);

    /// Checks every value that is set (ranges; the minimum length against the NIST floor when the
    /// preset is not known here, i.e. against the strictest preset that may apply).
    pub fn check(&self) -> Result<(), SettingError> {
        for (name, ttl) in [
            ("invitation_ttl", self.invitation_ttl),
            ("reset_ttl", self.reset_ttl),
        ] {
            if ttl.is_some_and(|t| !(Self::MIN_TTL..=Self::MAX_TTL).contains(&t)) {
                return Err(SettingError::TtlOutOfRange(name));
            }
        }
        let floor = PasswordPolicy::default().min_length as u16;
        if self
            .password_min_length
            .is_some_and(|n| !(floor..=128).contains(&n))
        {
            return Err(SettingError::MinLengthOutOfRange);
        }
        if self
            .deletion_after_days
            .is_some_and(|d| !(1..=3650).contains(&d))
        {
            return Err(SettingError::DeletionOutOfRange);
        }
        if self
            .session_idle_minutes
            .is_some_and(|m| !(5..=1440).contains(&m))
        {
            return Err(SettingError::SessionIdleOutOfRange);
        }
        if self
            .session_max_hours
            .is_some_and(|h| !(1..=720).contains(&h))
        {
            return Err(SettingError::SessionMaxOutOfRange);
        }
        Ok(())
    }
}

/// Where an effective value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// Nobody on the way to the company sets it: the product default.
    Default,
    /// The client sets it itself.
    Own,
    /// Inherited from this ancestor.
    Inherited {
        /// The ancestor that sets it.
        client: ClientKey,
        /// Its name ("Acme GmbH").
        name: String,
    },
}

/// One effective value and its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Effective<T> {
    /// The value in force.
    pub value: T,
    /// Where it comes from.
    pub source: Source,
}

/// Every setting in force for a client, each with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EffectiveSettings {
    /// Invitation link validity (default 21 days).
    pub invitation_ttl: Effective<Ttl>,
    /// Registration/password-reset link validity (default 24 hours).
    pub reset_ttl: Effective<Ttl>,
    /// Password preset (default: the default rules).
    pub password_preset: Effective<PasswordPreset>,
    /// Minimum password length, `None` for the preset's own.
    pub password_min_length: Effective<Option<u16>>,
    /// Username format (default `first.last`).
    pub username_format: Effective<UsernameFormat>,
    /// Default role, `None` for the built-in *User*.
    pub default_role: Effective<Option<RoleId>>,
    /// Language (default English).
    pub language: Effective<Lang>,
    /// Deactivation-to-deletion period in days (default 183, six months).
    pub deletion_after_days: Effective<u32>,
    /// Session idle timeout in minutes (default 30).
    pub session_idle_minutes: Effective<u32>,
    /// Session lifetime in hours (default 12).
    pub session_max_hours: Effective<u32>,
    /// Two-factor sign-in required (default off).
    pub require_two_factor: Effective<bool>,
}

impl EffectiveSettings {
    /// The password rules in force: the preset, with a longer minimum if one is set.
    pub fn password_policy(&self) -> PasswordPolicy {
        let mut policy = self.password_preset.value.policy();
        if let Some(n) = self.password_min_length.value {
            policy.min_length = policy.min_length.max(usize::from(n));
        }
        policy
    }

    /// How long a session started now may last: idle and absolute (see `crate::sessions`).
    pub fn session_limits(&self) -> crate::sessions::Limits {
        crate::sessions::Limits {
            idle: Ttl(i64::from(self.session_idle_minutes.value) * 60),
            absolute: Ttl(i64::from(self.session_max_hours.value) * 3600),
        }
    }
}

/// One client's own settings on the way from the company down to the client in question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    /// The client.
    pub client: ClientKey,
    /// Its name, to say where an inherited value comes from.
    pub name: String,
    /// What it sets itself.
    pub overrides: SettingsOverrides,
}

/// The settings in force for the last client of `chain` (ordered from the company down to it):
/// for each setting, the nearest override on the path to the company, else the default.
pub fn resolve(chain: &[Layer]) -> EffectiveSettings {
    let own = chain.last().map(|l| l.client);
    let pick = |get: &dyn Fn(&SettingsOverrides) -> bool| -> Source {
        match chain.iter().rev().find(|l| get(&l.overrides)) {
            None => Source::Default,
            Some(l) if Some(l.client) == own => Source::Own,
            Some(l) => Source::Inherited {
                client: l.client,
                name: l.name.clone(),
            },
        }
    };
    macro_rules! field {
        ($name:ident, $default:expr) => {{
            let value = chain
                .iter()
                .rev()
                .find_map(|l| l.overrides.$name)
                .unwrap_or($default);
            Effective {
                value,
                source: pick(&|o| o.$name.is_some()),
            }
        }};
    }
    macro_rules! optional {
        ($name:ident) => {{
            Effective {
                value: chain.iter().rev().find_map(|l| l.overrides.$name),
                source: pick(&|o| o.$name.is_some()),
            }
        }};
    }
    EffectiveSettings {
        invitation_ttl: field!(invitation_ttl, Ttl::DEFAULT_INVITATION),
        reset_ttl: field!(reset_ttl, Ttl::DEFAULT_PASSWORD_RESET),
        password_preset: field!(password_preset, PasswordPreset::Default),
        password_min_length: optional!(password_min_length),
        username_format: field!(username_format, UsernameFormat::default()),
        default_role: optional!(default_role),
        language: field!(language, Lang::default()),
        deletion_after_days: field!(deletion_after_days, DEFAULT_DELETION_AFTER_DAYS),
        session_idle_minutes: field!(session_idle_minutes, (crate::sessions::IDLE.0 / 60) as u32),
        session_max_hours: field!(
            session_max_hours,
            (crate::sessions::ABSOLUTE.0 / 3600) as u32
        ),
        require_two_factor: field!(require_two_factor, false),
    }
}

/// Six months, in days.
pub const DEFAULT_DELETION_AFTER_DAYS: u32 = 183;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn layer(n: u8, overrides: SettingsOverrides) -> Layer {
        Layer {
            client: ClientKey::from_random_bytes([n; 16]),
            name: format!("client {n}"),
            overrides,
        }
    }

    #[test]
    fn defaults_own_and_inherited() {
        let acme = layer(
            1,
            SettingsOverrides {
                invitation_ttl: Some(Ttl(7 * 86400)),
                ..Default::default()
            },
        );
        let sales = layer(
            2,
            SettingsOverrides {
                language: Some(Lang::De),
                ..Default::default()
            },
        );
        let s = resolve(&[acme.clone(), sales]);
        assert_eq!(s.invitation_ttl.value, Ttl(7 * 86400));
        assert_eq!(
            s.invitation_ttl.source,
            Source::Inherited {
                client: acme.client,
                name: "client 1".into()
            }
        );
        assert_eq!(s.language.source, Source::Own);
        assert_eq!(s.reset_ttl.value, Ttl::DEFAULT_PASSWORD_RESET);
        assert_eq!(s.reset_ttl.source, Source::Default);
        assert_eq!(s.deletion_after_days.value, 183);
        let limits = s.session_limits();
        assert_eq!(
            (limits.idle, limits.absolute),
            (crate::sessions::IDLE, crate::sessions::ABSOLUTE)
        );
        assert!(!s.require_two_factor.value);
    }

    #[test]
    fn ranges() {
        let o = |f: fn(&mut SettingsOverrides)| {
            let mut s = SettingsOverrides::default();
            f(&mut s);
            s.check()
        };
        assert!(o(|s| s.invitation_ttl = Some(Ttl(3600))).is_ok());
        assert_eq!(
            o(|s| s.invitation_ttl = Some(Ttl(3599))),
            Err(SettingError::TtlOutOfRange("invitation_ttl"))
        );
        assert_eq!(
            o(|s| s.reset_ttl = Some(Ttl(90 * 86400 + 1))),
            Err(SettingError::TtlOutOfRange("reset_ttl"))
        );
        assert_eq!(
            o(|s| s.password_min_length = Some(7)),
            Err(SettingError::MinLengthOutOfRange)
        );
        assert!(o(|s| s.deletion_after_days = Some(0)).is_err());
        assert!(o(|s| s.session_idle_minutes = Some(5)).is_ok());
        assert_eq!(
            o(|s| s.session_idle_minutes = Some(4)),
            Err(SettingError::SessionIdleOutOfRange)
        );
        assert_eq!(
            o(|s| s.session_max_hours = Some(721)),
            Err(SettingError::SessionMaxOutOfRange)
        );
        assert_eq!(
            o(|s| s.session_max_hours = Some(0)),
            Err(SettingError::SessionMaxOutOfRange)
        );
    }

    #[test]
    fn min_length_never_weakens_the_preset() {
        let l = layer(
            1,
            SettingsOverrides {
                password_preset: Some(PasswordPreset::Nist),
                password_min_length: Some(10),
                ..Default::default()
            },
        );
        assert_eq!(resolve(&[l]).password_policy().min_length, 15);
    }

    proptest! {
        /// The effective value is the nearest override on the path to the root, else the default.
        #[test]
        fn nearest_override_wins(ttls in proptest::collection::vec(proptest::option::of(3600i64..7_776_000), 1..8)) {
            let chain: Vec<Layer> = ttls.iter().enumerate().map(|(i, t)| layer(i as u8, SettingsOverrides {
                invitation_ttl: t.map(Ttl), ..Default::default()
            })).collect();
            let s = resolve(&chain);
            let nearest = ttls.iter().enumerate().rev().find(|(_, t)| t.is_some());
            match nearest {
                None => {
                    prop_assert_eq!(s.invitation_ttl.value, Ttl::DEFAULT_INVITATION);
                    prop_assert_eq!(s.invitation_ttl.source, Source::Default);
                }
                Some((i, t)) => {
                    prop_assert_eq!(s.invitation_ttl.value, Ttl(t.unwrap()));
                    if i == chain.len() - 1 {
                        prop_assert_eq!(s.invitation_ttl.source, Source::Own);
                    } else {
                        prop_assert_eq!(s.invitation_ttl.source, Source::Inherited { client: chain[i].client, name: chain[i].name.clone() });
                    }
                }
            }
        }
    }
}
