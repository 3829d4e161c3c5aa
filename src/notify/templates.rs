//! Email templates, embedded in the binary: for each event a subject, a text part and an HTML
//! part (auto-escaped) under `templates/email/`. Rendering happens when the message is written to
//! the outbox, so what is sent is exactly what the event described.

use std::sync::LazyLock;

use minijinja::Environment;
use serde::Serialize;

use super::outbox::Email;

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
    );
    env
});

#[derive(Debug, thiserror::Error)]
#[error("cannot render the `{template}` email: {source}")]
pub struct RenderError {
    template: String,
    source: minijinja::Error,
}

/// Renders the email `name` for `to` with `context`.
pub fn render(name: &str, to: &str, context: impl Serialize) -> Result<Email, RenderError> {
    let ctx = minijinja::Value::from_serialize(&context);
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
    use super::*;

    #[test]
    fn html_is_escaped_and_text_is_not() {
        let email = render(
            "invitation",
            "ada@example.org",
            serde_json::json!({
                "name": "<Ada>",
                "link": "https://x.example/set-password?token=a&b",
                "organisation": "Kista & Co",
                "role": "cluster manager",
                "expires_in": "7 days",
            }),
        )
        .unwrap();
        assert!(email.html.contains("&lt;Ada&gt;"));
        assert!(email.text.contains("<Ada>"));
        assert!(email.subject.contains("Kista & Co"));
    }
}
