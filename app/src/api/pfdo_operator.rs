//! ПФДО for the municipality's operator: certificates (issue, activate), the limit with its
//! queue, nominals per category and year, and the registries of categories, providers and
//! programmes.

// The issue form's fields are flat arguments, so the same form also posts to the plain route
// without JavaScript; the macro's client half does not carry a per-function allow.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::pfdo::{CertificateList, CertificateQuery, Issued, OperatorView, RegistriesView};

/// The municipality at a glance.
#[server(prefix = "/api", endpoint = "pfdo/operator/overview")]
pub async fn operator_overview() -> Result<OperatorView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::operator};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Operator).await?;
    operator::overview(&context::state()?.db, me.id, now).await
}

/// The municipality's certificates.
#[server(prefix = "/api", endpoint = "pfdo/operator/certificates")]
pub async fn operator_certificates(
    #[server(default)] query: CertificateQuery,
) -> Result<CertificateList, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::operator};
    let me = context::require_role(Role::Operator).await?;
    operator::certificates(&context::state()?.db, me.id, &query).await
}

/// Issues a certificate; the password comes back once, for the extract. Without JavaScript
/// the same form posts to `/operator/certificates/issue.pdf` and downloads the extract.
#[server(prefix = "/api", endpoint = "pfdo/operator/issue")]
pub async fn operator_issue(
    #[server(default)] number: String,
    #[server(default)] last_name: String,
    #[server(default)] first_name: String,
    #[server(default)] middle_name: String,
    #[server(default)] birth_date: String,
    #[server(default)] category_id: String,
    #[server(default)] kind: String,
    #[server(default)] email: String,
) -> Result<Issued, AppError> {
    use crate::model::Role;
    use crate::model::pfdo::IssueForm;
    use crate::ssr::{context, service::pfdo::certificates};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Operator).await?;
    let state = context::state()?;
    let form = IssueForm {
        number,
        last_name,
        first_name,
        middle_name,
        birth_date,
        category_id,
        kind,
        email,
    };
    certificates::issue(&state.db, &state.settings, me.id, &form, now).await
}

/// Activates a certificate, or queues it when the limit is reached.
#[server(prefix = "/api", endpoint = "pfdo/operator/activate")]
pub async fn operator_activate(certificate_id: i64) -> Result<String, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::certificates};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Operator).await?;
    let done = certificates::activate(&context::state()?.db, me.id, certificate_id, now).await?;
    context::redirect(&format!(
        "/operator/certificates?done={}",
        crate::api::auth::urlencode(&done)
    ));
    Ok(done)
}

/// Sets the municipality's limit; the queue activates as far as it allows.
#[server(prefix = "/api", endpoint = "pfdo/operator/limit")]
pub async fn operator_limit(#[server(default)] limit: String) -> Result<u64, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::certificates};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Operator).await?;
    let n = certificates::set_limit(&context::state()?.db, me.id, &limit, now).await?;
    context::redirect(&format!("/operator?limit=1&activated={n}"));
    Ok(n)
}

/// Sets a category's nominal for this year or the next.
#[server(prefix = "/api", endpoint = "pfdo/operator/nominal")]
pub async fn operator_nominal(
    category_id: i64,
    year: i32,
    #[server(default)] amount: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::certificates};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Operator).await?;
    certificates::set_nominal(
        &context::state()?.db,
        me.id,
        category_id,
        year,
        &amount,
        now,
    )
    .await?;
    context::redirect("/operator?nominal=1");
    Ok(())
}

/// «Реестры»: categories, providers and programmes of the municipality.
#[server(prefix = "/api", endpoint = "pfdo/operator/registries")]
pub async fn operator_registries() -> Result<RegistriesView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::registries};
    let me = context::require_role(Role::Operator).await?;
    registries::view(&context::state()?.db, me.id).await
}

/// Adds a category (empty `id`) or changes its name and registry limits.
#[server(prefix = "/api", endpoint = "pfdo/operator/category")]
pub async fn operator_category(
    #[server(default)] id: String,
    #[server(default)] name: String,
    #[server(default)] limit_certified: String,
    #[server(default)] limit_significant: String,
    #[server(default)] limit_paid: String,
    #[server(default)] limit_general: String,
) -> Result<i64, AppError> {
    use crate::model::Role;
    use crate::ssr::context;
    use crate::ssr::service::pfdo::registries::{CategoryForm, save_category};
    let me = context::require_role(Role::Operator).await?;
    let id = match id.trim() {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    let form = CategoryForm {
        name,
        limits: [
            limit_certified,
            limit_significant,
            limit_paid,
            limit_general,
        ],
    };
    let saved = save_category(&context::state()?.db, me.id, id, &form).await?;
    context::redirect("/operator/registries?saved=category");
    Ok(saved)
}

/// Admits an approved provider to the municipality's registry of providers.
#[server(prefix = "/api", endpoint = "pfdo/operator/admit")]
pub async fn operator_admit(
    #[server(default)] provider_id: String,
    #[server(default)] address: String,
    #[server(default)] district_id: String,
    #[server(default)] inn: String,
    #[server(default)] max_children: String,
    #[server(default)] payer_limit: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::context;
    use crate::ssr::service::pfdo::registries::{OrganisationForm, admit};
    let me = context::require_role(Role::Operator).await?;
    let provider_id = provider_id
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::field("provider_id", "Выберите организацию из списка"))?;
    let form = OrganisationForm {
        address,
        district_id,
        inn,
        max_children,
        payer_limit,
    };
    admit(&context::state()?.db, me.id, provider_id, &form).await?;
    context::redirect("/operator/registries?saved=provider");
    Ok(())
}

/// New limits (children and money by certificates) for an organisation of the registry.
#[server(prefix = "/api", endpoint = "pfdo/operator/organisation")]
pub async fn operator_organisation(
    provider_id: i64,
    #[server(default)] max_children: String,
    #[server(default)] payer_limit: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::context;
    use crate::ssr::service::pfdo::registries::{OrganisationForm, set_limits};
    let me = context::require_role(Role::Operator).await?;
    let form = OrganisationForm {
        max_children,
        payer_limit,
        ..Default::default()
    };
    set_limits(&context::state()?.db, me.id, provider_id, &form).await?;
    context::redirect("/operator/registries?saved=limits");
    Ok(())
}

/// Moves a programme to a registry and shows (`visible` present) or hides it.
#[server(prefix = "/api", endpoint = "pfdo/operator/programme")]
pub async fn operator_programme(
    programme_id: i64,
    #[server(default)] registry: String,
    #[server(default)] visible: Option<String>,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::registries};
    let me = context::require_role(Role::Operator).await?;
    registries::set_programme(
        &context::state()?.db,
        me.id,
        programme_id,
        &registry,
        visible.is_some(),
    )
    .await?;
    context::redirect("/operator/registries?saved=programme");
    Ok(())
}
