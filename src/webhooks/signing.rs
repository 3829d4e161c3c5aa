//! Signing secrets: their making (`whsec_` and the base64 of 32 random bytes), their sealing at
//! rest, and the Standard Webhooks signature of one delivery.
//!
//! A signature is `v1,` and the base64 of HMAC-SHA256, keyed by the secret's decoded bytes,
//! over `<webhook-id>.<webhook-timestamp>.<body>`. While a rotated-out secret still signs, the
//! header carries both signatures, space-separated.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, KeyInit as _, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use crate::config::Settings;

/// What every secret starts with.
pub const SECRET_PREFIX: &str = "whsec_";

/// Random bytes in a secret.
const SECRET_BYTES: usize = 32;

/// A new signing secret: `whsec_` and the base64 of 32 random bytes.
pub fn generate_secret() -> SecretString {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    SecretString::from(format!("{SECRET_PREFIX}{}", BASE64.encode(bytes)))
}

/// The HMAC key a secret stands for: the base64 after `whsec_` decoded. A secret that is not
/// in that form (none this service makes) keys with its own bytes.
fn key_of(secret: &str) -> Vec<u8> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    BASE64
        .decode(encoded)
        .unwrap_or_else(|_| encoded.as_bytes().to_vec())
}

/// The `v1,<base64>` signature of one message under one secret.
pub fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key_of(secret))
        .expect("HMAC takes a key of any length");
    mac.update(msg_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()))
}

/// The `webhook-signature` header: one signature per secret that signs now, space-separated.
pub fn signature_header(secrets: &[&str], msg_id: &str, timestamp: i64, body: &[u8]) -> String {
    secrets
        .iter()
        .map(|s| sign(s, msg_id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Seals and opens signing secrets with the service's key. The webhook's id is bound in as
/// associated data, so a sealed secret copied onto another row does not open there.
#[derive(Clone)]
pub struct Sealer {
    cipher: ChaCha20Poly1305,
}

/// A sealed secret that does not open: the key changed, or the row was tampered with.
#[derive(Debug, thiserror::Error)]
#[error("the webhook's signing secret cannot be opened with this service's key; rotate the secret")]
pub struct Unreadable;

impl Sealer {
    /// The sealer of these settings: keyed by `webhooks.secret_key`, or by a key derived from
    /// the JWT secret when that is unset.
    pub fn from_settings(settings: &Settings) -> Sealer {
        let material = match &settings.webhooks.secret_key {
            Some(key) => key.expose_secret().to_owned(),
            None => settings.jwt_secret().expose_secret().to_owned(),
        };
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(material.as_bytes())
            .expect("HMAC takes a key of any length");
        mac.update(b"softlanding webhook secrets v1");
        let key = mac.finalize().into_bytes();
        Sealer {
            cipher: ChaCha20Poly1305::new(&Key::from(<[u8; 32]>::from(key))),
        }
    }

    /// `secret` sealed for the webhook `webhook_id`: base64 of a random nonce and the ciphertext.
    pub fn seal(&self, webhook_id: &str, secret: &SecretString) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: secret.expose_secret().as_bytes(),
                    aad: webhook_id.as_bytes(),
                },
            )
            .expect("sealing a short secret cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        BASE64.encode(out)
    }

    /// The secret `sealed` holds for the webhook `webhook_id`.
    pub fn open(&self, webhook_id: &str, sealed: &str) -> Result<SecretString, Unreadable> {
        let bytes = BASE64.decode(sealed).map_err(|_| Unreadable)?;
        if bytes.len() < 12 {
            return Err(Unreadable);
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| Unreadable)?;
        let plain = self
            .cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: webhook_id.as_bytes(),
                },
            )
            .map_err(|_| Unreadable)?;
        String::from_utf8(plain)
            .map(SecretString::from)
            .map_err(|_| Unreadable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example the Standard Webhooks specification publishes.
    #[test]
    fn the_specification_test_vector_signs_as_published() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_rotation_signs_with_both_secrets() {
        let header = signature_header(&["whsec_AAAA", "whsec_BBBB"], "msg_1", 1, b"{}");
        let parts: Vec<_> = header.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], sign("whsec_AAAA", "msg_1", 1, b"{}"));
        assert_eq!(parts[1], sign("whsec_BBBB", "msg_1", 1, b"{}"));
        assert_ne!(parts[0], parts[1]);
    }

    #[test]
    fn secrets_are_whsec_and_32_random_bytes() {
        let a = generate_secret();
        let b = generate_secret();
        assert!(a.expose_secret().starts_with(SECRET_PREFIX));
        assert_eq!(key_of(a.expose_secret()).len(), 32);
        assert_ne!(a.expose_secret(), b.expose_secret());
    }

    fn keyed(key: &str) -> Sealer {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(b"softlanding webhook secrets v1");
        Sealer {
            cipher: ChaCha20Poly1305::new(&Key::from(<[u8; 32]>::from(
                mac.finalize().into_bytes(),
            ))),
        }
    }

    #[test]
    fn a_sealed_secret_opens_only_for_its_webhook_and_key() {
        let secret = generate_secret();
        let sealer = keyed("a key that is long enough for this test");
        let sealed = sealer.seal("wh-1", &secret);
        assert!(!sealed.contains(secret.expose_secret()));
        assert_eq!(
            sealer.open("wh-1", &sealed).unwrap().expose_secret(),
            secret.expose_secret()
        );
        assert!(sealer.open("wh-2", &sealed).is_err());
        assert!(
            keyed("another key entirely, also long")
                .open("wh-1", &sealed)
                .is_err()
        );
        assert!(sealer.open("wh-1", "not base64!").is_err());
    }
}
