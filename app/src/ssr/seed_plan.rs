//! Demo data for «Мой план»: two providers (one with the demo provider account), modules with
//! final tests, events with three known ИКП, and programmes with dated runs. Only when no
//! provider exists yet.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set, TransactionTrait,
};

use super::crypto::hash_token;
use super::entities::{code_batch, confirmation_code, provider, specialty, user};
use super::service::provider::{Draft, insert_element};
use crate::domain::nmo::code::Code;
use crate::domain::nmo::plan::ElementKind;

/// ИКП of the demo congress, for trying activation by hand (README lists them).
pub const DEMO_CODES: [&str; 3] = ["KNGR-2026TER1", "KNGR-2026TER2", "KNGR-2026TER3"];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn q(text: &str, options: &[&str], right: usize) -> (String, Vec<(String, bool)>) {
    (
        text.into(),
        options
            .iter()
            .enumerate()
            .map(|(i, o)| ((*o).to_owned(), i == right))
            .collect(),
    )
}

struct Item {
    kind: ElementKind,
    title: &'static str,
    summary: &'static str,
    content: &'static str,
    credits: i32,
    online: bool,
    place: Option<&'static str>,
    dates: Option<(NaiveDate, NaiveDate)>,
    specialties: &'static [&'static str],
    questions: Vec<(String, Vec<(String, bool)>)>,
    runs: Vec<(NaiveDate, NaiveDate)>,
}

