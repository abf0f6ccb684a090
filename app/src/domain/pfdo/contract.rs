//! A contract's statuses and who may move it where, and the money each step moves.
//! An application is a contract in its first two statuses.

use serde::{Deserialize, Serialize};

/// The statuses with the numbers the original system gave them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// 0 «Создан, ожидает подтверждения»
    Created,
    /// 1 «Действует»
    Active,
    /// 2 «Отклонен без заключения»
    Refused,
    /// 3 «Подтвержден, ожидает заключения»
    Confirmed,
    /// 4 «Прекратил действие»
    Closed,
}

impl Status {
    pub fn code(self) -> i16 {
        match self {
            Self::Created => 0,
            Self::Active => 1,
            Self::Refused => 2,
            Self::Confirmed => 3,
            Self::Closed => 4,
        }
    }

    pub fn from_code(code: i16) -> Option<Self> {
        Some(match code {
            0 => Self::Created,
            1 => Self::Active,
            2 => Self::Refused,
            3 => Self::Confirmed,
            4 => Self::Closed,
            _ => return None,
        })
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Created => "Создан, ожидает подтверждения",
            Self::Active => "Действует",
            Self::Refused => "Отклонен без заключения",
            Self::Confirmed => "Подтвержден, ожидает заключения",
            Self::Closed => "Прекратил действие",
        }
    }

    /// Holds money (reserve or paid) and a place in the group.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Created | Self::Confirmed | Self::Active)
    }

    pub fn tab(self) -> Tab {
        match self {
            Self::Created => Tab::Waiting,
            Self::Confirmed => Tab::Confirmed,
            Self::Active => Tab::Active,
            Self::Refused | Self::Closed => Tab::Archive,
        }
    }
}

/// The tabs of «Договоры».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tab {
    Waiting,
    Confirmed,
    Active,
    Archive,
}

impl Tab {
    pub const ALL: [Self; 4] = [Self::Waiting, Self::Confirmed, Self::Active, Self::Archive];

    pub fn code(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Confirmed => "confirmed",
            Self::Active => "active",
            Self::Archive => "archive",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Waiting => "Ожидающие подтверждения",
            Self::Confirmed => "Подтверждённые",
            Self::Active => "Действующие",
            Self::Archive => "Архив",
        }
    }
}

/// Who acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    Parent,
    Provider,
    /// A background job.
    System,
}

impl Actor {
    pub fn code(self) -> &'static str {
        match self {
            Self::Parent => "parent",
            Self::Provider => "provider",
            Self::System => "system",
        }
    }
}

/// What can happen to a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Provider: 0 → 3.
    Confirm,
    /// Provider: 0 or 3 → 2, with a reason; the reserve returns.
    Refuse,
    /// Parent: «Отменить заявку», 0 or 3 → 2; the reserve returns.
    Cancel,
    /// Job: an offer not accepted in time, 0 or 3 → 2; the reserve returns.
    Expire,
    /// Provider (or the job after a prolongation's 7 days): 3 → 1; the first month is paid.
    Conclude,
    /// Provider: the contract ends with the month; later payments return to the balance.
    Terminate,
    /// Job: an active contract past its last day → 4; any reserve left returns.
    Close,
}

pub const NOT_NOW: &str = "Это действие с договором в его нынешнем статусе невозможно: \
     обновите страницу, чтобы увидеть, что с ним произошло.";

impl Action {
    /// Who may take this step.
    pub fn allowed(self, actor: Actor) -> bool {
        match self {
            Self::Confirm | Self::Refuse | Self::Terminate => actor == Actor::Provider,
            Self::Cancel => actor == Actor::Parent,
            Self::Expire | Self::Close => actor == Actor::System,
            Self::Conclude => matches!(actor, Actor::Provider | Actor::System),
        }
    }

    /// The status after this step from `from`.
    ///
    /// # Errors
    /// [`NOT_NOW`] when the step does not apply to the status.
    pub fn next(self, from: Status) -> Result<Status, &'static str> {
        use Status::{Active, Closed, Confirmed, Created, Refused};
        match (self, from) {
            (Self::Confirm, Created) => Ok(Confirmed),
            (Self::Refuse | Self::Cancel | Self::Expire, Created | Confirmed) => Ok(Refused),
            (Self::Conclude, Confirmed) => Ok(Active),
            (Self::Terminate, Active) => Ok(Active),
            (Self::Close, Active) => Ok(Closed),
            _ => Err(NOT_NOW),
        }
    }

    /// The statuses the step may start from: the services' conditional updates use it, so a
    /// racing second click changes nothing.
    pub fn from_statuses(self) -> &'static [Status] {
        match self {
            Self::Confirm => &[Status::Created],
            Self::Refuse | Self::Cancel | Self::Expire => &[Status::Created, Status::Confirmed],
            Self::Conclude => &[Status::Confirmed],
            Self::Terminate | Self::Close => &[Status::Active],
        }
    }
}

/// A certificate's money for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ledger {
    pub nominal: i64,
    pub balance: i64,
    pub reserve: i64,
    pub paid: i64,
}

impl Ledger {
    pub fn holds(&self) -> bool {
        self.balance >= 0
            && self.reserve >= 0
            && self.paid >= 0
            && self.nominal == self.balance + self.reserve + self.paid
    }

    /// Balance → reserve at submission. `false` (and nothing moves) when the balance is short.
    pub fn reserve(&mut self, amount: i64) -> bool {
        if amount < 0 || self.balance < amount {
            return false;
        }
        self.balance -= amount;
        self.reserve += amount;
        true
    }

    /// Reserve → balance: a refusal, a cancellation, an expiry, a termination.
    pub fn release(&mut self, amount: i64) {
        let amount = amount.clamp(0, self.reserve);
        self.reserve -= amount;
        self.balance += amount;
    }

