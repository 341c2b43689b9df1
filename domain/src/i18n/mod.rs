//! English and German: every UI string and every e-mail text comes from these catalogues.
//!
//! `ui` holds the app's strings, `mail` the e-mails', `errors` one message per API error code and per
//! password rule. A catalogue is an enum of keys with one `text(lang)` match, so a missing translation
//! is a compile error, not a blank on screen.

mod errors;
mod mail;
mod ui;

pub use mail::{
    escape_html, invitation_mail, notice_mail, security_report_mail, Mail, MailContent, Notice,
    ReportLine,
};
pub use ui::Ui;

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// A language Gatehouse speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// German.
    De,
}

impl Lang {
    /// Every language, in the order the switcher shows them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// The BCP 47 tag (`en`, `de`), also the stored form.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
        }
    }

    /// Reads a tag such as `de`, `de-AT` or `EN_us`; `None` for languages Gatehouse does not speak.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The first supported language of an `Accept-Language` header (by order, ignoring weights of 0).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header
            .split(',')
            .filter(|part| !part.replace(' ', "").contains(";q=0") || part.contains(";q=0."))
            .find_map(|part| Lang::from_tag(part.split(';').next().unwrap_or_default()))
    }
}

/// A count as the language writes it: `1,204` in English, `1.204` in German.
pub fn format_count(n: u64, lang: Lang) -> String {
    let sep = match lang {
        Lang::En => ',',
        Lang::De => '.',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(d);
    }
    out
}

/// Replaces `{0}`, `{1}`, … in a catalogue text with the given values, in one pass: a value that
/// itself contains `{1}` (an admin's name, say) is inserted as it is, never expanded.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let place = after
            .find('}')
            .and_then(|close| Some((after[..close].parse::<usize>().ok()?, close)));
        match place.and_then(|(i, close)| Some((values.get(i)?, close))) {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A UTC date and time for e-mails ("14 Dec 2026, 17:00 UTC"); the app formats in the viewer's zone.
pub fn format_utc(at: Timestamp, lang: Lang) -> String {
    let secs = at.0.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let (hh, mm) = (rem / 3600, (rem % 3600) / 60);
    let months_en = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let months_de = [
        "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.",
        "Dez.",
    ];
    match lang {
        Lang::En => format!(
            "{d} {} {y}, {hh:02}:{mm:02} UTC",
            months_en[(m - 1) as usize]
        ),
        Lang::De => format!(
            "{d}. {} {y}, {hh:02}:{mm:02} UTC",
            months_de[(m - 1) as usize]
        ),
    }
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_as_each_language_writes_them() {
        assert_eq!(format_count(0, Lang::En), "0");
        assert_eq!(format_count(999, Lang::En), "999");
        assert_eq!(format_count(1204, Lang::En), "1,204");
        assert_eq!(format_count(101_013, Lang::De), "101.013");
        assert_eq!(format_count(1_000_000, Lang::En), "1,000,000");
    }

    #[test]
    fn tags_and_headers() {
        assert_eq!(Lang::from_tag("de-AT"), Some(Lang::De));
        assert_eq!(Lang::from_tag("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(
            Lang::from_accept_language("fr-CH, fr;q=0.9, de;q=0.8, en;q=0.7"),
            Some(Lang::De)
        );
        assert_eq!(Lang::from_accept_language("fr"), None);
    }

    #[test]
    fn utc_dates() {
        // 2026-12-14T17:00:00Z
        assert_eq!(
            format_utc(Timestamp(1_797_267_600_000), Lang::En),
            "14 Dec 2026, 17:00 UTC"
        );
        assert_eq!(
            format_utc(Timestamp(1_797_267_600_000), Lang::De),
            "14. Dez. 2026, 17:00 UTC"
        );
        assert_eq!(format_utc(Timestamp(0), Lang::En), "1 Jan 1970, 00:00 UTC");
        // 2024-02-29T23:59:00Z, a leap day
        assert_eq!(
            format_utc(Timestamp(1_709_251_140_000), Lang::En),
            "29 Feb 2024, 23:59 UTC"
        );
    }

    #[test]
    fn fill_replaces_numbered_places() {
        assert_eq!(
            fill("{0} invited {1}", &["Anna", "Ben"]),
            "Anna invited Ben"
        );
        assert_eq!(fill("{0} invited {1}", &["{1}", "Ben"]), "{1} invited Ben");
        assert_eq!(fill("{x} {5} {", &["a"]), "{x} {5} {");
    }
}
