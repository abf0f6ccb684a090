//! ПФДО data that crosses the wire: the cabinet, the navigator, quotes and contracts.

use serde::{Deserialize, Serialize};

use crate::domain::pfdo::money::Money;
use crate::domain::pfdo::quote::MonthPayment;
use crate::domain::pfdo::registry::Registry;

/// A child whose cabinet this account may open (the header's switcher).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildLink {
    pub certificate_id: i64,
    pub number: String,
    pub child_name: String,
    pub current: bool,
}

/// A certificate's money for one financial year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodFigures {
    pub year: i32,
    pub nominal: Money,
    pub balance: Money,
    pub reserve: Money,
    pub paid: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryUse {
    pub registry: Registry,
    pub used: i32,
    pub limit: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub at: String,
    pub text: String,
    pub unread: bool,
}

/// «Кабинет» of a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CabinetView {
    pub certificate_id: i64,
    pub number: String,
    pub child_name: String,
    pub birth_date: String,
    pub category: String,
    pub municipality: String,
    pub financed: bool,
    pub activated: bool,
    /// «Сертификат активирован» / «Сертификат не активирован».
    pub status_title: String,
    /// The municipality's limit is reached: this message replaces the money.
    pub limit_message: Option<String>,
    /// The place in the activation queue.
    pub queue_position: Option<i64>,
    /// The current year, and the next one when its nominal is set.
    pub periods: Vec<PeriodFigures>,
    pub registries: Vec<RegistryUse>,
    pub notifications: Vec<NotificationView>,
    pub children: Vec<ChildLink>,
}

/// The navigator's filters; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NavigatorQuery {
    pub q: String,
    pub age: String,
    /// `1`–`12`: a group starting in that month.
    pub month: String,
    pub registry: String,
    pub municipality: String,
    pub activity: String,
    /// The highest module price in roubles.
    pub price_to: String,
    /// One organisation's programmes (the provider's id).
    pub provider: String,
    /// «Исключить программы, на которые не получится записаться по моему сертификату».
    pub eligible: Option<String>,
    pub page: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeCard {
    pub id: i64,
    pub title: String,
    pub provider: String,
    pub district: String,
    pub registry: Registry,
    pub activity: String,
    pub ages: String,
    pub min_price: Money,
    pub free_places: i32,
    /// Why this certificate cannot be used here (when it cannot).
    pub obstacle: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationHit {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub programmes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavigatorOption {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavigatorResult {
    pub programmes: Vec<ProgrammeCard>,
    pub organisations: Vec<OrganisationHit>,
    /// Upcoming events the text query finds.
    pub events: Vec<EventCard>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    pub municipalities: Vec<NavigatorOption>,
    /// The preferred address ranks providers: its district, when set.
    pub near: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub teacher: String,
    pub capacity: i32,
    pub free: i32,
    pub dates: String,
    pub lessons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleView {
    pub id: i64,
    pub title: String,
    pub hours: i32,
    pub price: Money,
    pub normative_price: Money,
    pub dates: String,
    pub groups: Vec<GroupView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeView {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub goals: String,
    pub activity: String,
    pub ages: String,
    pub registry: Registry,
    pub provider: String,
    pub provider_address: String,
    pub provider_contacts: String,
    pub modules: Vec<ModuleView>,
    /// Why the signed-in parent cannot apply (when they cannot).
    pub obstacle: Option<String>,
    /// A parent is signed in (the «Записаться» buttons show).
    pub can_apply: bool,
}

/// The quote shown before the three confirmations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteView {
    pub programme_id: i64,
    pub programme: String,
    pub module_id: i64,
    pub module: String,
    pub group_id: i64,
    pub group: String,
    pub provider: String,
    pub year: i32,
    pub starts_on: String,
    pub ends_on: String,
    pub price: Money,
    pub certificate_share: Money,
    pub family_share: Money,
    pub payments: Vec<MonthPayment>,
    pub balance: Money,
    /// The obstacle that stops the application, if any (shown instead of the submit button).
    pub obstacle: Option<String>,
    /// Which years can be chosen (the current, and the next when its nominal is set).
    pub years: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractRow {
    pub id: i64,
    pub number: String,
    pub status: i16,
    pub status_title: String,
    pub child_name: String,
    pub certificate_number: String,
    pub programme_id: i64,
    pub programme: String,
    pub module: String,
    pub group: String,
    pub provider: String,
    pub dates: String,
    pub price: Money,
    pub certificate_share: Money,
    pub family_share: Money,
    pub reserve: Money,
    pub paid: Money,
    pub created_at: String,
    pub reason: Option<String>,
    pub closes_on: Option<String>,
    pub prolong_due: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentLine {
    pub month: String,
    pub amount: Money,
    pub paid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub results: i16,
    pub staff: i16,
    pub resources: i16,
    pub overall: i16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractCard {
    pub contract: ContractRow,
    pub payments: Vec<PaymentLine>,
    pub history: Vec<HistoryLine>,
    pub can_cancel: bool,
    /// Until when the programme can be rated (a month after the end); for the provider, until
    /// when it may still record the child's achievements.
    pub rate_until: Option<String>,
    pub rating: Option<Rating>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractsView {
    pub tab: String,
    pub counts: Vec<(String, u64)>,
    pub contracts: Vec<ContractRow>,
}

/// What the operator types to issue a certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IssueForm {
    /// Empty: the next free number is chosen.
    pub number: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub birth_date: String,
    pub category_id: String,
    /// `financed` or `registration`.
    pub kind: String,
    /// Optional: the login and password are also mailed here.
    pub email: String,
}

/// A certificate just issued: the password is shown once and printed in the extract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issued {
    pub id: i64,
    pub number: String,
    pub password: String,
}

/// A category with its registry limits and nominals for this year and the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryView {
    pub id: i64,
    pub name: String,
    pub limits: Vec<RegistryUse>,
    /// `(year, nominal)`; `None` while it is not set.
    pub nominals: Vec<(i32, Option<Money>)>,
}

/// The operator's municipality at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorView {
    pub municipality: String,
    pub limit: i32,
    pub active: u64,
    pub queued: u64,
    pub issued: u64,
    pub registration: u64,
    pub categories: Vec<CategoryView>,
}

/// The operator's list of certificates: a search by number or name and a status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CertificateQuery {
    pub q: String,
    /// `issued`, `queued`, `active` or empty.
    pub status: String,
    pub page: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateRow {
    pub id: i64,
    pub number: String,
    pub child_name: String,
    pub birth_date: String,
    pub category: String,
    pub financed: bool,
    pub status: String,
    pub status_title: String,
    pub queue_position: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateList {
    pub rows: Vec<CertificateRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// «Настройки» of the certificate the parent is looking at, and of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PfdoSettingsView {
    pub number: String,
    pub child_name: String,
    pub representative: String,
    pub address: String,
    pub district_id: Option<i64>,
    pub districts: Vec<NavigatorOption>,
    /// `forbidden`, `name` or `phrase`.
    pub confirm_type: String,
    pub has_phrase: bool,
    /// When the personal-data consent was given.
    pub consent_at: Option<String>,
    pub email: String,
    pub children: Vec<ChildLink>,
}

/// One weekly lesson of the child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonSlot {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: i16,
    pub starts_at: String,
    pub ends_at: String,
    pub programme: String,
    pub group: String,
    pub provider: String,
    pub address: String,
    pub room: String,
    pub teacher: String,
    /// «с 01.09.2026 по 31.05.2027».
    pub dates: String,
}

/// «Расписание»: the lessons of the groups of the child's active contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleView {
    pub child_name: String,
    pub lessons: Vec<LessonSlot>,
}

/// A piece of news: from the operator of the municipality or from a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsItem {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// «ДД.ММ.ГГГГ».
    pub published: String,
    /// Who published it: the provider's name, or «Оператор: …» with the municipality.
    pub source: String,
}

/// An event as a parent (or a guest) sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCard {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub place: String,
    /// «ДД.ММ.ГГГГ ЧЧ:ММ (МСК)».
    pub when: String,
    pub ages: String,
    pub provider: String,
    pub capacity: i32,
    pub free: i32,
    /// The child has a live application.
    pub applied: bool,
    /// Why this child cannot apply (when it cannot and has not applied).
    pub obstacle: Option<String>,
}

/// «Мероприятия»: the upcoming events of the child's municipality (all, for a guest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventsView {
    pub events: Vec<EventCard>,
    /// Whether the viewer has a certificate to apply with.
    pub can_apply: bool,
}