#[allow(clippy::too_many_lines)]
fn akademia() -> Vec<Item> {
    vec![
        Item {
            kind: ElementKind::Module,
            title: "Артериальная гипертензия: диагностика и лечение в амбулаторной практике",
            summary: "Измерение давления, стратификация риска, выбор стартовой терапии.",
            content: "Артериальная гипертензия — стойкое повышение систолического давления до \
                      140 мм рт. ст. и выше и (или) диастолического до 90 мм рт. ст. и выше.\n\n\
                      Давление измеряют после 5 минут отдыха, сидя, на обеих руках при первом \
                      визите; далее — на руке с большим значением. Диагноз ставят по среднему \
                      из двух-трёх измерений на двух визитах или по данным суточного \
                      мониторирования.\n\nСтартовая терапия большинства пациентов — \
                      фиксированная комбинация двух препаратов: ингибитора АПФ или блокатора \
                      рецепторов ангиотензина с антагонистом кальция или диуретиком. Целевое \
                      давление для большинства пациентов — ниже 130/80 мм рт. ст. при хорошей \
                      переносимости.",
            credits: 2,
            online: true,
            place: None,
            dates: None,
            specialties: &[
                "Терапия",
                "Кардиология",
                "Общая врачебная практика (семейная медицина)",
            ],
            questions: vec![
                q(
                    "С какого уровня систолического давления диагностируют артериальную гипертензию?",
                    &["130 мм рт. ст.", "140 мм рт. ст.", "160 мм рт. ст."],
                    1,
                ),
                q(
                    "Сколько минут пациент отдыхает перед измерением давления?",
                    &["1 минуту", "5 минут", "15 минут"],
                    1,
                ),
                q(
                    "Чем начинают лечение большинства пациентов?",
                    &[
                        "Монотерапией бета-блокатором",
                        "Фиксированной комбинацией двух препаратов",
                        "Только изменением образа жизни",
                    ],
                    1,
                ),
                q(
                    "Какое целевое давление для большинства пациентов?",
                    &["Ниже 150/90", "Ниже 140/90", "Ниже 130/80"],
                    2,
                ),
                q(
                    "На какой руке измеряют давление на следующих визитах?",
                    &[
                        "Всегда на левой",
                        "На руке с большим значением",
                        "Всегда на правой",
                    ],
                    1,
                ),
            ],
            runs: vec![],
        },
        Item {
            kind: ElementKind::Module,
            title: "Сахарный диабет 2 типа: что делать терапевту",
            summary: "Критерии диагноза, цели гликемического контроля, метформин и новые классы.",
            content: "Диагноз сахарного диабета ставят при глюкозе плазмы натощак 7,0 ммоль/л и \
                      выше или HbA1c 6,5 % и выше, подтверждённых повторно.\n\nИндивидуальная \
                      цель HbA1c для большинства взрослых без тяжёлых осложнений — ниже 7,0 %. \
                      Метформин остаётся препаратом первой линии при отсутствии \
                      противопоказаний; при сердечно-сосудистых заболеваниях и хронической \
                      болезни почек добавляют препараты с доказанной органопротекцией.",
            credits: 3,
            online: true,
            place: None,
            dates: None,
            specialties: &["Терапия", "Эндокринология"],
            questions: vec![
                q(
                    "Какой уровень HbA1c подтверждает диагноз?",
                    &["5,7 %", "6,0 %", "6,5 % и выше"],
                    2,
                ),
                q(
                    "Препарат первой линии при отсутствии противопоказаний:",
                    &["Метформин", "Инсулин", "Глибенкламид"],
                    0,
                ),
                q(
                    "Цель HbA1c для большинства взрослых без тяжёлых осложнений:",
                    &["Ниже 6,0 %", "Ниже 7,0 %", "Ниже 8,5 %"],
                    1,
                ),
            ],
            runs: vec![],
        },
        Item {
            kind: ElementKind::Module,
            title: "Анафилаксия: неотложная помощь",
            summary: "Распознавание, адреналин внутримышечно, положение пациента, наблюдение.",
            content: "Анафилаксия — тяжёлая жизнеугрожающая реакция гиперчувствительности. \
                      Препарат первой помощи — адреналин 0,1 % внутримышечно в переднебоковую \
                      поверхность бедра, 0,3–0,5 мл у взрослых; при необходимости повторяют \
                      через 5–15 минут.\n\nПациента укладывают на спину с приподнятыми ногами, \
                      обеспечивают доступ к вене и кислород, вызывают реанимационную бригаду.",
            credits: 1,
            online: true,
            place: None,
            dates: None,
            specialties: &[
                "Терапия",
                "Скорая медицинская помощь",
                "Сестринское дело",
                "Скорая и неотложная помощь",
            ],
            questions: vec![
                q(
                    "Препарат первой помощи при анафилаксии:",
                    &["Преднизолон", "Адреналин", "Супрастин"],
                    1,
                ),
                q(
                    "Куда вводят адреналин?",
                    &[
                        "Внутримышечно в переднебоковую поверхность бедра",
                        "Подкожно в плечо",
                        "Внутривенно струйно",
                    ],
                    0,
                ),
                q(
                    "Положение пациента:",
                    &[
                        "Сидя",
                        "На спине с приподнятыми ногами",
                        "На боку с поднятой головой",
                    ],
                    1,
                ),
            ],
            runs: vec![],
        },
        Item {
            kind: ElementKind::Event,
            title: "Всероссийский терапевтический конгресс «Терапия-2026»",
            summary: "Два дня докладов и клинических разборов; ИКП выдаются участникам после \
                      конгресса.",
            content: "Пленарные заседания, симпозиумы по кардиологии, эндокринологии и \
                      гастроэнтерологии, клинические разборы. Регистрация участников — у входа \
                      по паспорту. Код подтверждения (ИКП) выдаётся каждому участнику после \
                      окончания конгресса.",
            credits: 12,
            online: false,
            place: Some("Москва, Краснопресненская наб., 12, Центр международной торговли"),
            dates: Some((d(2026, 11, 10), d(2026, 11, 11))),
            specialties: &[
                "Терапия",
                "Кардиология",
                "Гастроэнтерология",
                "Эндокринология",
                "Общая врачебная практика (семейная медицина)",
            ],
            questions: vec![],
            runs: vec![],
        },
        Item {
            kind: ElementKind::Event,
            title: "Вебинар «Антибиотикотерапия внебольничной пневмонии»",
            summary: "Два часа: выбор стартового антибиотика, оценка ответа, типичные ошибки.",
            content: "Онлайн-трансляция с вопросами лектору. Для получения ИКП нужно \
                      присутствовать всю трансляцию и ответить на контрольные вопросы в чате.",
            credits: 2,
            online: true,
            place: None,
            dates: Some((d(2026, 11, 18), d(2026, 11, 18))),
            specialties: &["Терапия", "Общая врачебная практика (семейная медицина)"],
            questions: vec![],
            runs: vec![],
        },
        Item {
            kind: ElementKind::Event,
            title: "Школа кардиолога: фибрилляция предсердий",
            summary: "Однодневная школа: антикоагулянты, контроль ритма и частоты.",
            content: "Лекции и разбор клинических случаев. Количество мест ограничено \
                      вместимостью зала.",
            credits: 6,
            online: false,
            place: Some("Санкт-Петербург, ул. Льва Толстого, 6-8"),
            dates: Some((d(2027, 2, 15), d(2027, 2, 15))),
            specialties: &["Кардиология", "Терапия"],
            questions: vec![],
            runs: vec![],
        },
        Item {
            kind: ElementKind::Programme,
            title: "Терапия: актуальные вопросы амбулаторной практики",
            summary: "ДПП ПК, 36 часов, очно-заочно с итоговой аттестацией.",
            content: "Программа повышения квалификации для врачей-терапевтов. Модули: \
                      артериальная гипертензия, хроническая сердечная недостаточность, сахарный \
                      диабет, ХОБЛ и астма, диспансерное наблюдение. Итоговая аттестация — \
                      тестирование. По окончании выдаётся удостоверение о повышении \
                      квалификации.",
            credits: 36,
            online: false,
            place: Some("Москва, ул. Трубецкая, 8"),
            dates: None,
            specialties: &["Терапия", "Общая врачебная практика (семейная медицина)"],
            questions: vec![],
            runs: vec![
                (d(2027, 1, 12), d(2027, 1, 25)),
                (d(2027, 3, 2), d(2027, 3, 15)),
            ],
        },
        Item {
            kind: ElementKind::Programme,
            title: "Неотложные состояния в практике терапевта",
            summary: "ДПП ПК, 72 часа, дистанционно с симуляционным днём.",
            content: "Острый коронарный синдром, гипертонический криз, анафилаксия, \
                      гипогликемия, тромбоэмболия лёгочной артерии. Дистанционные лекции и \
                      один очный симуляционный день.",
            credits: 72,
            online: true,
            place: None,
            dates: None,
            specialties: &["Терапия", "Скорая медицинская помощь"],
            questions: vec![],
            runs: vec![(d(2027, 2, 1), d(2027, 3, 1))],
        },
    ]
}

