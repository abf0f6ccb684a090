//! Form pieces that work with and without JavaScript: field errors come either from the
//! action (hydrated) or from the `__err` query parameter a plain form post is redirected with.

use leptos::prelude::*;
use leptos::server_fn::error::ServerFnUrlError;
use leptos_router::hooks::use_query_map;

use crate::error::{AppError, FieldError};

/// The error a plain (no-JS) form post to `path` was redirected back with.
pub fn url_error(path: &'static str) -> Memo<Option<AppError>> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|q| {
            if q.get_str("__path") == Some(path) {
                q.get_str("__err")
                    .map(ServerFnUrlError::<AppError>::decode_err)
            } else {
                None
            }
        })
    })
}

/// The header the page script sends a form marked `data-in-place` with: the server then
/// answers with the page showing the outcome (`Posted`) instead of a download.
pub const IN_PLACE_HEADER: &str = "x-kabinet-in-place";

/// What a form's post produced, shown once on the page the server renders as its answer: a
/// password or codes that must never travel through an address or be kept.
#[derive(Clone, Debug)]
pub struct Posted<T>(pub T);

/// The outcome the server rendered this page with, if it did.
pub fn posted<T: Clone + Send + Sync + 'static>() -> Option<T> {
    use_context::<Posted<T>>().map(|p| p.0)
}

/// The latest error of an action, or else the one in the URL.
pub fn form_error<I, O>(action: ServerAction<I>, path: &'static str) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let from_url = url_error(path);
    Signal::derive(move || match action.value().get() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None if action.version().get() == 0 => from_url.get(),
        None => None,
    })
}

pub fn field_message(error: &Option<AppError>, field: &str) -> Option<String> {
    error.as_ref().and_then(|e| e.field_message(field))
}

/// The message of an error that belongs to no field.
pub fn general_message(error: &Option<AppError>) -> Option<String> {
    match error {
        None | Some(AppError::Validation(_)) => None,
        Some(e) => Some(e.to_string()),
    }
}

/// Live messages of a long form: a field shows its rule's message once the person has left it
/// (or tried to send), and the server's message for a field until that field is edited.
#[derive(Clone, Copy)]
pub struct LiveErrors {
    touched: RwSignal<Vec<&'static str>>,
    server: RwSignal<Vec<FieldError>>,
}

impl LiveErrors {
    /// Follows `error`: each validation answer replaces the server's previous messages.
    pub fn new(error: Signal<Option<AppError>>) -> Self {
        let server = RwSignal::new(Vec::new());
        Effect::new(move |_| {
            if let Some(AppError::Validation(errs)) = error.get() {
                server.set(errs);
            }
        });
        Self {
            touched: RwSignal::new(Vec::new()),
            server,
        }
    }

    pub fn touch(self, field: &'static str) {
        self.touched.update(|t| {
            if !t.contains(&field) {
                t.push(field);
            }
        });
    }

    pub fn clear_server(self, field: &'static str) {
        self.server.update(|e| e.retain(|x| x.field != field));
    }

    /// The server's message for `field`, else `check(field)` once the field was touched.
    pub fn message(
        self,
        field: &'static str,
        check: impl Fn(&'static str) -> Option<String> + Send + Sync + 'static,
    ) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.server
                .with(|e| {
                    e.iter()
                        .find(|x| x.field == field)
                        .map(|x| x.message.clone())
                })
                .or_else(|| {
                    self.touched
                        .with(|t| t.contains(&field))
                        .then(|| check(field))
                        .flatten()
                })
        })
    }
}

