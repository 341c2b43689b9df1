//! The worker's one error type, mapped to HTTP in one place. Internal detail is logged, never returned.

use domain::api::{ApiError, ErrorBody, ErrorCode};
use domain::i18n::Lang;
use domain::password::PasswordRule;
use domain::values::ValueError;

/// Why a request failed.
#[derive(Debug)]
pub enum Failure {
    /// The caller's fault or a refusal: a 4xx with a stable code.
    Refused {
        /// Stable code.
        code: ErrorCode,
        /// The request field at fault.
        field: Option<&'static str>,
        /// Unmet password rules.
        rules: Vec<PasswordRule>,
        /// For `rate_limited`: seconds until trying again makes sense (`Retry-After`).
        retry_after: Option<i64>,
    },
    /// Our fault: logged with detail, answered as a bare 500.
    Internal(String),
}

impl Failure {
    /// A refusal with a code and nothing else.
    pub fn code(code: ErrorCode) -> Self {
        Failure::Refused {
            code,
            field: None,
            rules: vec![],
            retry_after: None,
        }
    }

    /// A refusal about one request field.
    pub fn field(code: ErrorCode, field: &'static str) -> Self {
        Failure::Refused {
            code,
            field: Some(field),
            rules: vec![],
            retry_after: None,
        }
    }

    /// A refusal because a field's value is not valid.
    pub fn value(field: &'static str, e: ValueError) -> Self {
        Self::field(e.into(), field)
    }

    /// The password does not meet these rules.
    pub fn weak_password(rules: Vec<PasswordRule>) -> Self {
        Failure::Refused {
            code: ErrorCode::WeakPassword,
            field: Some("password"),
            rules,
            retry_after: None,
        }
    }

    /// The same refusal, about another field (a new password is not always called `password`).
    pub fn with_field(self, name: &'static str) -> Self {
        match self {
            Failure::Refused {
                code,
                rules,
                retry_after,
                ..
            } => Failure::Refused {
                code,
                field: Some(name),
                rules,
                retry_after,
            },
            other => other,
        }
    }

    /// Too many attempts; try again in `seconds`.
    pub fn rate_limited(seconds: i64) -> Self {
        Failure::Refused {
            code: ErrorCode::RateLimited,
            field: None,
            rules: vec![],
            retry_after: Some(seconds.max(1)),
        }
    }

    /// HTTP status, JSON body and the `Retry-After` seconds, if any.
    pub fn into_parts(self) -> (u16, ApiError, Option<i64>) {
        let (code, field, rules, retry_after) = match self {
            Failure::Refused {
                code,
                field,
                rules,
                retry_after,
            } => (code, field, rules, retry_after),
            Failure::Internal(detail) => {
                worker::console_error!("internal error: {detail}");
                (ErrorCode::Internal, None, vec![], None)
            }
        };
        let message = match field {
            Some(f) => format!("{f}: {}", code.text(Lang::En)),
            None => code.text(Lang::En).to_string(),
        };
        let body = ErrorBody {
            code,
            message,
            field: field.map(str::to_string),
            rules,
        };
        (code.status(), ApiError { error: body }, retry_after)
    }
}

impl From<worker::Error> for Failure {
    fn from(e: worker::Error) -> Self {
        if crate::store::is_lost_swap(&e) {
            // two requests changed the same thing at once and this one came second
            return Failure::code(ErrorCode::Conflict);
        }
        Failure::Internal(e.to_string())
    }
}
