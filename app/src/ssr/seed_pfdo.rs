//! ПФДО demo data: a municipality with districts, two categories with nominals for this year
//! and the next, an operator, two organisations with programmes in all four registries
//! (modules, groups, weekly lessons), and certificates in every state — the demo parent's with
//! a concluded contract and a finished one to rate. A second municipality has room under its
//! limit, so certificates its operator issues activate at once. News, events and achievements
//! come from [`seed_activity`]. Loading twice changes nothing.

use crate::domain::time::moscow_date;
use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, DbErr, EntityTrait as _,
    QueryFilter as _, Set, TransactionTrait as _,
};

use super::entities::{
    pfdo_category as category, pfdo_certificate as certificate, pfdo_certificate_access as access,
    pfdo_certificate_period as period, pfdo_district as district, pfdo_group as group,
    pfdo_lesson as lesson, pfdo_module as module, pfdo_municipality as municipality,
    pfdo_nominal as nominal, pfdo_operator as operator, pfdo_organisation as organisation,
    pfdo_programme as programme, provider, user,
};
use super::password::hash_password;
use crate::domain::nmo::catalogue::search_fold;

pub const MUNICIPALITY: &str = "Городской округ Солнечный";
pub const SECOND_MUNICIPALITY: &str = "Муниципальный район Лесной";

struct Prog {
    title: &'static str,
    description: &'static str,
    goals: &'static str,
    activity: &'static str,
    registry: &'static str,
    ages: (i32, i32),
    price: i64,
    normative: i64,
    hours: i32,
    lessons: &'static [(i16, &'static str, &'static str)],
}

const RADUGA: &[Prog] = &[
    Prog {
        title: "Художественная студия «Палитра»",
        description: "Рисунок, живопись акварелью и гуашью, декоративная композиция. Занятия \
                      в светлой мастерской, материалы предоставляются.",
        goals: "Научить видеть цвет и форму, освоить основные техники живописи, подготовить \
                работы к городской выставке.",
        activity: "arts",
        registry: "certified",
        ages: (5, 12),
        price: 3_600_000,
        normative: 3_000_000,
        hours: 144,
        lessons: &[(2, "16:00", "17:30"), (4, "16:00", "17:30")],
    },
    Prog {
        title: "Хоровое пение «Звонкие голоса»",
        description: "Постановка голоса, дыхание, многоголосие; концерты для родителей дважды \
                      в год.",
        goals: "Развить слух и голос, научить петь в ансамбле.",
        activity: "arts",
        registry: "significant",
        ages: (6, 14),
        price: 0,
        normative: 0,
        hours: 72,
        lessons: &[(1, "15:00", "16:00"), (3, "15:00", "16:00")],
    },
    Prog {
        title: "Английский язык для младших школьников",
        description: "Разговорный английский в игре: песни, сценки, проекты. Группы до 10 \
                      человек.",
        goals: "Заговорить на английском на бытовые темы, подготовиться к школьной программе.",
        activity: "social",
        registry: "paid",
        ages: (7, 11),
        price: 2_400_000,
        normative: 0,
        hours: 72,
        lessons: &[(5, "17:00", "18:00")],
    },
];

const KVANT: &[Prog] = &[
    Prog {
        title: "Робототехника на LEGO Education",
        description: "Конструирование и программирование роботов LEGO SPIKE: датчики, \
                      моторы, соревнования.",
        goals: "Освоить основы алгоритмики и механики, собрать робота для городских \
                соревнований.",
        activity: "technical",
        registry: "certified",
        ages: (7, 12),
        price: 2_800_000,
        normative: 3_000_000,
        hours: 144,
        lessons: &[(1, "17:00", "18:30"), (3, "17:00", "18:30")],
    },
    Prog {
        title: "Шахматный клуб «Ладья»",
        description: "Дебюты, тактика, эндшпиль; турниры внутри клуба каждый месяц.",
        goals: "Научить играть по правилам ФИДЕ и думать на несколько ходов вперёд.",
        activity: "sports",
        registry: "general",
        ages: (6, 17),
        price: 1_200_000,
        normative: 0,
        hours: 72,
        lessons: &[(6, "11:00", "12:30")],
    },
    Prog {
        title: "Юный эколог: исследования природы",
        description: "Наблюдения, опыты и экскурсии в парк; лаборатория с микроскопами.",
        goals: "Научить ставить опыт и вести дневник наблюдений.",
        activity: "science",
        registry: "certified",
        ages: (8, 14),
        price: 1_800_000,
        normative: 2_000_000,
        hours: 72,
        lessons: &[(2, "15:30", "17:00")],
    },
];

