//! The operator's «Реестры»: categories with their registry limits, the providers admitted to
//! ПФДО with their limits, and the programmes with their registry and visibility.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::pfdo_operator::{
    OperatorAdmit, OperatorCategory, OperatorOrganisation, OperatorProgramme, operator_registries,
};
use crate::components::form::{
    Field, FormMessage, field_message, form_error, general_message, on_success,
};
use crate::components::layout::{LoadError, Loading};
use crate::domain::pfdo::registry::Registry;
use crate::error::AppError;
use crate::model::pfdo::{CategoryLimits, NavigatorOption, OrganisationRow, ProgrammeRow};

/// Bumped by every form of the page that succeeds, so the lists refetch.
#[derive(Clone, Copy)]
struct Changed(RwSignal<u64>);

fn bump<I, O>(action: ServerAction<I>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let Changed(changed) = expect_context::<Changed>();
    on_success(action, move || changed.update(|n| *n += 1));
}

fn message(error: Signal<Option<AppError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || field_message(&error.get(), name))
}

const LIMIT_FIELDS: [&str; 4] = [
    "limit_certified",
    "limit_significant",
    "limit_paid",
    "limit_general",
];

#[component]
pub fn OperatorRegistriesPage() -> impl IntoView {
    let query = use_query_map();
    let changed = RwSignal::new(0_u64);
    provide_context(Changed(changed));
    let registries = Resource::new(move || changed.get(), |_| operator_registries());
    let notice = move || {
        query.with(|q| match q.get_str("saved") {
            Some("category") => Some("Категория сохранена."),
            Some("provider") => Some("Организация внесена в реестр поставщиков."),
            Some("limits") => Some("Лимиты организации сохранены."),
            Some("programme") => Some("Программа сохранена."),
            _ => None,
        })
    };
    view! {
        <Title text="Реестры" />
        <h1>"Реестры"</h1>
        {move || notice().map(|n| view! { <div class="alert alert--info" role="status" data-testid="notice">{n}</div> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match registries.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(r) => view! {
                        <section class="card" aria-labelledby="categories">
                            <h2 id="categories">"Категории"</h2>
                            <p class="hint">"Сколько программ каждого реестра сертификат категории может использовать одновременно. Номиналы — на странице «Муниципалитет»."</p>
                            {r.categories.into_iter().map(|c| view! { <CategoryForm c=Some(c) /> }).collect_view()}
                            <h3>"Новая категория"</h3>
                            <CategoryForm c=None />
                        </section>
                        <section class="card" aria-labelledby="providers">
                            <h2 id="providers">"Реестр поставщиков"</h2>
                            {r.organisations.into_iter().map(|o| view! { <Organisation o /> }).collect_view()}
                            <Admit candidates=r.candidates districts=r.districts />
                        </section>
                        <section class="card" aria-labelledby="programmes">
                            <h2 id="programmes">"Реестры программ"</h2>
                            {r.programmes.into_iter().map(|p| view! { <Programme p /> }).collect_view()}
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CategoryForm(c: Option<CategoryLimits>) -> impl IntoView {
    let save = ServerAction::<OperatorCategory>::new();
    bump(save);
    let error = form_error(save, OperatorCategory::PATH);
    let key = c
        .as_ref()
        .map_or_else(|| "new".to_owned(), |c| c.id.to_string());
    let limits: Vec<(Registry, i32)> = c.as_ref().map_or_else(
        || Registry::ALL.into_iter().map(|r| (r, 0)).collect(),
        |c| c.limits.clone(),
    );
    let hint = c
        .as_ref()
        .map(|c| format!("Сертификатов этой категории: {}", c.certificates));
    let exists = c.is_some();
    let id = c.as_ref().map(|c| c.id.to_string()).unwrap_or_default();
    let name = c.map(|c| c.name).unwrap_or_default();
    view! {
        <div class="element" data-testid=if exists { "category-form" } else { "category-new" }>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action=save attr:class="registry-form">
                <input type="hidden" name="id" value=id />
                <Field id=format!("category-{key}-name") name="name" label="Название категории"
                    value=RwSignal::new(name)
                    error=message(error, "name") maxlength=100 />
                {limits.into_iter().zip(LIMIT_FIELDS).map(|((r, n), name)| view! {
                    <Field id=format!("category-{key}-{name}") name label=r.title() kind="number" inputmode="numeric"
                        value=RwSignal::new(n.to_string()) error=message(error, name) maxlength=3 />
                }).collect_view()}
                {hint.map(|h| view! { <p class="hint">{h}</p> })}
                <button type="submit" class="button button--primary" data-testid="category-save"
                    disabled=move || save.pending().get()>{if exists { "Сохранить" } else { "Добавить категорию" }}</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn Organisation(o: OrganisationRow) -> impl IntoView {
    let save = ServerAction::<OperatorOrganisation>::new();
    bump(save);
    let error = form_error(save, OperatorOrganisation::PATH);
    let id = o.provider_id;
    view! {
        <div class="element" data-testid="organisation">
            <h3 class="element__title">{o.name}</h3>
            <p class="hint">{o.address} " · район " {o.district} " · ИНН " {o.inn}</p>
            <p data-testid="organisation-use">{format!(
                "Детей по сертификатам: {} из {}; получено по сертификатам: {} из {}",
                o.children, o.max_children, o.payer_used, o.payer_limit
            )}</p>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action=save attr:class="registry-form">
                <input type="hidden" name="provider_id" value=id.to_string() />
                <Field id=format!("org-{id}-children") name="max_children" label="Лимит детей" kind="number"
                    inputmode="numeric" value=RwSignal::new(o.max_children.to_string())
                    error=message(error, "max_children") maxlength=6 />
                <Field id=format!("org-{id}-payer") name="payer_limit" label="Лимит средств, ₽" inputmode="decimal"
                    value=RwSignal::new(o.payer_limit.plain())
                    error=message(error, "payer_limit") maxlength=20 />
                <button type="submit" class="button button--ghost" data-testid="organisation-save"
                    disabled=move || save.pending().get()>"Сохранить лимиты"</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn Admit(candidates: Vec<NavigatorOption>, districts: Vec<NavigatorOption>) -> impl IntoView {
    let admit = ServerAction::<OperatorAdmit>::new();
    bump(admit);
    let error = form_error(admit, OperatorAdmit::PATH);
    if candidates.is_empty() {
        return view! { <p class="hint">"Все одобренные организации уже в реестрах поставщиков."</p> }.into_any();
    }
    let empty = || RwSignal::new(String::new());
    let select = move |id: &'static str,
                       name: &'static str,
                       label: &'static str,
                       options: Vec<NavigatorOption>| {
        let msg = message(error, name);
        view! {
            <div class="field" class:field--invalid=move || msg.get().is_some()>
                <label for=id>{label} <span class="req" aria-hidden="true">" *"</span></label>
                <select id=id name=name required=true aria-describedby=format!("{id}-error")>
                    <option value="">"Выберите"</option>
                    {options.into_iter().map(|o| view! { <option value=o.value>{o.label}</option> }).collect_view()}
                </select>
                <p class="error" id=format!("{id}-error") role="alert">{move || msg.get()}</p>
            </div>
        }
    };
    view! {
        <div class="element" data-testid="admit">
            <h3>"Внести организацию в реестр"</h3>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action=admit>
                {select("admit-provider", "provider_id", "Организация", candidates)}
                <Field id="admit-address" name="address" label="Адрес" value=empty() error=message(error, "address") maxlength=300 />
                {select("admit-district", "district_id", "Район", districts)}
                <Field id="admit-inn" name="inn" label="ИНН" inputmode="numeric" value=empty() error=message(error, "inn") maxlength=12 />
                <Field id="admit-children" name="max_children" label="Лимит детей" kind="number" inputmode="numeric"
                    value=empty() error=message(error, "max_children") maxlength=6 />
                <Field id="admit-payer" name="payer_limit" label="Лимит средств, ₽" inputmode="decimal"
                    value=empty() error=message(error, "payer_limit") maxlength=20 />
                <button type="submit" class="button button--primary" data-testid="admit-submit"
                    disabled=move || admit.pending().get()>"Внести в реестр"</button>
            </ActionForm>
        </div>
    }
    .into_any()
}

#[component]
fn Programme(p: ProgrammeRow) -> impl IntoView {
    let save = ServerAction::<OperatorProgramme>::new();
    bump(save);
    let error = form_error(save, OperatorProgramme::PATH);
    let id = p.id;
    let msg = Signal::derive(move || {
        field_message(&error.get(), "registry").or_else(|| general_message(&error.get()))
    });
    view! {
        <div class="element" data-testid="programme">
            <h3 class="element__title">{p.title.clone()}</h3>
            <p class="hint">{p.provider} " · открытых заявок и договоров: " {p.open_contracts}</p>
            <ActionForm action=save attr:class="registry-form">
                <input type="hidden" name="programme_id" value=id.to_string() />
                <div class="field" class:field--invalid=move || msg.get().is_some()>
                    <label for=format!("programme-{id}-registry")>"Реестр"</label>
                    <select id=format!("programme-{id}-registry") name="registry" data-testid="programme-registry"
                        aria-describedby=format!("programme-{id}-error")>
                        {Registry::ALL.into_iter().map(|r| view! {
                            <option value=r.code() selected=r == p.registry>{r.title()}</option>
                        }).collect_view()}
                    </select>
                    <p class="error" id=format!("programme-{id}-error") role="alert">{move || msg.get()}</p>
                </div>
                <label class="choice">
                    <input type="checkbox" name="visible" value="1" checked=p.visible data-testid="programme-visible" />
                    " Показывать в навигаторе"
                </label>
                <button type="submit" class="button button--ghost" data-testid="programme-save"
                    disabled=move || save.pending().get()>"Сохранить"</button>
            </ActionForm>
        </div>
    }
}
