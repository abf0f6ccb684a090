use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;

use crate::api::auth::ForgotPassword;
use crate::components::form::{
    Field, FormMessage, Submit, field_message, general_message, url_error,
};
use crate::components::island::{Island, island, island_state};
use crate::components::robot::{Robot, RobotCheck, challenge};
use crate::domain::account::parse_reset_login;
use crate::domain::robot::Challenge;
use crate::domain::snils::format_partial;
use crate::error::AppError;

/// A СНИЛС is shaped as it is typed; an e-mail is left as it is.
fn shaped(input: &str) -> String {
    if input.chars().any(|c| c.is_alphabetic() || c == '@') {
        input.to_owned()
    } else {
        format_partial(input)
    }
}

#[component]
pub fn ForgotPage() -> impl IntoView {
    let redirected = url_error(ForgotPassword::PATH).get_untracked();
    view! {
        <Title text="Восстановление пароля" />
        <section class="card narrow">
            <h1>"Забыли пароль?"</h1>
            <p>
                "Введите СНИЛС (педагоги и сотрудники школ — адрес электронной почты, которым входят): новый пароль придёт на адрес электронной почты, указанный в учётной записи. "
                "Прежний пароль работает, пока вы не войдёте с новым."
            </p>
            {island(ForgotForm { redirected, challenge: challenge() })}
            <p><a href="/login">"Вернуться ко входу"</a></p>
        </section>
    }
}

island_state! {
    /// The form, checked as it is left and before it is sent; the page script sends it.
    forgot_form: ForgotForm {
        /// The error the server refused the last post with.
        redirected: Option<AppError>,
        challenge: Option<Challenge>,
    }
}

impl Island for ForgotForm {
    fn view(self) -> impl IntoView {
        let ForgotForm {
            redirected,
            challenge,
        } = self;
        let error = Signal::stored(redirected);
        let snils = RwSignal::new(String::new());
        let touched = RwSignal::new(false);
        let robot = Robot::new(challenge);
        let snils_error = Signal::derive(move || {
            touched
                .get()
                .then(|| parse_reset_login(&snils.get()).err())
                .flatten()
                .or_else(|| field_message(&error.get(), "snils"))
        });
        let on_submit = move |ev: leptos::ev::SubmitEvent| {
            // Read the form itself: a СНИЛС typed before the WASM arrived is not in the signal.
            #[cfg(feature = "hydrate")]
            {
                let v = crate::components::form::submitted_values(&ev);
                snils.set(shaped(&v.get("snils")));
            }
            touched.set(true);
            let proof = robot.proof();
            if proof.is_none() {
                robot.demand();
            }
            if parse_reset_login(&snils.get_untracked()).is_err() || proof.is_none() {
                ev.prevent_default();
            }
        };
        let general = Signal::derive(move || general_message(&error.get()));
        view! {
                <FormMessage message=general />
                <form method="post" action=ForgotPassword::url() on:submit=on_submit novalidate=true>
                    <Field id="snils" name="snils" label="СНИЛС или электронная почта" value=snils error=snils_error
                        placeholder="123-456-789 01" maxlength=254
                        on_input=Callback::new(move |v: String| snils.set(shaped(&v)))
                        on_blur=Callback::new(move |_| touched.set(true)) />
                    <RobotCheck robot server_error=Signal::derive(move || field_message(&error.get(), "robot")) />
                    <Submit label="Получить новый пароль" />
                </form>
        }
    }
}
