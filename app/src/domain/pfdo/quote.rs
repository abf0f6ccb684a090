//! The quote of an application: the price pro-rated by the days the child will study in the
//! period, the certificate's share, the family's share, and the monthly payments.

use chrono::{Datelike as _, NaiveDate};
use serde::{Deserialize, Serialize};

use super::money::Money;
use super::registry::Funding;

/// What the quote is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteInput {
    pub funding: Funding,
    /// The module's price and normative price for its whole length.
    pub price: Money,
    pub normative_price: Money,
    pub module_starts: NaiveDate,
    pub module_ends: NaiveDate,
    pub group_starts: NaiveDate,
    pub group_ends: NaiveDate,
    /// The financial year the contract belongs to.
    pub year: i32,
    /// Study cannot start before this day (today, or 1 January of a future year).
    pub earliest: NaiveDate,
    /// The certificate's free balance for `year`.
    pub balance: Money,
}

/// One month of the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthPayment {
    /// The first day of the month.
    pub month: NaiveDate,
    pub certificate: Money,
    pub family: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub price: Money,
    pub certificate_share: Money,
    pub family_share: Money,
    pub payments: Vec<MonthPayment>,
    /// The balance the quote was made against: submitting with another one is refused.
    pub balance: Money,
}

pub const GROUP_OVER: &str = "Обучение в этой группе в выбранном периоде уже закончилось: \
     выберите другую группу или следующий период";

/// Splits `total` over `n` months: each month the amount rounded down to kopecks, the first
/// month takes the remainder.
pub fn split_monthly(total: Money, n: usize) -> Vec<Money> {
    if n == 0 {
        return Vec::new();
    }
    let n64 = i64::try_from(n).unwrap_or(i64::MAX);
    let base = total.0 / n64;
    let first = total.0 - base * (n64 - 1);
    let mut out = vec![Money(base); n];
    out[0] = Money(first);
    out
}

/// The first day of every month from `from`'s to `to`'s.
pub fn months_between(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut m = first_of_month(from);
    while m <= to {
        out.push(m);
        m = next_month(m);
    }
    out
}

pub fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

pub fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

/// The last day of `d`'s month.
pub fn end_of_month(d: NaiveDate) -> NaiveDate {
    next_month(first_of_month(d)).pred_opt().unwrap_or(d)
}

/// The day study could start in `year`: today, or 1 January of a later year.
pub fn earliest(year: i32, today: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).map_or(today, |jan| std::cmp::max(jan, today))
}

fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

/// `amount × part / whole`, rounded down to kopecks (in 128 bits: never overflows).
fn pro_rate(amount: Money, part: i64, whole: i64) -> Money {
    if whole <= 0 {
        return amount;
    }
    let v = i128::from(amount.0) * i128::from(part) / i128::from(whole);
    Money(i64::try_from(v).unwrap_or(i64::MAX))
}