/// Loads the ПФДО demo unless the municipality is already there.
///
/// # Errors
/// The database error.
#[allow(clippy::too_many_lines)]
pub async fn seed_pfdo(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(), DbErr> {
    if municipality::Entity::find()
        .filter(municipality::Column::Name.eq(MUNICIPALITY))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let fail = |e: crate::error::AppError| DbErr::Custom(e.to_string());
    let today = moscow_date(now);
    let year = today.year();
    let operator_hash = hash_password("Demo-Operator-2026".into())
        .await
        .map_err(fail)?;
    let raduga_hash = hash_password("Demo-Raduga-2026".into())
        .await
        .map_err(fail)?;
    let parent_hash = hash_password("Demo-Roditel-2026".into())
        .await
        .map_err(fail)?;
    let second_hash = hash_password("Demo-Roditel2-2026".into())
        .await
        .map_err(fail)?;
    let operator2_hash = hash_password("Demo-Operator2-2026".into())
        .await
        .map_err(fail)?;
    let txn = db.begin().await?;
    let at = now;
    let m = municipality::ActiveModel {
        name: Set(MUNICIPALITY.into()),
        certificate_limit: Set(3),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut districts = Vec::new();
    for (name, x, y) in [
        ("Центральный", 0, 0),
        ("Северный", 0, 5_000),
        ("Южный", 0, -6_000),
        ("Заречный", 7_000, 1_000),
    ] {
        districts.push(
            district::ActiveModel {
                municipality_id: Set(m.id),
                name: Set(name.into()),
                x: Set(x),
                y: Set(y),
                ..Default::default()
            }
            .insert(&txn)
            .await?,
        );
    }
    let mut cats = Vec::new();
    for (name, limits, amounts) in [
        ("Дети 5–18 лет", [3, 2, 5, 5], [3_000_100, 3_200_000]),
        ("Дети с ОВЗ", [5, 3, 5, 5], [4_500_000, 4_800_000]),
    ] {
        let c = category::ActiveModel {
            municipality_id: Set(m.id),
            name: Set(name.into()),
            limit_certified: Set(limits[0]),
            limit_significant: Set(limits[1]),
            limit_paid: Set(limits[2]),
            limit_general: Set(limits[3]),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (y, amount) in [(year, amounts[0]), (year + 1, amounts[1])] {
            nominal::ActiveModel {
                category_id: Set(c.id),
                year: Set(y),
                amount: Set(amount),
            }
            .insert(&txn)
            .await?;
        }
        cats.push(c);
    }
    let account = |role: &str,
                   login: &str,
                   last: &str,
                   first: &str,
                   middle: Option<&str>,
                   email: &str,
                   hash: &str| user::ActiveModel {
        role: Set(role.into()),
        login: Set(login.into()),
        status: Set("active".into()),
        last_name: Set(last.into()),
        first_name: Set(first.into()),
        middle_name: Set(middle.map(Into::into)),
        email: Set(email.into()),
        password_hash: Set(Some(hash.to_owned())),
        failed_logins: Set(0),
        created_at: Set(at),
        confirmed_at: Set(Some(at)),
        ..Default::default()
    };
    let op = existing_or(
        &txn,
        account(
            "operator",
            "operator",
            "Кузнецова",
            "Елена",
            Some("Андреевна"),
            "operator@demo.kabinet.local",
            &operator_hash.0,
        ),
    )
    .await?;
    operator::ActiveModel {
        user_id: Set(op.id),
        municipality_id: Set(m.id),
    }
    .insert(&txn)
    .await?;
    let lesnoy = municipality::ActiveModel {
        name: Set(SECOND_MUNICIPALITY.into()),
        certificate_limit: Set(1_000),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (name, x, y) in [("Лесной", 30_000, 0), ("Озёрный", 32_000, 4_000)] {
        district::ActiveModel {
            municipality_id: Set(lesnoy.id),
            name: Set(name.into()),
            x: Set(x),
            y: Set(y),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let lesnoy_cat = category::ActiveModel {
        municipality_id: Set(lesnoy.id),
        name: Set("Дети 5–18 лет".into()),
        limit_certified: Set(3),
        limit_significant: Set(2),
        limit_paid: Set(5),
        limit_general: Set(5),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (y, amount) in [(year, 10_000_000), (year + 1, 10_500_000)] {
        nominal::ActiveModel {
            category_id: Set(lesnoy_cat.id),
            year: Set(y),
            amount: Set(amount),
        }
        .insert(&txn)
        .await?;
    }
    let op2 = existing_or(
        &txn,
        account(
            "operator",
            "operator2",
            "Лебедев",
            "Сергей",
            Some("Викторович"),
            "operator2@demo.kabinet.local",
            &operator2_hash.0,
        ),
    )
    .await?;
    operator::ActiveModel {
        user_id: Set(op2.id),
        municipality_id: Set(lesnoy.id),
    }
    .insert(&txn)
    .await?;
    let raduga_user = existing_or(
        &txn,
        account(
            "provider",
            "raduga",
            "Белова",
            "Ольга",
            Some("Сергеевна"),
            "raduga@demo.kabinet.local",
            &raduga_hash.0,
        ),
    )
    .await?;
    let season_start =
        NaiveDate::from_ymd_opt(if today.month() >= 9 { year } else { year - 1 }, 9, 1)
            .unwrap_or(today);
    let season_end = NaiveDate::from_ymd_opt(season_start.year() + 1, 5, 31).unwrap_or(today);
    for (name, person, email, phone, user_id, district_ix, address, progs) in [
        (
            "МБУ ДО «Дом детского творчества «Радуга»»",
            "Белова Ольга Сергеевна",
            "raduga@demo.kabinet.local",
            "+74950001122",
            Some(raduga_user.id),
            0usize,
            "ул. Садовая, 12",
            RADUGA,
        ),
        (
            "Центр технического творчества «Кванториум»",
            "Орлов Денис Павлович",
            "kvant@demo.kabinet.local",
            "+74950003344",
            None,
            3usize,
            "Заречная наб., 5",
            KVANT,
        ),
    ] {
        let p = provider::ActiveModel {
            name: Set(name.into()),
            contact_person: Set(person.into()),
            email: Set(email.into()),
            phone: Set(phone.into()),
            status: Set("approved".into()),
            user_id: Set(user_id),
            created_at: Set(at),
            reviewed_at: Set(Some(at)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        organisation::ActiveModel {
            provider_id: Set(p.id),
            municipality_id: Set(m.id),
            district_id: Set(districts[district_ix].id),
            address: Set(address.into()),
            inn: Set("5044000000".into()),
            max_children: Set(500),
            children: Set(0),
            payer_limit: Set(500_000_000),
            payer_used: Set(0),
        }
        .insert(&txn)
        .await?;
        for pr in progs {
            let prog = programme::ActiveModel {
                provider_id: Set(p.id),
                municipality_id: Set(m.id),
                title: Set(pr.title.into()),
                description: Set(pr.description.into()),
                goals: Set(pr.goals.into()),
                search_text: Set(search_fold(&format!(
                    "{} {} {}",
                    pr.title, pr.description, name
                ))),
                activity: Set(pr.activity.into()),
                age_from: Set(pr.ages.0),
                age_to: Set(pr.ages.1),
                registry: Set(pr.registry.into()),
                max_children: Set(100),
                children: Set(0),
                visible: Set(true),
                created_at: Set(at),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            let md = module::ActiveModel {
                programme_id: Set(prog.id),
                title: Set("Первый год обучения".into()),
                hours: Set(pr.hours),
                price: Set(pr.price),
                normative_price: Set(pr.normative),
                starts_on: Set(season_start),
                ends_on: Set(season_end),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            for (gname, capacity) in [("Группа 1", 12), ("Группа 2", 2)] {
                let g = group::ActiveModel {
                    module_id: Set(md.id),
                    name: Set(gname.into()),
                    address: Set(address.into()),
                    teacher: Set(person.into()),
                    capacity: Set(capacity),
                    taken: Set(0),
                    starts_on: Set(season_start),
                    ends_on: Set(season_end),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                for (weekday, from, to) in pr.lessons {
                    lesson::ActiveModel {
                        group_id: Set(g.id),
                        weekday: Set(*weekday),
                        starts_at: Set((*from).into()),
                        ends_at: Set((*to).into()),
                        room: Set(format!("каб. {}", 10 + weekday)),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                }
            }
        }
    }
    // Certificates: the demo parent's (active, with a second child merged later in the demo),
    // a second parent's, a queued one, one just issued, and a registration-only one.
    // Born `years` and `months` before today, so each child is the same age whatever the date
    // the demo is loaded on.
    let birth = |years: u32, months: u32| {
        today
            .checked_sub_months(chrono::Months::new(12 * years + months))
            .unwrap_or(today)
    };
    let certs = [
        (
            "9901101325",
            "Смирнов",
            "Артём",
            Some("Игоревич"),
            birth(10, 8),
            0usize,
            "financed",
            "active",
            Some(parent_hash.0.clone()),
        ),
        (
            "9901101326",
            "Смирнова",
            "Алиса",
            Some("Игоревна"),
            birth(7, 3),
            0,
            "financed",
            "active",
            Some(second_hash.0.clone()),
        ),
        (
            "9901101327",
            "Ковалёв",
            "Максим",
            Some("Денисович"),
            birth(12, 10),
            1,
            "financed",
            "active",
            None,
        ),
        (
            "9901101328",
            "Егорова",
            "Полина",
            None,
            birth(9, 6),
            0,
            "financed",
            "queued",
            None,
        ),
        (
            "9901101329",
            "Фёдоров",
            "Лев",
            Some("Антонович"),
            birth(8, 1),
            0,
            "financed",
            "issued",
            None,
        ),
        (
            "9901101330",
            "Никитина",
            "Вера",
            Some("Олеговна"),
            birth(11, 7),
            0,
            "registration",
            "active",
            None,
        ),
    ];
    for (i, (number, last, first, middle, born, cat_ix, kind, status, hash)) in
        certs.into_iter().enumerate()
    {
        let hash = match hash {
            Some(h) => h,
            None => {
                hash_password(format!("Demo-{number}"))
                    .await
                    .map_err(fail)?
                    .0
            }
        };
        let u = existing_or(
            &txn,
            account("parent", number, last, first, middle, "", &hash),
        )
        .await?;
        let c = certificate::ActiveModel {
            number: Set(number.into()),
            user_id: Set(u.id),
            municipality_id: Set(m.id),
            category_id: Set(cats[cat_ix].id),
            kind: Set(kind.into()),
            child_last_name: Set(last.into()),
            child_first_name: Set(first.into()),
            child_middle_name: Set(middle.map(Into::into)),
            child_birth_date: Set(born),
            status: Set(status.into()),
            queued_at: Set((status == "queued").then_some(at)),
            activated_at: Set((status == "active").then_some(at)),
            district_id: Set((i == 0).then_some(districts[0].id)),
            address: Set((i == 0).then(|| "ул. Садовая, 3, кв. 17".to_owned())),
            representative: Set((i == 0).then(|| "Смирнова Ирина Петровна, мать".to_owned())),
            confirm_type: Set("forbidden".into()),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        access::ActiveModel {
            user_id: Set(u.id),
            certificate_id: Set(c.id),
            chosen_at: Set(at),
        }
        .insert(&txn)
        .await?;
        if kind == "financed" {
            // Issued at the start of the year: the whole nominal.
            let amount = if cat_ix == 0 { 3_000_100 } else { 4_500_000 };
            period::ActiveModel {
                certificate_id: Set(c.id),
                year: Set(year),
                nominal: Set(amount),
                balance: Set(amount),
                reserve: Set(0),
                paid: Set(0),
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    demo_contract(db, now).await?;
    demo_finished_contract(db, now).await
}

/// The account with the row's login when the demo accounts already made it, else the row.
async fn existing_or(
    txn: &sea_orm::DatabaseTransaction,
    row: user::ActiveModel,
) -> Result<user::Model, DbErr> {
    let login = match &row.login {
        sea_orm::ActiveValue::Set(l) | sea_orm::ActiveValue::Unchanged(l) => l.clone(),
        sea_orm::ActiveValue::NotSet => String::new(),
    };
    if let Some(u) = user::Entity::find()
        .filter(user::Column::Login.eq(login))
        .one(txn)
        .await?
    {
        return Ok(u);
    }
    row.insert(txn).await
}

/// The demo parent's concluded contract for «Робототехника», made through the real services.
async fn demo_contract(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(), DbErr> {
    use crate::domain::pfdo::contract::Action;
    use crate::ssr::service::pfdo::{applications, contracts};
    let fail = |e: crate::error::AppError| DbErr::Custom(e.to_string());
    let Some(cert) = certificate::Entity::find()
        .filter(certificate::Column::Number.eq("9901101325"))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let Some(prog) = programme::Entity::find()
        .filter(programme::Column::Title.eq("Робототехника на LEGO Education"))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let Some(md) = module::Entity::find()
        .filter(module::Column::ProgrammeId.eq(prog.id))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let Some(g) = group::Entity::find()
        .filter(group::Column::ModuleId.eq(md.id))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let year = moscow_date(now).year();
    let q = applications::quote_for(db, cert.user_id, g.id, Some(year), now)
        .await
        .map_err(fail)?;
    if q.obstacle.is_some() {
        return Ok(());
    }
    let form = applications::ApplyForm {
        group_id: g.id,
        year,
        share: q.certificate_share.0,
        confirm_apply: Some("on".into()),
        confirm_family: Some("on".into()),
        confirm_terms: Some("on".into()),
    };
    let id = applications::submit(db, cert.user_id, &form, now)
        .await
        .map_err(fail)?;
    let viewer = contracts::Viewer::Provider(prog.provider_id);
    contracts::act(db, viewer, id, Action::Confirm, None, now)
        .await
        .map_err(fail)?;
    contracts::act(db, viewer, id, Action::Conclude, None, now)
        .await
        .map_err(fail)?;
    Ok(())
}

/// The demo parent's finished contract: a two-week master class of «Палитра» that ended five
/// days ago, so «Оценить программу» is open. Its money is paid, as the monthly job would have
/// left it; the certificate's figures carry it, so the invariant holds.
#[allow(clippy::too_many_lines)]
async fn demo_finished_contract(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(), DbErr> {
    use crate::domain::pfdo::contract::Status;
    use crate::ssr::entities::{
        pfdo_contract as contract, pfdo_contract_event as event, pfdo_payment as payment,
    };
    use sea_orm::PaginatorTrait as _;
    let (Some(cert), Some(prog)) = (
        certificate::Entity::find()
            .filter(certificate::Column::Number.eq("9901101325"))
            .one(db)
            .await?,
        programme::Entity::find()
            .filter(programme::Column::Title.eq("Художественная студия «Палитра»"))
            .one(db)
            .await?,
    ) else {
        return Ok(());
    };
    let today = moscow_date(now);
    let ends = today - chrono::Days::new(5);
    let starts = ends - chrono::Days::new(13);
    let year = ends.year();
    let share: i64 = 150_000;
    let at = now;
    let txn = db.begin().await?;
    let md = module::ActiveModel {
        programme_id: Set(prog.id),
        title: Set("Мастер-класс «Осенняя акварель»".into()),
        hours: Set(12),
        price: Set(share),
        normative_price: Set(share),
        starts_on: Set(starts),
        ends_on: Set(ends),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let g = group::ActiveModel {
        module_id: Set(md.id),
        name: Set("Интенсив".into()),
        address: Set("ул. Садовая, 12".into()),
        teacher: Set("Белова Ольга Сергеевна".into()),
        capacity: Set(10),
        taken: Set(0),
        starts_on: Set(starts),
        ends_on: Set(ends),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    match period::Entity::find_by_id((cert.id, year))
        .one(&txn)
        .await?
    {
        Some(p) => {
            period::ActiveModel {
                balance: Set(p.balance - share),
                paid: Set(p.paid + share),
                ..p.into()
            }
            .update(&txn)
            .await?;
        }
        None => {
            period::ActiveModel {
                certificate_id: Set(cert.id),
                year: Set(year),
                nominal: Set(share),
                balance: Set(0),
                reserve: Set(0),
                paid: Set(share),
            }
            .insert(&txn)
            .await?;
        }
    }
    let n = contract::Entity::find()
        .filter(contract::Column::CertificateId.eq(cert.id))
        .count(&txn)
        .await?;
    let c = contract::ActiveModel {
        number: Set(format!("{}/{}", cert.number, n + 1)),
        certificate_id: Set(cert.id),
        year: Set(year),
        programme_id: Set(prog.id),
        module_id: Set(md.id),
        group_id: Set(g.id),
        provider_id: Set(prog.provider_id),
        status: Set(Status::Closed.code()),
        starts_on: Set(starts),
        ends_on: Set(ends),
        price: Set(share),
        cert_share: Set(share),
        parent_share: Set(0),
        reserve: Set(0),
        paid: Set(share),
        created_by: Set("parent".into()),
        created_at: Set(at),
        confirmed_at: Set(Some(at)),
        concluded_at: Set(Some(at)),
        closed_at: Set(Some(at)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    payment::ActiveModel {
        contract_id: Set(c.id),
        month: Set(crate::domain::pfdo::quote::first_of_month(starts)),
        amount: Set(share),
        paid_at: Set(Some(at)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (actor, text) in [
        ("parent", "Заявка подана"),
        ("provider", "Договор заключён"),
        ("system", "Договор прекратил действие: обучение завершено"),
    ] {
        event::ActiveModel {
            contract_id: Set(c.id),
            at: Set(at),
            actor: Set(actor.into()),
            text: Set(text.into()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await
}

/// News, upcoming events and the demo child's achievements, made through the real services;
/// loaded once (when the municipality has no news yet), so a database seeded before these
/// sections existed gets them too.
///
/// # Errors
/// The database error.
pub async fn seed_activity(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(), DbErr> {
    use crate::ssr::entities::{pfdo_achievement as achievement, pfdo_news as news};
    use crate::ssr::service::pfdo::events::{self, EventForm};
    let fail = |e: crate::error::AppError| DbErr::Custom(e.to_string());
    let Some(m) = municipality::Entity::find()
        .filter(municipality::Column::Name.eq(MUNICIPALITY))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    if news::Entity::find()
        .filter(news::Column::MunicipalityId.eq(m.id))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let provider_named = |prefix: &'static str| {
        provider::Entity::find().filter(provider::Column::Name.starts_with(prefix))
    };
    let (Some(raduga), Some(kvant)) = (
        provider_named("МБУ ДО «Дом детского творчества «Радуга»")
            .one(db)
            .await?,
        provider_named("Центр технического творчества")
            .one(db)
            .await?,
    ) else {
        return Ok(());
    };
    for (provider_id, title, body) in [
        (
            None,
            "Номинал сертификата на следующий год",
            "Номиналы сертификатов на следующий год установлены: средства появятся в кабинете \
             1 января. Неиспользованный остаток этого года на следующий год не переносится.",
        ),
        (
            None,
            "Приём заявок на второе полугодие",
            "С 1 декабря открыт приём заявок на модули, которые начинаются в январе. Заявку \
             можно подать в «Навигаторе»; организация подтвердит её в течение трёх рабочих дней.",
        ),
        (
            Some(raduga.id),
            "Набор в группу акварели",
            "В художественной студии «Палитра» открыт набор в новую группу для детей 7–10 лет: \
             занятия по вторникам и четвергам. Все материалы — студии.",
        ),
    ] {
        events::publish(db, m.id, provider_id, title, body, now)
            .await
            .map_err(fail)?;
    }
    let today = moscow_date(now);
    let day = |n: i64| {
        (today + chrono::Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    for (provider_id, title, description, place, date, time, ages, capacity) in [
        (
            kvant.id,
            "День открытых дверей: робототехника",
            "Покажем роботов, которых собрали наши ученики, и дадим попробовать \
             запрограммировать своего. Родители приходят вместе с детьми.",
            "Заречная наб., 5, зал 2",
            day(5),
            "17:00",
            ("7", "14"),
            "2",
        ),
        (
            raduga.id,
            "Городская выставка детского рисунка «Осенние краски»",
            "Выставка работ учеников студий города и мастер-класс по акварели для участников. \
             Свою работу можно принести с собой.",
            "ул. Садовая, 12, выставочный зал",
            day(10),
            "15:00",
            ("5", "12"),
            "30",
        ),
        (
            kvant.id,
            "Открытый турнир по шахматам «Белая ладья»",
            "Турнир по швейцарской системе, семь туров по 15 минут. Победители получат \
             грамоты и кубки.",
            "Заречная наб., 5, шахматный клуб",
            day(17),
            "11:00",
            ("12", "17"),
            "24",
        ),
    ] {
        let form = EventForm {
            title: title.into(),
            description: description.into(),
            place: place.into(),
            date,
            time: time.into(),
            age_from: ages.0.into(),
            age_to: ages.1.into(),
            capacity: capacity.into(),
        };
        events::create(db, provider_id, &form, now)
            .await
            .map_err(fail)?;
    }
    let Some(child) = certificate::Entity::find()
        .filter(certificate::Column::Number.eq("9901101325"))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    for (title, level, result, days_ago, by) in [
        (
            "Диплом II степени городского конкурса рисунка «Зимняя сказка»",
            "municipal",
            "prize",
            60,
            Some(raduga.id),
        ),
        (
            "Грамота участника школьной олимпиады по математике",
            "municipal",
            "participant",
            30,
            None,
        ),
    ] {
        achievement::ActiveModel {
            certificate_id: Set(child.id),
            title: Set(title.into()),
            level: Set(level.into()),
            result: Set(result.into()),
            achieved_on: Set(today - chrono::Duration::days(days_ago)),
            provider_id: Set(by),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
