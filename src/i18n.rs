//! The portal's and the emails' words in English, German, Swedish and French: Fluent files under
//! `locales/<language>/`, embedded in the binary. [`text`] looks a message up; a message missing
//! from a language falls back to English (and a test keeps every language complete).
//! [`register`] makes `t("key", name=value)` available to minijinja templates, which take the
//! language from the `locale` variable of their context.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::domain::account::Locale;

/// The Fluent sources of one language, in the order they are added to its bundle.
macro_rules! sources {
    ($lang:literal) => {
        [
            include_str!(concat!("../locales/", $lang, "/portal.ftl")),
            include_str!(concat!("../locales/", $lang, "/email.ftl")),
            include_str!(concat!("../locales/", $lang, "/manage_offers.ftl")),
            include_str!(concat!("../locales/", $lang, "/manage_cluster.ftl")),
            include_str!(concat!("../locales/", $lang, "/admin.ftl")),
        ]
    };
}

/// Every language's Fluent sources, by [`Locale::ALL`] order.
pub const SOURCES: [(Locale, [&str; 5]); 4] = [
    (Locale::En, sources!("en")),
    (Locale::De, sources!("de")),
    (Locale::Sv, sources!("sv")),
    (Locale::Fr, sources!("fr")),
];

struct Catalog {
    bundles: Vec<(Locale, FluentBundle<FluentResource>)>,
    /// Each language's messages that take no argument, formatted once: most of a page's words
    /// (labels, headings, buttons) are these, and a page asks for some of them once per item.
    plain: Vec<(Locale, HashMap<String, Arc<str>>)>,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let mut catalog = Catalog {
        bundles: SOURCES
            .iter()
            .map(|(locale, sources)| (*locale, bundle(*locale, sources)))
            .collect(),
        plain: Vec::new(),
    };
    catalog.plain = SOURCES
        .iter()
        .map(|(locale, _)| (*locale, catalog.plain_messages(*locale)))
        .collect();
    catalog
});

fn bundle(locale: Locale, sources: &[&str]) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = locale
        .as_str()
        .parse()
        .expect("our language tags are valid");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: they would show up in plain-text email.
    bundle.set_use_isolating(false);
    for source in sources {
        let resource =
            FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(_, errors)| {
                panic!("a {locale} Fluent file does not parse: {errors:?}")
            });
        bundle.add_resource(resource).unwrap_or_else(|errors| {
            panic!("a {locale} Fluent message is defined twice: {errors:?}")
        });
    }
    bundle
}

impl Catalog {
    fn bundle(&self, locale: Locale) -> &FluentBundle<FluentResource> {
        self.bundles
            .iter()
            .find(|(l, _)| *l == locale)
            .map(|(_, b)| b)
            .unwrap_or(&self.bundles[0].1)
    }

    fn format(&self, locale: Locale, key: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
        let (text, errors) = self.format_checked(locale, key, args)?;
        if !errors.is_empty() {
            tracing::warn!(%locale, key, ?errors, "a message was formatted with errors");
        }
        Some(text)
    }

    fn format_checked(
        &self,
        locale: Locale,
        key: &str,
        args: Option<&FluentArgs<'_>>,
    ) -> Option<(String, Vec<fluent_bundle::FluentError>)> {
        let bundle = self.bundle(locale);
        let message = bundle.get_message(key)?;
        let pattern = message.value()?;
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned();
        Some((text, errors))
    }

    /// The messages of `locale` (English where it lacks one) that format without arguments
    /// and without errors; a message that reads an argument formats with an error here, and
    /// is left to be formatted with its arguments each time.
    fn plain_messages(&self, locale: Locale) -> HashMap<String, Arc<str>> {
        SOURCES[0]
            .1
            .iter()
            .flat_map(|source| message_ids(source))
            .filter_map(|id| {
                let (text, errors) = self
                    .format_checked(locale, &id, None)
                    .or_else(|| self.format_checked(Locale::En, &id, None))?;
                errors.is_empty().then(|| (id, Arc::from(text)))
            })
            .collect()
    }

    fn plain(&self, locale: Locale, key: &str) -> Option<&Arc<str>> {
        self.plain
            .iter()
            .find(|(l, _)| *l == locale)
            .and_then(|(_, messages)| messages.get(key))
    }
}

/// Message `key` in `locale` with `args`; English when `locale` lacks it, and the key itself
/// when no language has it (so a missing message shows, rather than an empty space).
pub fn text(locale: Locale, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    if args.is_empty()
        && let Some(plain) = CATALOG.plain(locale, key)
    {
        return plain.to_string();
    }
    let fluent_args = (!args.is_empty()).then(|| {
        let mut fa = FluentArgs::new();
        for (name, value) in args {
            fa.set(*name, value.to_fluent());
        }
        fa
    });
    CATALOG
        .format(locale, key, fluent_args.as_ref())
        .or_else(|| CATALOG.format(Locale::En, key, fluent_args.as_ref()))
        .unwrap_or_else(|| {
            tracing::warn!(%locale, key, "no language has this message");
            key.to_owned()
        })
}

/// An argument of a message: words, or a number (which picks plural forms).
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Str(Cow<'a, str>),
    Num(f64),
}

