//! One error type for every server function and API handler: what the user did wrong
//! (with a field), what they may not do, or an internal failure that only shows a request id.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, Texts};

/// What is wrong with one form field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    InvalidEmail,
    PasswordTooShort,
    PasswordTooLong,
    PasswordsDiffer,
    EmailTaken,
    TooLong,
    InvalidChoice,
    InvalidDate,
    InvalidAmount,
    /// Another entry of the same list has this name.
    NameTaken,
    /// Not a PDF, JPEG, PNG or WebP.
    FileUnsupported,
    /// An iPhone photo in HEIC: the person can change a setting.
    FileHeic,
    /// Starts like a known type but is truncated or corrupt.
    FileInvalid,
    /// An SVG with a DOCTYPE or entities.
    SvgUnsafe,
    /// An SVG that draws too much, or takes too long to draw.
    SvgTooComplex,
    FileTooLarge,
    /// An image with more pixels than Folio decodes.
    ImageTooLarge,
    /// Not a colour like #1d4ed8.
    InvalidColor,
    /// A line break or other control character in a one-line field.
    LineBreak,
    /// A control character (other than line breaks and tabs) in a text.
    ControlCharacters,
    /// Not a web address (https://…).
    InvalidUrl,
    /// Not a domain a broker can use (a DNS name outside Folio's own).
    InvalidDomain,
    /// Another broker has this domain.
    DomainTaken,
    /// The page is open under this domain right now.
    DomainInUse,
    /// A date that has not come yet (a claim's).
    DateInFuture,
    /// At least one photo or file is needed.
    PhotoRequired,
    InvalidPostalCode,
    InvalidIban,
    /// More entries than allowed (attachments).
    TooMany,
    /// Health data is only processed with the person's consent (R4.3).
    ConsentRequired,
    /// A change request that has been applied already.
    AlreadyApplied,
    /// Still needed by something else (the signed form of an access).
    InUse,
    /// An access that needs a signed mandate form (R3.2) came without one.
    FormRequired,
    /// This kind of access is for a listed set of contracts, not for all.
    OnlyListed,
    /// A company's legal representative sees all contracts, not a listed set.
    OnlyAll,
    /// An insured person sees the one contract they are insured in.
    OneContract,
    /// This kind of access is for a company's folder, or for a person's, not this one.
    WrongFolderKind,
    /// A contract or document of another folder.
    NotInFolder,
    /// The address belongs to an account that cannot be given this access (staff, or the
    /// folder's own holder).
    AccountNotEligible,
    /// Not the code the authenticator app shows now, nor an unused recovery code.
    InvalidCode,
    /// The password of the signed-in person is not this one.
    WrongPassword,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("e-mail or password wrong")]
    BadCredentials,
    /// After too many failures: if the password was right, a sign-in link was mailed (a wrong
    /// one hears the same).
    #[error("confirm the sign-in with the mailed link")]
    ConfirmByMail,
    /// The hour's share of link mails (of the broker or of the person) is used up.
    #[error("too many link mails, retry in {retry_after_secs} s")]
    TooManyMails { retry_after_secs: u64 },
    /// A person's share of uploads for the last minutes is used up.
    #[error("too many uploads, retry in {retry_after_secs} s")]
    TooManyUploads { retry_after_secs: u64 },
    #[error("too many attempts, retry in {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    #[error("sign-in required")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("link invalid, used or expired")]
    LinkInvalid,
    #[error("access deactivated")]
    Deactivated,
    /// A sign-in waiting for its second factor ran out, had too many wrong codes or never began.
    #[error("sign in again")]
    SignInAgain,
    /// A sensitive action wants the password (and second factor) proved again.
    #[error("confirm your identity again")]
    ProofNeeded,
    /// A passkey ceremony the browser or its authenticator did not complete validly.
    #[error("passkey not accepted")]
    PasskeyFailed,
    /// The broker requires a second factor; this account has a passkey for it and no app.
    #[error("sign in with your passkey")]
    UsePasskey,
    #[error("storage quota exceeded ({used_bytes} of {quota_bytes} bytes used)")]
    QuotaExceeded { used_bytes: i64, quota_bytes: i64 },
    #[error("internal error (request {request_id})")]
    Internal { request_id: String },
    #[error("request failed: {0}")]
    Transport(String),
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// How long a person's or company's name may be.
pub const NAME_MAX_CHARS: usize = 100;

