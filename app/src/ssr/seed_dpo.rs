//! ДПО demo data: schools with a head, an admin and teachers; the provider «Институт развития
//! образования» (login `iro`) and a second provider; budget and paid courses this year and the
//! next, with groups; applications in every status, so the head has some to decide, the
//! provider some to enrol, and the demo teacher a course in the record book. Dates are relative
//! to today. Loading twice changes nothing.

use chrono::{DateTime, Datelike as _, NaiveDate, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait as _, PaginatorTrait as _, QueryFilter as _, Set, TransactionTrait as _,
};

use super::entities::{
    dpo_application as application, dpo_application_log as log, dpo_course as course,
    dpo_group as group, dpo_school as school, dpo_school_member as member, provider, user,
};
use crate::domain::nmo::catalogue::search_fold;
use crate::domain::time::moscow_date;

pub const SCHOOL: &str = "МБОУ «Средняя школа № 1»";
pub const CITY: &str = "г. Солнечный";
pub const IRO: &str = "ГАОУ ДПО «Институт развития образования»";
pub const PEDAGOG: &str = "АНО ДПО «Педагог Плюс»";

const SCHOOLS: [(&str, &str); 4] = [
    (SCHOOL, CITY),
    ("МБОУ «Гимназия № 2»", CITY),
    ("МАОУ «Лицей № 3»", CITY),
    ("МБОУ «Лесновская основная школа»", "пос. Лесной"),
];

/// (login, school index, kind, position) of the demo accounts bound to schools.
const MEMBERS: [(&str, usize, &str, &str); 4] = [
    (
        "orlova@demo.kabinet.local",
        0,
        "teacher",
        "учитель математики",
    ),
    (
        "sokolov@demo.kabinet.local",
        1,
        "teacher",
        "учитель истории",
    ),
    ("direktor@demo.kabinet.local", 0, "head", "директор"),
    (
        "zavuch@demo.kabinet.local",
        0,
        "admin",
        "заместитель директора по УВР",
    ),
];

/// Colleagues of the demo teacher who cannot sign in: their applications fill the lists.
const COLLEAGUES: [(&str, &str, &str, &str, &str); 2] = [
    (
        "zaytseva@demo.kabinet.local",
        "Зайцева",
        "Ольга",
        "Петровна",
        "учитель начальных классов",
    ),
    (
        "kravtsov@demo.kabinet.local",
        "Кравцов",
        "Игорь",
        "Николаевич",
        "учитель физики",
    ),
];

struct Course {
    iro: bool,
    code: String,
    title: &'static str,
    description: &'static str,
    hours: i32,
    format: &'static str,
    price: i64,
    starts: NaiveDate,
    ends: NaiveDate,
    places: i32,
    /// (number, capacity); each group runs the course's dates.
    groups: &'static [(&'static str, i32)],
}

