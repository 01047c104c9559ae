//! The teacher's view (`teacher.html`): receipts in, one table out. Every verdict is computed
//! again from the answers in the receipt (`occam_demos::exercise::verdict_for`), never read
//! from it; a run a receipt claims can be run again in this page's worker, on the CPU, and is
//! marked verified when it measures what the receipt says. Nothing leaves the page.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use occam_demos::exercise::{self, Answer, Exercise, Receipt, RunRecord, State};
use occam_demos::protocol::{BackendRequest, FromWorker, Report, StartRun, ToWorker};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::{chapter, export, worker_host};

/// A receipt as loaded: the file it came from and what it says.
#[derive(Debug, Clone, PartialEq)]
struct Loaded {
    file: String,
    receipt: Receipt,
}

/// How far a claimed run's numbers may be from a re-run on the CPU: none for a run made on the
/// CPU (the same build, seed and values give the same numbers), and this much, relative or
/// absolute, for one made on WebGPU, whose kernels add in another order.
pub const WEBGPU_TOLERANCE: f64 = 0.02;

/// Whether a re-run's metrics reproduce the claimed ones: every claimed metric, exactly for a
/// CPU run, within [`WEBGPU_TOLERANCE`] for a WebGPU run. `Err` says which differs.
pub fn reproduces(claimed: &RunRecord, rerun: &Report) -> Result<(), String> {
    let is_exact = claimed.backend != "webgpu";
    for (name, value) in &claimed.metrics {
        let Some(again) = rerun.metric(name) else {
            return Err(format!("the re-run did not report {name}"));
        };
        let is_close = if is_exact {
            again == *value
        } else {
            (again - value).abs() <= WEBGPU_TOLERANCE * value.abs().max(1.0)
        };
        if !is_close {
            return Err(format!("{name}: claimed {value}, re-run {again}"));
        }
    }
    Ok(())
}

/// The run an answer claims, if any.
fn claimed_run(answer: &Answer) -> Option<&RunRecord> {
    match answer {
        Answer::Show { run } | Answer::Predict { run, .. } => run.as_ref(),
        Answer::Number { .. } | Answer::Choice { .. } => None,
    }
}

/// Runs `record` again in the worker, on the CPU, and waits for its last report.
async fn rerun(record: &RunRecord) -> Result<Report, String> {
    let spec = occam_demos::demo(&record.demo)
        .ok_or_else(|| format!("this build has no demo {}", record.demo))?;
    let values = occam_demos::params::parse(
        spec.params,
        record
            .params
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    )
    .values;
    let run = worker_host::next_run();
    let outcome: Rc<RefCell<Option<Result<Report, String>>>> = Rc::default();
    let promise = js_sys::Promise::new(&mut |resolve: js_sys::Function, _| {
        let outcome = outcome.clone();
        let listener: worker_host::Listener = Rc::new(move |message| {
            let ended = match message {
                FromWorker::Done { report, .. } => Some(Ok(report)),
                FromWorker::Error { message, .. } => Some(Err(message)),
                FromWorker::Stopped { .. } => Some(Err("the run was stopped".to_owned())),
                _ => None,
            };
            if let Some(ended) = ended {
                *outcome.borrow_mut() = Some(ended);
                let _ = resolve.call0(&JsValue::NULL);
            }
        });
        worker_host::listen(run, listener);
    });
    worker_host::send(ToWorker::Start(StartRun {
        run,
        demo: spec.id.to_owned(),
        params: values,
        backend: BackendRequest::Cpu,
        webgpu_unusable: None,
        adapter: None,
        webgpu_failed: false,
    }))?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|error| format!("{error:?}"))?;
    outcome
        .borrow_mut()
        .take()
        .unwrap_or_else(|| Err("the run ended without a report".to_owned()))
}

/// The exercises the receipts answer, in the notebook's order, and the ids this build does not
/// know.
fn columns(receipts: &[Loaded]) -> (Vec<&'static Exercise>, Vec<String>) {
    let named: Vec<&str> = receipts
        .iter()
        .flat_map(|loaded| {
            loaded
                .receipt
                .assignment
                .exercises
                .iter()
                .chain(loaded.receipt.answers.iter().map(|answer| &answer.exercise))
                .map(String::as_str)
        })
        .collect();
    let known: Vec<&'static Exercise> = chapter::exercises()
        .iter()
        .filter(|exercise| named.contains(&exercise.id))
        .collect();
    let mut unknown: Vec<String> = named
        .iter()
        .filter(|id| chapter::exercise(id).is_none())
        .map(|id| (*id).to_owned())
        .collect();
    unknown.sort();
    unknown.dedup();
    (known, unknown)
}