/// Reads a form's fields and collects every problem, so the person sees them all at once.
#[derive(Default)]
pub struct FormErrors(Vec<FieldError>);

impl FormErrors {
    pub fn push(&mut self, field: &str, problem: Problem) {
        self.0.push(FieldError { field: field.to_owned(), problem });
    }

    /// A trimmed one-line text that must be there and may be at most `max_chars` long.
    pub fn required(&mut self, field: &str, input: &str, max_chars: usize) -> String {
        self.text(field, input, max_chars, true, false)
    }

    /// A trimmed one-line text that may be empty and may be at most `max_chars` long.
    pub fn optional(&mut self, field: &str, input: &str, max_chars: usize) -> String {
        self.text(field, input, max_chars, false, false)
    }

    /// Like `required`, for a text of several lines (a message).
    pub fn required_lines(&mut self, field: &str, input: &str, max_chars: usize) -> String {
        self.text(field, input, max_chars, true, true)
    }

    /// Like `optional`, for a text of several lines (an address block, a description).
    pub fn optional_lines(&mut self, field: &str, input: &str, max_chars: usize) -> String {
        self.text(field, input, max_chars, false, true)
    }

    /// Control characters have no place in a text: in a one-line field not even a line
    /// break (it could split a mail header the text goes into).
    fn text(&mut self, field: &str, input: &str, max_chars: usize, required: bool, lines: bool) -> String {
        let value = input.trim();
        if required && value.is_empty() {
            self.push(field, Problem::Required);
        } else if value.chars().count() > max_chars {
            self.push(field, Problem::TooLong);
        } else if value.chars().any(|c| c.is_control() && !(lines && matches!(c, '\n' | '\r' | '\t'))) {
            self.push(field, if lines { Problem::ControlCharacters } else { Problem::LineBreak });
        }
        value.to_owned()
    }

    /// An optional ISO 8601 date ("2026-03-01") that exists in the calendar.
    pub fn date(&mut self, field: &str, input: &str) -> Option<String> {
        let value = input.trim();
        if value.is_empty() {
            return None;
        }
        if crate::i18n::parse_iso_date(value).is_none() {
            self.push(field, Problem::InvalidDate);
        }
        Some(value.to_owned())
    }

    pub fn email(&mut self, field: &str, input: &str) -> Option<crate::email::Email> {
        crate::email::Email::parse(input).map_err(|problem| self.push(field, problem)).ok()
    }

    /// The problems found so far, to be reported under other names.
    pub fn into_problems(self) -> Vec<FieldError> {
        self.0
    }

    /// Whether a field already has a problem.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    /// The parsed values when every field was fine, else all the problems.
    pub fn finish<T>(self, values: Option<T>) -> Result<T> {
        match values {
            Some(values) if self.0.is_empty() => Ok(values),
            _ => Err(AppError::Invalid(self.0)),
        }
    }
}

impl AppError {
    pub fn field(field: &str, problem: Problem) -> Self {
        AppError::Invalid(vec![FieldError { field: field.to_owned(), problem }])
    }

    /// The HTTP status a client sees.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            AppError::Invalid(_) => S::UNPROCESSABLE_ENTITY,
            AppError::BadCredentials
            | AppError::ConfirmByMail
            | AppError::Unauthenticated
            | AppError::SignInAgain
            | AppError::UsePasskey => S::UNAUTHORIZED,
            AppError::Throttled { .. } | AppError::TooManyMails { .. } | AppError::TooManyUploads { .. } => {
                S::TOO_MANY_REQUESTS
            }
            AppError::Forbidden | AppError::Deactivated | AppError::ProofNeeded => S::FORBIDDEN,
            AppError::NotFound => S::NOT_FOUND,
            AppError::LinkInvalid => S::GONE,
            AppError::PasskeyFailed => S::BAD_REQUEST,
            AppError::QuotaExceeded { .. } => S::PAYLOAD_TOO_LARGE,
            AppError::Internal { .. } | AppError::Transport(_) => S::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message for one field, if this error is about it.
    pub fn for_field(&self, field: &str, locale: Locale) -> Option<String> {
        match self {
            AppError::Invalid(errors) => {
                errors.iter().find(|e| e.field == field).map(|e| problem_text(e.problem, locale).to_owned())
            }
            _ => None,
        }
    }

