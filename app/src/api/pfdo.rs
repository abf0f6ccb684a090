//! ПФДО: the parent's cabinet, navigator, applications and contracts; the provider's
//! applications and contracts; the operator's certificates, limit and nominals.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::pfdo::{
    CabinetView, ContractCard, ContractsView, NavigatorQuery, NavigatorResult, PfdoSettingsView,
    ProgrammeView, QuoteView, ScheduleView,
};

/// «Кабинет» of the certificate the parent is looking at.
#[server(prefix = "/api", endpoint = "pfdo/cabinet")]
pub async fn pfdo_cabinet() -> Result<CabinetView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::cabinet};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    cabinet::cabinet(&context::state()?.db, me.id, now).await
}

/// Switches the header to another child merged into this account.
#[server(prefix = "/api", endpoint = "pfdo/switch")]
pub async fn pfdo_switch(certificate_id: i64) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::cabinet};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    cabinet::switch(&context::state()?.db, me.id, certificate_id, now).await?;
    context::redirect("/pfdo?switched=1");
    Ok(())
}

/// «Навигатор»: open to guests; a parent's certificate filters and ranks.
#[server(prefix = "/api", endpoint = "pfdo/navigator")]
pub async fn pfdo_navigator(
    #[server(default)] query: NavigatorQuery,
) -> Result<NavigatorResult, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::navigator};
    let now = crate::ssr::context::now()?;
    let parent = context::current_user()
        .await?
        .filter(|u| u.role == Role::Parent)
        .map(|u| u.id);
    navigator::search(&context::state()?.db, parent, &query, now).await
}

/// A programme's page.
#[server(prefix = "/api", endpoint = "pfdo/programme")]
pub async fn pfdo_programme(id: i64) -> Result<ProgrammeView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::navigator};
    let now = crate::ssr::context::now()?;
    let parent = context::current_user()
        .await?
        .filter(|u| u.role == Role::Parent)
        .map(|u| u.id);
    navigator::programme_page(&context::state()?.db, parent, id, now).await
}

/// The quote for a group and a year.
#[server(prefix = "/api", endpoint = "pfdo/quote")]
pub async fn pfdo_quote(
    group_id: i64,
    #[server(default)] year: Option<i32>,
) -> Result<QuoteView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::applications};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    applications::quote_for(&context::state()?.db, me.id, group_id, year, now).await
}

/// Submits the application with the quote's share and the three confirmations.
#[server(prefix = "/api", endpoint = "pfdo/apply")]
pub async fn pfdo_apply(
    group_id: i64,
    year: i32,
    share: i64,
    #[server(default)] confirm_apply: Option<String>,
    #[server(default)] confirm_family: Option<String>,
    #[server(default)] confirm_terms: Option<String>,
) -> Result<i64, AppError> {
    use crate::model::Role;
    use crate::ssr::context;
    use crate::ssr::service::pfdo::applications::{ApplyForm, submit};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    let form = ApplyForm {
        group_id,
        year,
        share,
        confirm_apply,
        confirm_family,
        confirm_terms,
    };
    let id = submit(&context::state()?.db, me.id, &form, now).await?;
    context::redirect(&format!("/pfdo/contracts/{id}?applied=1"));
    Ok(id)
}

/// «Договоры»: one tab of the certificate's contracts.
#[server(prefix = "/api", endpoint = "pfdo/contracts")]
pub async fn pfdo_contracts(#[server(default)] tab: String) -> Result<ContractsView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::contracts};
    let me = context::require_role(Role::Parent).await?;
    contracts::parent_list(&context::state()?.db, me.id, &tab).await
}

/// A contract's card for the parent or the provider.
#[server(prefix = "/api", endpoint = "pfdo/contract")]
pub async fn pfdo_contract(id: i64) -> Result<ContractCard, AppError> {
    use crate::model::Role;
    use crate::ssr::service::pfdo::contracts::{Viewer, card};
    use crate::ssr::{context, service::provider};
    let now = crate::ssr::context::now()?;
    let me = context::require_user().await?;
    let db = &context::state()?.db;
    let viewer = match me.role {
        Role::Parent => Viewer::Parent(me.id),
        Role::Provider => Viewer::Provider(provider::me(db, me.id).await?.id),
        _ => return Err(AppError::Forbidden),
    };
    card(db, viewer, id, now).await
}