    /// Reserve → paid: a month's payment.
    pub fn charge(&mut self, amount: i64) {
        let amount = amount.clamp(0, self.reserve);
        self.reserve -= amount;
        self.paid += amount;
    }

    /// The year is over: the unused balance does not carry over.
    pub fn burn_unused(&mut self) {
        self.nominal -= self.balance;
        self.balance = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn statuses_round_trip_and_fall_in_tabs() {
        for code in 0..5 {
            let s = Status::from_code(code).unwrap();
            assert_eq!(s.code(), code);
        }
        assert_eq!(Status::from_code(5), None);
        assert_eq!(Status::Refused.tab(), Tab::Archive);
        assert_eq!(Status::Closed.tab(), Tab::Archive);
        assert_eq!(Status::Confirmed.tab(), Tab::Confirmed);
    }

    #[test]
    fn the_happy_path() {
        let s = Action::Confirm.next(Status::Created).unwrap();
        let s = Action::Conclude.next(s).unwrap();
        assert_eq!(s, Status::Active);
        assert_eq!(Action::Close.next(s), Ok(Status::Closed));
        assert_eq!(Action::Conclude.next(Status::Created), Err(NOT_NOW));
        assert_eq!(Action::Cancel.next(Status::Active), Err(NOT_NOW));
    }

    /// A contract in the model: its status and its money.
    #[derive(Debug, Clone)]
    struct Model {
        status: Status,
        share: i64,
        reserve: i64,
        paid: i64,
        payments: Vec<i64>,
    }

    fn actor() -> impl Strategy<Value = Actor> {
        prop_oneof![
            Just(Actor::Parent),
            Just(Actor::Provider),
            Just(Actor::System)
        ]
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::Confirm),
            Just(Action::Refuse),
            Just(Action::Cancel),
            Just(Action::Expire),
            Just(Action::Conclude),
            Just(Action::Terminate),
            Just(Action::Close),
        ]
    }

    #[derive(Debug, Clone)]
    enum Step {
        Apply {
            share: i64,
            months: usize,
        },
        Act {
            contract: usize,
            actor: Actor,
            action: Action,
        },
        Charge {
            contract: usize,
        },
        YearEnd,
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0i64..2_000_000, 1usize..10).prop_map(|(share, months)| Step::Apply { share, months }),
            (0usize..8, actor(), action()).prop_map(|(contract, actor, action)| Step::Act {
                contract,
                actor,
                action
            }),
            (0usize..8).prop_map(|contract| Step::Charge { contract }),
            Just(Step::YearEnd),
        ]
    }

    proptest! {
        /// Random steps by each role never reach an illegal state or break the invariant.
        #[test]
        fn no_sequence_breaks_the_rules(nominal in 0i64..5_000_000, steps in prop::collection::vec(step(), 1..60)) {
            let mut ledger = Ledger { nominal, balance: nominal, reserve: 0, paid: 0 };
            let mut contracts: Vec<Model> = Vec::new();
            for s in steps {
                match s {
                    Step::Apply { share, months } => {
                        if ledger.reserve(share) {
                            let payments = super::super::quote::split_monthly(
                                super::super::money::Money(share), months)
                                .into_iter().map(|m| m.0).rev().collect();
                            contracts.push(Model { status: Status::Created, share, reserve: share, paid: 0, payments });
                        } else {
                            prop_assert!(ledger.balance < share);
                        }
                    }
                    Step::Act { contract, actor, action } => {
                        let Some(c) = contracts.get_mut(contract) else { continue };
                        let before = c.status;
                        if !action.allowed(actor) {
                            continue;
                        }
                        match action.next(c.status) {
                            Err(_) => prop_assert!(!action.from_statuses().contains(&before)),
                            Ok(next) => {
                                prop_assert!(action.from_statuses().contains(&before));
                                match action {
                                    Action::Refuse | Action::Cancel | Action::Expire | Action::Close => {
                                        ledger.release(c.reserve);
                                        c.reserve = 0;
                                        c.payments.clear();
                                    }
                                    Action::Conclude => {
                                        if let Some(first) = c.payments.pop() {
                                            ledger.charge(first);
                                            c.reserve -= first;
                                            c.paid += first;
                                        }
                                    }
                                    Action::Terminate => {
                                        // The current month stays; the rest returns.
                                        let keep = c.payments.pop();
                                        let back: i64 = c.payments.drain(..).sum();
                                        ledger.release(back);
                                        c.reserve -= back;
                                        if let Some(k) = keep { c.payments.push(k); }
                                    }
                                    Action::Confirm => {}
                                }
                                c.status = next;
                            }
                        }
                    }
                    Step::Charge { contract } => {
                        let Some(c) = contracts.get_mut(contract) else { continue };
                        if c.status == Status::Active
                            && let Some(p) = c.payments.pop()
                        {
                            ledger.charge(p);
                            c.reserve -= p;
                            c.paid += p;
                        }
                    }
                    Step::YearEnd => {
                        ledger.burn_unused();
                    }
                }
                prop_assert!(ledger.holds(), "{ledger:?}");
                let reserved: i64 = contracts.iter().map(|c| c.reserve).sum();
                let paid: i64 = contracts.iter().map(|c| c.paid).sum();
                prop_assert_eq!(reserved, ledger.reserve);
                prop_assert_eq!(paid, ledger.paid);
                for c in &contracts {
                    prop_assert!(c.reserve >= 0 && c.paid >= 0 && c.reserve + c.paid <= c.share);
                    prop_assert!(c.status.is_open() || c.reserve == 0);
                    prop_assert_eq!(c.payments.iter().sum::<i64>(), c.reserve);
                }
            }
        }
    }
}
