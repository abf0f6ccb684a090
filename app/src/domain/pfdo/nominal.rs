//! While a certificate has no contract, its nominal for the year shrinks each month in
//! proportion to the months left in the financial year.

use super::money::Money;

/// The nominal in `month` (1–12) of a certificate with the year's nominal `annual` and no
/// contract: `annual × (13 − month) / 12`, rounded to the nearest kopeck (halves up).
/// It depends only on the month, so computing it again in the same month changes nothing.
pub fn prorated(annual: Money, month: u32) -> Money {
    let left = i128::from(13 - month.clamp(1, 12));
    let v = (i128::from(annual.0) * left * 2 + 12) / 24;
    Money(i64::try_from(v).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinks_with_the_months_left() {
        let n = Money(3_000_100);
        assert_eq!(prorated(n, 1), n);
        assert_eq!(prorated(n, 12), Money(250_008)); // 250 008,33 → 250 008
        assert_eq!(prorated(n, 7), Money(1_500_050));
        // 1 kopeck × 6/12 = 0,5 → rounds up.
        assert_eq!(prorated(Money(1), 7), Money(1));
        assert_eq!(prorated(Money(1), 8), Money(0));
        // Out-of-range months are clamped, never panic.
        assert_eq!(prorated(n, 0), n);
        assert_eq!(prorated(n, 13), prorated(n, 12));
    }

    #[test]
    fn never_grows_month_to_month() {
        let n = Money(1_234_567);
        for m in 1..12 {
            assert!(prorated(n, m + 1) <= prorated(n, m));
        }
    }
}
