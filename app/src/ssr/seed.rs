//! Demo data: a few accounts with known passwords. Loading twice changes nothing.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};

use super::entities::user;
use super::password::hash_password;

pub struct DemoAccount {
    pub role: &'static str,
    pub login: &'static str,
    pub shown_login: &'static str,
    pub password: &'static str,
    pub last_name: &'static str,
    pub first_name: &'static str,
    pub middle_name: Option<&'static str>,
    pub email: &'static str,
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        role: "specialist",
        login: "11223344595",
        shown_login: "112-233-445 95",
        password: "Demo-Vrach-2026",
        last_name: "Иванова",
        first_name: "Мария",
        middle_name: Some("Петровна"),
        email: "ivanova@demo.kabinet.local",
    },
    DemoAccount {
        role: "specialist",
        login: "12345678964",
        shown_login: "123-456-789 64",
        password: "Demo-Medsestra-2026",
        last_name: "Петров",
        first_name: "Сергей",
        middle_name: Some("Николаевич"),
        email: "petrov@demo.kabinet.local",
    },
    DemoAccount {
        role: "provider",
        login: "akademia",
        shown_login: "akademia",
        password: "Demo-Provider-2026",
        last_name: "Соколова",
        first_name: "Анна",
        middle_name: Some("Викторовна"),
        email: "akademia@demo.kabinet.local",
    },
    DemoAccount {
        role: "parent",
        login: "9901101325",
        shown_login: "9901101325",
        password: "Demo-Roditel-2026",
        last_name: "Смирнов",
        first_name: "Артём",
        middle_name: Some("Игоревич"),
        email: "",
    },
    DemoAccount {
        role: "parent",
        login: "9901101326",
        shown_login: "9901101326",
        password: "Demo-Roditel2-2026",
        last_name: "Смирнова",
        first_name: "Алиса",
        middle_name: Some("Игоревна"),
        email: "",
    },
    DemoAccount {
        role: "provider",
        login: "raduga",
        shown_login: "raduga",
        password: "Demo-Raduga-2026",
        last_name: "Белова",
        first_name: "Ольга",
        middle_name: Some("Сергеевна"),
        email: "raduga@demo.kabinet.local",
    },
    DemoAccount {
        role: "operator",
        login: "operator",
        shown_login: "operator",
        password: "Demo-Operator-2026",
        last_name: "Кузнецова",
        first_name: "Елена",
        middle_name: Some("Андреевна"),
        email: "operator@demo.kabinet.local",
    },
    DemoAccount {
        role: "operator",
        login: "operator2",
        shown_login: "operator2",
        password: "Demo-Operator2-2026",
        last_name: "Лебедев",
        first_name: "Сергей",
        middle_name: Some("Викторович"),
        email: "operator2@demo.kabinet.local",
    },
    DemoAccount {
        role: "teacher",
        login: "orlova@demo.kabinet.local",
        shown_login: "orlova@demo.kabinet.local",
        password: "Demo-Uchitel-2026",
        last_name: "Орлова",
        first_name: "Наталья",
        middle_name: Some("Викторовна"),
        email: "orlova@demo.kabinet.local",
    },
    DemoAccount {
        role: "teacher",
        login: "sokolov@demo.kabinet.local",
        shown_login: "sokolov@demo.kabinet.local",
        password: "Demo-Uchitel2-2026",
        last_name: "Соколов",
        first_name: "Дмитрий",
        middle_name: Some("Андреевич"),
        email: "sokolov@demo.kabinet.local",
    },
    DemoAccount {
        role: "school_head",
        login: "direktor@demo.kabinet.local",
        shown_login: "direktor@demo.kabinet.local",
        password: "Demo-Direktor-2026",
        last_name: "Морозова",
        first_name: "Ирина",
        middle_name: Some("Александровна"),
        email: "direktor@demo.kabinet.local",
    },
    DemoAccount {
        role: "school_head",
        login: "zavuch@demo.kabinet.local",
        shown_login: "zavuch@demo.kabinet.local",
        password: "Demo-Zavuch-2026",
        last_name: "Волков",
        first_name: "Павел",
        middle_name: Some("Сергеевич"),
        email: "zavuch@demo.kabinet.local",
    },
    DemoAccount {
        role: "provider",
        login: "iro",
        shown_login: "iro",
        password: "Demo-Iro-2026",
        last_name: "Григорьева",
        first_name: "Людмила",
        middle_name: Some("Михайловна"),
        email: "iro@demo.kabinet.local",
    },
    DemoAccount {
        role: "admin",
        login: "admin",
        shown_login: "admin",
        password: "Demo-Admin-2026",
        last_name: "Администратор",
        first_name: "Портала",
        middle_name: None,
        email: "admin@demo.kabinet.local",
    },
];

