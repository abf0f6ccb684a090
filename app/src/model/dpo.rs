//! ДПО data that crosses the wire: the catalogue, applications, the school's and the
//! provider's lists, and the record book.

use serde::{Deserialize, Serialize};

/// A school in the registration form's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolOption {
    pub id: i64,
    pub name: String,
    pub city: String,
}

/// A line of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseRow {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub provider: String,
    pub hours: i32,
    pub format: String,
    pub budget: bool,
    /// «Бюджетный» or the price.
    pub funding: String,
    pub dates: String,
    pub free: i32,
    pub places: i32,
    /// The signed-in teacher's live application's status.
    pub mine: Option<String>,
}

/// The catalogue's filters as the page sends them; every one may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CatalogueQuery {
    pub year: String,
    pub q: String,
    pub funding: String,
    pub provider: String,
    pub format: String,
    pub month: String,
    pub free: String,
    pub page: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueView {
    /// The years that have courses; `year` is the one shown.
    pub years: Vec<i32>,
    pub year: i32,
    pub providers: Vec<(i64, String)>,
    pub courses: Vec<CourseRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRow {
    pub id: i64,
    pub number: String,
    pub dates: String,
    pub capacity: i32,
    pub enrolled: i32,
}

/// «Карточка курса».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseCard {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub description: String,
    pub provider: String,
    pub provider_contacts: String,
    pub hours: i32,
    pub format: String,
    pub budget: bool,
    pub funding: String,
    pub dates: String,
    pub free: i32,
    pub places: i32,
    pub groups: Vec<GroupRow>,
    /// Signed in as a teacher.
    pub teacher: bool,
    /// Why «Записаться» is not offered (closed, full), if so.
    pub obstacle: Option<String>,
    /// The teacher's live application to this course.
    pub mine: Option<ApplicationRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryStep {
    pub at: String,
    pub text: String,
}

/// One of the teacher's applications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRow {
    pub id: i64,
    pub course_id: i64,
    pub code: String,
    pub title: String,
    pub funding: String,
    pub dates: String,
    pub status: String,
    pub status_code: String,
    /// «шифр + группа» once enrolled.
    pub group: Option<String>,
    pub reason: Option<String>,
    pub document_number: Option<String>,
    pub created: String,
    pub can_withdraw: bool,
    pub history: Vec<HistoryStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRow {
    pub id: i64,
    pub at: String,
    pub text: String,
    pub link: Option<String>,
    pub unread: bool,
}

/// The teacher's «Мои курсы».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCourses {
    pub school: String,
    /// «Все регистрации на курсы»: live applications.
    pub active: Vec<ApplicationRow>,
    /// Rejected and withdrawn ones, with their reasons.
    pub history: Vec<ApplicationRow>,
    pub notifications: Vec<NotificationRow>,
}

/// An application as the school head sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolApplication {
    pub id: i64,
    pub teacher: String,
    pub email: String,
    pub position: String,
    pub code: String,
    pub title: String,
    pub provider: String,
    pub dates: String,
    pub hours: i32,
    pub status: String,
    pub status_code: String,
    pub created: String,
    pub reason: Option<String>,
    pub group: Option<String>,
    /// Still waiting for a decision.
    pub pending: bool,
    /// May still be rejected (approved, not yet in a group).
    pub can_reject: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolView {
    pub school: String,
    /// «Руководитель» or «Администратор ОО».
    pub my_position: String,
    /// Shown: `pending` (default) or `all`.
    pub show: String,
    pub pending: u64,
    pub applications: Vec<SchoolApplication>,
    pub notifications: Vec<NotificationRow>,
}

/// A course in the provider's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderCourseRow {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub funding: String,
    pub dates: String,
    pub places: i32,
    pub taken: i32,
    pub groups: u64,
    /// Approved (or paid) applications waiting for a group.
    pub waiting: u64,
}

/// An applicant on the provider's course page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub id: i64,
    pub teacher: String,
    pub email: String,
    pub school: String,
    pub status: String,
    pub group: Option<String>,
    pub document_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderCourseView {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub funding: String,
    pub budget: bool,
    pub dates: String,
    /// The course's dates for the group form (`ГГГГ-ММ-ДД`).
    pub starts_on: String,
    pub ends_on: String,
    pub places: i32,
    pub taken: i32,
    pub groups: Vec<GroupRow>,
    /// Waiting for a group.
    pub ready: Vec<Applicant>,
    /// Budget applications the school has not yet approved.
    pub awaiting_approval: u64,
    pub enrolled: Vec<Applicant>,
    pub completed: Vec<Applicant>,
}

/// A line of the зачётная книжка.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRow {
    pub code: String,
    pub title: String,
    pub provider: String,
    pub hours: i32,
    pub dates: String,
    pub group: String,
    pub document_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordBook {
    pub teacher: String,
    pub school: String,
    pub rows: Vec<RecordRow>,
    pub total_hours: i64,
}

/// What a school's bulk approval did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approved {
    pub done: u64,
    /// Already decided by someone else meanwhile.
    pub skipped: u64,
}
