//! Email templates, embedded in the binary: for each event a subject, a text part and an HTML
//! part (auto-escaped) under `templates/email/`. Their words are Fluent messages of
//! `locales/<language>/email.ftl`, which the templates call as `t("key", name=value)`; each
//! email is rendered in its recipient's language. Rendering happens when the message is written
//! to the outbox, so what is sent is exactly what the event described.

use std::sync::LazyLock;

use minijinja::Environment;
use serde::Serialize;

use super::outbox::Email;
use crate::domain::account::Locale;

macro_rules! embed {
    ($env:ident, $($name:literal),* $(,)?) => {
        $(
            $env.add_template(
                concat!($name, ".subject.txt"),
                include_str!(concat!("../../templates/email/", $name, ".subject.txt")),
            )
            .expect("the subject template parses");
            $env.add_template(
                concat!($name, ".txt"),
                include_str!(concat!("../../templates/email/", $name, ".txt")),
            )
            .expect("the text template parses");
            $env.add_template(
                concat!($name, ".html"),
                include_str!(concat!("../../templates/email/", $name, ".html")),
            )
            .expect("the HTML template parses");
        )*
    };
}

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    crate::i18n::register(&mut env);
    env.add_template(
        "layout.html",
        include_str!("../../templates/email/layout.html"),
    )
    .expect("the layout parses");
    embed!(
        env,
        "invitation",
        "password_reset",
        "email_confirmation",
        "partnership_changed",
        "sme_signed_up",
        "sme_verified",
        "sme_declined",
        "landing_changed",
        "landing_reminder",
        "webhook_disabled",
    );
    env
});

#[derive(Debug, thiserror::Error)]
#[error("cannot render the `{template}` email: {source}")]
pub struct RenderError {
    template: String,
    source: minijinja::Error,
}