fn profi() -> Vec<Item> {
    vec![
        Item {
            kind: ElementKind::Module,
            title: "Профилактика инфекций, связанных с оказанием медицинской помощи",
            summary: "Гигиена рук, обработка инструментов, изоляция пациентов.",
            content: "Гигиеническую обработку рук проводят до и после контакта с пациентом, \
                      после контакта с биологическими жидкостями и предметами окружения \
                      пациента. Спиртовой антисептик наносят не менее чем на 20–30 секунд.",
            credits: 2,
            online: true,
            place: None,
            dates: None,
            specialties: &[
                "Сестринское дело",
                "Сестринское дело в педиатрии",
                "Терапия",
            ],
            questions: vec![
                q(
                    "Сколько секунд обрабатывают руки спиртовым антисептиком?",
                    &["5–10", "20–30", "60–90"],
                    1,
                ),
                q(
                    "Когда обрабатывают руки?",
                    &[
                        "Только после контакта с пациентом",
                        "До и после контакта с пациентом",
                        "Только перед процедурами",
                    ],
                    1,
                ),
            ],
            runs: vec![],
        },
        Item {
            kind: ElementKind::Event,
            title: "Конференция «Сестринское дело: новые стандарты ухода»",
            summary: "Онлайн-конференция для медицинских сестёр.",
            content: "Доклады о стандартах ухода за пациентами с хроническими заболеваниями, \
                      профилактике пролежней и обучении пациентов.",
            credits: 4,
            online: true,
            place: None,
            dates: Some((d(2026, 12, 5), d(2026, 12, 5))),
            specialties: &["Сестринское дело", "Сестринское дело в педиатрии"],
            questions: vec![],
            runs: vec![],
        },
        Item {
            kind: ElementKind::Programme,
            title: "Сестринское дело в терапии",
            summary: "ДПП ПК, 144 часа, очно.",
            content: "Программа для медицинских сестёр терапевтических отделений: уход, \
                      манипуляции, инфекционная безопасность, неотложная помощь.",
            credits: 144,
            online: false,
            place: Some("Казань, ул. Бутлерова, 49"),
            dates: None,
            specialties: &["Сестринское дело"],
            questions: vec![],
            runs: vec![(d(2027, 2, 8), d(2027, 3, 20))],
        },
    ]
}