/// «Отменить заявку»: the reserve returns to the balance.
#[server(prefix = "/api", endpoint = "pfdo/cancel")]
pub async fn pfdo_cancel(contract_id: i64) -> Result<(), AppError> {
    use crate::domain::pfdo::contract::Action;
    use crate::model::Role;
    use crate::ssr::context;
    use crate::ssr::service::pfdo::contracts::{Viewer, act};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    act(
        &context::state()?.db,
        Viewer::Parent(me.id),
        contract_id,
        Action::Cancel,
        None,
        now,
    )
    .await?;
    context::redirect(&format!("/pfdo/contracts/{contract_id}?cancelled=1"));
    Ok(())
}

/// «Оценить программу»: four values 0–100 %.
#[server(prefix = "/api", endpoint = "pfdo/rate")]
pub async fn pfdo_rate(
    contract_id: i64,
    #[server(default)] results: String,
    #[server(default)] staff: String,
    #[server(default)] resources: String,
    #[server(default)] overall: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::context;
    use crate::ssr::service::pfdo::contracts::{RatingForm, rate};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    let form = RatingForm {
        results,
        staff,
        resources,
        overall,
    };
    rate(&context::state()?.db, me.id, contract_id, &form, now).await?;
    context::redirect(&format!("/pfdo/contracts/{contract_id}?rated=1"));
    Ok(())
}

/// The provider's applications and contracts, one tab.
#[server(prefix = "/api", endpoint = "pfdo/provider/contracts")]
pub async fn pfdo_provider_contracts(
    #[server(default)] tab: String,
) -> Result<ContractsView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::contracts, service::provider};
    let me = context::require_role(Role::Provider).await?;
    let db = &context::state()?.db;
    let p = provider::me(db, me.id).await?;
    contracts::provider_list(db, p.id, &tab).await
}

/// The provider's step on an application or contract: `confirm`, `refuse` (with a reason),
/// `conclude`, `terminate` (with a reason) or `prolong`.
#[server(prefix = "/api", endpoint = "pfdo/provider/act")]
pub async fn pfdo_provider_act(
    contract_id: i64,
    step: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::domain::pfdo::contract::Action;
    use crate::model::Role;
    use crate::ssr::service::pfdo::contracts::{Viewer, act, prolong};
    use crate::ssr::{context, service::provider};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Provider).await?;
    let db = &context::state()?.db;
    let p = provider::me(db, me.id).await?;
    let action = match step.as_str() {
        "confirm" => Action::Confirm,
        "refuse" => Action::Refuse,
        "conclude" => Action::Conclude,
        "terminate" => Action::Terminate,
        "prolong" => {
            let id = prolong(db, p.id, contract_id, now).await?;
            context::redirect(&format!("/provider/pfdo/contracts/{id}?prolonged=1"));
            return Ok(());
        }
        _ => {
            return Err(AppError::BadRequest(
                "Шаг: confirm, refuse, conclude, terminate или prolong".into(),
            ));
        }
    };
    act(
        db,
        Viewer::Provider(p.id),
        contract_id,
        action,
        Some(&reason),
        now,
    )
    .await?;
    context::redirect(&format!(
        "/provider/pfdo/contracts/{contract_id}?done={step}"
    ));
    Ok(())
}

/// «Расписание»: the weekly lessons of the active contracts.
#[server(prefix = "/api", endpoint = "pfdo/schedule")]
pub async fn pfdo_schedule() -> Result<ScheduleView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::schedule};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    schedule::schedule(&context::state()?.db, me.id, now).await
}

/// «Настройки» of the certificate and the account.
#[server(prefix = "/api", endpoint = "pfdo/settings")]
pub async fn pfdo_settings() -> Result<PfdoSettingsView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::settings};
    let me = context::require_role(Role::Parent).await?;
    settings::view(&context::state()?.db, me.id).await
}

