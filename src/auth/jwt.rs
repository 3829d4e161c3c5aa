//! Access tokens: HS256 JWTs signed with the configured secret. The header's `kid` names the
//! key, so earlier secrets can still verify while their tokens live out. The algorithm is
//! pinned: `alg: none` and any other algorithm are refused.

use std::collections::{HashMap, HashSet};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Principal;
use crate::config::AuthSettings;
use crate::domain::account::Role;

/// Who a token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    User,
    ApiClient,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    pub nbf: i64,
    pub jti: String,
    pub kind: SubjectKind,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sme_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

pub struct JwtKeys {
    kid: String,
    encoding: EncodingKey,
    decoding: HashMap<String, DecodingKey>,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl_secs: i64,
}

fn key_id(secret: &[u8]) -> String {
    hex::encode(&Sha256::digest(secret)[..8])
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the token is malformed")]
    Malformed,
    #[error("the token is signed with an unknown key")]
    UnknownKey,
    #[error("the token is not valid: {0}")]
    Invalid(String),
}

impl JwtKeys {
    pub fn new(current: &[u8], previous: &[&[u8]], settings: &AuthSettings) -> JwtKeys {
        let mut decoding = HashMap::new();
        for secret in std::iter::once(current).chain(previous.iter().copied()) {
            decoding.insert(key_id(secret), DecodingKey::from_secret(secret));
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[settings.issuer.as_str()]);
        validation.set_audience(&[settings.audience.as_str()]);
        validation.leeway = settings.leeway_secs;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.required_spec_claims =
            HashSet::from(["exp", "nbf", "iss", "aud", "sub"].map(String::from));
        JwtKeys {
            kid: key_id(current),
            encoding: EncodingKey::from_secret(current),
            decoding,
            validation,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            ttl_secs: i64::try_from(settings.access_token_ttl_secs).unwrap_or(900),
        }
    }

    pub fn from_settings(settings: &crate::config::Settings) -> JwtKeys {
        let previous: Vec<&[u8]> = settings
            .auth
            .previous_jwt_secrets
            .iter()
            .map(|s| s.expose_secret().as_bytes())
            .collect();
        JwtKeys::new(
            settings.jwt_secret().expose_secret().as_bytes(),
            &previous,
            &settings.auth,
        )
    }

    pub fn ttl_secs(&self) -> i64 {
        self.ttl_secs
    }

    /// Signs an access token for `subject`.
    pub fn issue(&self, subject: Principal) -> Result<String, jsonwebtoken::errors::Error> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: subject.id,
            exp: now + self.ttl_secs,
            iat: now,
            nbf: now,
            jti: uuid::Uuid::now_v7().to_string(),
            kind: subject.kind,
            role: subject.role,
            cluster_id: subject.cluster_id,
            sme_id: subject.sme_id,
            email: subject.email,
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.encoding)
    }

    /// Verifies signature, algorithm, issuer, audience, expiry and not-before, and answers
    /// whom the token speaks for.
    pub fn verify(&self, token: &str) -> Result<Principal, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != Algorithm::HS256 {
            return Err(TokenError::Invalid("algorithm not accepted".into()));
        }
        let key = match header.kid.as_deref() {
            Some(kid) => self.decoding.get(kid).ok_or(TokenError::UnknownKey)?,
            None => return Err(TokenError::UnknownKey),
        };
        let claims = jsonwebtoken::decode::<Claims>(token, key, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| TokenError::Invalid(e.to_string()))?;
        Ok(Principal {
            id: claims.sub,
            kind: claims.kind,
            role: claims.role,
            cluster_id: claims.cluster_id,
            sme_id: claims.sme_id,
            email: claims.email,
        })
    }
}