/// A labelled input with its error, announced to screen readers.
#[component]
pub fn Field(
    /// The input's id; also the key of its error.
    #[prop(into)]
    id: String,
    /// The name the form posts.
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    /// A `<datalist>` id: suggestions the browser filters as the person types.
    #[prop(optional)]
    list: Option<&'static str>,
    #[prop(default = true)] required: bool,
    #[prop(default = 200)] maxlength: usize,
    #[prop(optional, into)] on_blur: Option<Callback<()>>,
    #[prop(optional, into)] on_input: Option<Callback<String>>,
) -> impl IntoView {
    // An empty hint is no hint, so callers that pass one through need not branch.
    let hint = hint.filter(|h| !h.is_empty());
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let input_ref = NodeRef::<leptos::html::Input>::new();
    // The DOM and the signal are kept in step here rather than with `prop:value`, which would
    // wipe what a person typed before the WASM arrived: on the first run after hydration the
    // typed text wins; later, programmatic changes (formatting) are written to the input.
    Effect::new(move |first: Option<()>| {
        let v = value.get();
        if let Some(el) = input_ref.get() {
            let typed = el.value();
            if first.is_none() && !typed.is_empty() && typed != v {
                value.set(typed);
            } else if typed != v {
                el.set_value(&v);
            }
        }
    });
    let described = move || {
        let mut ids = Vec::new();
        if hint.is_some() {
            ids.push(hint_id.clone());
        }
        if error.get().is_some() {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label for=id.clone()>{label} {required.then(|| view! { <span class="req" aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            <input
                node_ref=input_ref
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                placeholder=placeholder
                list=list
                required=required
                maxlength=maxlength
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described
                value=value.get_untracked()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    value.set(v.clone());
                    if let Some(cb) = on_input {
                        cb.run(v);
                    }
                }
                on:blur=move |_| {
                    if let Some(cb) = on_blur {
                        cb.run(());
                    }
                }
            />
            <p class="error" id=format!("{id}-error") role="alert" aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A message for the whole form.
#[component]
pub fn FormMessage(message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <div class="alert alert--error" role="alert">{move || message.get()}</div>
        </Show>
    }
}

/// A submit button; `pending` while an action sent from the browser runs (a form the page
/// script sends is marked busy by it).
#[component]
pub fn Submit(
    label: &'static str,
    #[prop(default = Signal::stored(false), into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button type="submit" class="button button--primary" disabled=move || pending.get() aria-busy=move || pending.get().to_string()>
            {move || if pending.get() { "Отправляем…" } else { label }}
        </button>
    }
}

/// The values of a submitted form, read from the DOM (what the person sees is what is sent).
#[cfg(feature = "hydrate")]
pub fn submitted_values(ev: &leptos::ev::SubmitEvent) -> Submitted {
    use wasm_bindgen::JsCast as _;
    Submitted(
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            .and_then(|form| web_sys::FormData::new_with_form(&form).ok()),
    )
}

/// A submitted form's data, asked by field name.
#[cfg(feature = "hydrate")]
pub struct Submitted(Option<web_sys::FormData>);

#[cfg(feature = "hydrate")]
impl Submitted {
    /// The field's text; empty when it is absent or a file.
    pub fn get(&self, name: &str) -> String {
        self.0
            .as_ref()
            .and_then(|d| d.get(name).as_string())
            .unwrap_or_default()
    }

    /// Whether the form sent the field at all (a ticked box).
    pub fn has(&self, name: &str) -> bool {
        self.0.as_ref().is_some_and(|d| d.has(name))
    }
}

/// A labelled multi-line field with the server's message for it.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    name: &'static str,
    label: &'static str,
    error: Signal<Option<String>>,
    #[prop(default = 5)] rows: u32,
    #[prop(default = 5000)] maxlength: usize,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label for=id.clone()>{label} <span class="req" aria-hidden="true">" *"</span></label>
            <textarea id=id.clone() name=name rows=rows maxlength=maxlength required=true
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()></textarea>
            <p class="error" id=error_id role="alert" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// A labelled `<select>` of `(value, title)` options with the server's message for it.
#[component]
pub fn Choice(
    #[prop(into)] id: String,
    name: &'static str,
    label: &'static str,
    options: &'static [(&'static str, &'static str)],
    error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label for=id.clone()>{label} <span class="req" aria-hidden="true">" *"</span></label>
            <select id=id.clone() name=name required=true
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()>
                <option value="">"Выберите"</option>
                {options.iter().map(|(v, t)| view! { <option value=*v>{*t}</option> }).collect_view()}
            </select>
            <p class="error" id=error_id role="alert" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// Runs `then` each time `action` succeeds (in the browser; a plain form post reloads anyway).
pub fn on_success<I, O>(action: ServerAction<I>, then: impl Fn() + 'static)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            then();
        }
    });
}

/// Empties `form` each time its action succeeds, so the next entry starts afresh; a refused
/// form keeps what was typed.
pub fn reset_on_success<I, O>(action: ServerAction<I>, form: NodeRef<leptos::html::Form>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    on_success(action, move || {
        #[cfg(feature = "hydrate")]
        if let Some(f) = form.get_untracked() {
            f.reset();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = form;
    });
}
