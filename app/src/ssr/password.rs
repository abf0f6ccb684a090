//! Password hashing (argon2id at OWASP parameters) and the new-password policy.

use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng as _;
use rand::rngs::OsRng;

use crate::domain::account::check_new_password;
use crate::error::AppError;

/// A PHC string; deliberately not `Serialize`, so it can never reach a response.
#[derive(Clone)]
pub struct PasswordHashString(pub String);

impl std::fmt::Debug for PasswordHashString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHashString(…)")
    }
}

fn hasher() -> Argon2<'static> {
    // OWASP: m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Verified against when the login is unknown, so the answer takes as long as for a real one.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(b"no such account", &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// Hashing is CPU- and memory-heavy: at most one per core but one runs at once, so a login
/// storm queues here instead of starving page rendering.
static HASHING: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    tokio::sync::Semaphore::new(cores.saturating_sub(1).max(1))
});

static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common-passwords.txt").lines().collect());

/// # Errors
/// `Internal` if hashing fails (it does not with valid parameters).
pub async fn hash_password(password: String) -> Result<PasswordHashString, AppError> {
    let _slot = HASHING.acquire().await;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| PasswordHashString(h.to_string()))
    })
    .await
    .map_err(|e| super::context::internal(&e))?
    .map_err(|e| super::context::internal(&e))
}

/// Checks `password` against `stored`, or against a dummy hash when there is no account.
pub async fn verify_password(stored: Option<String>, password: String) -> bool {
    let _slot = HASHING.acquire().await;
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let ok = PasswordHash::new(&phc)
            .map(|parsed| {
                hasher()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        known && ok
    })
    .await
    .unwrap_or(false)
}

/// The full policy for a new password: shape rules, then the common-password list.
///
/// # Errors
/// A Russian sentence saying what is wrong.
pub fn check_password_policy(password: &str) -> Result<(), &'static str> {
    check_new_password(password)?;
    if COMMON.contains(password.to_lowercase().as_str()) {
        return Err("Этот пароль слишком распространён: его легко угадать. Придумайте другой");
    }
    Ok(())
}

/// A generated password: 12 characters without look-alikes (0/O, 1/l/I).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = OsRng;
    loop {
        let p: String = (0..12)
            .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
            .collect();
        let has_digit = p.chars().any(|c| c.is_ascii_digit());
        let has_upper = p.chars().any(|c| c.is_ascii_uppercase());
        let has_lower = p.chars().any(|c| c.is_ascii_lowercase());
        if has_digit && has_upper && has_lower {
            return p;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert!(check_password_policy("password").is_err());
        assert!(check_password_policy("PASSWORD").is_err());
        assert!(check_password_policy("qwerty123").is_err());
        assert!(check_password_policy("йцукенгш").is_err());
        assert!(check_password_policy("Кабинет-Весна-2026").is_ok());
    }

    #[test]
    fn short_passwords_are_refused_before_the_list() {
        assert_eq!(
            check_password_policy("abc").unwrap_err(),
            "Пароль должен содержать не менее 8 символов"
        );
    }

    #[test]
    fn generated_passwords_pass_the_policy() {
        for _ in 0..50 {
            let p = generate_password();
            assert_eq!(p.len(), 12);
            assert!(check_password_policy(&p).is_ok(), "{p}");
        }
    }

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let h = hash_password("Верный-пароль-1".into()).await.unwrap();
        assert!(h.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password(Some(h.0.clone()), "Верный-пароль-1".into()).await);
        assert!(!verify_password(Some(h.0), "неверный".into()).await);
        assert!(!verify_password(None, "no such account".into()).await);
    }
}
