//! The mail transports, all lettre: SMTP with a connection pool (production; TLS `none`,
//! `starttls` or `tls`) and the file transport (the embedded default: `.eml` files in
//! `data/mail/`). Also turns a stored outbox row into a MIME message, and a failed attempt into
//! [`SendFailure::Transient`] (try again later) or [`SendFailure::Permanent`] (give up).
//!
//! Nothing here touches the database or decides when to retry.

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use super::mask_addresses_in;
use super::outbox::{Claimed, EmailPayload};
use crate::config::{MailTransportKind, Settings, SmtpTls};

/// SMTP connections kept open to the relay; also how many sends one worker runs at once.
pub const SMTP_POOL_SIZE: u32 = 4;

/// Longest `last_error` kept, in characters.
const MAX_ERROR_LEN: usize = 500;

/// Where emails go.
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

/// Why the mail transport could not be set up from the settings.
#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("SOFTLANDING__MAIL__FROM is not a valid address: {0}")]
    From(String),
    #[error("the SMTP relay `{host}` is not usable: {cause}")]
    Relay { host: String, cause: String },
    #[error("cannot create the mail directory {path}: {source}")]
    MailDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the SMTP transport must be created inside a Tokio runtime")]
    NoRuntime,
}

/// Why one delivery attempt failed; the text is safe to log and store (addresses masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// Worth another try later: the relay is down, slow, or answered 4xx.
    Transient(String),
    /// Will never succeed as it is: the relay answered 5xx, or the message cannot be built.
    Permanent(String),
}

impl SendFailure {
    pub fn is_permanent(&self) -> bool {
        matches!(self, SendFailure::Permanent(_))
    }

    pub fn message(&self) -> &str {
        match self {
            SendFailure::Transient(m) | SendFailure::Permanent(m) => m,
        }
    }

    fn transient(message: impl std::fmt::Display) -> SendFailure {
        SendFailure::Transient(clean(&message.to_string()))
    }

    fn permanent(message: impl std::fmt::Display) -> SendFailure {
        SendFailure::Permanent(clean(&message.to_string()))
    }
}

/// One line, addresses masked, bounded in length.
fn clean(message: &str) -> String {
    let one_line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    mask_addresses_in(&one_line)
        .chars()
        .take(MAX_ERROR_LEN)
        .collect()
}

/// The configured sender.
pub fn sender(settings: &Settings) -> Result<Mailbox, MailerError> {
    settings
        .mail
        .from
        .parse::<Mailbox>()
        .map_err(|e| MailerError::From(e.to_string()))
}

impl Mailer {
    /// The transport the settings name. SMTP needs a Tokio runtime (its pool runs a task); the
    /// file transport creates `settings.mail_dir()`.
    pub fn from_settings(settings: &Settings) -> Result<Mailer, MailerError> {
        match settings.mail.transport {
            MailTransportKind::Smtp => {
                if tokio::runtime::Handle::try_current().is_err() {
                    return Err(MailerError::NoRuntime);
                }
                let smtp = &settings.mail.smtp;
                let relay_error = |e: lettre::transport::smtp::Error| MailerError::Relay {
                    host: smtp.host.clone(),
                    cause: e.to_string(),
                };
                let builder = match smtp.tls {
                    SmtpTls::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                    }
                    SmtpTls::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
                            .map_err(relay_error)?
                    }
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)
                        .map_err(relay_error)?,
                };
                let mut builder = builder
                    .port(smtp.port)
                    .timeout(Some(Duration::from_secs(smtp.timeout_secs)))
                    .pool_config(PoolConfig::new().max_size(SMTP_POOL_SIZE));
                if let Some(username) = &smtp.username {
                    let password = smtp
                        .password
                        .as_ref()
                        .map(|p| p.expose_secret().to_owned())
                        .unwrap_or_default();
                    builder = builder.credentials(Credentials::new(username.clone(), password));
                }
                Ok(Mailer::Smtp(builder.build()))
            }
            MailTransportKind::File => {
                let path = settings.mail_dir();
                std::fs::create_dir_all(&path).map_err(|source| MailerError::MailDir {
                    path: path.clone(),
                    source,
                })?;
                Ok(Mailer::File(AsyncFileTransport::new(path)))
            }
        }
    }

    /// `smtp` or `file`, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Mailer::Smtp(_) => "smtp",
            Mailer::File(_) => "file",
        }
    }

    /// Hands `message` to the transport. Each SMTP exchange is bounded by the configured
    /// timeout; callers bound the whole attempt as well.
    pub async fn send(&self, message: Message) -> Result<(), SendFailure> {
        match self {
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| classify(&e)),
            Mailer::File(transport) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| SendFailure::transient(format!("cannot write the .eml file: {e}"))),
        }
    }
}

/// A 5xx reply is permanent; everything else (4xx, connection refused or reset, timeouts,
/// TLS trouble) may pass.
fn classify(error: &lettre::transport::smtp::Error) -> SendFailure {
    if error.is_permanent() {
        SendFailure::permanent(error)
    } else if error.is_timeout() {
        SendFailure::transient(format!("the relay did not answer in time: {error}"))
    } else {
        SendFailure::transient(error)
    }
}

