//! «Я не робот» on a form. With JavaScript: a box to tick, after which the browser does the
//! proof of work in slices (the page stays responsive). Without JavaScript: the same
//! challenge's question in words, answered in a field. Both post `robot[token]` plus either
//! `robot[nonce]` or `robot[answer]`.

use leptos::prelude::*;

use crate::domain::robot::{Challenge, NOT_TICKED, RobotProof};

/// A fresh challenge for a form the server is rendering (`None` only outside a request). A
/// form the server refuses comes back as a new page, with a new challenge.
pub fn challenge() -> Option<Challenge> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::{context, robot};
        let now = context::now().ok()?;
        let state = context::state().ok()?;
        Some(robot::issue(&state.robot_key, &state.settings.policy, now))
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// The check's state, shared by the form that submits it.
#[derive(Clone, Copy)]
pub struct Robot {
    challenge: StoredValue<Option<Challenge>>,
    ticked: RwSignal<bool>,
    nonce: RwSignal<Option<u64>>,
    /// Which challenge the running search belongs to; a stale search stops itself.
    search: StoredValue<u64>,
    local_error: RwSignal<Option<&'static str>>,
}

impl Robot {
    /// The check of `challenge`, which the page was rendered with (see [`challenge`]).
    pub fn new(challenge: Option<Challenge>) -> Self {
        Self {
            challenge: StoredValue::new(challenge),
            ticked: RwSignal::new(false),
            nonce: RwSignal::new(None),
            search: StoredValue::new(0),
            local_error: RwSignal::new(None),
        }
    }

    fn token(&self) -> Option<Challenge> {
        self.challenge.get_value()
    }

    /// The proof to send, when the box is ticked and the work is done.
    pub fn proof(&self) -> Option<RobotProof> {
        let nonce = self.nonce.get_untracked()?;
        Some(RobotProof {
            token: self.token()?.token,
            nonce: nonce.to_string(),
            answer: String::new(),
        })
    }

    /// Shows «Отметьте «Я не робот»» when the form is sent without the check done.
    pub fn demand(&self) {
        self.local_error.set(Some(NOT_TICKED));
    }

    fn start(self, challenge: &Challenge) {
        let generation = self.search.get_value() + 1;
        self.search.set_value(generation);
        self.nonce.set(None);
        #[cfg(feature = "hydrate")]
        solve_in_slices(
            self,
            crate::domain::robot::seed(&challenge.token),
            challenge.bits,
            0,
            generation,
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = challenge;
    }

    fn stop(self) {
        self.search.update_value(|g| *g += 1);
        self.nonce.set(None);
    }
}

/// Hashes in slices of this many tries, yielding to the page between them.
#[cfg(feature = "hydrate")]
const SLICE: u64 = 20_000;

#[cfg(feature = "hydrate")]
fn solve_in_slices(robot: Robot, seed: [u8; 32], bits: u8, from: u64, generation: u64) {
    if robot.search.try_get_value() != Some(generation) {
        return;
    }
    match crate::domain::robot::search(&seed, bits, from, SLICE) {
        Some(n) => robot.nonce.set(Some(n)),
        None => set_timeout(
            move || solve_in_slices(robot, seed, bits, from + SLICE, generation),
            std::time::Duration::ZERO,
        ),
    }
}

const UNAVAILABLE: &str = "Проверку «Я не робот» не удалось подготовить: обновите страницу";

/// The check inside a form. `server_error` is the server's message for the `robot` field.
#[component]
pub fn RobotCheck(robot: Robot, server_error: Signal<Option<String>>) -> impl IntoView {
    // Until the WASM runs, the page offers the question; afterwards, the box.
    let scripted = RwSignal::new(false);
    Effect::new(move |_| scripted.set(true));
    // The server's message stays until the check is passed again.
    let error = Signal::derive(move || {
        robot.local_error.get().map(str::to_owned).or_else(|| {
            robot
                .nonce
                .with(Option::is_none)
                .then(|| server_error.get())
                .flatten()
        })
    });
    let status = move || match (robot.ticked.get(), robot.nonce.get()) {
        (false, _) => "",
        (true, None) => "Проверяем…",
        (true, Some(_)) => "Готово",
    };
    let on_tick = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        robot.ticked.set(on);
        robot.local_error.set(None);
        match (on, robot.token()) {
            (true, Some(c)) => robot.start(&c),
            _ => robot.stop(),
        }
    };
    view! {
        <fieldset class="field robot" class:field--invalid=move || error.get().is_some()
            aria-describedby="robot-error">
            <legend>"Проверка «Я не робот»"</legend>
            {match robot.token() {
                Some(c) => view! {
                    <input type="hidden" name="robot[token]" value=c.token />
                    <div class="robot__box" hidden=move || !scripted.get()>
                        <label class="check">
                            <input type="checkbox" id="robot-check"
                                prop:checked=move || robot.ticked.get()
                                on:change=on_tick />
                            "Я не робот"
                        </label>
                        <span class="robot__status" data-testid="robot-status" aria-live="polite">{status}</span>
                    </div>
                    <div class="robot__question" hidden=move || scripted.get()>
                        <label for="robot-answer">{c.question}</label>
                        <input id="robot-answer" name="robot[answer]" inputmode="numeric"
                            autocomplete="off" maxlength="3" />
                    </div>
                }.into_any(),
                None => view! { <p class="error">{UNAVAILABLE}</p> }.into_any(),
            }}
            <input type="hidden" name="robot[nonce]"
                value=move || robot.nonce.get().map(|n| n.to_string()).unwrap_or_default() />
            <p class="error" id="robot-error" role="alert" aria-live="polite">{move || error.get()}</p>
        </fieldset>
    }
}
