//! «Мой план» data that crosses the wire: the element catalogue, plan items, modules, codes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::nmo::credits::CycleCredits;
use crate::domain::nmo::plan::{ElementKind, ItemStatus};

/// The filters of «Добавить элементы», as the page's query string carries them. Every field
/// is text so a hand-edited address gets a clear message rather than a parse failure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementQuery {
    /// `module`, `event` or `programme`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub q: String,
    /// A specialty id, `all`, or empty for the current cycle's specialty.
    #[serde(default)]
    pub specialty: String,
    #[serde(default)]
    pub provider: String,
    /// Dates `ГГГГ-ММ-ДД` or `ДД.ММ.ГГГГ`: elements held within them.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub credits_min: String,
    #[serde(default)]
    pub credits_max: String,
    /// `online`, `offline` or empty.
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub page: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementCard {
    pub id: i64,
    pub kind: ElementKind,
    pub title: String,
    pub summary: String,
    pub provider: String,
    pub credits: i32,
    pub format: String,
    pub place: Option<String>,
    /// «12.03.2027» or «12.03.2027 — 14.03.2027».
    pub dates: Option<String>,
    pub specialties: Vec<String>,
    /// The status label when it is already in the current cycle's plan.
    pub in_plan: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementSearch {
    pub items: Vec<ElementCard>,
    pub total: u64,
    /// From 1.
    pub page: u64,
    pub pages: u64,
    pub specialties: Vec<Choice>,
    pub providers: Vec<Choice>,
    /// The specialty applied (the current cycle's unless another or `all` was chosen).
    pub specialty: Option<i64>,
    /// No cycle yet: elements can be seen, not included.
    pub has_cycle: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunOption {
    pub id: i64,
    pub dates: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementDetail {
    pub card: ElementCard,
    pub content: String,
    pub runs: Vec<RunOption>,
    pub questions: usize,
    pub pass_percent: i32,
    /// The item in the current cycle's plan, if included.
    pub plan_item: Option<i64>,
    /// Why «Включить в план» is not offered (no cycle yet), if so.
    pub cannot_include: Option<String>,
    /// The current cycle, «Терапия · 20.06.2022 — 19.06.2027».
    pub cycle: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItemView {
    pub id: i64,
    pub element_id: i64,
    pub kind: ElementKind,
    pub title: String,
    pub provider: String,
    pub credits: i32,
    pub format: String,
    pub dates: Option<String>,
    pub status: ItemStatus,
    pub status_label: String,
    /// ЗЕТ counted and when.
    pub earned: Option<i32>,
    pub completed_on: Option<String>,
    /// Why a code was rejected.
    pub note: Option<String>,
    pub removable: bool,
    /// The chosen run of a programme.
    pub run: Option<String>,
    pub run_id: Option<i64>,
    /// Runs a programme's application may still be formed for (those not started yet).
    pub runs: Vec<RunOption>,
    /// The «Заявка на обучение по ДПП ПК» can be downloaded.
    pub application: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanCycle {
    pub id: i64,
    pub specialty: String,
    pub period: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanView {
    pub cycle: Option<PlanCycle>,
    pub items: Vec<PlanItemView>,
    pub credits: Option<CycleCredits>,
    pub sentence: String,
    /// The per-year chart, drawn on the server.
    pub chart_svg: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: i64,
    pub text: String,
    pub options: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    pub id: i64,
    pub at: String,
    pub correct: i32,
    pub total: i32,
    pub percent: i32,
    pub passed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleView {
    pub item_id: i64,
    pub title: String,
    pub provider: String,
    pub content: String,
    pub credits: i32,
    pub pass_percent: i32,
    pub questions: Vec<QuestionView>,
    pub passed: bool,
    /// Newest first.
    pub attempts: Vec<AttemptView>,
}

/// One of a provider's own elements, with what specialists did with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderElement {
    pub id: i64,
    pub kind: ElementKind,
    pub title: String,
    pub credits: i32,
    pub dates: Option<String>,
    pub published: bool,
    /// Plans it is in.
    pub included: u64,
    /// ИКП issued, and activated codes waiting for review.
    pub codes_issued: u64,
    pub codes_waiting: u64,
    /// ДПП ПК applications formed for it (in any state).
    pub applications: u64,
}

/// A specialist's application for an own programme, as the provider sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub item_id: i64,
    /// The specialist's full name.
    pub specialist: String,
    pub specialty: String,
    /// E-mail and phone.
    pub contact: String,
    pub run: String,
    pub run_id: Option<i64>,
    pub applied_at: String,
    pub status: ItemStatus,
    pub status_label: String,
}

/// An own programme with its applications, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeApplications {
    pub element_id: i64,
    pub title: String,
    pub credits: i32,
    pub items: Vec<ApplicationView>,
}

/// A batch of ИКП, shown once: afterwards only their hashes are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCodes {
    pub element_id: i64,
    pub title: String,
    /// Grouped four and eight, like `K7PQ-01Z9X2M4`.
    pub codes: Vec<String>,
    pub csv: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationView {
    pub code_id: i64,
    /// The specialist's full name.
    pub specialist: String,
    pub activated_at: String,
    /// activated, confirmed or rejected.
    pub status: String,
    pub status_label: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventActivations {
    pub element_id: i64,
    pub title: String,
    pub dates: Option<String>,
    pub issued: u64,
    pub unused: u64,
    pub items: Vec<ActivationView>,
    /// How long an activation may wait before it is confirmed automatically, «24 часа».
    pub auto_confirm: String,
}

/// A completed element, as the portfolio lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioItem {
    pub kind: ElementKind,
    pub title: String,
    pub provider: String,
    pub credits: i32,
    pub completed_on: String,
}

/// A five-year cycle with its credits and what was completed in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioCycle {
    pub id: i64,
    pub specialty: String,
    pub period: String,
    pub credits: CycleCredits,
    pub sentence: String,
    pub items: Vec<PortfolioItem>,
}

/// «Портфолио»: documents, cycles and completed elements on one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Portfolio {
    pub specialist: String,
    pub snils: String,
    pub documents: Vec<crate::model::nmo::DocumentView>,
    pub cycles: Vec<PortfolioCycle>,
}

/// A file attached to an organisation's application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanLink {
    pub id: i64,
    pub name: String,
}

/// An organisation's application to become a provider, for the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderApplicationView {
    pub id: i64,
    pub name: String,
    pub contact_person: String,
    pub email: String,
    pub phone: String,
    pub filed_at: String,
    pub scans: Vec<ScanLink>,
}

/// The provider's editor form, as typed (every field text, so a refused form comes back as it
/// was). `specialties` holds `id → "on"` for the ticked ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ElementInput {
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub content: String,
    pub credits: String,
    pub format: String,
    pub place: String,
    pub starts_on: String,
    pub ends_on: String,
    pub pass_percent: String,
    pub specialties: BTreeMap<String, String>,
    /// `? question`, `+ right option`, `- wrong option` lines.
    pub questions: String,
    /// `12.01.2027 — 25.01.2027` a line.
    pub runs: String,
}

/// The editor: an element (new or own) and the specialties to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorData {
    pub element_id: Option<i64>,
    pub kind: ElementKind,
    pub input: ElementInput,
    pub specialties: Vec<Choice>,
}