fn courses(today: NaiveDate) -> Vec<Course> {
    let y = today.year();
    let day = |d: i64| today + TimeDelta::days(d);
    let next = |m: u32, d: u32| NaiveDate::from_ymd_opt(y + 1, m, d).unwrap_or(today);
    vec![
        Course {
            iro: true,
            code: format!("ПК-{}-015", day(-200).year()),
            title: "Обновлённые ФГОС: требования и практика",
            description: "Требования обновлённых ФГОС НОО и ООО к результатам обучения, \
                          рабочая программа по конструктору, оценка метапредметных результатов.",
            hours: 36,
            format: "blended",
            price: 0,
            starts: day(-200),
            ends: day(-180),
            places: 50,
            groups: &[("1", 25)],
        },
        Course {
            iro: true,
            code: format!("ПК-{}-101", day(12).year()),
            title: "Функциональная грамотность школьников: формирование и оценка",
            description: "Читательская, математическая и естественнонаучная грамотность: \
                          задания в формате PISA, банк заданий, разбор уроков. Итоговая работа — \
                          комплект заданий для своего класса.",
            hours: 72,
            format: "blended",
            price: 0,
            starts: day(12),
            ends: day(45),
            places: 40,
            groups: &[("1", 20), ("2", 20)],
        },
        Course {
            iro: false,
            code: format!("ПК-{}-102", day(7).year()),
            title: "Цифровые инструменты учителя",
            description: "Интерактивные доски, онлайн-тесты, облачные документы и сервисы \
                          для проектной работы; безопасность детей в сети.",
            hours: 36,
            format: "distance",
            price: 650_000,
            starts: day(7),
            ends: day(35),
            places: 30,
            groups: &[("Д-1", 30)],
        },
        Course {
            iro: true,
            code: format!("ПК-{}-001", y + 1),
            title: "Наставничество в образовательной организации",
            description: "Целевая модель наставничества: формы «учитель — учитель» и «ученик — \
                          ученик», программа наставничества школы, оценка результатов.",
            hours: 72,
            format: "full_time",
            price: 0,
            starts: next(2, 2),
            ends: next(2, 27),
            places: 30,
            groups: &[("1", 15), ("2", 15)],
        },
        Course {
            iro: true,
            code: format!("ПК-{}-002", y + 1),
            title: "Подготовка экспертов ОГЭ по математике",
            description: "Критерии оценивания заданий с развёрнутым ответом, согласование \
                          оценок, квалификационные испытания.",
            hours: 48,
            format: "blended",
            price: 0,
            starts: next(3, 10),
            ends: next(4, 7),
            places: 2,
            groups: &[("1", 2)],
        },
        Course {
            iro: false,
            code: format!("ПК-{}-003", y + 1),
            title: "Методика преподавания английского языка по обновлённым ФГОС",
            description: "Коммуникативный подход, функциональная грамотность на уроке \
                          иностранного языка, подготовка к ОГЭ и ЕГЭ.",
            hours: 108,
            format: "distance",
            price: 1_200_000,
            starts: next(1, 19),
            ends: next(4, 24),
            places: 60,
            groups: &[("А-1", 30)],
        },
        Course {
            iro: true,
            code: format!("ПК-{}-004", y + 1),
            title: "Инклюзивное образование: работа с детьми с ОВЗ",
            description: "Адаптированные программы, специальные условия обучения, \
                          взаимодействие с родителями и ППк школы.",
            hours: 36,
            format: "full_time",
            price: 0,
            starts: next(4, 6),
            ends: next(4, 17),
            places: 25,
            groups: &[],
        },
    ]
}

async fn user_id(db: &impl ConnectionTrait, login: &str) -> Result<Option<i64>, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Login.eq(login))
        .one(db)
        .await?
        .map(|u| u.id))
}

