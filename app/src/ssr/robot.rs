//! Issues and checks «Я не робот» challenges (see `domain::robot`). A challenge is stateless
//! and signed with a key every instance reads from the database; a used one is recorded until
//! it expires, so it passes once across all instances.

use chrono::{DateTime, Utc};
use std::fmt;
use std::sync::Arc;

use hmac::{Hmac, Mac as _};
use rand::{Rng as _, RngCore as _};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use sha2::Sha256;

use crate::domain::robot::{
    self, Challenge, FIELD, NOT_DONE, RobotProof, STALE, WRONG_ANSWER, parse_answer,
};
use crate::error::{AppError, FieldError};
use crate::ssr::context::db_err;
use crate::ssr::db::is_unique_violation;
use crate::ssr::entities::{app_secret, robot_check};
use crate::ssr::settings::Policy;

const KEY_NAME: &str = "robot_check_key";
/// Bytes of HMAC kept in a token: 128 bits.
const MAC_BYTES: usize = 16;

/// The signing key, shared by every instance through the database.
#[derive(Clone)]
pub struct RobotKey(Arc<[u8; 32]>);

impl fmt::Debug for RobotKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RobotKey(…)")
    }
}

impl RobotKey {
    /// Reads the key, creating it first if this is the first instance ever started.
    ///
    /// # Errors
    /// A database failure, or a stored key that is not 64 hex digits.
    pub async fn load_or_create(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        let mut fresh = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut fresh);
        // Two instances starting together both try; the first insert wins, both read it.
        app_secret::Entity::insert(app_secret::ActiveModel {
            name: Set(KEY_NAME.into()),
            value: Set(hex(&fresh)),
        })
        .on_conflict_do_nothing_on([app_secret::Column::Name])
        .exec(db)
        .await?;
        let stored = app_secret::Entity::find_by_id(KEY_NAME.to_owned())
            .one(db)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound(KEY_NAME.into()))?;
        let bytes = unhex(&stored.value)
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| DbErr::Custom(format!("{KEY_NAME} is not 64 hex digits")))?;
        Ok(Self(Arc::new(bytes)))
    }

    fn mac(&self, parts: &[&str]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256>>::new_from_slice(self.0.as_slice())
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        for part in parts {
            mac.update(part.as_bytes());
            mac.update(b"\x1f");
        }
        mac
    }

    fn sign(&self, parts: &[&str]) -> String {
        hex(&self.mac(parts).finalize().into_bytes()[..MAC_BYTES])
    }

    /// Constant-time comparison of a signature from a token.
    fn verify(&self, parts: &[&str], signature: &str) -> bool {
        unhex(signature).is_some_and(|tag| {
            tag.len() == MAC_BYTES && self.mac(parts).verify_truncated_left(&tag).is_ok()
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// A fresh challenge: a random id, an expiry, the work's difficulty, the sum's answer (signed,
/// never in clear) and a signature over all of it.
pub fn issue(key: &RobotKey, policy: &Policy, now: DateTime<Utc>) -> Challenge {
    let mut rng = rand::rngs::OsRng;
    let mut id = [0u8; 16];
    rng.fill_bytes(&mut id);
    let id = hex(&id);
    let (a, b): (u8, u8) = (rng.gen_range(1..=9), rng.gen_range(1..=9));
    let expires = now.timestamp() + i64::try_from(policy.robot_ttl.as_secs()).unwrap_or(1800);
    let bits = policy.robot_bits;
    let answer = key.sign(&["answer", &id, &(a + b).to_string()]);
    let body = format!("v1.{id}.{expires}.{bits}.{answer}");
    let signature = key.sign(&["token", &body]);
    Challenge {
        token: format!("{body}.{signature}"),
        bits,
        question: robot::question(a, b),
    }
}

struct Token<'a> {
    id: &'a str,
    expires: i64,
    bits: u8,
    answer: &'a str,
}

fn parse<'a>(key: &RobotKey, token: &'a str) -> Option<Token<'a>> {
    if token.len() > 300 {
        return None;
    }
    let (body, signature) = token.rsplit_once('.')?;
    if !key.verify(&["token", body], signature) {
        return None;
    }
    let mut parts = body.split('.');
    let (Some("v1"), Some(id), Some(expires), Some(bits), Some(answer), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    Some(Token {
        id,
        expires: expires.parse().ok()?,
        bits: bits.parse().ok()?,
        answer,
    })
}

/// Whether the form carries any attempt at the check (a form with other errors is answered
/// with those first, and an untouched check is mentioned beside them).
pub fn attempted(proof: &RobotProof) -> bool {
    !proof.nonce.trim().is_empty() || !proof.answer.trim().is_empty()
}

/// The error for a form that did not attempt the check.
pub fn not_done() -> FieldError {
    FieldError::new(FIELD, NOT_DONE)
}

/// Checks a proof and spends its challenge: each challenge passes at most once, whatever the
/// number of instances. A wrong answer spends it too, so answers cannot be tried in turn.
///
/// # Errors
/// A `Validation` error on the `robot` field; `Internal` on a database failure.
pub async fn check(
    db: &impl ConnectionTrait,
    key: &RobotKey,
    proof: &RobotProof,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !attempted(proof) {
        return Err(AppError::Validation(vec![not_done()]));
    }
    let stale = || AppError::field(FIELD, STALE);
    let token = parse(key, proof.token.trim()).ok_or_else(stale)?;
    let expires = chrono::DateTime::from_timestamp(token.expires, 0).ok_or_else(stale)?;
    if expires <= now {
        return Err(stale());
    }
    let spent = robot_check::Entity::insert(robot_check::ActiveModel {
        id: Set(token.id.to_owned()),
        expires_at: Set(expires),
    })
    .exec(db)
    .await;
    match spent {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Err(stale()),
        Err(e) => return Err(db_err(e)),
    }
    let nonce = proof.nonce.trim();
    if !nonce.is_empty() {
        let passed = nonce
            .parse::<u64>()
            .is_ok_and(|n| robot::meets(&robot::seed(proof.token.trim()), n, token.bits));
        return if passed { Ok(()) } else { Err(stale()) };
    }
    let right = parse_answer(&proof.answer)
        .is_some_and(|n| key.verify(&["answer", token.id, &n.to_string()], token.answer));
    if right {
        Ok(())
    } else {
        Err(AppError::field(FIELD, WRONG_ANSWER))
    }
}

/// Forgets used challenges that have expired anyway.
///
/// # Errors
/// A database failure.
pub async fn purge_spent(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(robot_check::Entity::delete_many()
        .filter(robot_check::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> RobotKey {
        RobotKey(Arc::new([7u8; 32]))
    }

    fn noon() -> DateTime<Utc> {
        DateTime::from_timestamp(1_798_794_000, 0).expect("instant")
    }

    #[test]
    fn an_issued_token_parses_and_a_changed_one_does_not() {
        let k = key();
        let policy = Policy::default();
        let c = issue(&k, &policy, noon());
        let t = parse(&k, &c.token).expect("parses");
        assert_eq!(t.bits, policy.robot_bits);
        assert_eq!(t.id.len(), 32);
        let easier = c.token.replacen(&format!(".{}.", t.bits), ".1.", 1);
        assert!(parse(&k, &easier).is_none(), "difficulty cannot be lowered");
        assert!(parse(&RobotKey(Arc::new([8u8; 32])), &c.token).is_none());
        assert!(parse(&k, "").is_none());
        assert!(parse(&k, &"a.".repeat(200)).is_none());
    }

    #[test]
    fn the_answer_is_signed_not_shown() {
        let k = key();
        let c = issue(&k, &Policy::default(), noon());
        let t = parse(&k, &c.token).expect("parses");
        let right: Vec<u8> = (2..=18)
            .filter(|n| k.verify(&["answer", t.id, &n.to_string()], t.answer))
            .collect();
        assert_eq!(right.len(), 1);
        let words = c.question.split_whitespace().collect::<Vec<_>>();
        assert!(words.contains(&"плюс"), "{}", c.question);
    }

    #[test]
    fn hex_round_trips_and_rejects_junk() {
        assert_eq!(unhex(&hex(&[0, 255, 16])), Some(vec![0, 255, 16]));
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("zz"), None);
    }
}
