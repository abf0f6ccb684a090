//! «Я не робот». With JavaScript the browser proves a little work when the box is ticked: it
//! finds a nonce whose SHA-256 over the challenge starts with `bits` zero bits (a fraction of a
//! second for a person, a real cost for a bot sending thousands of forms). Without JavaScript
//! the same challenge carries a sum in words to answer. The server signs and checks the
//! challenge (`ssr::robot`); this module is the part both sides compute.

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

/// The form field robot-check messages are attached to.
pub const FIELD: &str = "robot";

pub const NOT_DONE: &str =
    "Подтвердите, что вы не робот: отметьте «Я не робот» или ответьте на вопрос";
pub const NOT_TICKED: &str = "Отметьте «Я не робот»";
pub const WRONG_ANSWER: &str = "Ответ на вопрос неверный. Ответьте, пожалуйста, на новый вопрос";
pub const STALE: &str = "Проверка «Я не робот» устарела или уже использована. Пройдите её ещё раз";

/// What the server hands a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// Signed by the server, opaque to the browser.
    pub token: String,
    /// Zero bits the proof's hash must start with.
    pub bits: u8,
    /// The check in words, for a browser without JavaScript.
    pub question: String,
}

/// What a form sends back: the token and either the nonce or the answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RobotProof {
    #[serde(default)]
    pub token: String,
    #[serde(default)]
    pub nonce: String,
    #[serde(default)]
    pub answer: String,
}

/// The work is hashed over this digest of the token, so each try is one SHA-256 block.
pub fn seed(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn leading_zero_bits(digest: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in digest {
        if *byte == 0 {
            bits += 8;
        } else {
            return bits + byte.leading_zeros();
        }
    }
    bits
}

/// Whether `nonce` proves the work for `seed`.
pub fn meets(seed: &[u8; 32], nonce: u64, bits: u8) -> bool {
    let mut h = Sha256::new();
    h.update(seed);
    h.update(nonce.to_le_bytes());
    leading_zero_bits(&h.finalize()) >= u32::from(bits)
}

/// Tries `count` nonces from `from`; the browser calls it in slices so the page stays responsive.
pub fn search(seed: &[u8; 32], bits: u8, from: u64, count: u64) -> Option<u64> {
    (from..from.saturating_add(count)).find(|n| meets(seed, *n, bits))
}

/// Finds a proof in one go (tests and tools).
pub fn solve(token: &str, bits: u8) -> u64 {
    let seed = seed(token);
    search(&seed, bits, 0, u64::MAX).unwrap_or(u64::MAX)
}

const NUMBERS: [&str; 10] = [
    "ноль",
    "один",
    "два",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
];

/// «Сколько будет три плюс четыре?» for two numbers from 1 to 9.
pub fn question(a: u8, b: u8) -> String {
    let word = |n: u8| NUMBERS.get(usize::from(n)).copied().unwrap_or("ноль");
    format!(
        "Сколько будет {} плюс {}? Ответ напишите цифрами",
        word(a),
        word(b)
    )
}

/// The answer as typed: digits, spaces around them allowed. `None` when it is not a number.
pub fn parse_answer(input: &str) -> Option<u8> {
    let t = input.trim();
    if t.is_empty() || t.len() > 3 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_bits_are_counted_across_bytes() {
        assert_eq!(leading_zero_bits(&[0x00, 0x00, 0x10]), 19);
        assert_eq!(leading_zero_bits(&[0x80]), 0);
        assert_eq!(leading_zero_bits(&[0x01]), 7);
        assert_eq!(leading_zero_bits(&[0, 0]), 16);
    }

    #[test]
    fn a_solved_nonce_meets_and_others_mostly_do_not() {
        let token = "v1.abc.1.12.x.y";
        let nonce = solve(token, 12);
        let s = seed(token);
        assert!(meets(&s, nonce, 12));
        let hits = (0..4096).filter(|n| meets(&s, *n, 12)).count();
        assert!(hits < 10, "{hits} of 4096 meet 12 bits");
        assert_eq!(search(&s, 12, nonce, 1), Some(nonce));
    }

    #[test]
    fn questions_read_in_words_and_answers_parse_digits_only() {
        assert_eq!(
            question(3, 4),
            "Сколько будет три плюс четыре? Ответ напишите цифрами"
        );
        assert_eq!(parse_answer(" 7 "), Some(7));
        assert_eq!(parse_answer("семь"), None);
        assert_eq!(parse_answer("-7"), None);
        assert_eq!(parse_answer(""), None);
        assert_eq!(parse_answer("99999"), None);
    }
}
