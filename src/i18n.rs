//! The portal's and the emails' words in English, German, Swedish and French: Fluent files under
//! `locales/<language>/`, embedded in the binary. [`text`] looks a message up; a message missing
//! from a language falls back to English (and a test keeps every language complete).
//! [`register`] makes `t("key", name=value)` available to minijinja templates, which take the
//! language from the `locale` variable of their context.

use std::borrow::Cow;
use std::sync::LazyLock;

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
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog {
    bundles: SOURCES
        .iter()
        .map(|(locale, sources)| (*locale, bundle(*locale, sources)))
        .collect(),
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
        let bundle = self.bundle(locale);
        let message = bundle.get_message(key)?;
        let pattern = message.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(%locale, key, ?errors, "a message was formatted with errors");
        }
        Some(text.into_owned())
    }
}

/// Message `key` in `locale` with `args`; English when `locale` lacks it, and the key itself
/// when no language has it (so a missing message shows, rather than an empty space).
pub fn text(locale: Locale, key: &str, args: &[(&str, Arg<'_>)]) -> String {
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
) -> Result<String, minijinja::Error> {
    let locale = state
        .lookup("locale")
        .and_then(|v| v.as_str().and_then(Locale::parse))
        .unwrap_or_default();
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
    Ok(text(locale, key, &args))
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
}