/// Renders the email `name` for `to` in `locale` with `context`.
pub fn render(
    name: &str,
    to: &str,
    locale: Locale,
    context: impl Serialize,
) -> Result<Email, RenderError> {
    let ctx = minijinja::context! {
        locale => locale.as_str(),
        ..minijinja::Value::from_serialize(&context)
    };
    let part = |suffix: &str| {
        let template = format!("{name}.{suffix}");
        TEMPLATES
            .get_template(&template)
            .and_then(|t| t.render(&ctx))
            .map_err(|source| RenderError { template, source })
    };
    Ok(Email {
        to: to.to_owned(),
        subject: part("subject.txt")?.trim().to_owned(),
        text: part("txt")?,
        html: part("html")?,
        attachments: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::domain::account::Role;
    use crate::domain::landing::LandingState;
    use crate::domain::offer::OfferKind;
    use crate::domain::partnership::{PartnershipAction, PartnershipState};
    use crate::i18n;
    use crate::notify::landings::LandingNotice;

    #[test]
    fn html_is_escaped_and_text_is_not() {
        let email = render(
            "invitation",
            "ada@example.org",
            Locale::En,
            json!({
                "name": "<Ada>",
                "link": "https://x.example/set-password?token=a&b",
                "organisation": "Kista & Co",
                "role": "cluster_manager",
                "expires": {"unit": "days", "count": 7},
            }),
        )
        .unwrap();
        assert!(email.html.contains("&lt;Ada&gt;"));
        assert!(email.text.contains("<Ada>"));
        assert!(email.subject.contains("Kista & Co"));
        assert!(email.text.contains("as cluster manager of Kista & Co"));
        assert!(email.text.contains("expires in 7 days"));
    }

    /// Every email with a context of the shape its sender gives, in every wording it takes.
    fn every_email() -> Vec<(&'static str, Value)> {
        let link = |role: Option<Role>, unit: &str, count: i64| {
            json!({
                "name": "Ada Lovelace",
                "role": role.map(Role::as_str),
                "organisation": role.map(|_| "CyberForum"),
                "link": "https://portal.example/set-password?token=abc",
                "expires": {"unit": unit, "count": count},
            })
        };
        let mut all = vec![
            ("invitation", link(Some(Role::ClusterManager), "days", 7)),
            ("invitation", link(Some(Role::SmeMember), "days", 1)),
            ("email_confirmation", link(None, "days", 7)),
            ("password_reset", link(None, "hours", 1)),
            ("password_reset", link(None, "hours", 2)),
        ];
        for (action, state) in [
            ("proposed", "proposed"),
            ("accepted", "active"),
            ("declined", "declined"),
            ("suspended", "suspended"),
            ("resumed", "active"),
            ("terminated", "terminated"),
        ] {
            all.push((
                "partnership_changed",
                json!({
                    "action": action,
                    "proposer": "CyberForum",
                    "partner": "Kista Science City",
                    "actor": "Kista Science City",
                    "state": state,
                    "max_free_days": 5,
                    "services": OfferKind::ALL.map(OfferKind::as_str),
                    "home_endorsement_required": if action == "declined" { "yes" } else { "no" },
                    "notes": "Renewed yearly",
                    "note": "Looking forward to it",
                    "link": "https://portal.example/manage/partnerships/p1",
                }),
            ));
        }
        let sme = json!({
            "sme_name": "Acme Robotics",
            "country": "DE",
            "sector": "robotics",
            "website": "https://acme.example",
            "employees": 12,
            "contact_name": "Grace Hopper",
            "contact_email": "grace@acme.example",
            "cluster_name": "CyberForum",
            "reason": "Not a member",
            "link": "https://portal.example/sme",
        });
        for name in ["sme_signed_up", "sme_verified", "sme_declined"] {
            all.push((name, sme.clone()));
        }
        for gone in [true, false] {
            all.push((
                "webhook_disabled",
                json!({
                    "cluster_name": "CyberForum",
                    "url": "https://crm.cyberforum.example/hooks",
                    "gone": gone,
                    "link": "https://portal.example/manage/cluster",
                }),
            ));
        }
        for notice in LandingNotice::ALL {
            let wording = notice.wording();
            for (audience, receipt, first) in [
                ("sme", notice == LandingNotice::Submitted, "host"),
                ("sme", notice == LandingNotice::Submitted, "home"),
                ("host", false, "host"),
                ("home", false, "home"),
            ] {
                for state in LandingState::ALL {
                    let expired = notice == LandingNotice::Expired;
                    all.push((
                        notice.template(),
                        json!({
                            "headline": wording.headline,
                            "note_label": wording.note_label,
                            "note": if expired { None } else { Some("See you at the front desk") },
                            "event": notice.event(),
                            "first": first,
                            "sme": "Nordic Drones",
                            "host": "CyberForum",
                            "home": "Kista Science City",
                            "offer_title": "A desk in the old town",
                            "location": "Haid-und-Neu-Str. 18, Karlsruhe, DE",
                            "start_date": "2027-03-08",
                            "end_date": "2027-03-10",
                            "timezone": "Europe/Berlin",
                            "headcount": 2,
                            "open_days": if expired { 1 } else { 3 },
                            "state": state.as_str(),
                            "link": "https://portal.example/landings/l1",
                            "audience": audience,
                            "receipt": receipt,
                            "with_calendar": notice == LandingNotice::Approved,
                        }),
                    ));
                }
            }
        }
        all
    }

    #[test]
    fn every_email_renders_in_every_language_with_no_missing_message() {
        let ids = i18n::message_ids(i18n::SOURCES[0].1[1]);
        assert!(
            ids.iter().all(|id| id.starts_with("email-")),
            "email messages are named email-*, so a missing one shows in the output"
        );
        for (name, context) in every_email() {
            let emails: Vec<Email> = Locale::ALL
                .iter()
                .map(|locale| render(name, "someone@example.org", *locale, &context).unwrap())
                .collect();
            for (locale, email) in Locale::ALL.iter().zip(&emails) {
                for part in [&email.subject, &email.text, &email.html] {
                    assert!(
                        !part.contains("email-") && !part.contains("{$") && !part.is_empty(),
                        "{name} in {locale} shows a missing message or argument: {part}\n{context}"
                    );
                }
                assert!(email.html.contains(&format!("<html lang=\"{locale}\">")));
            }
            for (i, a) in emails.iter().enumerate() {
                for b in &emails[i + 1..] {
                    assert_ne!(
                        a.subject, b.subject,
                        "{name}: two languages share a subject"
                    );
                    assert_ne!(a.text, b.text, "{name}: two languages share a text");
                }
            }
        }
    }

    /// Every value a message chooses its words by has words of its own in every language.
    #[test]
    fn every_state_action_kind_and_role_has_its_own_words() {
        let partnership_actions: Vec<&str> = std::iter::once("proposed")
            .chain(
                [
                    PartnershipAction::Accept,
                    PartnershipAction::Decline,
                    PartnershipAction::Suspend,
                    PartnershipAction::Resume,
                    PartnershipAction::Terminate,
                ]
                .map(PartnershipAction::past),
            )
            .collect();
        let partnership_states = ["proposed", "active", "declined", "suspended", "terminated"];
        assert!(
            partnership_states
                .iter()
                .all(|s| PartnershipState::parse(s).is_some())
        );
        let choices: [(&str, &str, Vec<&str>); 5] = [
            (
                "email-landing-now",
                "state",
                LandingState::ALL.map(LandingState::as_str).to_vec(),
            ),
            ("email-partnership-subject", "action", partnership_actions),
            (
                "email-partnership-state",
                "state",
                partnership_states.to_vec(),
            ),
            (
                "email-offer-kind",
                "kind",
                OfferKind::ALL.map(OfferKind::as_str).to_vec(),
            ),
            (
                "email-invitation-intro",
                "role",
                [Role::Admin, Role::ClusterManager, Role::SmeMember]
                    .map(Role::as_str)
                    .to_vec(),
            ),
        ];
        for locale in Locale::ALL {
            for (key, argument, values) in &choices {
                let words: Vec<String> = values
                    .iter()
                    .map(|v| i18n::text(locale, key, &[(*argument, (*v).into())]))
                    .collect();
                for (i, w) in words.iter().enumerate() {
                    assert!(
                        !words[i + 1..].contains(w),
                        "{locale} {key}: {} and another {argument} read alike: {w}",
                        values[i]
                    );
                }
            }
        }
    }
}
