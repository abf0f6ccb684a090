//! ЗЕТ arithmetic for one five-year cycle (DOMAIN.md «Мой план and credits»): by kind, by
//! year of the cycle in which an element was completed, and what is still missing.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::plan::ElementKind;
use crate::domain::words::{POINTS, count};

/// The targets; configurable, these are DOMAIN.md's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Targets {
    /// ЗЕТ per five-year cycle.
    pub total: u32,
    /// Recommended ЗЕТ per year of the cycle.
    pub per_year: u32,
    /// Hours for periodic accreditation…
    pub accreditation: u32,
    /// …of which at least this many from ДПП ПК.
    pub accreditation_programmes: u32,
}

impl Default for Targets {
    fn default() -> Self {
        Self {
            total: 250,
            per_year: 50,
            accreditation: 144,
            accreditation_programmes: 72,
        }
    }
}

/// A completed element's credits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Earned {
    pub kind: ElementKind,
    pub credits: u32,
    pub completed_on: NaiveDate,
}

/// One year of the cycle: year `n` runs from the start plus `n − 1` years to the day before
/// the start plus `n` years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCredits {
    pub number: u32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub credits: u32,
}

/// The credits of a cycle, split four ways and by year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleCredits {
    pub modules: u32,
    pub programmes: u32,
    pub events: u32,
    /// Credits from elsewhere (none of the three kinds); counted in the total.
    pub other: u32,
    pub years: Vec<YearCredits>,
    pub targets: Targets,
}

impl CycleCredits {
    /// Adds up `earned` for the cycle that starts on `starts_on` (five years). Credits
    /// completed outside the cycle's years are not counted.
    pub fn compute(starts_on: NaiveDate, earned: &[Earned], targets: Targets) -> Self {
        let years: Vec<YearCredits> = (1..=5u32)
            .map(|n| {
                let from = starts_on + Months::new(12 * (n - 1));
                let to = starts_on + Months::new(12 * n) - chrono::Days::new(1);
                YearCredits {
                    number: n,
                    from,
                    to,
                    credits: 0,
                }
            })
            .collect();
        let mut credits = Self {
            modules: 0,
            programmes: 0,
            events: 0,
            other: 0,
            years,
            targets,
        };
        for e in earned {
            let Some(year) = credits
                .years
                .iter_mut()
                .find(|y| y.from <= e.completed_on && e.completed_on <= y.to)
            else {
                continue;
            };
            year.credits += e.credits;
            match e.kind {
                ElementKind::Module => credits.modules += e.credits,
                ElementKind::Programme => credits.programmes += e.credits,
                ElementKind::Event => credits.events += e.credits,
            }
        }
        credits
    }

    pub fn total(&self) -> u32 {
        self.modules + self.programmes + self.events + self.other
    }

    /// The year of the cycle `today` falls in, if any.
    pub fn current_year(&self, today: NaiveDate) -> Option<&YearCredits> {
        self.years.iter().find(|y| y.from <= today && today <= y.to)
    }

    /// ЗЕТ still needed for periodic accreditation: the total, and the ДПП ПК share that
    /// other kinds cannot replace.
    pub fn accreditation_missing(&self) -> u32 {
        let t = self.targets;
        t.accreditation
            .saturating_sub(self.total())
            .max(t.accreditation_programmes.saturating_sub(self.programmes))
    }