/// Loads the demo providers and their elements when there are no providers.
///
/// # Errors
/// The database error.
pub async fn seed_plan(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(), DbErr> {
    if provider::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let fail = |e: crate::error::AppError| DbErr::Custom(e.to_string());
    let account = user::Entity::find()
        .filter(user::Column::Login.eq("akademia"))
        .one(db)
        .await?;
    let specialties: Vec<specialty::Model> = specialty::Entity::find().all(db).await?;
    let txn = db.begin().await?;
    for (name, person, email, user_id, items) in [
        (
            "АНО ДПО «Академия медицинского образования»",
            "Соколова Анна Викторовна",
            "akademia@demo.kabinet.local",
            account.map(|u| u.id),
            akademia(),
        ),
        (
            "Учебный центр «НМО-Профи»",
            "Морозов Игорь Сергеевич",
            "profi@demo.kabinet.local",
            None,
            profi(),
        ),
    ] {
        let owner = provider::ActiveModel {
            name: Set(name.into()),
            contact_person: Set(person.into()),
            email: Set(email.into()),
            phone: Set("+74951234567".into()),
            status: Set("approved".into()),
            user_id: Set(user_id),
            reject_reason: Set(None),
            created_at: Set(now),
            reviewed_at: Set(Some(now)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for item in items {
            let draft = Draft {
                kind: item.kind,
                title: item.title.into(),
                summary: item.summary.into(),
                content: item.content.into(),
                credits: item.credits,
                format: if item.online { "online" } else { "offline" }.into(),
                place: item.place.map(Into::into),
                starts_on: item.dates.map(|d| d.0),
                ends_on: item.dates.map(|d| d.1),
                pass_percent: 70,
                specialties: specialties
                    .iter()
                    .filter(|s| item.specialties.contains(&s.name.as_str()))
                    .map(|s| s.id)
                    .collect(),
                questions: item.questions,
                runs: item.runs,
            };
            let id = insert_element(&txn, &owner, &draft, now)
                .await
                .map_err(fail)?;
            if item.title.contains("Терапия-2026") {
                let batch = code_batch::ActiveModel {
                    element_id: Set(id),
                    issued_by: Set(user_id),
                    count: Set(3),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                for shown in DEMO_CODES {
                    let code = Code::parse(shown).map_err(DbErr::Custom)?;
                    confirmation_code::ActiveModel {
                        element_id: Set(id),
                        batch_id: Set(batch.id),
                        code_hash: Set(hash_token(code.as_str())),
                        status: Set("issued".into()),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                }
            }
        }
    }
    txn.commit().await
}