    /// The message shown above a form (field problems are shown at their fields).
    pub fn summary(&self, locale: Locale) -> String {
        let t = locale.texts();
        match self {
            AppError::Invalid(_) => t.err_invalid.to_owned(),
            AppError::BadCredentials => t.err_bad_credentials.to_owned(),
            AppError::ConfirmByMail => t.err_confirm_by_mail.to_owned(),
            AppError::Throttled { retry_after_secs } => {
                t.err_throttled.replace("{seconds}", &retry_after_secs.to_string())
            }
            AppError::TooManyMails { retry_after_secs } => {
                t.err_too_many_mails.replace("{minutes}", &retry_after_secs.div_ceil(60).to_string())
            }
            AppError::TooManyUploads { retry_after_secs } => {
                t.err_too_many_uploads.replace("{minutes}", &retry_after_secs.div_ceil(60).to_string())
            }
            AppError::Unauthenticated => t.err_unauthenticated.to_owned(),
            AppError::Forbidden => t.err_forbidden.to_owned(),
            AppError::NotFound => t.err_not_found.to_owned(),
            AppError::LinkInvalid => t.err_link_invalid.to_owned(),
            AppError::Deactivated => t.err_deactivated.to_owned(),
            AppError::SignInAgain => t.err_sign_in_again.to_owned(),
            AppError::ProofNeeded => t.err_proof_needed.to_owned(),
            AppError::PasskeyFailed => t.err_passkey_failed.to_owned(),
            AppError::UsePasskey => t.err_use_passkey.to_owned(),
            AppError::QuotaExceeded { used_bytes, quota_bytes } => t
                .err_quota
                .replace("{used}", &crate::i18n::fmt_size(*used_bytes, locale))
                .replace("{quota}", &crate::i18n::fmt_size(*quota_bytes, locale)),
            AppError::Internal { request_id } => t.err_internal.replace("{request_id}", request_id),
            AppError::Transport(_) => t.err_transport.to_owned(),
        }
    }
}