fn student_of(loaded: &Loaded) -> String {
    if loaded.receipt.name.trim().is_empty() {
        format!("(no name: {})", loaded.file)
    } else {
        loaded.receipt.name.trim().to_owned()
    }
}

/// A cell a spreadsheet will not take for a formula: text from a receipt (a name) that starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.
fn spreadsheet_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The table as CSV, for a gradebook: a row per receipt, a column per exercise.
fn table_csv(
    receipts: &[Loaded],
    exercises: &[&'static Exercise],
    verified: &[((usize, &'static str), bool)],
) -> String {
    let mut header = vec![
        "student".to_owned(),
        "file".to_owned(),
        "created".to_owned(),
        "solved".to_owned(),
    ];
    header.extend(exercises.iter().map(|exercise| exercise.id.to_owned()));
    let mut lines = vec![
        header
            .iter()
            .map(|field| export::csv_field(field))
            .collect::<Vec<_>>()
            .join(","),
    ];
    for (row, loaded) in receipts.iter().enumerate() {
        let states: Vec<String> = exercises
            .iter()
            .map(|exercise| {
                let state =
                    exercise::verdict_for(exercise, loaded.receipt.answer(exercise.id)).state;
                let check = verified
                    .iter()
                    .find(|(key, _)| *key == (row, exercise.id))
                    .map(|(_, is_verified)| {
                        if *is_verified {
                            " verified"
                        } else {
                            " not verified"
                        }
                    })
                    .unwrap_or("");
                format!("{}{check}", state.as_str())
            })
            .collect();
        let solved = states
            .iter()
            .filter(|state| state.starts_with("solved"))
            .count();
        let mut fields = vec![
            spreadsheet_text(&student_of(loaded)),
            spreadsheet_text(&loaded.file),
            spreadsheet_text(&loaded.receipt.created),
            solved.to_string(),
        ];
        fields.extend(states);
        lines.push(
            fields
                .iter()
                .map(|field| export::csv_field(field))
                .collect::<Vec<_>>()
                .join(","),
        );
    }
    lines.join("\n") + "\n"
}

/// Reads the files' text and adds the receipts among them; the others get a reason.
fn read_files(
    files: web_sys::FileList,
    receipts: RwSignal<Vec<Loaded>>,
    refused: RwSignal<Vec<String>>,
) {
    let files: Vec<web_sys::File> = (0..files.length())
        .filter_map(|index| files.item(index))
        .collect();
    wasm_bindgen_futures::spawn_local(async move {
        for file in files {
            let name = file.name();
            let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => text.as_string().unwrap_or_default(),
                Err(_) => {
                    refused.update(|refused| refused.push(format!("{name}: could not be read")));
                    continue;
                }
            };
            match Receipt::from_json(&text) {
                Ok(receipt) => receipts.update(|receipts| {
                    // The same file twice is one receipt.
                    if !receipts.iter().any(|loaded| loaded.receipt == receipt) {
                        receipts.push(Loaded {
                            file: name,
                            receipt,
                        });
                    }
                }),
                Err(error) => refused.update(|refused| refused.push(format!("{name}: {error}"))),
            }
        }
    });
}

/// `teacher.html`.
#[component]
pub fn TeacherPage() -> impl IntoView {
    document().set_title("Receipts · occam");
    let receipts: RwSignal<Vec<Loaded>> = RwSignal::new(Vec::new());
    let refused: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    // Re-run results by (row, exercise id).
    let verified: RwSignal<Vec<((usize, &'static str), bool)>> = RwSignal::new(Vec::new());
    let why_not: RwSignal<Vec<((usize, &'static str), String)>> = RwSignal::new(Vec::new());
    let progress: RwSignal<Option<(usize, usize, String)>> = RwSignal::new(None);
    let is_dragging = RwSignal::new(false);

    let verify_all = move || {
        if progress.get_untracked().is_some() {
            return;
        }
        let rows = receipts.get_untracked();
        let (exercises, _) = columns(&rows);
        let mut jobs: Vec<(usize, &'static str, String, RunRecord)> = Vec::new();
        for (row, loaded) in rows.iter().enumerate() {
            for exercise in &exercises {
                let answer = loaded.receipt.answer(exercise.id);
                let is_current =
                    answer.is_some_and(|answer| answer.fingerprint == exercise.fingerprint());
                if let Some(run) = answer
                    .filter(|_| is_current)
                    .and_then(|answer| claimed_run(&answer.answer))
                {
                    jobs.push((row, exercise.id, student_of(loaded), run.clone()));
                }
            }
        }
        let count = jobs.len();
        wasm_bindgen_futures::spawn_local(async move {
            for (done, (row, id, student, run)) in jobs.into_iter().enumerate() {
                progress.set(Some((done, count, format!("{student}, {id}"))));
                let outcome = rerun(&run)
                    .await
                    .and_then(|report| reproduces(&run, &report));
                verified.update(|verified| {
                    verified.retain(|(key, _)| *key != (row, id));
                    verified.push(((row, id), outcome.is_ok()));
                });
                why_not.update(|why_not| {
                    why_not.retain(|(key, _)| *key != (row, id));
                    if let Err(reason) = &outcome {
                        why_not.push(((row, id), reason.clone()));
                    }
                });
            }
            progress.set(None);
        });
    };

    let export_csv = move || {
        let rows = receipts.get_untracked();
        let (exercises, _) = columns(&rows);
        let text = table_csv(&rows, &exercises, &verified.get_untracked());
        if let Some(blob) = export::text_blob(&text, "text/csv") {
            export::download_blob(&blob, "occam-receipts.csv");
        }
    };

    let table = move || {
        let rows = receipts.get();
        if rows.is_empty() {
            return view! { <p class="note">"No receipts yet."</p> }.into_any();
        }
        let (exercises, unknown) = columns(&rows);
        let head = exercises
            .iter()
            .map(|exercise| view! { <th scope="col" title=exercise.chapter><span class="exercise-id">{exercise.id}</span></th> })
            .collect_view();
        let body = rows
            .iter()
            .enumerate()
            .map(|(row, loaded)| {
                let student = student_of(loaded);
                let cells = exercises
                    .iter()
                    .map(|exercise| {
                        let verdict = exercise::verdict_for(exercise, loaded.receipt.answer(exercise.id));
                        let has_run = loaded
                            .receipt
                            .answer(exercise.id)
                            .is_some_and(|answer| claimed_run(&answer.answer).is_some());
                        let id = exercise.id;
                        let check = move || verified.get().iter().find(|(key, _)| *key == (row, id)).map(|(_, is_verified)| *is_verified);
                        let reason = move || why_not.get().iter().find(|(key, _)| *key == (row, id)).map(|(_, reason)| reason.clone());
                        let mark = match verdict.state {
                            State::Solved => "✓",
                            State::Wrong => "✗",
                            State::Open => "·",
                        };
                        view! {
                            <td data-verdict=id data-state=verdict.state.as_str()
                                data-verified=move || has_run.then(|| check().map(|is_verified| is_verified.to_string())).flatten()
                                title=move || reason().map_or_else(|| verdict.message.clone(), |reason| format!("{}. Re-run: {reason}", verdict.message))>
                                <span class="mark">{mark}</span>
                                {move || check().map(|is_verified| view! {
                                    <span class=if is_verified { "run verified" } else { "run not-verified" }>
                                        {if is_verified { " re-run ✓" } else { " re-run differs" }}
                                    </span>
                                })}
                            </td>
                        }
                    })
                    .collect_view();
                let solved = exercises
                    .iter()
                    .filter(|exercise| exercise::verdict_for(exercise, loaded.receipt.answer(exercise.id)).state == State::Solved)
                    .count();
                let shown = student.clone();
                view! {
                    <tr data-student=student>
                        <th scope="row">{shown}<span class="note">{format!(" {} · {}", loaded.receipt.created.get(..10).unwrap_or(""), loaded.receipt.build)}</span></th>
                        <td class="count">{format!("{solved}/{}", exercises.len())}</td>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="receipts" data-receipts-table>
                    <thead><tr><th scope="col">"student"</th><th scope="col">"solved"</th>{head}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {(!unknown.is_empty()).then(|| view! {
                <p class="note">{format!("Not in this version of occam, so not shown: {}.", unknown.join(", "))}</p>
            })}
        }
        .into_any()
    };

    view! {
        // Files dropped anywhere on the page are read, never opened by the browser instead.
        <article class="teacher"
            on:dragover=move |event: web_sys::DragEvent| { event.prevent_default(); is_dragging.set(true); }
            on:drop=move |event: web_sys::DragEvent| {
                event.prevent_default();
                is_dragging.set(false);
                if let Some(files) = event.data_transfer().and_then(|transfer| transfer.files()) {
                    read_files(files, receipts, refused);
                }
            }>
            <h1>"Receipts"</h1>
            <p class="lede">"Load the receipts your students downloaded. This page checks every answer again from what the student typed, and can run each demo run a receipt claims once more, with the same values and seed, on this computer’s CPU. Nothing is uploaded: the files stay in this page."</p>
            <p class="plainly" data-not-an-exam>"What this is: feedback and evidence for practice, not an exam. The answers are in the page’s code for anyone who reads it, and a receipt is a file a student can edit; an edited run shows up as not verified, an edited answer does not."</p>
            <section class="dropzone" class:dragging=move || is_dragging.get()
                on:dragleave=move |_| is_dragging.set(false)>
                <label>"Choose receipts (or drop them here): "
                    <input type="file" multiple accept=".json,application/json" data-receipts
                        on:change=move |event| {
                            if let Some(files) = event.target().and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|input| input.files()) {
                                read_files(files, receipts, refused);
                            }
                        }/>
                </label>
            </section>
            {move || (!refused.get().is_empty()).then(|| view! {
                <div class="notice" data-notice role="status">
                    {refused.get().into_iter().map(|reason| view! { <p>{reason}</p> }).collect_view()}
                </div>
            })}
            <div class="actions">
                <button data-action="verify" on:click=move |_| verify_all()
                    disabled=move || receipts.get().is_empty() || progress.get().is_some()>"Re-run the claimed runs"</button>
                <button data-action="csv" on:click=move |_| export_csv() disabled=move || receipts.get().is_empty()>"Export CSV"</button>
                <button data-action="clear" class="quiet" on:click=move |_| { receipts.set(Vec::new()); refused.set(Vec::new()); verified.set(Vec::new()); why_not.set(Vec::new()); }
                    disabled=move || receipts.get().is_empty() || progress.get().is_some()>"Clear"</button>
            </div>
            {move || progress.get().map(|(done, count, what)| view! {
                <div class="progress">
                    <progress data-progress value=done.to_string() max=count.max(1).to_string() aria-label="re-running the claimed runs"></progress>
                    <p class="progress-label" data-progress-label aria-live="polite">{format!("Re-running {} of {count} on the CPU: {what}…", done + 1)}</p>
                </div>
            })}
            {table}
            <p class="note">{format!("A run made on the CPU must be reproduced exactly; one made on WebGPU within {}% (or {} absolute), since a GPU adds numbers in another order. ✓ solved, ✗ wrong, · not answered (or answered for an earlier version of the exercise).", WEBGPU_TOLERANCE * 100.0, WEBGPU_TOLERANCE)}</p>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(backend: &str, value: f64) -> RunRecord {
        RunRecord {
            demo: "pca".to_owned(),
            params: Default::default(),
            backend: backend.to_owned(),
            metrics: [("bits-per-image".to_owned(), value)].into(),
            build: exercise::BUILD.to_owned(),
        }
    }

    fn report(value: f64) -> Report {
        Report {
            metrics: vec![("bits-per-image".to_owned(), value)],
            ..Report::default()
        }
    }

    #[test]
    fn a_cpu_run_is_reproduced_exactly_and_a_webgpu_run_within_its_tolerance() {
        assert!(reproduces(&run("cpu", 312.5), &report(312.5)).is_ok());
        assert!(reproduces(&run("cpu", 312.5), &report(312.500_000_1)).is_err());
        assert!(reproduces(&run("webgpu", 312.5), &report(315.0)).is_ok());
        assert!(reproduces(&run("webgpu", 312.5), &report(330.0)).is_err());
        assert!(reproduces(&run("cpu", 312.5), &Report::default()).is_err());
    }
}
