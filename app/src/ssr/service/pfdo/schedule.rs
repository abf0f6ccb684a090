//! «Расписание»: the weekly lessons of the groups of the child's active contracts, the same
//! as an iCalendar file, and «Справка о посещении кружков».

use crate::domain::time::moscow_date;
use chrono::{DateTime, Datelike as _, NaiveDate, TimeDelta, Utc};
use sea_orm::{ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _};

use super::{child_name, current_certificate};
use crate::domain::contact::format_date;
use crate::domain::pfdo::contract::Status;
use crate::domain::time::weekday_name;
use crate::error::AppError;
use crate::model::pfdo::{LessonSlot, ScheduleView};
use crate::ssr::context::db_err;
use crate::ssr::entities::{
    pfdo_certificate as certificate, pfdo_contract as contract, pfdo_group as group,
    pfdo_lesson as lesson, pfdo_programme as programme, provider,
};
use crate::ssr::pdf::Pdf;

/// A lesson with the contract's own dates (the contract may start after its group).
struct Slot {
    view: LessonSlot,
    from: NaiveDate,
    to: NaiveDate,
}

async fn slots(
    db: &DatabaseConnection,
    cert: &certificate::Model,
    now: DateTime<Utc>,
) -> Result<Vec<Slot>, AppError> {
    let today = moscow_date(now);
    let active = contract::Entity::find()
        .filter(contract::Column::CertificateId.eq(cert.id))
        .filter(contract::Column::Status.eq(Status::Active.code()))
        .filter(contract::Column::EndsOn.gte(today))
        .all(db)
        .await
        .map_err(db_err)?;
    let groups = group::Entity::find()
        .filter(group::Column::Id.is_in(active.iter().map(|c| c.group_id)))
        .all(db)
        .await
        .map_err(db_err)?;
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::GroupId.is_in(groups.iter().map(|g| g.id)))
        .all(db)
        .await
        .map_err(db_err)?;
    let programmes = programme::Entity::find()
        .filter(programme::Column::Id.is_in(active.iter().map(|c| c.programme_id)))
        .all(db)
        .await
        .map_err(db_err)?;
    let providers = provider::Entity::find()
        .filter(provider::Column::Id.is_in(active.iter().map(|c| c.provider_id)))
        .all(db)
        .await
        .map_err(db_err)?;
    let mut out = Vec::new();
    for c in &active {
        let Some(g) = groups.iter().find(|g| g.id == c.group_id) else {
            continue;
        };
        let to = c.closes_on.map_or(c.ends_on, |d| d.min(c.ends_on));
        for l in lessons.iter().filter(|l| l.group_id == g.id) {
            out.push(Slot {
                view: LessonSlot {
                    weekday: l.weekday,
                    starts_at: l.starts_at.clone(),
                    ends_at: l.ends_at.clone(),
                    programme: programmes
                        .iter()
                        .find(|p| p.id == c.programme_id)
                        .map(|p| p.title.clone())
                        .unwrap_or_default(),
                    group: g.name.clone(),
                    provider: providers
                        .iter()
                        .find(|p| p.id == c.provider_id)
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                    address: g.address.clone(),
                    room: l.room.clone(),
                    teacher: g.teacher.clone(),
                    dates: format!("с {} по {}", format_date(c.starts_on), format_date(to)),
                },
                from: c.starts_on,
                to,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.view.weekday, &a.view.starts_at).cmp(&(b.view.weekday, &b.view.starts_at))
    });
    Ok(out)
}

