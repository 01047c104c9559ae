//! The classroom on a page: exercises (checked at once, with a hint and an explanation, saved
//! where the browser keeps data), the demo links that set a demo, and the receipt a student
//! downloads. The checking rules and the receipt format are `occam_demos::exercise`'s.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use occam_demos::exercise::{
    self, Answer, AssignmentRef, Exercise, Kind, Receipt, ReceiptAnswer, RunRecord, State,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::export;

/// Sets a demo's parameters from `name=value` pairs, as if typed into its controls.
pub type Setter = Rc<dyn Fn(&[(String, String)])>;

/// What an exercise's answer controls hold, and where it stands: signals, so that the chapter's
/// panel can count, reset and hand in every exercise of the page.
#[derive(Clone, Copy)]
struct Handle {
    exercise: &'static Exercise,
    answer: RwSignal<Answer>,
    state: RwSignal<State>,
    message: RwSignal<String>,
    /// The options picked when the reader last checked (their feedback is shown).
    checked_picks: RwSignal<Vec<usize>>,
    is_hint_shown: RwSignal<bool>,
    has_given_up: RwSignal<bool>,
    /// A prediction's guess is locked in (runs after this count).
    is_locked: RwSignal<bool>,
    /// The number of the page's last finished run when the guess was locked.
    locked_after: StoredValue<u64>,
}

thread_local! {
    /// Values an assignment fixes, by demo: shown, not editable.
    static FIXED: RefCell<HashMap<String, Vec<(String, String)>>> = RefCell::new(HashMap::new());
    static SETTERS: RefCell<HashMap<&'static str, Setter>> = RefCell::new(HashMap::new());
    static FINISHED: RefCell<HashMap<String, RwSignal<Option<Finished>>>> = RefCell::new(HashMap::new());
    static RUNS_SO_FAR: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    static HANDLES: RefCell<Vec<Handle>> = const { RefCell::new(Vec::new()) };
    static IS_STORAGE_USABLE: bool = probe_storage();
}

/// Fixes values of demo `demo` for this page (an assignment's): the demo shows them and takes
/// no other.
pub fn fix_values(demo: &str, pairs: Vec<(String, String)>) {
    FIXED.with(|fixed| fixed.borrow_mut().insert(demo.to_owned(), pairs));
}