    /// What is still missing, in plain Russian.
    pub fn missing_sentence(&self, today: NaiveDate) -> String {
        let t = self.targets;
        let total = self.total();
        let mut parts = Vec::new();
        if total >= t.total {
            parts.push(format!(
                "За цикл набрано {}: норма в {} ЗЕТ выполнена.",
                count(u64::from(total), POINTS),
                t.total
            ));
        } else {
            parts.push(format!(
                "За цикл набрано {} из {}: осталось {}.",
                count(u64::from(total), POINTS),
                t.total,
                count(u64::from(t.total - total), POINTS)
            ));
        }
        if let Some(year) = self.current_year(today) {
            if year.credits >= t.per_year {
                parts.push(format!(
                    "В {}-м году цикла рекомендуемые {} уже набраны.",
                    year.number,
                    count(u64::from(t.per_year), POINTS)
                ));
            } else {
                parts.push(format!(
                    "В {}-м году цикла (до {}) рекомендуется набрать ещё {}.",
                    year.number,
                    year.to.format("%d.%m.%Y"),
                    count(u64::from(t.per_year - year.credits), POINTS)
                ));
            }
        }
        let missing = self.accreditation_missing();
        if missing == 0 {
            parts.push(format!(
                "Для периодической аккредитации {} ЗЕТ (из них не менее {} по ДПП ПК) набраны.",
                t.accreditation, t.accreditation_programmes
            ));
        } else {
            let programmes = t.accreditation_programmes.saturating_sub(self.programmes);
            let mut s = format!(
                "Для периодической аккредитации нужно {} ЗЕТ, из них не менее {} по ДПП ПК: \
                 не хватает {}",
                t.accreditation,
                t.accreditation_programmes,
                count(u64::from(missing), POINTS)
            );
            if programmes > 0 {
                s.push_str(&format!(
                    ", в том числе {} по ДПП ПК",
                    count(u64::from(programmes), POINTS)
                ));
            }
            s.push('.');
            parts.push(s);
        }
        parts.join(" ")
    }

