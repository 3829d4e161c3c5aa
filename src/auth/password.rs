//! Argon2id password hashing. Logins for unknown accounts verify against a dummy hash, so the
//! time a login takes does not tell whether the account exists.
//!
//! Each hash works in 19 MiB of [`Memory`]. [`hash_in`] and [`verify_in`] take it from the
//! caller, so the hashing gate (`super::hashing`) reuses a few buffers for every request rather
//! than allocating and freeing 19 MiB each time, which allocators keep rather than give back.
//! [`hash`] and [`verify`] allocate their own, for the command line and tests.

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// OWASP's Argon2id profile: 19 MiB, 2 iterations, 1 lane.
const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

fn params() -> Params {
    Params::new(M_COST_KIB, T_COST, P_COST, None).expect("valid Argon2 parameters")
}

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
}

/// The working memory of one hash: 19 MiB.
pub struct Memory(Box<[Block]>);

impl Memory {
    /// Allocates the memory one hash of the current parameters needs.
    pub fn new() -> Memory {
        Memory(vec![Block::default(); params().block_count()].into_boxed_slice())
    }
}

impl Default for Memory {
    fn default() -> Memory {
        Memory::new()
    }
}

static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash(&super::crypto::random_token(24)).expect("hashing a random password succeeds")
});

/// Hashes a password into a PHC string.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    hash_in(password, &mut Memory::new())
}

/// Hashes a password into a PHC string, working in `memory`.
pub fn hash_in(
    password: &str,
    memory: &mut Memory,
) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes)?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    hasher().hash_password_into_with_memory(
        password.as_bytes(),
        salt_bytes,
        &mut out,
        &mut *memory.0,
    )?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params())?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out)?),
    };
    Ok(phc.to_string())
}

/// Verifies `password` against a stored hash; with no hash, spends the same time and fails.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    verify_in(password, stored, &mut Memory::new())
}

/// [`verify`], working in `memory` (or in memory of its own for a hash made with larger
/// parameters than today's).
pub fn verify_in(password: &str, stored: Option<&str>, memory: &mut Memory) -> bool {
    let (phc, real) = match stored {
        Some(h) => (h, true),
        None => (DUMMY_HASH.as_str(), false),
    };
    let matches = recompute(password, phc, memory).unwrap_or(false);
    matches && real
}

/// Hashes `password` as `phc` was made and compares the outputs in constant time.
fn recompute(password: &str, phc: &str, memory: &mut Memory) -> Option<bool> {
    let parsed = PasswordHash::new(phc).ok()?;
    let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
    let version = match parsed.version {
        Some(v) => Version::try_from(v).ok()?,
        None => Version::default(),
    };
    let params = Params::try_from(&parsed).ok()?;
    let expected = parsed.hash?;
    let mut salt_bytes = [0u8; 64];
    let salt = parsed.salt?.decode_b64(&mut salt_bytes).ok()?;
    let argon = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    if params.block_count() <= memory.0.len() {
        argon
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut *memory.0)
            .ok()?;
    } else {
        argon
            .hash_password_into(password.as_bytes(), salt, &mut out)
            .ok()?;
    }
    // `Output`'s equality is constant-time.
    Some(Output::new(&out).ok()? == expected)
}

/// Computes the dummy hash ahead of the first login, so it does not stand out in timing.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_made_elsewhere_verify_in_reused_memory() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let mut memory = Memory::new();
        // A hash by the library's own path, with smaller parameters than today's.
        let small = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(1024, 1, 1, None).unwrap(),
        )
        .hash_password(b"correct horse battery", &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
        assert!(verify_in(
            "correct horse battery",
            Some(&small),
            &mut memory
        ));
        assert!(!verify_in("wrong horse battery", Some(&small), &mut memory));
        // Ours verify by the library's own path too.
        let ours = hash_in("correct horse battery", &mut memory).unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            hasher()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert!(verify_in("correct horse battery", Some(&ours), &mut memory));
        assert!(!verify_in(
            "correct horse battery",
            Some("not a hash"),
            &mut memory
        ));
    }

    #[test]
    fn hashes_verify_and_unknown_accounts_never_match() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", Some(&h)));
        assert!(!verify("wrong horse battery", Some(&h)));
        assert!(!verify("correct horse battery", None));
    }
}