/// An achievement in the portfolio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AchievementView {
    pub id: i64,
    pub title: String,
    pub level: String,
    pub result: String,
    pub date: String,
    /// The provider that recorded (and so confirmed) it.
    pub confirmed_by: Option<String>,
}

/// «Портфолио»: achievements, programmes studied and events attended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioView {
    pub child: String,
    pub achievements: Vec<AchievementView>,
    /// «Программа — организация, период» of active and finished contracts.
    pub programmes: Vec<String>,
    /// «Мероприятие — организация, дата» of events applied to that have taken place.
    pub events: Vec<String>,
}

/// An event in its provider's list, with who applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderEventRow {
    pub id: i64,
    pub title: String,
    pub when: String,
    pub place: String,
    pub ages: String,
    pub taken: i32,
    pub capacity: i32,
    /// «Фамилия Имя Отчество, сертификат №…».
    pub applicants: Vec<String>,
}

/// The provider's «Мероприятия и новости» page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderEventsView {
    pub events: Vec<ProviderEventRow>,
    pub news: Vec<NewsItem>,
}

/// A category with its registry limits, as the operator edits them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryLimits {
    pub id: i64,
    pub name: String,
    /// Limits in the order of `Registry::ALL`.
    pub limits: Vec<(Registry, i32)>,
    pub certificates: u64,
}

/// An organisation in the municipality's provider registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationRow {
    pub provider_id: i64,
    pub name: String,
    pub address: String,
    pub district: String,
    pub inn: String,
    pub children: i32,
    pub max_children: i32,
    pub payer_used: Money,
    pub payer_limit: Money,
}

/// A programme in the municipality's programme registries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeRow {
    pub id: i64,
    pub title: String,
    pub provider: String,
    pub registry: Registry,
    pub visible: bool,
    pub open_contracts: u64,
}

/// «Реестры» of the operator's municipality: categories, providers and programmes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistriesView {
    pub categories: Vec<CategoryLimits>,
    pub organisations: Vec<OrganisationRow>,
    /// Approved providers not yet in any municipality's registry.
    pub candidates: Vec<NavigatorOption>,
    pub districts: Vec<NavigatorOption>,
    pub programmes: Vec<ProgrammeRow>,
}