/// Files an application as it would have gone: each step in the history, the course's place
/// and the group's seat taken.
async fn apply(
    db: &impl ConnectionTrait,
    course: &course::Model,
    (teacher, school): (i64, i64),
    steps: &[&str],
    group: Option<i64>,
    document: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let at = now - TimeDelta::days(3);
    let last = steps.last().copied().unwrap_or("submitted");
    let a = application::ActiveModel {
        course_id: Set(course.id),
        teacher_id: Set(teacher),
        school_id: Set(school),
        status: Set(last.into()),
        group_id: Set(group),
        document_number: Set(document.map(Into::into)),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for (i, s) in steps.iter().enumerate() {
        let note = match *s {
            "enrolled" => Some(format!("{}, группа 1", course.code)),
            "completed" => document.map(|d| format!("удостоверение № {d}")),
            _ => None,
        };
        log::ActiveModel {
            application_id: Set(a.id),
            at: Set(at + TimeDelta::hours(i64::try_from(i).unwrap_or(0))),
            status: Set((*s).into()),
            actor_id: Set(None),
            note: Set(note),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    if crate::domain::dpo::Status::from_code(last).is_some_and(crate::domain::dpo::Status::is_live)
    {
        course::Entity::update_many()
            .col_expr(
                course::Column::Taken,
                Expr::col(course::Column::Taken).add(1),
            )
            .filter(course::Column::Id.eq(course.id))
            .exec(db)
            .await?;
    }
    if let Some(g) = group {
        group::Entity::update_many()
            .col_expr(
                group::Column::Enrolled,
                Expr::col(group::Column::Enrolled).add(1),
            )
            .filter(group::Column::Id.eq(g))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Loads the ДПО demo once; the demo accounts must already exist.
///
/// # Errors
/// The database error.
#[allow(clippy::too_many_lines)]
pub async fn seed_dpo(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(), DbErr> {
    if school::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let today = moscow_date(now);
    let txn = db.begin().await?;
    let mut schools = Vec::new();
    for (name, city) in SCHOOLS {
        let s = school::ActiveModel {
            name: Set(name.into()),
            city: Set(city.into()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        schools.push(s.id);
    }
    for (login, s, kind, position) in MEMBERS {
        if let Some(id) = user_id(&txn, login).await? {
            member::ActiveModel {
                user_id: Set(id),
                school_id: Set(schools[s]),
                kind: Set(kind.into()),
                position: Set(position.into()),
            }
            .insert(&txn)
            .await?;
        }
    }
    let mut colleagues = Vec::new();
    for (login, last, first, middle, position) in COLLEAGUES {
        let u = user::ActiveModel {
            role: Set("teacher".into()),
            login: Set(login.into()),
            status: Set("active".into()),
            last_name: Set(last.into()),
            first_name: Set(first.into()),
            middle_name: Set(Some(middle.into())),
            email: Set(login.into()),
            failed_logins: Set(0),
            created_at: Set(now),
            confirmed_at: Set(Some(now)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        member::ActiveModel {
            user_id: Set(u.id),
            school_id: Set(schools[0]),
            kind: Set("teacher".into()),
            position: Set(position.into()),
        }
        .insert(&txn)
        .await?;
        colleagues.push(u.id);
    }
    let mut providers = Vec::new();
    for (name, login, person, email) in [
        (
            IRO,
            Some("iro"),
            "Григорьева Людмила Михайловна",
            "iro@demo.kabinet.local",
        ),
        (
            PEDAGOG,
            None,
            "Беляев Антон Олегович",
            "pedagog@demo.kabinet.local",
        ),
    ] {
        let owner = match login {
            Some(l) => user_id(&txn, l).await?,
            None => None,
        };
        let p = provider::ActiveModel {
            name: Set(name.into()),
            contact_person: Set(person.into()),
            email: Set(email.into()),
            phone: Set("+74951234567".into()),
            status: Set("approved".into()),
            user_id: Set(owner),
            created_at: Set(now),
            reviewed_at: Set(Some(now)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        providers.push(p);
    }
    let mut made = Vec::new();
    for c in courses(today) {
        let p = &providers[usize::from(!c.iro)];
        let row = course::ActiveModel {
            provider_id: Set(p.id),
            code: Set(c.code.clone()),
            title: Set(c.title.into()),
            description: Set(c.description.into()),
            search_text: Set(search_fold(&format!(
                "{} {} {} {}",
                c.code, c.title, c.description, p.name
            ))),
            hours: Set(c.hours),
            format: Set(c.format.into()),
            funding: Set(if c.price == 0 { "budget" } else { "paid" }.into()),
            price: Set(c.price),
            starts_on: Set(c.starts),
            ends_on: Set(c.ends),
            places: Set(c.places),
            taken: Set(0),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut groups = Vec::new();
        for (number, capacity) in c.groups {
            let g = group::ActiveModel {
                course_id: Set(row.id),
                number: Set((*number).into()),
                capacity: Set(*capacity),
                enrolled: Set(0),
                starts_on: Set(c.starts),
                ends_on: Set(c.ends),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            groups.push(g.id);
        }
        made.push((row, groups));
    }
    let orlova = user_id(&txn, MEMBERS[0].0).await?;
    let sokolov = user_id(&txn, MEMBERS[1].0).await?;
    let (zaytseva, kravtsov) = (colleagues[0], colleagues[1]);
    let first_group = |i: usize| made[i].1.first().copied();
    if let Some(orlova) = orlova {
        apply(
            &txn,
            &made[0].0,
            (orlova, schools[0]),
            &["submitted", "approved", "enrolled", "completed"],
            first_group(0),
            Some("7724 00012345"),
            now,
        )
        .await?;
        apply(
            &txn,
            &made[3].0,
            (orlova, schools[0]),
            &["submitted"],
            None,
            None,
            now,
        )
        .await?;
    }
    apply(
        &txn,
        &made[1].0,
        (zaytseva, schools[0]),
        &["submitted"],
        None,
        None,
        now,
    )
    .await?;
    apply(
        &txn,
        &made[1].0,
        (kravtsov, schools[0]),
        &["submitted", "approved"],
        None,
        None,
        now,
    )
    .await?;
    apply(
        &txn,
        &made[4].0,
        (kravtsov, schools[0]),
        &["submitted", "approved"],
        None,
        None,
        now,
    )
    .await?;
    apply(
        &txn,
        &made[4].0,
        (zaytseva, schools[0]),
        &["submitted", "approved"],
        None,
        None,
        now,
    )
    .await?;
    if let Some(sokolov) = sokolov {
        apply(
            &txn,
            &made[2].0,
            (sokolov, schools[1]),
            &["submitted"],
            None,
            None,
            now,
        )
        .await?;
    }
    txn.commit().await
}