/// The MIME message for a claimed row: `multipart/alternative` text and HTML (text alone when
/// there is no HTML), wrapped in `multipart/mixed` with the attachments, carrying the row's
/// Message-ID. A row that cannot become a message never will: that failure is permanent.
pub(crate) fn build_message(from: &Mailbox, row: &Claimed) -> Result<Message, SendFailure> {
    let payload: EmailPayload = serde_json::from_str(&row.payload)
        .map_err(|e| SendFailure::permanent(format!("unreadable outbox payload: {e}")))?;
    let to = row
        .recipient
        .parse::<Mailbox>()
        .map_err(|e| SendFailure::permanent(format!("invalid recipient address: {e}")))?;
    let mut attachments = Vec::with_capacity(payload.attachments.len());
    for attachment in payload.attachments {
        let content = BASE64.decode(attachment.content_base64).map_err(|e| {
            SendFailure::permanent(format!(
                "attachment {} is not base64: {e}",
                attachment.filename
            ))
        })?;
        let content_type = ContentType::parse(&attachment.content_type).unwrap_or_else(|_| {
            tracing::warn!(
                content_type = %attachment.content_type,
                "unknown attachment content type; sending it as application/octet-stream"
            );
            ContentType::parse("application/octet-stream").unwrap_or(ContentType::TEXT_PLAIN)
        });
        attachments.push(
            lettre::message::Attachment::new(attachment.filename).body(content, content_type),
        );
    }
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(payload.subject)
        .message_id(Some(row.message_id.clone()));
    let (text, html) = (payload.text, payload.html);
    let built = match (html.is_empty(), attachments.is_empty()) {
        (true, true) => builder.singlepart(SinglePart::plain(text)),
        (false, true) => builder.multipart(MultiPart::alternative_plain_html(text, html)),
        (html_missing, false) => {
            let mut mixed = if html_missing {
                MultiPart::mixed().singlepart(SinglePart::plain(text))
            } else {
                MultiPart::mixed().multipart(MultiPart::alternative_plain_html(text, html))
            };
            for attachment in attachments {
                mixed = mixed.singlepart(attachment);
            }
            builder.multipart(mixed)
        }
    };
    built.map_err(|e| SendFailure::permanent(format!("cannot build the message: {e}")))
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::outbox::StoredAttachment;

    fn row(payload: &EmailPayload, recipient: &str) -> Claimed {
        Claimed {
            id: "id".into(),
            event: "test".into(),
            recipient: recipient.into(),
            payload: serde_json::to_string(payload).unwrap(),
            message_id: "<id@softlanding.local>".into(),
            attempts: 0,
        }
    }

    fn payload() -> EmailPayload {
        EmailPayload {
            subject: "Landing approved – Lyon".into(),
            text: "Your landing is approved.".into(),
            html: "<p>Your landing is <b>approved</b>.</p>".into(),
            attachments: vec![StoredAttachment {
                filename: "landing.ics".into(),
                content_type: "text/calendar; charset=utf-8".into(),
                content_base64: BASE64.encode("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
            }],
        }
    }

    #[test]
    fn a_message_has_both_bodies_the_attachment_and_the_stored_message_id() {
        let from: Mailbox = "softlanding@example.org".parse().unwrap();
        let message = build_message(&from, &row(&payload(), "sme@example.org")).unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(raw.contains("Message-ID: <id@softlanding.local>"), "{raw}");
        assert!(raw.contains("multipart/mixed"));
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/calendar"));
        assert!(raw.contains("filename=\"landing.ics\""));
        assert_eq!(
            message.envelope().to(),
            ["sme@example.org".parse().unwrap()]
        );
    }

    #[test]
    fn an_unusable_row_fails_permanently() {
        let from: Mailbox = "softlanding@example.org".parse().unwrap();
        let failure = build_message(&from, &row(&payload(), "not an address")).unwrap_err();
        assert!(failure.is_permanent());
        let mut broken = row(&payload(), "sme@example.org");
        broken.payload = "{".into();
        assert!(build_message(&from, &broken).unwrap_err().is_permanent());
    }

    fn settings(data_dir: &std::path::Path, vars: &[(&str, &str)]) -> Settings {
        let config_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config");
        let mut env = vec![(
            "SOFTLANDING__DATA_DIR".to_owned(),
            data_dir.display().to_string(),
        )];
        env.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        Settings::load_from(&config_dir, env)
            .and_then(Settings::finalize)
            .unwrap()
    }

    #[tokio::test]
    async fn every_tls_mode_and_credentials_build_a_transport() {
        let dir = tempfile::tempdir().unwrap();
        for tls in ["none", "starttls", "tls"] {
            let settings = settings(
                dir.path(),
                &[
                    ("SOFTLANDING__MAIL__TRANSPORT", "smtp"),
                    ("SOFTLANDING__MAIL__SMTP__HOST", "smtp.example.org"),
                    ("SOFTLANDING__MAIL__SMTP__TLS", tls),
                    ("SOFTLANDING__MAIL__SMTP__USERNAME", "relay-user"),
                    ("SOFTLANDING__MAIL__SMTP__PASSWORD", "relay-password"),
                ],
            );
            let mailer = Mailer::from_settings(&settings).unwrap();
            assert_eq!(mailer.kind(), "smtp", "{tls}");
        }
    }

    #[test]
    fn smtp_outside_a_runtime_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let settings = settings(dir.path(), &[("SOFTLANDING__MAIL__TRANSPORT", "smtp")]);
        assert!(matches!(
            Mailer::from_settings(&settings),
            Err(MailerError::NoRuntime)
        ));
    }

    #[test]
    fn the_file_transport_creates_the_mail_directory() {
        let dir = tempfile::tempdir().unwrap();
        let settings = settings(dir.path(), &[("SOFTLANDING__MAIL__TRANSPORT", "file")]);
        let mailer = Mailer::from_settings(&settings).unwrap();
        assert_eq!(mailer.kind(), "file");
        assert!(settings.mail_dir().is_dir());
    }

    #[test]
    fn failures_are_one_masked_line() {
        let failure = SendFailure::permanent("550 5.1.1 <alice@example.org>:\r\n  unknown");
        assert_eq!(failure.message(), "550 5.1.1 <a***@example.org>: unknown");
    }
}