    /// The per-year bars of a cycle against the recommended yearly credits, as inline SVG.
    pub fn chart_svg(&self, today: NaiveDate) -> String {
        let credits = self;
        const W: u32 = 320;
        const H: u32 = 160;
        const TOP: u32 = 16;
        const BOTTOM: u32 = 32;
        let target = credits.targets.per_year.max(1);
        let max = credits
            .years
            .iter()
            .map(|y| y.credits)
            .max()
            .unwrap_or(0)
            .max(target);
        let plot = H - TOP - BOTTOM;
        let height = |v: u32| (u64::from(v) * u64::from(plot) / u64::from(max)) as u32;
        let slot = W / 5;
        let mut svg = format!(
            "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"chart-title\" \
             xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-title\">ЗЕТ по годам цикла: {}</title>",
            credits
                .years
                .iter()
                .map(|y| format!(
                    "{}-й год — {}",
                    y.number,
                    count(u64::from(y.credits), POINTS)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for (i, y) in credits.years.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or_default();
            let h = height(y.credits);
            let x = i * slot + 12;
            let now = y.from <= today && today <= y.to;
            svg.push_str(&format!(
                "<rect class=\"chart__bar{}\" x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{h}\" />\
                 <text class=\"chart__value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
                 <text class=\"chart__label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}-й год</text>",
                if now { " chart__bar--now" } else { "" },
                H - BOTTOM - h,
                slot - 24,
                x + (slot - 24) / 2,
                H - BOTTOM - h - 4,
                y.credits,
                x + (slot - 24) / 2,
                H - BOTTOM + 16,
                y.number,
            ));
        }
        let ty = H - BOTTOM - height(target);
        svg.push_str(&format!(
            "<line class=\"chart__target\" x1=\"0\" x2=\"{W}\" y1=\"{ty}\" y2=\"{ty}\" />\
             <text class=\"chart__label\" x=\"{W}\" y=\"{}\" text-anchor=\"end\">норма {target} в год</text></svg>",
            ty.saturating_sub(4).max(10)
        ));
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn e(kind: ElementKind, credits: u32, on: NaiveDate) -> Earned {
        Earned {
            kind,
            credits,
            completed_on: on,
        }
    }

    #[test]
    fn credits_split_by_kind_and_by_year_of_completion() {
        let c = CycleCredits::compute(
            d(2022, 6, 20),
            &[
                e(ElementKind::Module, 2, d(2022, 6, 20)),
                e(ElementKind::Event, 6, d(2023, 6, 19)),
                e(ElementKind::Programme, 36, d(2023, 6, 20)),
                e(ElementKind::Module, 1, d(2027, 6, 19)),
                // Outside the cycle: neither before nor after counts.
                e(ElementKind::Module, 5, d(2022, 6, 19)),
                e(ElementKind::Module, 5, d(2027, 6, 20)),
            ],
            Targets::default(),
        );
        assert_eq!((c.modules, c.events, c.programmes, c.other), (3, 6, 36, 0));
        assert_eq!(c.total(), 45);
        let by_year: Vec<u32> = c.years.iter().map(|y| y.credits).collect();
        assert_eq!(by_year, [8, 36, 0, 0, 1]);
        assert_eq!(c.years[0].to, d(2023, 6, 19));
        assert_eq!(c.years[4].from, d(2026, 6, 20));
        assert_eq!(c.years[4].to, d(2027, 6, 19));
    }

    #[test]
    fn a_surplus_stays_in_its_year() {
        let c = CycleCredits::compute(
            d(2024, 1, 1),
            &[e(ElementKind::Programme, 144, d(2024, 3, 1))],
            Targets::default(),
        );
        let by_year: Vec<u32> = c.years.iter().map(|y| y.credits).collect();
        assert_eq!(by_year, [144, 0, 0, 0, 0]);
        assert_eq!(c.accreditation_missing(), 0);
    }

    #[test]
    fn accreditation_needs_its_programme_share() {
        let t = Targets::default();
        let only_modules = CycleCredits::compute(
            d(2024, 1, 1),
            &[e(ElementKind::Module, 200, d(2024, 2, 1))],
            t,
        );
        assert_eq!(only_modules.accreditation_missing(), 72);
        let mixed = CycleCredits::compute(
            d(2024, 1, 1),
            &[
                e(ElementKind::Programme, 72, d(2024, 2, 1)),
                e(ElementKind::Event, 50, d(2024, 2, 1)),
            ],
            t,
        );
        assert_eq!(mixed.accreditation_missing(), 22);
    }

    #[test]
    fn the_sentence_agrees_with_its_numbers() {
        let c = CycleCredits::compute(
            d(2026, 1, 10),
            &[e(ElementKind::Module, 1, d(2026, 2, 1))],
            Targets::default(),
        );
        let s = c.missing_sentence(d(2026, 11, 22));
        assert!(
            s.starts_with("За цикл набрано 1 балл из 250: осталось 249 баллов."),
            "{s}"
        );
        assert!(
            s.contains("В 1-м году цикла (до 09.01.2027) рекомендуется набрать ещё 49 баллов."),
            "{s}"
        );
        assert!(
            s.contains("не хватает 143 балла, в том числе 72 балла по ДПП ПК."),
            "{s}"
        );
        let done = CycleCredits::compute(
            d(2026, 1, 10),
            &[
                e(ElementKind::Programme, 144, d(2026, 2, 1)),
                e(ElementKind::Event, 106, d(2026, 3, 1)),
            ],
            Targets::default(),
        );
        let s = done.missing_sentence(d(2026, 11, 22));
        assert!(
            s.contains("набрано 250 баллов: норма в 250 ЗЕТ выполнена"),
            "{s}"
        );
        assert!(s.contains("рекомендуемые 50 баллов уже набраны"), "{s}");
        assert!(s.contains("набраны."), "{s}");
    }

    #[test]
    fn the_chart_has_five_bars_and_a_target_line() {
        let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let c = CycleCredits::compute(
            start,
            &[Earned {
                kind: ElementKind::Module,
                credits: 12,
                completed_on: start,
            }],
            Targets::default(),
        );
        let svg = c.chart_svg(start);
        assert_eq!(svg.matches("<rect").count(), 5);
        assert!(svg.contains("chart__bar--now"));
        assert!(svg.contains("1-й год — 12 баллов"));
        assert!(svg.contains("норма 50 в год"));
    }
}
