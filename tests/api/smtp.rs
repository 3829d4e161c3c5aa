//! A real SMTP server on loopback that records every message it accepts. Tests can make it
//! refuse service for a while, hang without answering, or permanently reject one recipient.

#![allow(dead_code)] // a toolkit: not every test uses every helper

use std::sync::{Arc, Mutex};
use std::time::Duration;

use mail_parser::MimeHeaders;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Accept every message.
    Accept,
    /// Answer `421` and close, as a relay that is down would.
    Unavailable,
    /// Accept the connection and never say a word.
    Hang,
    /// Converse normally, but never answer the end of a message (nor anything after it) and
    /// record nothing, as a relay stuck in a content filter would. Unlike the other modes it
    /// also applies to sessions opened before it was set.
    HangAfterData,
}

#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    pub raw: String,
}

impl ReceivedMail {
    fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(self.raw.as_bytes())
            .expect("the server received a parsable message")
    }

    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_owned()
    }

    pub fn text(&self) -> String {
        self.parsed()
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    pub fn html(&self) -> String {
        self.parsed()
            .body_html(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    pub fn message_id(&self) -> String {
        self.parsed().message_id().unwrap_or_default().to_owned()
    }

    /// (content type, file name, bytes) of each attachment.
    pub fn attachments(&self) -> Vec<(String, String, Vec<u8>)> {
        let parsed = self.parsed();
        parsed
            .attachments()
            .map(|a| {
                let ct = a
                    .content_type()
                    .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or("")))
                    .unwrap_or_default();
                (
                    ct,
                    a.attachment_name().unwrap_or_default().to_owned(),
                    a.contents().to_vec(),
                )
            })
            .collect()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.parsed().header_raw(name).map(|v| v.trim().to_owned())
    }
}

#[derive(Default)]
struct State {
    messages: Vec<ReceivedMail>,
    mode: Option<Mode>,
    reject_recipient: Option<String>,
    connections: usize,
}

#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    state: Arc<Mutex<State>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the test SMTP server");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            mode: Some(Mode::Accept),
            ..State::default()
        }));
        let accept_state = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = accept_state.clone();
                tokio::spawn(async move {
                    let _ = session(stream, state).await;
                });
            }
        });
        SmtpServer { port, state }
    }

    pub fn set_mode(&self, mode: Mode) {
        self.state.lock().unwrap().mode = Some(mode);
    }

    /// Permanently rejects (550) any recipient containing `needle`.
    pub fn reject_recipient(&self, needle: &str) {
        self.state.lock().unwrap().reject_recipient = Some(needle.to_owned());
    }

    /// Stops rejecting recipients.
    pub fn accept_all_recipients(&self) {
        self.state.lock().unwrap().reject_recipient = None;
    }

    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.state.lock().unwrap().messages.clone()
    }

    /// Forgets the messages received so far (a test's arrangement mail, once delivered).
    pub fn clear(&self) {
        self.state.lock().unwrap().messages.clear();
    }

    pub fn connections(&self) -> usize {
        self.state.lock().unwrap().connections
    }

    /// Messages addressed to `recipient`.
    pub fn messages_to(&self, recipient: &str) -> Vec<ReceivedMail> {
        self.messages()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(recipient)))
            .collect()
    }

    /// Waits for a message to `recipient` whose subject contains `subject_part`, as the
    /// application's own worker sends it. Tests that only need the mail sent drain the outbox
    /// instead ([`crate::helpers::TestApp::mail_to`]).
    pub async fn wait_for_mail(&self, recipient: &str, subject_part: &str) -> ReceivedMail {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(m) = self
                .messages_to(recipient)
                .into_iter()
                .find(|m| m.subject().contains(subject_part))
            {
                return m;
            }
            if tokio::time::Instant::now() >= deadline {
                let seen: Vec<_> = self
                    .messages()
                    .iter()
                    .map(|m| format!("{:?} {}", m.to, m.subject()))
                    .collect();
                panic!("no mail to {recipient} with `{subject_part}` arrived; got {seen:?}");
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

async fn session(stream: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    let mode = {
        let mut s = state.lock().unwrap();
        s.connections += 1;
        s.mode.unwrap_or(Mode::Accept)
    };
    let (read, mut write) = stream.into_split();
    match mode {
        Mode::Hang => {
            let _keep = (read, write);
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return Ok(());
        }
        Mode::Unavailable => {
            write
                .write_all(b"421 test relay is down, try later\r\n")
                .await?;
            return Ok(());
        }
        Mode::Accept | Mode::HangAfterData => {}
    }
    let mut reader = BufReader::new(read);
    write.write_all(b"220 softlanding-test ESMTP\r\n").await?;
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            write
                .write_all(b"250-softlanding-test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                .await?;
        } else if upper.starts_with("HELO") {
            write.write_all(b"250 softlanding-test\r\n").await?;
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&command[10..]);
            to.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO:") {
            let rcpt = address(&command[8..]);
            let rejected = state
                .lock()
                .unwrap()
                .reject_recipient
                .as_ref()
                .is_some_and(|needle| rcpt.contains(needle.as_str()));
            if rejected {
                write.write_all(b"550 no such user here\r\n").await?;
            } else {
                to.push(rcpt);
                write.write_all(b"250 OK\r\n").await?;
            }
        } else if upper == "DATA" {
            write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                data.push_str(unstuffed);
            }
            if state.lock().unwrap().mode == Some(Mode::HangAfterData) {
                let _keep = (reader, write);
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return Ok(());
            }
            state.lock().unwrap().messages.push(ReceivedMail {
                from: from.clone(),
                to: std::mem::take(&mut to),
                raw: data,
            });
            write.write_all(b"250 OK queued\r\n").await?;
        } else if upper == "RSET" {
            to.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "NOOP" {
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            write.write_all(b"502 not implemented\r\n").await?;
        }
    }
}

fn address(arg: &str) -> String {
    let arg = arg.trim();
    let inner = arg
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(addr, _)| addr)
        .unwrap_or(arg);
    inner.to_owned()
}