/// The legal representative and the preferred address.
#[server(prefix = "/api", endpoint = "pfdo/settings/contacts")]
pub async fn pfdo_settings_contacts(
    #[server(default)] representative: String,
    #[server(default)] address: String,
    #[server(default)] district_id: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::settings};
    let me = context::require_role(Role::Parent).await?;
    settings::save_contacts(
        &context::state()?.db,
        me.id,
        &representative,
        &address,
        &district_id,
    )
    .await?;
    context::redirect("/pfdo/settings?saved=contacts");
    Ok(())
}

/// Who may start an application for the child: `forbidden`, `name` or `phrase`.
#[server(prefix = "/api", endpoint = "pfdo/settings/confirm")]
pub async fn pfdo_settings_confirm(
    #[server(default)] confirm_type: String,
    #[server(default)] phrase: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::settings};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    settings::set_confirm_type(&context::state()?.db, me.id, &confirm_type, &phrase, now).await?;
    context::redirect("/pfdo/settings?saved=confirm");
    Ok(())
}

/// The personal-data consent: `agree` present gives it, absent withdraws it.
#[server(prefix = "/api", endpoint = "pfdo/settings/consent")]
pub async fn pfdo_settings_consent(
    #[server(default)] agree: Option<String>,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::settings};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    settings::set_consent(&context::state()?.db, me.id, agree.is_some(), now).await?;
    context::redirect("/pfdo/settings?saved=consent");
    Ok(())
}

/// «Объединение кабинетов»: another child's certificate by its login and password.
#[server(prefix = "/api", endpoint = "pfdo/settings/merge")]
pub async fn pfdo_settings_merge(
    #[server(default)] number: String,
    #[server(default)] password: String,
) -> Result<String, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::settings};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    let state = context::state()?;
    let child = settings::merge(&state.db, &state.settings, me.id, &number, &password, now).await?;
    context::redirect("/pfdo?merged=1");
    Ok(child)
}

/// A new e-mail, confirmed by the one-time link mailed to it.
#[server(prefix = "/api", endpoint = "pfdo/settings/email")]
pub async fn pfdo_settings_email(#[server(default)] email: String) -> Result<String, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::profile};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    let state = context::state()?;
    let masked =
        profile::request_email_change(&state.db, &state.settings, &me, &email, now).await?;
    context::redirect("/pfdo/settings?saved=email");
    Ok(masked)
}

/// A new password; the other sessions end. The page then offers the new extract.
#[server(prefix = "/api", endpoint = "pfdo/settings/password")]
pub async fn pfdo_settings_password(
    #[server(default)] current: String,
    #[server(default)] new: String,
    #[server(default)] repeat: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::profile};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    let state = context::state()?;
    let form = profile::PasswordForm {
        current,
        new,
        repeat,
    };
    profile::change_password(&state.db, &state.settings, &me, &form, now).await?;
    context::redirect("/pfdo/settings?saved=password");
    Ok(())
}

/// The provider's open groups, for «Записать ребёнка».
#[server(prefix = "/api", endpoint = "pfdo/provider/groups")]
pub async fn pfdo_provider_groups() -> Result<Vec<crate::model::pfdo::NavigatorOption>, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::applications, service::provider};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Provider).await?;
    let db = &context::state()?.db;
    let p = provider::me(db, me.id).await?;
    applications::provider_groups(db, p.id, now).await
}

/// The provider applies on a child's behalf, proved by the child's full name or the code
/// phrase as the certificate's settings require.
#[server(prefix = "/api", endpoint = "pfdo/provider/apply")]
pub async fn pfdo_provider_apply(
    group_id: i64,
    #[server(default)] number: String,
    #[server(default)] child_name: String,
    #[server(default)] phrase: String,
) -> Result<i64, AppError> {
    use crate::model::Role;
    use crate::ssr::service::pfdo::applications::{ForChildForm, apply_for_child};
    use crate::ssr::{context, service::provider};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Provider).await?;
    let db = &context::state()?.db;
    let p = provider::me(db, me.id).await?;
    let form = ForChildForm {
        group_id,
        number,
        child_name,
        phrase,
    };
    let id = apply_for_child(db, p.id, &form, now).await?;
    context::redirect(&format!("/provider/pfdo/contracts/{id}?created=1"));
    Ok(id)
}