/// The values fixed for `spec` on this page, read as its parameters read them (a value the
/// demo would repair is repaired, and not fixed).
pub fn fixed_values(
    spec: &occam_demos::DemoSpec,
) -> Vec<(&'static str, occam_demos::params::ParamValue)> {
    FIXED.with(|fixed| {
        fixed
            .borrow()
            .get(spec.id)
            .map(|pairs| {
                pairs
                    .iter()
                    .filter_map(|(name, raw)| {
                        let param = spec.param(name)?;
                        let (value, notice) = param.read(raw);
                        notice.is_none().then_some((param.name, value))
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Registers how demo `id` takes values from a demo link or an exercise.
pub fn register_setter(id: &'static str, setter: Setter) {
    SETTERS.with(|setters| setters.borrow_mut().insert(id, setter));
}

/// A finished run of a demo on this page.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// Counts the page's finished runs, from 1: a run repeated with the same values is still a
    /// new run.
    pub number: u64,
    pub record: RunRecord,
    /// Whether the reader made it (a demo the page computes itself also "runs" as it mounts).
    pub is_by_reader: bool,
}

/// The last finished run of demo `id` on this page, for the exercises that watch it; created
/// on first use, whoever asks first.
pub fn finished_runs(id: &str) -> RwSignal<Option<Finished>> {
    FINISHED.with(|finished| {
        *finished
            .borrow_mut()
            .entry(id.to_owned())
            .or_insert_with(|| RwSignal::new(None))
    })
}

/// A demo on the page finished a run: what ran and what it measured.
pub fn record_run(
    spec: &occam_demos::DemoSpec,
    values: &occam_demos::params::Values,
    backend: occam_demos::protocol::Backend,
    report: &occam_demos::protocol::Report,
    is_by_reader: bool,
) {
    let record = RunRecord {
        demo: spec.id.to_owned(),
        // Every value, long texts too: the receipt must reproduce the run.
        params: spec
            .params
            .iter()
            .filter_map(|param| {
                values
                    .get(param.name)
                    .map(|value| (param.name.to_owned(), value.to_url_string()))
            })
            .collect(),
        backend: backend.as_str().to_owned(),
        metrics: report
            .metrics
            .iter()
            .filter(|(_, value)| value.is_finite())
            .cloned()
            .collect(),
        build: exercise::BUILD.to_owned(),
    };
    let number = RUNS_SO_FAR.with(|count| {
        count.set(count.get() + 1);
        count.get()
    });
    finished_runs(spec.id).set(Some(Finished {
        number,
        record,
        is_by_reader,
    }));
}

/// Local storage, when this page may use it (never throws: a sandboxed frame's refusal, a
/// private mode's, a full quota are all `None` or ignored).
fn storage() -> Option<web_sys::Storage> {
    if !IS_STORAGE_USABLE.with(|usable| *usable) {
        return None;
    }
    window().local_storage().ok().flatten()
}

fn probe_storage() -> bool {
    let Some(storage) = window().local_storage().ok().flatten() else {
        return false;
    };
    let probe = "occam.probe";
    let is_usable = storage.set_item(probe, "1").is_ok();
    let _ = storage.remove_item(probe);
    is_usable
}

/// Whether answers are kept between visits.
pub fn is_storage_usable() -> bool {
    IS_STORAGE_USABLE.with(|usable| *usable)
}

/// What is kept of an exercise between visits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Saved {
    fingerprint: String,
    answer: Answer,
    state: State,
    message: String,
    #[serde(default)]
    checked_picks: Vec<usize>,
    is_hint_shown: bool,
    has_given_up: bool,
    is_locked: bool,
}

fn storage_key(exercise: &Exercise) -> String {
    format!("occam.exercise.{}", exercise.id)
}

/// The saved state of `exercise`, if there is one for this version of it.
fn load(exercise: &Exercise) -> Option<Saved> {
    let text = storage()?.get_item(&storage_key(exercise)).ok().flatten()?;
    let saved: Saved = serde_json::from_str(&text).ok()?;
    let is_same_kind = std::mem::discriminant(&saved.answer)
        == std::mem::discriminant(&Answer::empty(&exercise.kind));
    (saved.fingerprint == exercise.fingerprint() && is_same_kind).then_some(saved)
}

impl Handle {
    fn new(exercise: &'static Exercise) -> Self {
        let saved = load(exercise);
        let handle = Self {
            exercise,
            answer: RwSignal::new(Answer::empty(&exercise.kind)),
            state: RwSignal::new(State::Open),
            message: RwSignal::new(String::new()),
            checked_picks: RwSignal::new(Vec::new()),
            is_hint_shown: RwSignal::new(false),
            has_given_up: RwSignal::new(false),
            is_locked: RwSignal::new(false),
            locked_after: StoredValue::new(0),
        };
        if let Some(saved) = saved {
            handle.answer.set(saved.answer);
            handle.state.set(saved.state);
            handle.message.set(saved.message);
            handle.checked_picks.set(saved.checked_picks);
            handle.is_hint_shown.set(saved.is_hint_shown);
            handle.has_given_up.set(saved.has_given_up);
            handle.is_locked.set(saved.is_locked);
        }
        handle
    }

    fn saved(&self) -> Saved {
        Saved {
            fingerprint: self.exercise.fingerprint(),
            answer: self.answer.get(),
            state: self.state.get(),
            message: self.message.get(),
            checked_picks: self.checked_picks.get(),
            is_hint_shown: self.is_hint_shown.get(),
            has_given_up: self.has_given_up.get(),
            is_locked: self.is_locked.get(),
        }
    }

    /// Keeps the state in storage (or forgets it once it is back to nothing answered).
    fn save(&self) {
        let saved = self.saved();
        let Some(storage) = storage() else {
            return;
        };
        let key = storage_key(self.exercise);
        let is_blank = saved.answer == Answer::empty(&self.exercise.kind)
            && saved.state == State::Open
            && !saved.is_hint_shown
            && !saved.has_given_up
            && !saved.is_locked;
        if is_blank {
            let _ = storage.remove_item(&key);
        } else if let Ok(text) = serde_json::to_string(&saved) {
            let _ = storage.set_item(&key, &text);
        }
    }

    fn start_over(&self) {
        self.answer.set(Answer::empty(&self.exercise.kind));
        self.state.set(State::Open);
        self.message.set(String::new());
        self.checked_picks.set(Vec::new());
        self.is_hint_shown.set(false);
        self.has_given_up.set(false);
        self.is_locked.set(false);
    }

    /// The reader changed an answer after checking it: it is open again until checked, so
    /// that the page and a receipt made now say the same.
    fn reopen(&self) {
        if self.state.get_untracked() != State::Open {
            self.state.set(State::Open);
            self.message.set(String::new());
            self.checked_picks.set(Vec::new());
        }
    }

    fn apply(&self, verdict: exercise::Verdict) {
        self.state.set(verdict.state);
        self.message.set(verdict.message);
    }

    /// The reader asked for a check.
    fn check(&self) {
        let exercise = self.exercise;
        match exercise.kind {
            Kind::Number { .. } => {
                self.apply(exercise::check(exercise, &self.answer.get_untracked()));
            }
            Kind::Choice { .. } => {
                let answer = self.answer.get_untracked();
                if let Answer::Choice { picked } = &answer {
                    self.checked_picks.set(picked.clone());
                }
                self.apply(exercise::check(exercise, &answer));
            }
            Kind::Show { demo, .. } => {
                if self.state.get_untracked() == State::Solved {
                    return;
                }
                match finished_runs(demo).get_untracked() {
                    None => self
                        .message
                        .set("Run the demo first: its finished run is what is checked.".to_owned()),
                    Some(finished) => {
                        let answer = Answer::Show {
                            run: Some(finished.record),
                        };
                        self.apply(exercise::check(exercise, &answer));
                        self.answer.set(answer);
                    }
                }
            }
            Kind::Predict { demo, .. } => {
                let answer = self.answer.get_untracked();
                if self.is_locked.get_untracked() {
                    // The last run after the guess, if there is one.
                    let after = finished_runs(demo)
                        .get_untracked()
                        .filter(|finished| finished.number > self.locked_after.get_value());
                    match after {
                        Some(finished) if self.state.get_untracked() != State::Solved => {
                            self.on_run(finished.record);
                        }
                        _ => self.apply(exercise::check(exercise, &answer)),
                    }
                    return;
                }
                let Answer::Predict { guess, .. } = &answer else {
                    return;
                };
                match exercise::read_number(guess, "") {
                    Some(value) => {
                        let last = finished_runs(demo)
                            .get_untracked()
                            .map_or(0, |finished| finished.number);
                        self.locked_after.set_value(last);
                        self.is_locked.set(true);
                        self.state.set(State::Open);
                        self.message.set(format!(
                            "Your guess, {value}, is locked in. Now run the demo with the settings the question asks for."
                        ));
                    }
                    None => self.apply(exercise::check(exercise, &answer)),
                }
            }
        }
    }

    /// A demo of this page finished `run`: a `show` exercise that it solves is solved, one the
    /// reader has checked before is checked again; a locked prediction takes its first run that
    /// meets the goal.
    fn on_run(&self, run: RunRecord) {
        let exercise = self.exercise;
        if self.state.get_untracked() == State::Solved
            || exercise.kind.demo() != Some(run.demo.as_str())
        {
            return;
        }
        match exercise.kind {
            Kind::Show { .. } => {
                let answer = Answer::Show { run: Some(run) };
                let verdict = exercise::check(exercise, &answer);
                if verdict.state == State::Solved || self.state.get_untracked() != State::Open {
                    self.answer.set(answer);
                    self.apply(verdict);
                }
            }
            Kind::Predict { .. } if self.is_locked.get_untracked() => {
                let Answer::Predict { guess, .. } = self.answer.get_untracked() else {
                    return;
                };
                let answer = Answer::Predict {
                    guess,
                    run: Some(run),
                };
                let verdict = exercise::check(exercise, &answer);
                if verdict.state == State::Solved {
                    self.answer.set(answer);
                }
                self.apply(verdict);
            }
            _ => {}
        }
    }
}

fn handles_of(chapter: Option<&str>) -> Vec<Handle> {
    HANDLES.with(|handles| {
        handles
            .borrow()
            .iter()
            .filter(|handle| chapter.is_none_or(|slug| handle.exercise.chapter == slug))
            .copied()
            .collect()
    })
}

/// Demo links (`a[data-set-demo]`, compiled from `[words](demo:<id>?…)`) set their demo and
/// scroll to it; without this the link still goes to the demo.
pub fn handle_demo_links() {
    let on_click = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(|event: web_sys::MouseEvent| {
        let Some(link) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("a[data-set-demo]").ok().flatten())
        else {
            return;
        };
        let demo = link.get_attribute("data-set-demo").unwrap_or_default();
        let Some(setter) = SETTERS.with(|setters| setters.borrow().get(demo.as_str()).cloned())
        else {
            return;
        };
        event.prevent_default();
        let pairs: Vec<(String, String)> = link
            .get_attribute("data-set-params")
            .unwrap_or_default()
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(name, value)| (crate::url::decode(name), crate::url::decode(value)))
            .collect();
        setter(&pairs);
        if let Some(target) = document().get_element_by_id(&demo) {
            target.scroll_into_view();
        }
    });
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
}

/// The words for a kind, above its question.
fn kind_label(kind: &Kind) -> &'static str {
    match kind {
        Kind::Number { .. } => "Work it out",
        Kind::Choice { .. } => "Choose",
        Kind::Show { .. } => "Make the demo show it",
        Kind::Predict { .. } => "Predict, then run",
    }
}

/// One exercise, per the contract: `[data-exercise]` with `data-kind` and `data-state`, its
/// answer controls `[data-answer]`, its buttons `[data-action="check"]` and
/// `[data-action="hint"]`, and its feedback `[data-feedback]`.
#[component]
pub fn ExerciseView(
    /// The exercise, as compiled from its chapter's text.
    exercise: &'static Exercise,
) -> impl IntoView {
    let handle = Handle::new(exercise);
    HANDLES.with(|handles| handles.borrow_mut().push(handle));
    Effect::new(move || handle.save());
    if let Some(demo) = exercise.kind.demo() {
        let runs = finished_runs(demo);
        let seen =
            StoredValue::new(runs.with_untracked(|finished| {
                finished.as_ref().map_or(0, |finished| finished.number)
            }));
        Effect::new(move || {
            let Some(finished) = runs.get() else {
                return;
            };
            if finished.number <= seen.get_value() {
                return;
            }
            seen.set_value(finished.number);
            // A run the reader made, not a demo computing its defaults as the page opened.
            if finished.is_by_reader {
                handle.on_run(finished.record);
            }
        });
    }
    let Handle {
        answer,
        state,
        message,
        checked_picks,
        is_hint_shown,
        has_given_up,
        is_locked,
        ..
    } = handle;
    let id = exercise.id;
    let on_enter = move |event: web_sys::KeyboardEvent| {
        if event.key() == "Enter" {
            event.prevent_default();
            handle.check();
        }
    };
    let controls = match exercise.kind {
        Kind::Number { unit, .. } => {
            let typed = move || match answer.get() {
                Answer::Number { typed } => typed,
                _ => String::new(),
            };
            view! {
                <div class="answer">
                    <input type="text" inputmode="decimal" autocomplete="off" spellcheck="false" data-answer
                        aria-label="your answer" prop:value=typed
                        on:input=move |event| {
                            answer.set(Answer::Number { typed: event_target_value(&event) });
                            handle.reopen();
                        }
                        on:keydown=on_enter/>
                    {(!unit.is_empty()).then(|| view! { <span class="unit">{unit}</span> })}
                </div>
            }
            .into_any()
        }
        Kind::Choice { options } => {
            let is_several = exercise.has_several_right();
            let picked = move || match answer.get() {
                Answer::Choice { picked } => picked,
                _ => Vec::new(),
            };
            let items = options
                .iter()
                .enumerate()
                .map(|(index, option)| {
                    view! {
                        <label class="option">
                            <input type=if is_several { "checkbox" } else { "radio" } name=id data-answer value=index.to_string()
                                prop:checked=move || picked().contains(&index)
                                on:change=move |event| {
                                    let is_on = event_target_checked(&event);
                                    answer.update(|answer| {
                                        let mut now = match answer { Answer::Choice { picked } => picked.clone(), _ => Vec::new() };
                                        if !is_several { now.clear(); }
                                        now.retain(|&at| at != index);
                                        if is_on { now.push(index); }
                                        now.sort_unstable();
                                        *answer = Answer::Choice { picked: now };
                                    });
                                    handle.reopen();
                                }/>
                            <span class="option-text" inner_html=option.text></span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="answer options">
                    <legend class="visually-hidden">{if is_several { "Tick every right option" } else { "Pick one option" }}</legend>
                    {is_several.then(|| view! { <p class="note">"Tick every option that is right."</p> })}
                    {items}
                </fieldset>
            }
            .into_any()
        }
        Kind::Show { demo, goal, .. } => {
            let spec = occam_demos::demo(demo);
            let goals = goal
                .iter()
                .filter_map(|line| {
                    let spec = spec?;
                    let condition = exercise::Condition::parse(line, spec).ok()?;
                    Some(view! { <li>{condition.describe(spec)}</li> })
                })
                .collect_view();
            view! {
                <div class="answer goal">
                    <p>"Goal, checked on the demo’s finished run:"</p>
                    <ul>{goals}</ul>
                </div>
            }
            .into_any()
        }
        Kind::Predict { demo, metric, .. } => {
            let label = occam_demos::demo(demo).map_or_else(
                || metric.to_owned(),
                |spec| exercise::label_of(spec, metric),
            );
            let guess = move || match answer.get() {
                Answer::Predict { guess, .. } => guess,
                _ => String::new(),
            };
            view! {
                <div class="answer">
                    <label>{format!("Your guess of {label}: ")}
                        <input type="text" inputmode="decimal" autocomplete="off" spellcheck="false" data-answer
                            prop:value=guess disabled=move || is_locked.get()
                            on:input=move |event| answer.set(Answer::Predict { guess: event_target_value(&event), run: None })
                            on:keydown=on_enter/>
                    </label>
                </div>
            }
            .into_any()
        }
    };
    let check_label = move || match exercise.kind {
        Kind::Show { .. } => "Check the last run",
        Kind::Predict { .. } if !is_locked.get() => "Lock in my guess",
        Kind::Predict { .. } => "Check the run",
        _ => "Check",
    };
    let option_feedback = move || match exercise.kind {
        Kind::Choice { options } if state.get() != State::Open => checked_picks
            .get()
            .into_iter()
            .filter_map(|at| options.get(at))
            .map(|option| view! { <div class="option-feedback" inner_html=option.feedback></div> })
            .collect_view()
            .into_any(),
        _ => ().into_any(),
    };
    view! {
        <section class="exercise" id=format!("exercise-{id}") data-exercise=id data-kind=exercise.kind.as_str()
            data-state=move || state.get().as_str()>
            <p class="exercise-kicker">
                <span>{kind_label(&exercise.kind)}</span>
                {move || (state.get() == State::Solved).then(|| view! { <span class="solved-badge">"✓ solved"</span> })}
            </p>
            <div class="prose exercise-prompt" inner_html=exercise.prompt></div>
            {controls}
            <div class="exercise-actions">
                <button data-action="check" on:click=move |_| handle.check()>{check_label}</button>
                <button data-action="hint" aria-expanded=move || is_hint_shown.get().to_string()
                    on:click=move |_| is_hint_shown.update(|shown| *shown = !*shown)>
                    {move || if is_hint_shown.get() { "Hide the hint" } else { "Hint" }}
                </button>
                {move || (state.get() != State::Solved && !has_given_up.get()).then(|| view! {
                    <button data-action="give-up" class="quiet" on:click=move |_| has_given_up.set(true)>"Show the explanation"</button>
                })}
            </div>
            <div class="feedback" data-feedback role="status" aria-live="polite">
                {move || (!message.get().is_empty()).then(|| view! { <p>{message.get()}</p> })}
                {option_feedback}
            </div>
            {move || is_hint_shown.get().then(|| view! {
                <div class="prose exercise-hint" data-hint><p class="exercise-kicker">"Hint"</p><div inner_html=exercise.hint></div></div>
            })}
            {move || (state.get() == State::Solved || has_given_up.get()).then(|| view! {
                <div class="prose exercise-explanation" data-explanation><p class="exercise-kicker">"Why"</p><div inner_html=exercise.explain></div></div>
            })}
        </section>
    }
}

/// One line, where the browser keeps nothing for this page: answers are still checked.
#[component]
pub fn StorageNotice() -> impl IntoView {
    (!is_storage_usable()).then(|| view! {
        <p class="storage-notice" data-storage-notice role="note">
            "This browser keeps nothing for this page (a private window, or a frame without storage): your answers are checked, but they will be gone when you leave."
        </p>
    })
}

/// Where the student's name for receipts is kept.
const NAME_KEY: &str = "occam.student-name";

/// The end of a page's exercises: how many are solved, **Start over**, and the receipt.
#[component]
pub fn ExercisesPanel(
    /// The chapter whose exercises these are, or `None` for every exercise of the page.
    chapter: Option<&'static str>,
    /// What the receipt names as the assignment (a chapter's title, an assignment's).
    title: String,
) -> impl IntoView {
    let counts = move || {
        let handles = handles_of(chapter);
        let solved = handles
            .iter()
            .filter(|handle| handle.state.get() == State::Solved)
            .count();
        (solved, handles.len())
    };
    let name = RwSignal::new(
        storage()
            .and_then(|storage| storage.get_item(NAME_KEY).ok().flatten())
            .unwrap_or_default(),
    );
    let is_armed = RwSignal::new(false);
    let start_over = move || {
        if !is_armed.get_untracked() {
            is_armed.set(true);
            return;
        }
        is_armed.set(false);
        for handle in handles_of(chapter) {
            handle.start_over();
        }
    };
    let title_for_receipt = title.clone();
    let receipt = move || {
        let handles = handles_of(chapter);
        let answers = handles
            .iter()
            .map(|handle| ReceiptAnswer {
                exercise: handle.exercise.id.to_owned(),
                fingerprint: handle.exercise.fingerprint(),
                answer: handle.answer.get_untracked(),
            })
            .collect();
        let receipt = Receipt::new(
            String::from(js_sys::Date::new_0().to_iso_string()),
            name.get_untracked().trim().to_owned(),
            AssignmentRef {
                title: title_for_receipt.clone(),
                link: window().location().href().unwrap_or_default(),
                exercises: handles
                    .iter()
                    .map(|handle| handle.exercise.id.to_owned())
                    .collect(),
            },
            answers,
        );
        let who = export::slug(&receipt.name);
        let file = format!(
            "occam-receipt-{}{}.json",
            export::slug(&title_for_receipt),
            if receipt.name.is_empty() {
                String::new()
            } else {
                format!("-{who}")
            }
        );
        if let Some(blob) = export::text_blob(&receipt.to_json(), "application/json") {
            export::download_blob(&blob, &file);
        }
    };
    view! {
        <section class="exercises-panel" data-exercises-panel>
            <h2>"Your exercises"</h2>
            <p data-exercise-count>{move || { let (solved, all) = counts(); format!("{solved} of {all} solved{}", if is_storage_usable() { ", kept in this browser." } else { "." }) }}</p>
            <div class="panel-row">
                <label>"Your name, for the receipt: "
                    <input type="text" data-student-name autocomplete="name" prop:value=move || name.get()
                        on:input=move |event| {
                            let typed = event_target_value(&event);
                            if let Some(storage) = storage() { let _ = storage.set_item(NAME_KEY, &typed); }
                            name.set(typed);
                        }/>
                </label>
                <button data-action="receipt" on:click=move |_| receipt()>"Download a receipt"</button>
                <button data-action="start-over" class="quiet" on:click=move |_| start_over()
                    on:blur=move |_| is_armed.set(false)>
                    {move || if is_armed.get() { "Click again to erase these answers" } else { "Start over" }}
                </button>
            </div>
            <p class="note">"A receipt is a small file with your answers and the runs that solved them; your teacher’s page checks it and can run each run again. Nothing is sent anywhere."</p>
        </section>
    }
}