/// Inserts the demo accounts that are missing; returns how many were added.
///
/// # Errors
/// The database error.
pub async fn seed_demo(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let mut added = 0;
    for a in DEMO_ACCOUNTS {
        let exists = user::Entity::find()
            .filter(user::Column::Login.eq(a.login))
            .one(db)
            .await?
            .is_some();
        if exists {
            continue;
        }
        let hash = hash_password(a.password.to_owned())
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        user::ActiveModel {
            role: Set(a.role.into()),
            login: Set(a.login.into()),
            status: Set("active".into()),
            last_name: Set(a.last_name.into()),
            first_name: Set(a.first_name.into()),
            middle_name: Set(a.middle_name.map(Into::into)),
            citizenship: Set(Some("RU".into())),
            region: Set(Some(77)),
            sex: Set(None),
            birth_date: Set(None),
            email: Set(a.email.into()),
            phone: Set(Some("+79161234567".into())),
            password_hash: Set(Some(hash.0)),
            failed_logins: Set(0),
            locked_until: Set(None),
            created_at: Set(now),
            confirmed_at: Set(Some(now)),
            ..Default::default()
        }
        .insert(db)
        .await?;
        added += 1;
    }
    seed_nmo(db, now).await?;
    super::seed_plan::seed_plan(db, now).await?;
    super::seed_pfdo::seed_pfdo(db, now).await?;
    super::seed_pfdo::seed_activity(db, now).await?;
    super::seed_dpo::seed_dpo(db, now).await?;
    Ok(added)
}

/// The demo specialists have finished the first login; Иванова has a certificate and its
/// cycle, Петров has no document yet. Only for specialists without НМО data.
async fn seed_nmo(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(), DbErr> {
    use super::entities::{admission_document, nmo_profile};
    use super::service::nmo;
    use crate::domain::nmo::documents::DocumentForm;
    let fail = |e: crate::error::AppError| DbErr::Custom(e.to_string());
    for (login, vo, so, document) in [
        ("11223344595", true, false, true),
        ("12345678964", false, true, false),
    ] {
        let Some(u) = user::Entity::find()
            .filter(user::Column::Login.eq(login))
            .one(db)
            .await?
        else {
            continue;
        };
        if nmo_profile::Entity::find_by_id(u.id)
            .one(db)
            .await?
            .is_some()
        {
            continue;
        }
        nmo::accept_agreement(db, u.id, now).await.map_err(fail)?;
        nmo::set_levels(db, u.id, vo, so).await.map_err(fail)?;
        if document {
            let form = DocumentForm {
                kind: "certificate".into(),
                specialty: "Терапия".into(),
                organisation: "ФГАОУ ВО Первый МГМУ им. И. М. Сеченова Минздрава России".into(),
                series: "017718".into(),
                number: "0456123".into(),
                protocol_date: String::new(),
                exam_date: "2022-06-10".into(),
                issue_date: "2022-06-20".into(),
                confirm_data: Some("on".into()),
                confirm_own: Some("on".into()),
            };
            nmo::add_document(db, u.id, &form, now)
                .await
                .map_err(fail)?;
            // The federal register has confirmed this one.
            admission_document::Entity::update_many()
                .col_expr(
                    admission_document::Column::FrmrConfirmed,
                    sea_orm::sea_query::Expr::value(true),
                )
                .filter(admission_document::Column::UserId.eq(u.id))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}
