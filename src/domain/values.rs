//! Small validated values shared by the network's resources: countries, time zones, web
//! addresses, sectors and bounded text; and [`Fields`], which collects every field error of an
//! input so a 422 can list them all.

use std::fmt;

use crate::error::FieldError;

/// ISO 3166-1 alpha-2 codes (officially assigned).
pub const COUNTRIES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// ISO 639-1 language codes.
const LANGUAGES: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
    "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
    "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
    "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
    "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi",
    "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
    "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
    "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// An ISO 639-1 language code, lower-case.
pub fn language(raw: &str) -> Result<String, String> {
    let code = raw.trim().to_ascii_lowercase();
    if LANGUAGES.binary_search(&code.as_str()).is_ok() {
        Ok(code)
    } else {
        Err("must be an ISO 639-1 language code such as en".into())
    }
}

/// An ISO 3166-1 alpha-2 country code, upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(raw: &str) -> Result<CountryCode, String> {
        let code = raw.trim().to_ascii_uppercase();
        if COUNTRIES.binary_search(&code.as_str()).is_ok() {
            Ok(CountryCode(code))
        } else {
            Err("must be an ISO 3166-1 alpha-2 country code such as DE".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IANA time zone name (`Europe/Berlin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    pub fn parse(raw: &str) -> Result<TimeZone, String> {
        raw.trim()
            .parse::<chrono_tz::Tz>()
            .map(TimeZone)
            .map_err(|_| "must be an IANA time zone such as Europe/Berlin".into())
    }

    pub fn tz(self) -> chrono_tz::Tz {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

/// An absolute `http` or `https` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebUrl(String);

impl WebUrl {
    pub fn parse(raw: &str) -> Result<WebUrl, String> {
        let raw = raw.trim();
        if raw.len() > 2048 {
            return Err("must be at most 2048 characters".into());
        }
        match url::Url::parse(raw) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
                Ok(WebUrl(u.to_string()))
            }
            _ => Err("must be an http or https URL".into()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `c` may stand in text that may span lines: any character but the C0 controls (NUL,
/// CR, ESC...) and DEL, except line feed and tab.
pub fn allowed_in_text(c: char) -> bool {
    !(c.is_ascii_control() && c != '\n' && c != '\t')
}

/// The message for text that holds a character [`allowed_in_text`] refuses.
pub const CONTROL_CHARACTERS: &str =
    "must not contain control characters (only line feeds and tabs, in text that spans lines)";

/// Trimmed text of `min..=max` characters that may span lines (no control characters but
/// line feed and tab).
pub fn text(raw: &str, min: usize, max: usize) -> Result<String, String> {
    if !raw.chars().all(allowed_in_text) {
        return Err(CONTROL_CHARACTERS.into());
    }
    let t = raw.trim();
    let n = t.chars().count();
    if n < min {
        return Err(if min <= 1 {
            "must not be empty".into()
        } else {
            format!("must be at least {min} characters")
        });
    }
    if n > max {
        return Err(format!("must be at most {max} characters"));
    }
    Ok(t.to_owned())
}

/// Trimmed text of `min..=max` characters on one line: names, titles, cities.
pub fn line(raw: &str, min: usize, max: usize) -> Result<String, String> {
    if raw.chars().any(|c| c.is_control()) {
        return Err("must be one line, without control characters".into());
    }
    text(raw, min, max)
}

/// A sector label: lower-case words (`software`, `health-tech`, `ai`), 1 to 60 characters.
pub fn sector(raw: &str) -> Result<String, String> {
    let s = raw.trim().to_lowercase();
    let ok = !s.is_empty()
        && s.chars().count() <= 60
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' ' | '&'));
    if ok {
        Ok(s)
    } else {
        Err(
            "must be a sector label of letters, digits, spaces and dashes (1 to 60 characters)"
                .into(),
        )
    }
}

/// The list without repeats, first occurrences kept in order.
pub fn dedup(mut items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items.retain(|s| seen.insert(s.clone()));
    items
}

/// The first and last calendar days the network deals in: far enough for any real plan, near
/// enough that arithmetic on them cannot overflow and every database stores them.
pub const FIRST_DAY: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(day) => day,
    None => panic!("1900-01-01 is a day"),
};
pub const LAST_DAY: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2200, 12, 31) {
    Some(day) => day,
    None => panic!("2200-12-31 is a day"),
};

/// A calendar day, `YYYY-MM-DD`, from [`FIRST_DAY`] to [`LAST_DAY`].
pub fn date(raw: &str) -> Result<chrono::NaiveDate, String> {
    let raw = raw.trim();
    // chrono also reads signed, five-digit years (`+262142-12-31`): a day is ten characters.
    let day = (raw.len() == 10)
        .then(|| chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| "must be a calendar day as YYYY-MM-DD".to_owned())?;
    if (FIRST_DAY..=LAST_DAY).contains(&day) {
        Ok(day)
    } else {
        Err(format!("must be a day from {FIRST_DAY} to {LAST_DAY}"))
    }
}

/// A span of calendar days, first and last inclusive, that cannot be invalid: both days are in
/// [`FIRST_DAY`]..=[`LAST_DAY`], the last is not before the first, and it spans at most the
/// days its maker allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
}

/// Why two days make no [`DateRange`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeError {
    Backwards,
    TooLong { max_days: i64 },
}

impl DateRange {
    /// `[start, end]` if it is one and spans at most `max_days` calendar days.
    pub fn new(
        start: chrono::NaiveDate,
        end: chrono::NaiveDate,
        max_days: i64,
    ) -> Result<DateRange, RangeError> {
        if end < start {
            Err(RangeError::Backwards)
        } else if (end - start).num_days() + 1 > max_days {
            Err(RangeError::TooLong { max_days })
        } else {
            Ok(DateRange { start, end })
        }
    }

    pub fn start(self) -> chrono::NaiveDate {
        self.start
    }

    pub fn end(self) -> chrono::NaiveDate {
        self.end
    }

    /// Whether the two share a day.
    pub fn overlaps(self, start: chrono::NaiveDate, end: chrono::NaiveDate) -> bool {
        self.start <= end && start <= self.end
    }
}

/// How many visitors a landing brings: from 1 to [`Headcount::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Headcount(i32);

impl Headcount {
    pub const MAX: i32 = 10_000;

    pub fn parse(n: i64) -> Result<Headcount, String> {
        match i32::try_from(n) {
            Ok(n) if (1..=Headcount::MAX).contains(&n) => Ok(Headcount(n)),
            _ => Err(format!("must be from 1 to {}", Headcount::MAX)),
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// Collects field errors while an input is parsed.
#[derive(Debug, Default)]
pub struct Fields {
    errors: Vec<FieldError>,
}

impl Fields {
    pub fn new() -> Fields {
        Fields::default()
    }

    /// Keeps the value, or records the error under `field`.
    pub fn check<T, E: fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(FieldError::new(field, e.to_string()));
                None
            }
        }
    }

    /// A required value: records "is required" when absent.
    pub fn required<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.errors.push(FieldError::because(
                field,
                "is required",
                "err-required",
                vec![],
            ));
        }
        value
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// Records an error the portal words with message `key` (see [`FieldError::because`]).
    pub fn add_because(
        &mut self,
        field: impl Into<String>,
        message: impl Into<String>,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    ) {
        self.errors
            .push(FieldError::because(field, message, key, args));
    }

    /// Parses each element of a list, naming failures `field[i]`.
    pub fn each<T, E: fmt::Display>(
        &mut self,
        field: &str,
        items: Vec<String>,
        max_items: usize,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Option<Vec<T>> {
        if items.len() > max_items {
            self.add(field, format!("must have at most {max_items} entries"));
            return None;
        }
        let before = self.errors.len();
        let parsed: Vec<T> = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.check(&format!("{field}[{i}]"), parse(item)))
            .collect();
        (self.errors.len() == before).then_some(parsed)
    }

    /// The required days `start_date` and `end_date` as a [`DateRange`] of at most `max_days`;
    /// each problem is told at its field (`too_long` says why a longer one is refused).
    pub fn date_range(
        &mut self,
        start: Option<String>,
        end: Option<String>,
        max_days: i64,
        too_long: &str,
    ) -> Option<DateRange> {
        let start = self
            .required("start_date", start)
            .and_then(|v| self.check("start_date", date(&v)));
        let end = self
            .required("end_date", end)
            .and_then(|v| self.check("end_date", date(&v)));
        match DateRange::new(start?, end?, max_days) {
            Ok(range) => Some(range),
            Err(RangeError::Backwards) => {
                self.errors.push(FieldError::because(
                    "end_date",
                    "must not be before start_date",
                    "err-end-before-start",
                    vec![],
                ));
                None
            }
            Err(RangeError::TooLong { .. }) => {
                self.add("end_date", too_long);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Ends the parse: the value when nothing failed, else every error.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, Vec<FieldError>> {
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        build().ok_or_else(|| vec![FieldError::new("body", "is incomplete")])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_list_is_sorted_for_binary_search() {
        assert!(COUNTRIES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(COUNTRIES.len(), 249);
        assert_eq!(CountryCode::parse(" de ").unwrap().as_str(), "DE");
        assert!(CountryCode::parse("XX").is_err());
        assert!(CountryCode::parse("DEU").is_err());
    }

    #[test]
    fn days_stay_in_range_and_text_refuses_control_characters() {
        assert_eq!(date("2027-03-08").unwrap().to_string(), "2027-03-08");
        for bad in [
            "+262142-12-31",
            "-4713-01-01",
            "1899-12-31",
            "2201-01-01",
            "2027-3-8",
        ] {
            assert!(date(bad).is_err(), "{bad}");
        }
        assert!(date("1900-01-01").is_ok() && date("2200-12-31").is_ok());
        assert!(text("two\nlines\tand a tab", 1, 100).is_ok());
        for bad in ["nul\0", "carriage\rreturn", "escape\u{1b}[31m", "del\u{7f}"] {
            assert!(text(bad, 1, 100).is_err(), "{bad:?}");
        }
        assert!(line("Acme\nRobotics", 1, 100).is_err());
        assert!(line("Acme\tRobotics", 1, 100).is_err());
        assert_eq!(line(" Acme Robotics ", 1, 100).unwrap(), "Acme Robotics");
    }

    #[test]
    fn time_zones_urls_and_sectors() {
        assert_eq!(
            TimeZone::parse("Europe/Berlin").unwrap().name(),
            "Europe/Berlin"
        );
        assert!(TimeZone::parse("Mars/Olympus").is_err());
        assert!(WebUrl::parse("https://cyberforum.de").is_ok());
        assert!(WebUrl::parse("javascript:alert(1)").is_err());
        assert!(WebUrl::parse("ftp://x.org").is_err());
        assert_eq!(sector(" Health-Tech ").unwrap(), "health-tech");
        assert!(sector("<script>").is_err());
        assert!(LANGUAGES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(language(" EN ").unwrap(), "en");
        assert!(language("eng").is_err());
    }

    #[test]
    fn a_date_range_is_ordered_and_bounded() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        let r = DateRange::new(d("2027-03-01"), d("2027-03-05"), 366).unwrap();
        assert_eq!((r.start(), r.end()), (d("2027-03-01"), d("2027-03-05")));
        assert!(r.overlaps(d("2027-03-05"), d("2027-03-09")));
        assert!(!r.overlaps(d("2027-03-06"), d("2027-03-09")));
        assert_eq!(
            DateRange::new(d("2027-03-05"), d("2027-03-01"), 366),
            Err(RangeError::Backwards)
        );
        assert!(DateRange::new(d("2027-01-01"), d("2027-12-31"), 365).is_ok());
        assert_eq!(
            DateRange::new(d("2027-01-01"), d("2028-01-01"), 365),
            Err(RangeError::TooLong { max_days: 365 })
        );
    }

    #[test]
    fn a_headcount_is_one_to_ten_thousand() {
        assert_eq!(Headcount::parse(1).map(Headcount::get), Ok(1));
        assert_eq!(Headcount::parse(10_000).map(Headcount::get), Ok(10_000));
        for bad in [0, -1, 10_001, i64::from(i32::MAX) + 1] {
            assert!(Headcount::parse(bad).is_err(), "{bad}");
        }
    }
}
