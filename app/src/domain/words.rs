//! Russian words that agree with numbers.

/// The form of a noun for `n`: `forms` are for 1, 2 and 5 — «балл», «балла», «баллов».
pub fn plural(n: u64, forms: [&'static str; 3]) -> &'static str {
    let (tens, units) = (n % 100, n % 10);
    if (11..=14).contains(&tens) {
        forms[2]
    } else {
        match units {
            1 => forms[0],
            2..=4 => forms[1],
            _ => forms[2],
        }
    }
}

/// «4 цифры», «6 цифр».
pub fn count(n: u64, forms: [&'static str; 3]) -> String {
    format!("{n} {}", plural(n, forms))
}

pub const DIGITS: [&str; 3] = ["цифра", "цифры", "цифр"];
pub const POINTS: [&str; 3] = ["балл", "балла", "баллов"];
pub const YEARS: [&str; 3] = ["год", "года", "лет"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_follow_the_last_digits() {
        let cases = [
            (0, "баллов"),
            (1, "балл"),
            (2, "балла"),
            (4, "балла"),
            (5, "баллов"),
            (11, "баллов"),
            (12, "баллов"),
            (14, "баллов"),
            (21, "балл"),
            (22, "балла"),
            (101, "балл"),
            (111, "баллов"),
            (250, "баллов"),
        ];
        for (n, word) in cases {
            assert_eq!(plural(n, POINTS), word, "{n}");
        }
        assert_eq!(count(4, DIGITS), "4 цифры");
        assert_eq!(count(7, DIGITS), "7 цифр");
    }
}