fn problem_text(problem: Problem, locale: Locale) -> &'static str {
    let t: &Texts = locale.texts();
    match problem {
        Problem::Required => t.problem_required,
        Problem::InvalidEmail => t.problem_invalid_email,
        Problem::PasswordTooShort => t.problem_password_short,
        Problem::PasswordTooLong => t.problem_password_long,
        Problem::PasswordsDiffer => t.problem_passwords_differ,
        Problem::EmailTaken => t.problem_email_taken,
        Problem::TooLong => t.problem_too_long,
        Problem::InvalidChoice => t.problem_invalid_choice,
        Problem::InvalidDate => t.problem_invalid_date,
        Problem::InvalidAmount => t.problem_invalid_amount,
        Problem::NameTaken => t.problem_name_taken,
        Problem::FileUnsupported => t.problem_file_unsupported,
        Problem::FileHeic => t.problem_file_heic,
        Problem::FileInvalid => t.problem_file_invalid,
        Problem::SvgUnsafe => t.problem_svg_unsafe,
        Problem::SvgTooComplex => t.problem_svg_too_complex,
        Problem::FileTooLarge => t.problem_file_too_large,
        Problem::ImageTooLarge => t.problem_image_too_large,
        Problem::InvalidColor => t.problem_invalid_color,
        Problem::LineBreak => t.problem_line_break,
        Problem::ControlCharacters => t.problem_control_characters,
        Problem::InvalidUrl => t.problem_invalid_url,
        Problem::InvalidDomain => t.problem_invalid_domain,
        Problem::DomainTaken => t.problem_domain_taken,
        Problem::DomainInUse => t.problem_domain_in_use,
        Problem::DateInFuture => t.problem_date_in_future,
        Problem::PhotoRequired => t.problem_photo_required,
        Problem::InvalidPostalCode => t.problem_invalid_postal_code,
        Problem::InvalidIban => t.problem_invalid_iban,
        Problem::TooMany => t.problem_too_many,
        Problem::ConsentRequired => t.problem_consent_required,
        Problem::AlreadyApplied => t.problem_already_applied,
        Problem::InUse => t.problem_in_use,
        Problem::FormRequired => t.problem_form_required,
        Problem::OnlyListed => t.problem_only_listed,
        Problem::OnlyAll => t.problem_only_all,
        Problem::OneContract => t.problem_one_contract,
        Problem::WrongFolderKind => t.problem_wrong_folder_kind,
        Problem::NotInFolder => t.problem_not_in_folder,
        Problem::AccountNotEligible => t.problem_account_not_eligible,
        Problem::InvalidCode => t.problem_invalid_code,
        Problem::WrongPassword => t.problem_wrong_password,
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;

    impl AppError {
        /// Logs the whole chain with a request id; the client only sees the id.
        pub fn internal(error: impl Into<anyhow::Error>) -> Self {
            let error = error.into();
            let request_id = crate::request::current_request_id();
            tracing::error!(request_id = %request_id, error = format!("{error:#}"), "internal error");
            AppError::Internal { request_id }
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            AppError::internal(error)
        }
    }

    impl From<anyhow::Error> for AppError {
        fn from(error: anyhow::Error) -> Self {
            AppError::internal(error)
        }
    }

    impl AppError {
        /// The error as an RFC 9457 problem document, in the reader's language, with one
        /// entry per field problem. Used by the file routes and the REST API.
        pub fn problem(&self, locale: crate::i18n::Locale) -> axum::response::Response {
            use axum::response::IntoResponse;
            let mut body = serde_json::json!({
                "type": "about:blank",
                "title": self.summary(locale),
                "status": self.status().as_u16(),
            });
            if let AppError::Invalid(errors) = self {
                body["errors"] = errors
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "field": e.field,
                            "problem": e.problem,
                            "detail": super::problem_text(e.problem, locale),
                        })
                    })
                    .collect();
            }
            if let AppError::QuotaExceeded { used_bytes, quota_bytes } = self {
                body["used_bytes"] = (*used_bytes).into();
                body["quota_bytes"] = (*quota_bytes).into();
            }
            if let AppError::Internal { request_id } = self {
                body["request_id"] = request_id.clone().into();
            }
            let mut response = (self.status(), body.to_string()).into_response();
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/problem+json"),
            );
            response
        }
    }

    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            self.problem(crate::i18n::Locale::En)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{FormErrors, Problem};

    fn problems(check: impl FnOnce(&mut FormErrors) -> String) -> (String, Vec<Problem>) {
        let mut errors = FormErrors::default();
        let value = check(&mut errors);
        (value, errors.into_problems().into_iter().map(|e| e.problem).collect())
    }

    #[test]
    fn one_line_fields_refuse_line_breaks_and_texts_refuse_other_control_characters() {
        assert_eq!(
            problems(|e| e.required("name", "  Anna Schneider ", 100)),
            ("Anna Schneider".into(), vec![])
        );
        assert_eq!(
            problems(|e| e.required("name", "Anna\r\nBcc: eve@evil.example", 100)).1,
            [Problem::LineBreak]
        );
        assert_eq!(problems(|e| e.optional("phone", "0171\t123", 40)).1, [Problem::LineBreak]);
        assert_eq!(problems(|e| e.optional("phone", "", 40)), (String::new(), vec![]));
        let letter = "Guten Tag,\r\n\r\nbitte rufen Sie mich an.\n\tAnna";
        assert_eq!(problems(|e| e.required_lines("body", letter, 5000)), (letter.into(), vec![]));
        assert_eq!(problems(|e| e.optional_lines("body", "Anna\u{7}", 5000)).1, [Problem::ControlCharacters]);
        assert_eq!(problems(|e| e.required_lines("body", " \n ", 5000)).1, [Problem::Required]);
        assert_eq!(problems(|e| e.required("name", &"x".repeat(101), 100)).1, [Problem::TooLong]);
    }
}