impl Arg<'_> {
    fn to_fluent(&self) -> FluentValue<'_> {
        match self {
            Arg::Str(s) => FluentValue::from(s.as_ref()),
            Arg::Num(n) => FluentValue::from(*n),
        }
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Arg<'a> {
        Arg::Str(Cow::Borrowed(s))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Str(Cow::Owned(s))
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Num(n as f64)
    }
}

impl From<i32> for Arg<'_> {
    fn from(n: i32) -> Self {
        Arg::Num(f64::from(n))
    }
}

/// Adds `t(key, name=value, ...)` to a template environment. The language is the context's
/// `locale` (`en` when absent or unknown).
pub fn register(env: &mut minijinja::Environment<'_>) {
    env.add_function("t", translate);
}

fn translate(
    state: &minijinja::State<'_, '_>,
    key: &str,
    kwargs: minijinja::value::Kwargs,
) -> Result<minijinja::Value, minijinja::Error> {
    let locale = state
        .lookup("locale")
        .and_then(|v| v.as_str().and_then(Locale::parse))
        .unwrap_or_default();
    if kwargs.args().next().is_none()
        && let Some(plain) = CATALOG.plain(locale, key)
    {
        return Ok(minijinja::Value::from(plain.clone()));
    }
    let mut args: Vec<(&str, Arg<'_>)> = Vec::new();
    let names: Vec<&str> = kwargs.args().collect();
    for name in names {
        let value: minijinja::Value = kwargs.get(name)?;
        let arg = if let Some(n) = value.as_i64() {
            Arg::Num(n as f64)
        } else if value.is_none() || value.is_undefined() {
            Arg::Str(Cow::Borrowed(""))
        } else {
            Arg::Str(Cow::Owned(value.to_string()))
        };
        args.push((name, arg));
    }
    Ok(minijinja::Value::from(text(locale, key, &args)))
}

/// The message ids a Fluent source defines (messages, not terms), for the completeness test.
pub fn message_ids(source: &str) -> Vec<String> {
    match FluentResource::try_new(source.to_owned()) {
        Ok(resource) | Err((resource, _)) => resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_message_exists_in_every_language() {
        for file in 0..SOURCES[0].1.len() {
            let english: BTreeSet<String> = message_ids(SOURCES[0].1[file]).into_iter().collect();
            assert!(!english.is_empty());
            for (locale, sources) in &SOURCES[1..] {
                let theirs: BTreeSet<String> = message_ids(sources[file]).into_iter().collect();
                let missing: Vec<_> = english.difference(&theirs).collect();
                let extra: Vec<_> = theirs.difference(&english).collect();
                assert!(
                    missing.is_empty() && extra.is_empty(),
                    "{locale} file {file}: missing {missing:?}, not in English {extra:?}"
                );
            }
        }
    }

    #[test]
    fn every_message_formats_without_errors_in_every_language() {
        for (locale, sources) in &SOURCES {
            // Parsing and adding (no duplicates) is what building the catalog checks.
            let bundle = bundle(*locale, sources);
            for source in sources {
                for id in message_ids(source) {
                    assert!(bundle.get_message(&id).is_some(), "{locale}: {id}");
                }
            }
        }
    }

    #[test]
    fn report_counts_agree_with_their_number() {
        let median = |locale, count: i64| {
            text(
                locale,
                "reports-median-p90",
                &[
                    ("median", "1 d 0 h 0 min".into()),
                    ("p90", "2 d 0 h 0 min".into()),
                    ("count", count.into()),
                ],
            )
        };
        assert!(median(Locale::En, 1).ends_with("(1 landing)"));
        assert!(median(Locale::En, 2).ends_with("(2 landings)"));
        assert!(median(Locale::De, 1).ends_with("(1 Landung)"));
        assert!(median(Locale::Sv, 1).ends_with("(1 landning)"));
        assert!(median(Locale::Fr, 1).ends_with("(1 atterrissage)"));
        assert_eq!(
            text(Locale::En, "reports-ratings", &[("count", 1.into())]),
            "1 rating"
        );
        assert_eq!(
            text(Locale::En, "reports-no-shows", &[("count", 3.into())]),
            "3 no-shows"
        );
    }

    #[test]
    fn arguments_and_plurals_are_filled_in() {
        assert_eq!(
            text(Locale::En, "days-count", &[("count", 1.into())]),
            "1 day"
        );
        assert_eq!(
            text(Locale::En, "days-count", &[("count", 3.into())]),
            "3 days"
        );
        assert_eq!(
            text(Locale::De, "days-count", &[("count", 3.into())]),
            "3 Tage"
        );
        assert_eq!(text(Locale::Sv, "no-such-message", &[]), "no-such-message");
    }

    #[test]
    fn a_message_without_arguments_reads_the_same_from_the_formatted_ones() {
        let mut plain = 0;
        for (locale, sources) in &SOURCES {
            for id in sources.iter().flat_map(|source| message_ids(source)) {
                let Some(kept) = CATALOG.plain(*locale, &id) else {
                    continue;
                };
                plain += 1;
                let formatted = CATALOG.format(*locale, &id, None).unwrap();
                assert_eq!(&**kept, formatted, "{locale}: {id}");
            }
        }
        assert!(plain > 100, "most messages take no argument: {plain}");
        // A message that reads an argument is formatted with it each time.
        assert!(CATALOG.plain(Locale::En, "days-count").is_none());
        assert_eq!(
            text(Locale::De, "manage-reason", &[]),
            "Begründung (die andere Seite liest sie)"
        );
    }
}