/// Makes the quote.
///
/// # Errors
/// [`GROUP_OVER`] when no day of study is left in the period.
pub fn quote(input: &QuoteInput) -> Result<Quote, &'static str> {
    let year_start = NaiveDate::from_ymd_opt(input.year, 1, 1).ok_or(GROUP_OVER)?;
    let year_end = NaiveDate::from_ymd_opt(input.year, 12, 31).ok_or(GROUP_OVER)?;
    let starts_on = input
        .group_starts
        .max(input.module_starts)
        .max(input.earliest)
        .max(year_start);
    let ends_on = input.group_ends.min(input.module_ends).min(year_end);
    if starts_on > ends_on {
        return Err(GROUP_OVER);
    }
    let module_days = days(input.module_starts, input.module_ends);
    let study_days = days(starts_on, ends_on);
    let (price, certificate_share) = match input.funding {
        Funding::Free => (Money::ZERO, Money::ZERO),
        Funding::Family => (pro_rate(input.price, study_days, module_days), Money::ZERO),
        Funding::Certificate => {
            let price = pro_rate(input.price, study_days, module_days);
            let normative = pro_rate(input.normative_price, study_days, module_days);
            let share = price.min(normative).min(input.balance.max(Money::ZERO));
            (price, share)
        }
    };
    let family_share = price - certificate_share;
    let months = months_between(starts_on, ends_on);
    let cert = split_monthly(certificate_share, months.len());
    let family = split_monthly(family_share, months.len());
    let payments = months
        .into_iter()
        .zip(cert)
        .zip(family)
        .map(|((month, certificate), family)| MonthPayment {
            month,
            certificate,
            family,
        })
        .collect();
    Ok(Quote {
        starts_on,
        ends_on,
        price,
        certificate_share,
        family_share,
        payments,
        balance: input.balance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn input() -> QuoteInput {
        QuoteInput {
            funding: Funding::Certificate,
            price: Money::rubles(12_000),
            normative_price: Money::rubles(10_000),
            module_starts: d(2026, 9, 1),
            module_ends: d(2026, 12, 31),
            group_starts: d(2026, 9, 1),
            group_ends: d(2026, 12, 31),
            year: 2026,
            earliest: d(2026, 9, 1),
            balance: Money::rubles(30_001),
        }
    }

    #[test]
    fn whole_module_costs_the_whole_price_and_the_normative_caps_the_share() {
        let q = quote(&input()).unwrap();
        assert_eq!(q.price, Money::rubles(12_000));
        assert_eq!(q.certificate_share, Money::rubles(10_000));
        assert_eq!(q.family_share, Money::rubles(2_000));
        assert_eq!(q.payments.len(), 4);
        assert_eq!(q.payments[0].month, d(2026, 9, 1));
        assert_eq!(q.payments[0].certificate, Money::rubles(2_500));
    }

    #[test]
    fn a_late_start_pro_rates_by_days() {
        let mut i = input();
        i.earliest = d(2026, 11, 22);
        let q = quote(&i).unwrap();
        // 40 of 122 days.
        assert_eq!(q.starts_on, d(2026, 11, 22));
        assert_eq!(q.price, Money(1_200_000 * 40 / 122));
        assert_eq!(q.price, Money(393_442));
        assert_eq!(q.certificate_share, Money(1_000_000 * 40 / 122));
        assert_eq!(q.payments.len(), 2);
    }

    #[test]
    fn the_first_month_takes_the_remainder() {
        assert_eq!(
            split_monthly(Money(1000), 3),
            vec![Money(334), Money(333), Money(333)]
        );
        assert_eq!(
            split_monthly(Money(2), 3),
            vec![Money(2), Money(0), Money(0)]
        );
        assert!(split_monthly(Money(5), 0).is_empty());
    }

    #[test]
    fn the_balance_caps_the_share() {
        let mut i = input();
        i.balance = Money(123_456);
        let q = quote(&i).unwrap();
        assert_eq!(q.certificate_share, Money(123_456));
        assert_eq!(q.family_share, Money::rubles(12_000) - Money(123_456));
    }

    #[test]
    fn free_and_family_programmes() {
        let mut i = input();
        i.funding = Funding::Free;
        let q = quote(&i).unwrap();
        assert_eq!(
            (q.price, q.certificate_share, q.family_share),
            (Money::ZERO, Money::ZERO, Money::ZERO)
        );
        i.funding = Funding::Family;
        let q = quote(&i).unwrap();
        assert_eq!(q.certificate_share, Money::ZERO);
        assert_eq!(q.family_share, Money::rubles(12_000));
    }

    #[test]
    fn a_group_over_in_the_period_is_refused() {
        let mut i = input();
        i.earliest = d(2027, 1, 1);
        assert_eq!(quote(&i), Err(GROUP_OVER));
    }

    #[test]
    fn a_module_crossing_the_year_stops_on_31_december() {
        let mut i = input();
        i.module_ends = d(2027, 5, 31);
        i.group_ends = d(2027, 5, 31);
        let q = quote(&i).unwrap();
        assert_eq!(q.ends_on, d(2026, 12, 31));
        // 122 of 273 days.
        assert_eq!(q.price, Money(1_200_000 * 122 / 273));
    }

    #[test]
    fn month_edges() {
        assert_eq!(end_of_month(d(2026, 2, 10)), d(2026, 2, 28));
        assert_eq!(end_of_month(d(2026, 12, 10)), d(2026, 12, 31));
        assert_eq!(next_month(d(2026, 12, 10)), d(2027, 1, 1));
        assert_eq!(months_between(d(2026, 11, 30), d(2027, 1, 1)).len(), 3);
    }

    proptest! {
        #[test]
        fn shares_and_payments_add_up(
            price in 0i64..10_000_000,
            normative in 0i64..10_000_000,
            balance in 0i64..10_000_000,
            start_day in 0i64..200,
            len in 0i64..400,
            earliest_day in 0i64..365,
        ) {
            let base = d(2026, 1, 1);
            let i = QuoteInput {
                funding: Funding::Certificate,
                price: Money(price),
                normative_price: Money(normative),
                module_starts: base + chrono::Days::new(start_day as u64),
                module_ends: base + chrono::Days::new((start_day + len) as u64),
                group_starts: base + chrono::Days::new(start_day as u64),
                group_ends: base + chrono::Days::new((start_day + len) as u64),
                year: 2026,
                earliest: base + chrono::Days::new(earliest_day as u64),
                balance: Money(balance),
            };
            if let Ok(q) = quote(&i) {
                prop_assert!(q.certificate_share <= q.price);
                prop_assert!(q.certificate_share.0 <= balance);
                prop_assert!(q.price.0 <= price);
                prop_assert_eq!(q.price, q.certificate_share + q.family_share);
                let cert: i64 = q.payments.iter().map(|p| p.certificate.0).sum();
                let fam: i64 = q.payments.iter().map(|p| p.family.0).sum();
                prop_assert_eq!(cert, q.certificate_share.0);
                prop_assert_eq!(fam, q.family_share.0);
                prop_assert!(q.payments.iter().all(|p| p.certificate.0 >= 0 && p.family.0 >= 0));
                prop_assert!(q.payments.windows(2).all(|w| w[0].certificate >= w[1].certificate));
            }
        }
    }
}
