//! Accounts: email addresses, passwords and roles.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::values::Fields;
use crate::error::FieldError;

/// A syntactically valid email address, lower-cased so equality ignores case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("is required");
        }
        if s.len() > 254 {
            return Err("must be at most 254 characters");
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err("must be an email address");
        };
        let valid_domain = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let valid_local = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.chars().any(|c| c.is_whitespace() || c.is_control());
        if !valid_domain || !valid_local {
            return Err("must be an email address");
        }
        Ok(Email(s.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address with most of the local part hidden, for logs: `a***@example.org`.
    pub fn masked(&self) -> String {
        mask_email(&self.0)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An address as it may appear in logs: `a***@example.org`. Never log a whole address.
pub fn mask_email(address: &str) -> String {
    match address.trim().rsplit_once('@') {
        Some((local, domain)) => {
            let first = local.chars().next().map(String::from).unwrap_or_default();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// A password that meets the policy: 12 to 1024 characters.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 1024;

    pub fn parse(raw: &str) -> Result<Password, &'static str> {
        let n = raw.chars().count();
        if n < Password::MIN_CHARS {
            return Err("must be at least 12 characters");
        }
        if n > Password::MAX_CHARS {
            return Err("must be at most 1024 characters");
        }
        Ok(Password(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    ClusterManager,
    SmeMember,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ClusterManager => "cluster_manager",
            Role::SmeMember => "sme_member",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "cluster_manager" => Some(Role::ClusterManager),
            "sme_member" => Some(Role::SmeMember),
            _ => None,
        }
    }
}

/// A language of the portal and of the emails: what a person chose, or what their browser asks
/// for. English is the fallback.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    De,
    Sv,
    Fr,
}

impl Locale {
    /// Every language, in the order the switcher lists them.
    pub const ALL: [Locale; 4] = [Locale::En, Locale::De, Locale::Sv, Locale::Fr];

    pub const fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::De => "de",
            Locale::Sv => "sv",
            Locale::Fr => "fr",
        }
    }

    /// The language's own name, as the switcher shows it.
    pub const fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::De => "Deutsch",
            Locale::Sv => "Svenska",
            Locale::Fr => "Français",
        }
    }

    /// `en`, `de`, `sv` or `fr`; a region (`de-AT`) is ignored.
    pub fn parse(s: &str) -> Option<Locale> {
        let primary = s.trim().split(['-', '_']).next().unwrap_or("");
        Locale::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(primary))
    }

    /// The best of our languages for an `Accept-Language` header (RFC 9110 §12.5.4): the
    /// highest `q` wins, ties in the header's order; `None` when it names none of ours.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut best: Option<(Locale, f32)> = None;
        for item in accept_language.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(locale) = Locale::parse(tag)
                && best.is_none_or(|(_, b)| q > b)
            {
                best = Some((locale, q));
            }
        }
        best.map(|(l, _)| l)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The longest name an account takes, in characters.
pub const PERSON_NAME_MAX: usize = 200;

/// A valid change a person makes to their own account: `None` leaves a field as it is. Made
/// by [`AccountChange::new`] (the portal's form, the use case) or [`AccountChange::parse`] (the
/// API's body), which apply the same rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountChange {
    name: Option<String>,
    locale: Option<Locale>,
}

impl AccountChange {
    /// A change of `name` (trimmed, one line, 1 to 200 characters) and `locale`, or what is
    /// wrong with the name.
    pub fn new(
        name: Option<&str>,
        locale: Option<Locale>,
    ) -> Result<AccountChange, Vec<FieldError>> {
        let mut f = Fields::new();
        let name = name.and_then(|n| person_name(&mut f, n));
        f.finish(|| Some(AccountChange { name, locale }))
    }

    /// [`AccountChange::new`] with the language as its code, which must be exactly `en`, `de`,
    /// `sv` or `fr`; every field that breaks its rule is told.
    pub fn parse(
        name: Option<&str>,
        locale: Option<&str>,
    ) -> Result<AccountChange, Vec<FieldError>> {
        let mut f = Fields::new();
        let name = name.and_then(|n| person_name(&mut f, n));
        let locale = locale.and_then(|code| locale_field(&mut f, "locale", code));
        f.finish(|| Some(AccountChange { name, locale }))
    }

    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    pub fn locale(&self) -> Option<Locale> {
        self.locale
    }