/// The week of the certificate the parent is looking at.
///
/// # Errors
/// `Forbidden` for an account without a certificate.
pub async fn schedule(
    db: &DatabaseConnection,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<ScheduleView, AppError> {
    let cert = current_certificate(db, user_id).await?;
    Ok(ScheduleView {
        child_name: child_name(&cert),
        lessons: slots(db, &cert, now)
            .await?
            .into_iter()
            .map(|s| s.view)
            .collect(),
    })
}

/// Text escaped for an iCalendar value.
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// `HH:MM` as `HHMM00`, or `None` for a malformed time.
fn ics_time(t: &str) -> Option<String> {
    let (h, m) = t.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then(|| format!("{h:02}{m:02}00"))
}

/// The schedule as an iCalendar file: each lesson a weekly event in Moscow time until the
/// contract's last day. Returns the certificate's number (for the file's name) and the text.
///
/// # Errors
/// `Forbidden` for an account without a certificate.
pub async fn ics(
    db: &DatabaseConnection,
    user_id: i64,
    host: &str,
    now: DateTime<Utc>,
) -> Result<(String, String), AppError> {
    let cert = current_certificate(db, user_id).await?;
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kabinet//PFDO//RU\r\nCALSCALE:GREGORIAN\r\n\
         X-WR-TIMEZONE:Europe/Moscow\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Moscow\r\n\
         BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\n\
         TZNAME:MSK\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n",
    );
    for (i, s) in slots(db, &cert, now).await?.into_iter().enumerate() {
        let (Some(start), Some(end)) = (ics_time(&s.view.starts_at), ics_time(&s.view.ends_at))
        else {
            continue;
        };
        // The first lesson on the weekday on or after the start.
        let wanted = u32::try_from(s.view.weekday - 1).unwrap_or(0);
        let shift = (7 + wanted - s.from.weekday().num_days_from_monday()) % 7;
        let first = s.from + TimeDelta::days(i64::from(shift));
        if first > s.to {
            continue;
        }
        let day = first.format("%Y%m%d");
        // The last day ends at 23:59:59 Moscow time, 20:59:59 UTC.
        let until = s.to.format("%Y%m%dT205959Z");
        out.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:{}-{i}-{}@{host}\r\nDTSTAMP:{stamp}\r\n\
             DTSTART;TZID=Europe/Moscow:{day}T{start}\r\nDTEND;TZID=Europe/Moscow:{day}T{end}\r\n\
             RRULE:FREQ=WEEKLY;UNTIL={until}\r\nSUMMARY:{}\r\nLOCATION:{}\r\nDESCRIPTION:{}\r\n\
             END:VEVENT\r\n",
            cert.number,
            first.format("%Y%m%d"),
            ics_text(&s.view.programme),
            ics_text(&format!("{}, {}", s.view.address, s.view.room)),
            ics_text(&format!(
                "{}, {}. Педагог: {}",
                s.view.provider, s.view.group, s.view.teacher
            )),
        ));
    }
    out.push_str("END:VCALENDAR\r\n");
    Ok((cert.number, out))
}

/// «Справка о посещении кружков»: the child's active contracts with their schedule.
///
/// # Errors
/// `Forbidden` for an account without a certificate.
pub async fn attendance_pdf(
    db: &DatabaseConnection,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(String, Vec<u8>), AppError> {
    let cert = current_certificate(db, user_id).await?;
    let slots = slots(db, &cert, now).await?;
    let mut pdf = Pdf::new("Справка о посещении кружков")?;
    pdf.title("Справка о посещении кружков");
    pdf.paragraph(&format!(
        "Дана {} ({} г. р.), сертификат дополнительного образования № {}, в том, что ребёнок \
         занимается по дополнительным общеобразовательным программам:",
        child_name(&cert),
        format_date(cert.child_birth_date),
        cert.number
    ));
    if slots.is_empty() {
        pdf.paragraph("Действующих договоров об обучении на дату справки нет.");
    }
    let mut seen: Vec<(String, String)> = Vec::new();
    for s in &slots {
        let key = (s.view.programme.clone(), s.view.group.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        pdf.heading(&s.view.programme);
        pdf.field("Организация", &s.view.provider);
        pdf.field("Группа", &s.view.group);
        pdf.field("Адрес", &s.view.address);
        pdf.field("Период", &s.view.dates);
        let days: Vec<String> = slots
            .iter()
            .filter(|x| x.view.programme == s.view.programme && x.view.group == s.view.group)
            .map(|x| {
                format!(
                    "{} {}–{}",
                    weekday_name(x.view.weekday),
                    x.view.starts_at,
                    x.view.ends_at
                )
            })
            .collect();
        pdf.field("Расписание", &days.join("; "));
    }
    pdf.gap(4.0);
    pdf.field("Дата справки", &format_date(moscow_date(now)));
    pdf.paragraph("Справка сформирована в личном кабинете по данным договоров сертификата.");
    Ok((cert.number, pdf.finish()?))
}