    pub fn into_parts(self) -> (Option<String>, Option<Locale>) {
        (self.name, self.locale)
    }

    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.locale.is_none()
    }
}

/// A language given by its code, which must be exactly `en`, `de`, `sv` or `fr`, or the error
/// recorded in `f` at `field`.
pub fn locale_field(f: &mut Fields, field: &str, code: &str) -> Option<Locale> {
    let known = Locale::ALL.into_iter().find(|l| l.as_str() == code);
    if known.is_none() {
        f.add_because(field, "must be one of en, de, sv, fr", "err-locale", vec![]);
    }
    known
}

/// A person's name as an account holds it, or the error recorded in `f`.
fn person_name(f: &mut Fields, raw: &str) -> Option<String> {
    if raw.trim().is_empty() {
        f.add_because("name", "must not be empty", "err-required", vec![]);
        return None;
    }
    f.check("name", super::values::line(raw, 1, PERSON_NAME_MAX))
}

/// What a one-time token is for; it decides its lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneTimePurpose {
    PasswordReset,
    Invitation,
    /// The link of an SME's sign-up, which confirms the contact's address.
    EmailConfirmation,
}

impl OneTimePurpose {
    pub const fn as_str(self) -> &'static str {
        match self {
            OneTimePurpose::PasswordReset => "password_reset",
            OneTimePurpose::Invitation => "invitation",
            OneTimePurpose::EmailConfirmation => "email_confirmation",
        }
    }

    pub fn lifetime(self) -> chrono::Duration {
        match self {
            OneTimePurpose::PasswordReset => chrono::Duration::hours(1),
            OneTimePurpose::Invitation | OneTimePurpose::EmailConfirmation => {
                chrono::Duration::days(7)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse(" Ada@Example.ORG ").unwrap().as_str(),
            "ada@example.org"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.org",
            "ada@example",
            "a da@example.org",
            "ada@exa..mple.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Email::parse("ada@example.org").unwrap().masked(),
            "a***@example.org"
        );
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert!(Password::parse("short-pass1").is_err());
        assert!(Password::parse("long-enough-pw").is_ok());
        assert!(
            Password::parse("ääääääääääää").is_ok(),
            "characters, not bytes"
        );
    }

    #[test]
    fn an_account_change_takes_a_trimmed_name_and_one_of_our_languages() {
        let change = AccountChange::parse(Some("  Ada Lovelace "), Some("sv")).unwrap();
        assert_eq!(change.name(), Some("Ada Lovelace"));
        assert_eq!(change.locale(), Some(Locale::Sv));
        assert_eq!(
            AccountChange::new(Some("  Ada Lovelace "), Some(Locale::Sv)),
            Ok(change)
        );
        assert!(AccountChange::parse(None, None).unwrap().is_empty());
        let empty = AccountChange::new(Some(" "), None).unwrap_err();
        assert_eq!(
            empty[0].reason.as_ref().map(|r| r.key),
            Some("err-required"),
            "the portal words it in the reader's language"
        );
        let fields = |errors: Vec<FieldError>| -> Vec<String> {
            errors.into_iter().map(|e| e.field).collect()
        };
        let long = "x".repeat(PERSON_NAME_MAX + 1);
        for (name, locale, bad) in [
            (Some("   "), None, vec!["name"]),
            (Some(long.as_str()), None, vec!["name"]),
            (Some("Ada\nLovelace"), None, vec!["name"]),
            (None, Some("es"), vec!["locale"]),
            (None, Some("DE"), vec!["locale"]),
            (None, Some("de-AT"), vec!["locale"]),
            (Some(""), Some(""), vec!["name", "locale"]),
        ] {
            let errors = AccountChange::parse(name, locale).unwrap_err();
            assert_eq!(fields(errors), bad, "{name:?} {locale:?}");
        }
    }

    #[test]
    fn languages_negotiate_by_quality_then_order() {
        assert_eq!(
            Locale::negotiate("de-AT,de;q=0.9,en;q=0.8"),
            Some(Locale::De)
        );
        assert_eq!(
            Locale::negotiate("ja, sv;q=0.5, fr;q=0.7"),
            Some(Locale::Fr)
        );
        assert_eq!(Locale::negotiate("en;q=0, ja"), None);
        assert_eq!(Locale::negotiate(""), None);
        assert_eq!(Locale::parse("SV-se"), Some(Locale::Sv));
        assert_eq!(Locale::parse("es"), None);
    }
}
