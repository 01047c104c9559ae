//! A demo on the page: its controls, actions, progress, metrics, notices, errors and embed
//! snippet, per the page contract; each demo adds its own figures.

use std::rc::Rc;

use leptos::prelude::*;
use occam_demos::DemoSpec;
use occam_demos::params::{
    Notice, ParamKind, ParamSpec, UrlScope, Values, group_thousands, parse_for,
};
use occam_demos::protocol::{
    Backend, Cloud, FromWorker, Images, Report, StartRun, Table, ToWorker,
};

use crate::figures::Figures;
use wasm_bindgen::JsCast;

use crate::{backend, classroom, embed, url, worker_host};

/// `data-status`: one of the contract's four.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Idle,
    Running,
    Done,
    Error,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Running => "running",
            Self::Done => "done",
            Self::Error => "error",
        }
    }
}

/// What a demo's figures may read.
#[derive(Clone, Copy)]
pub struct DemoState {
    pub values: RwSignal<Values>,
    pub report: RwSignal<Option<Report>>,
    pub status: ReadSignal<Status>,
}

impl DemoState {
    /// The latest report's curve `name` (empty before there is one); tracked.
    pub fn series(&self, name: &str) -> Vec<(f64, f64)> {
        self.report
            .with(|report| {
                report
                    .as_ref()
                    .and_then(|report| report.series(name))
                    .map(|series| series.points.clone())
            })
            .unwrap_or_default()
    }

    /// The latest report's images `name`; tracked.
    pub fn images(&self, name: &str) -> Option<Images> {
        self.report.with(|report| {
            report
                .as_ref()
                .and_then(|report| report.images(name))
                .cloned()
        })
    }

    /// The latest report's cloud `name`; tracked.
    pub fn cloud(&self, name: &str) -> Option<Cloud> {
        self.report.with(|report| {
            report
                .as_ref()
                .and_then(|report| report.cloud(name))
                .cloned()
        })
    }

    /// The latest report's table `name`; tracked.
    pub fn table(&self, name: &str) -> Option<Table> {
        self.report.with(|report| {
            report
                .as_ref()
                .and_then(|report| report.table(name))
                .cloned()
        })
    }

    /// The latest report's metric `name`; tracked.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.report
            .with(|report| report.as_ref().and_then(|report| report.metric(name)))
    }
}

/// The demo with the figures its page gives it.
pub fn view_for(spec: &'static DemoSpec, figures: Figures, scope: UrlScope) -> AnyView {
    view! { <DemoFrame spec=spec figures=figures scope=scope/> }.into_any()
}

/// The snippet a blogger pastes: `embed.js`, which sizes the frame to its content, and the
/// frame itself, which works without the script at its default height.
fn embed_snippet(script: &str, address: &str, title: &str) -> String {
    format!(
        "<script src=\"{script}\" defer></script>\n<iframe data-occam src=\"{address}\" title=\"occam: {title}\" width=\"100%\" height=\"{EMBED_HEIGHT}\" style=\"border:0;width:100%\" loading=\"lazy\"></iframe>"
    )
}

/// An embed's height without the script, in CSS pixels.
const EMBED_HEIGHT: u32 = 720;

/// A metric for people: `digits` decimals; whole numbers with thousands separated; a number
/// too small for its decimals but not zero (a probability of 3 · 10⁻¹³) in powers of ten, never
/// as a misleading 0.000000.
fn format_metric(value: f64, digits: usize) -> String {
    let smallest_shown = 0.5 * 10f64.powi(-(digits as i32));
    if digits == 0 && value.abs() < 1e15 {
        let sign = if value < 0.0 { "−" } else { "" };
        format!("{sign}{}", group_thousands(value.abs().round() as usize))
    } else if value != 0.0 && value.abs() < smallest_shown {
        let mut exponent = value.abs().log10().floor() as i32;
        let mut mantissa = value.abs() / 10f64.powi(exponent);
        if format!("{mantissa:.1}") == "10.0" {
            (mantissa, exponent) = (1.0, exponent + 1);
        }
        let sign = if value < 0.0 { "−" } else { "" };
        let digits: String = exponent
            .abs()
            .to_string()
            .chars()
            .map(|digit| {
                digit
                    .to_digit(10)
                    .and_then(|value| "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().nth(value as usize))
                    .unwrap_or(digit)
            })
            .collect();
        let minus = if exponent < 0 { "⁻" } else { "" };
        format!("{sign}{mantissa:.1} × 10{minus}{digits}")
    } else {
        format!("{value:.digits$}")
    }
}

/// Where a run stands, for the label under its progress bar.
struct Progress {
    status: Status,
    is_paused: bool,
    /// Of the bar: the download's before the first report, the run's after.
    fraction: f64,
    has_report: bool,
    /// The worker's download (bytes so far, in all), before it is ready.
    loading: Option<(f64, f64)>,
    activity: Option<String>,
    backend: Option<Backend>,
    took_ms: Option<f64>,
}

/// What the bar is showing, in words: downloading, starting, measuring, training (or coding),
/// paused, done, stopped by an error.
fn progress_label(spec: &DemoSpec, progress: &Progress) -> String {
    let percent = (100.0 * progress.fraction).floor();
    let on = progress
        .backend
        .map(|backend| {
            format!(
                " on {}",
                if backend == Backend::Cpu {
                    "the CPU"
                } else {
                    "WebGPU"
                }
            )
        })
        .unwrap_or_default();
    let work = if spec.uses_tensors {
        "Training"
    } else {
        "Coding"
    };
    if let Some(ms) = progress.took_ms.filter(|_| progress.status == Status::Done) {
        return format!("Done in {:.1} s{on}.", ms / 1000.0);
    }
    if progress.status == Status::Error {
        // The message above says why; the bar holds where the run ended.
        return if progress.has_report {
            format!("Stopped{on} at {percent}%.")
        } else {
            "Stopped.".to_owned()
        };
    }
    if progress.is_paused {
        return format!("Paused at {percent}%.");
    }
    if let Some(activity) = &progress.activity {
        let mut letters = activity.chars();
        let first: String = letters
            .next()
            .into_iter()
            .flat_map(char::to_uppercase)
            .collect();
        return format!("{first}{}…", letters.as_str());
    }
    match (progress.has_report, progress.loading, progress.backend) {
        (true, _, _) => format!("{work}{on}: {percent}%"),
        (false, Some((_, total)), None) if total > 0.0 => format!(
            "Loading the training worker ({:.0} MB): {percent}%",
            total / 1e6
        ),
        (false, _, None) => "Loading the training worker…".to_owned(),
        (false, _, Some(_)) => format!("Starting{on}…"),
    }
}

/// A text parameter: a text area that keeps exactly what the person typed or pasted (even past
/// the limit, which only cuts what the demo uses), with the count of characters used.
fn text_control(
    param: &'static ParamSpec,
    max_chars: usize,
    values: RwSignal<Values>,
    change: impl Fn(&'static ParamSpec, String) + Copy + 'static,
    // Fixed by an assignment: shown, not editable.
    is_fixed: bool,
) -> impl IntoView {
    let used = move || {
        values.with(|values| {
            values
                .text(param.name)
                .map(str::to_owned)
                .unwrap_or_default()
        })
    };
    let draft = RwSignal::new(used());
    let hint = move || {
        let text = used();
        let count = text.chars().count();
        let is_default =
            values.with(|values| values.get(param.name) == Some(&param.default_value()));
        let in_url = values.with(|values| {
            values
                .get(param.name)
                .is_none_or(|value| param.fits_in_url(value))
        });
        let status = if is_default {
            " (the default text)."
        } else if in_url {
            "."
        } else {
            "; too long for the page's address, so links and embeds keep the default text."
        };
        format!(
            "{} of at most {} characters used{status}",
            group_thousands(count),
            group_thousands(max_chars)
        )
    };
    // A box about the size of what it is meant for: a line of numbers, a paragraph, a page.
    let rows = match max_chars {
        0..=200 => "2",
        201..=5000 => "5",
        _ => "7",
    };
    view! {
        <label class="control text-control" title=param.help>
            <span class="label">{param.label}{is_fixed.then_some(" (fixed)")}</span>
            <textarea data-param=param.name disabled=is_fixed rows=rows spellcheck="false" prop:value=move || draft.get()
                on:change=move |event| {
                    let raw = event_target_value(&event);
                    draft.set(raw.clone());
                    change(param, raw);
                }></textarea>
            <span class="hint" data-text-count>{hint}</span>
        </label>
    }
}

/// One demo, inside `[data-demo]`.
#[component]
pub fn DemoFrame(
    /// The demo's parameters and metrics.
    spec: &'static DemoSpec,
    /// Its figures, drawn from the current values and the latest report.
    figures: Figures,
    /// Alone on its page, or beside other demos: how its values are named in the URL.
    scope: UrlScope,
) -> impl IntoView {
    // A demo that may train on WebGPU: the page asks for an adapter now, so that a click on
    // Train knows at once which build of the worker to start.
    if spec.uses_tensors
        && !spec.runs_on_page()
        && backend::state().get_untracked().requested != "cpu"
    {
        worker_host::prepare();
    }
    let pairs = url::opened_with();
    let parsed = parse_for(
        spec.id,
        spec.params,
        pairs
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    );
    // An assignment's fixed values win over the address, and their controls are locked.
    let fixed = classroom::fixed_values(spec);
    let mut parsed = parsed;
    for (name, value) in &fixed {
        parsed.values.set(name, value.clone());
        parsed.notices.retain(|notice| notice.param != *name);
    }
    let fixed_names = StoredValue::new(
        fixed
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<&'static str>>(),
    );
    let is_fixed = move |name: &str| fixed_names.with_value(|names| names.contains(&name));
    let values = RwSignal::new(parsed.values);
    let notices: RwSignal<Vec<Notice>> = RwSignal::new(parsed.notices);
    let status = RwSignal::new(Status::Idle);
    let is_paused = RwSignal::new(false);
    let report: RwSignal<Option<Report>> = RwSignal::new(None);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let backend_notice: RwSignal<Option<String>> = RwSignal::new(None);
    // What the run is doing besides its own work, for the label by the bar.
    let activity: RwSignal<Option<String>> = RwSignal::new(None);
    // The worker's download, bytes so far and in all, before it is ready.
    let loading: RwSignal<Option<(f64, f64)>> = RwSignal::new(None);
    let running_on: RwSignal<Option<Backend>> = RwSignal::new(None);
    // When the person clicked, and how long the run took (ms), for the label.
    let clicked_at = StoredValue::new(0.0_f64);
    // Reports are drawn at most once an animation frame: one that arrives while another waits
    // to be drawn replaces it, so a fast worker never queues redraws on the page (and a hidden
    // tab, which has no frames, draws only the latest when shown).
    let pending_report = StoredValue::new(None::<Report>);
    let took_ms: RwSignal<Option<f64>> = RwSignal::new(None);
    let current_run: RwSignal<Option<u32>> = RwSignal::new(None);
    let show_embed = RwSignal::new(false);
    let state = DemoState {
        values,
        report,
        status: status.read_only(),
    };

    // The URL always shows the current values.
    let write_url = move || {
        values.with_untracked(|values| url::set_demo_query(spec.id, spec.params, values, scope));
    };
    write_url();

    let cache_key = move || {
        let values = values.get_untracked();
        let workload: Vec<String> = spec
            .workload_params
            .iter()
            .filter_map(|name| {
                values
                    .get(name)
                    .map(|value| format!("{name}={}", value.to_url_string()))
            })
            .collect();
        format!("occam.auto.{}.{}", spec.id, workload.join("&"))
    };

    let stop = move || {
        if let Some(run) = current_run.get_untracked() {
            let _ = worker_host::send(ToWorker::Stop { run });
        }
        current_run.set(None);
        is_paused.set(false);
    };

    let train = move || {
        if let (Some(run), true) = (current_run.get_untracked(), is_paused.get_untracked()) {
            is_paused.set(false);
            status.set(Status::Running);
            let _ = worker_host::send(ToWorker::Resume { run });
            return;
        }
        if current_run.get_untracked().is_some() {
            return;
        }
        let run = worker_host::next_run();
        let key = cache_key();
        let request = backend::request(&key);
        let listener: worker_host::Listener = Rc::new(move |message| {
            if current_run.get_untracked() != Some(run) {
                return;
            }
            match message {
                FromWorker::Loading { loaded, total } => loading.set(Some((loaded, total))),
                FromWorker::Activity { label, .. } => activity.set(Some(label)),
                FromWorker::Backend { chosen, .. } => {
                    loading.set(None);
                    activity.set(None);
                    running_on.set(Some(chosen.backend));
                    backend_notice.set(chosen.fallback.clone());
                    backend::record(&chosen, &key);
                }
                // An activity label (measuring WebGPU) stays until the decision that ends it.
                FromWorker::Report { report: latest, .. } => {
                    let is_scheduled = pending_report.with_value(Option::is_some);
                    pending_report.set_value(Some(latest));
                    if !is_scheduled {
                        request_animation_frame(move || {
                            // Gone when the run ended (its last report is drawn) or was reset.
                            if let Some(latest) =
                                pending_report.try_update_value(Option::take).flatten()
                            {
                                report.set(Some(latest));
                            }
                        });
                    }
                }
                FromWorker::Paused { .. } => {
                    // A report still waiting for its frame is drawn now: what a paused demo
                    // shows is where it stopped, and it does not move afterwards.
                    if let Some(latest) = pending_report.try_update_value(Option::take).flatten() {
                        report.set(Some(latest));
                    }
                    status.set(Status::Idle);
                }
                FromWorker::Done { report: last, .. } => {
                    activity.set(None);
                    took_ms.set(Some(js_sys::Date::now() - clicked_at.get_value()));
                    let backend = running_on.get_untracked().unwrap_or(Backend::Cpu);
                    values.with_untracked(|values| {
                        classroom::record_run(spec, values, backend, &last, true)
                    });
                    pending_report.set_value(None);
                    report.set(Some(last));
                    status.set(Status::Done);
                    current_run.set(None);
                }
                FromWorker::Error { message, .. } => {
                    activity.set(None);
                    error.set(Some(message));
                    status.set(Status::Error);
                    current_run.set(None);
                }
                FromWorker::Stopped { .. }
                | FromWorker::Ready
                | FromWorker::WebGpuFailed { .. } => {}
            }
        });
        worker_host::listen(run, listener);
        current_run.set(Some(run));
        error.set(None);
        pending_report.set_value(None);
        report.set(None);
        activity.set(None);
        running_on.set(None);
        took_ms.set(None);
        clicked_at.set_value(js_sys::Date::now());
        status.set(Status::Running);
        let start = StartRun {
            run,
            demo: spec.id.to_owned(),
            params: values.get_untracked(),
            backend: request,
            webgpu_unusable: None,
            adapter: None,
            webgpu_failed: false,
        };
        if let Err(message) = worker_host::send(ToWorker::Start(start)) {
            error.set(Some(message));
            status.set(Status::Error);
            current_run.set(None);
        }
    };

    let pause = move || {
        if let Some(run) = current_run.get_untracked() {
            is_paused.set(true);
            let _ = worker_host::send(ToWorker::Pause { run });
        }
    };

    // A hidden tab pauses a running demo and showing it again resumes it, unless the page says
    // `background=train`; a run the person paused stays paused.
    let paused_by_hiding = StoredValue::new(false);
    let on_visibility = window_event_listener_untyped("visibilitychange", move |_| {
        let is_hidden = document().hidden();
        if is_hidden
            && !backend::state().get_untracked().trains_hidden
            && status.get_untracked() == Status::Running
            && !is_paused.get_untracked()
            && current_run.get_untracked().is_some()
        {
            paused_by_hiding.set_value(true);
            pause();
        } else if !is_hidden && paused_by_hiding.get_value() {
            paused_by_hiding.set_value(false);
            if is_paused.get_untracked() && current_run.get_untracked().is_some() {
                train();
            }
        }
    });
    on_cleanup(move || on_visibility.remove());

    // A demo the page computes itself: its report at once, or its message.
    // `is_by_reader`: false for the computation as the page opens, which solves no exercise.
    let compute = move |is_by_reader: bool| {
        let Some(on_page) = spec.on_page else {
            return;
        };
        let result = on_page(&values.get_untracked());
        match result {
            Ok(latest) => {
                values.with_untracked(|values| {
                    classroom::record_run(spec, values, Backend::Cpu, &latest, is_by_reader)
                });
                report.set(Some(latest));
                error.set(None);
                status.set(Status::Done);
            }
            Err(message) => {
                report.set(None);
                error.set(Some(message));
                status.set(Status::Error);
            }
        }
    };
    if spec.runs_on_page() {
        compute(false);
    }

    let reset = move || {
        stop();
        pending_report.set_value(None);
        report.set(None);
        error.set(None);
        status.set(Status::Idle);
        if spec.runs_on_page() {
            compute(true);
        }
    };

    // A changed control: new value into the URL, and the demo starts over.
    // New values (typed, or set by a demo link): into the URL, and the demo starts over once.
    let set_values = move |pairs: &[(&'static ParamSpec, String)]| {
        let mut is_changed = false;
        for (param, raw) in pairs {
            if is_fixed(param.name) {
                continue;
            }
            let (value, notice) = param.read(raw);
            values.update(|values| values.set(param.name, value));
            notices.update(|notices| {
                notices.retain(|existing| existing.param != param.name);
                notices.extend(notice);
            });
            is_changed = true;
        }
        if is_changed {
            write_url();
            reset();
        }
    };
    let change = move |param: &'static ParamSpec, raw: String| set_values(&[(param, raw)]);

    // Demo links and exercises set values as if typed.
    classroom::register_setter(
        spec.id,
        Rc::new(move |pairs: &[(String, String)]| {
            let known: Vec<(&'static ParamSpec, String)> = pairs
                .iter()
                .filter_map(|(name, raw)| Some((spec.param(name)?, raw.clone())))
                .collect();
            set_values(&known);
        }),
    );

    let controls = spec
        .params
        .iter()
        .map(|param| {
            let current = move || values.get().get(param.name).map(|value| value.to_url_string()).unwrap_or_default();
            let input = match param.kind {
                ParamKind::Choice { options, .. } => view! {
                    <select data-param=param.name disabled=is_fixed(param.name) prop:value=current on:change=move |event| change(param, event_target_value(&event))>
                        {options.iter().map(|option| view! { <option value=*option>{*option}</option> }).collect_view()}
                    </select>
                }
                .into_any(),
                // Text boxes, not `type="number"`: a number box hands the page "" for what it
                // cannot parse, and the notice should quote what the person typed.
                ParamKind::Float { .. } | ParamKind::Int { .. } => view! {
                    <input type="text" data-param=param.name disabled=is_fixed(param.name) inputmode=if matches!(param.kind, ParamKind::Int { .. }) { "numeric" } else { "decimal" }
                        autocomplete="off" spellcheck="false"
                        prop:value=current on:change=move |event| change(param, event_target_value(&event))
                        on:keydown=move |event: web_sys::KeyboardEvent| {
                            let by = match event.key().as_str() { "ArrowUp" => 1.0, "ArrowDown" => -1.0, _ => return };
                            event.prevent_default();
                            // From what is in the box (typed, not yet confirmed) when it reads as a
                            // number, else from the value in use.
                            let typed = param.read(&event_target_value(&event));
                            let from = if typed.1.is_none() { Some(typed.0) } else { values.with_untracked(|values| values.get(param.name).cloned()) };
                            if let Some(next) = from.and_then(|value| param.stepped(&value, by)) {
                                change(param, next);
                            }
                        }/>
                    <span class="range">{param.range_text()}</span>
                }
                .into_any(),
                ParamKind::Text { max_chars, .. } => return text_control(param, max_chars, values, change, is_fixed(param.name)).into_any(),
            };
            view! {
                <label class="control" class:fixed=is_fixed(param.name) title=param.help>
                    <span class="label">{param.label}{is_fixed(param.name).then_some(" (fixed)")}</span>
                    {input}
                </label>
            }
            .into_any()
        })
        .collect_view();

    let metrics = spec
        .metrics
        .iter()
        .map(|metric| {
            if metric.is_list {
                // The report's series of the same name, its values in order.
                let values = move || {
                    report.get().and_then(|report| report.series(metric.name).map(|series| {
                        series.points.iter().map(|&(_, value)| value).filter(|value| value.is_finite()).collect::<Vec<f64>>()
                    })).filter(|values| !values.is_empty())
                };
                return view! {
                    <div class="metric list" data-metric=metric.name class:long=move || values().is_some_and(|values| values.len() > 6)
                        data-value=move || values().map(|values| values.iter().map(f64::to_string).collect::<Vec<_>>().join(","))>
                        <span class="value">{move || values().map_or("—".to_owned(), |values| values.iter().map(|&value| format_metric(value, metric.digits)).collect::<Vec<_>>().join(", "))}</span>
                        <span class="label">{metric.label}</span>
                    </div>
                }
                .into_any();
            }
            let value = move || report.get().and_then(|report| report.metric(metric.name)).filter(|value| value.is_finite());
            view! {
                <div class="metric" data-metric=metric.name data-value=move || value().map(|value| value.to_string())>
                    <span class="value">{move || value().map_or("—".to_owned(), |value| format_metric(value, metric.digits))}</span>
                    <span class="label">{metric.label}</span>
                </div>
            }
            .into_any()
        })
        .collect_view();

    // The bar and its words: the download's before the first report, the run's after.
    let shows_progress = Memo::new(move |_| {
        !spec.runs_on_page()
            && (status.get() == Status::Running
                || is_paused.get()
                || report.with(Option::is_some) && status.get() != Status::Idle)
    });
    let bar = Memo::new(move |_| {
        let from_report = report.with(|report| {
            report
                .as_ref()
                .map(|report| (report.progress as f64, report.total.max(1) as f64))
        });
        match (from_report, loading.get()) {
            (Some(bar), _) => bar,
            (None, Some((loaded, total))) if total > 0.0 => (loaded.min(total), total),
            _ => (0.0, 1.0),
        }
    });
    let label = Memo::new(move |_| {
        let (value, max) = bar.get();
        progress_label(
            spec,
            &Progress {
                status: status.get(),
                is_paused: is_paused.get(),
                fraction: value / max,
                has_report: report.with(Option::is_some),
                loading: loading.get(),
                activity: activity.get(),
                backend: running_on.get(),
                took_ms: took_ms.get(),
            },
        )
    });

    // The embed snippet's options (theme, whether the figures' explanations show), and the
    // snippet last copied.
    let embed_theme = RwSignal::new("auto");
    let embed_prose = RwSignal::new(true);
    let copied: RwSignal<Option<String>> = RwSignal::new(None);
    let snippet = move || {
        let mut pairs = vec![("demo".to_owned(), spec.id.to_owned())];
        pairs.extend(values.get().to_pairs(spec.params));
        if embed_theme.get() != "auto" {
            pairs.push(("theme".to_owned(), embed_theme.get().to_owned()));
        }
        if !embed_prose.get() {
            pairs.push(("prose".to_owned(), "0".to_owned()));
        }
        embed_snippet(
            &url::sibling_address("embed.js", &[]),
            &url::sibling_address("embed.html", &pairs),
            spec.title,
        )
    };
    // Copies with the Clipboard API where the page may (a secure context); elsewhere, or when
    // refused, the snippet is selected for Ctrl+C and the button says so.
    let copy_failed = RwSignal::new(false);
    let copy = move || {
        let text = snippet();
        let navigator = window().navigator();
        let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
            .is_ok_and(|clipboard| !clipboard.is_undefined());
        if !has_clipboard {
            copy_failed.set(true);
            return;
        }
        let promise = navigator.clipboard().write_text(&text);
        wasm_bindgen_futures::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => {
                    copy_failed.set(false);
                    copied.set(Some(text));
                }
                Err(_) => copy_failed.set(true),
            }
        });
    };
    let snippet_area = NodeRef::<leptos::html::Textarea>::new();
    // A button that disables itself under the keyboard's focus hands the focus on: Train to
    // Pause when a run starts, Pause to Train (Resume) when it pauses or ends.
    let train_button = NodeRef::<leptos::html::Button>::new();
    let pause_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        let is_running = status.get() == Status::Running;
        request_animation_frame(move || {
            let (Some(train), Some(pause)) =
                (train_button.get_untracked(), pause_button.get_untracked())
            else {
                return;
            };
            let focused = document().active_element();
            let has_focus = |button: &web_sys::HtmlButtonElement| {
                focused
                    .as_ref()
                    .is_some_and(|element| element == button.unchecked_ref::<web_sys::Element>())
            };
            if is_running && has_focus(&train) {
                let _ = pause.focus();
            } else if !is_running && has_focus(&pause) {
                let _ = train.focus();
            }
        });
    });
    // Chromium does not leave the focus on a disabled button: at a later frame it blurs it, with
    // nothing to receive the focus. When that blur comes before the frame above, it hands on here.
    let hand_on = move |event: web_sys::FocusEvent, to: NodeRef<leptos::html::Button>| {
        let lost_to_disabling = event.related_target().is_none()
            && event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlButtonElement>().ok())
                .is_some_and(|button| button.disabled());
        if !lost_to_disabling {
            return;
        }
        if let Some(to) = to.get_untracked().filter(|to| !to.disabled()) {
            let _ = to.focus();
        }
    };
    Effect::new(move || {
        if copy_failed.get()
            && let Some(area) = snippet_area.get()
        {
            let _ = area.focus();
            area.select();
        }
    });

    view! {
        <section class="demo" id=spec.id data-demo=spec.id data-status=move || status.get().as_str() aria-busy=move || (status.get() == Status::Running).to_string()>
            <h3>{spec.title}</h3>
            <div class="controls">{controls}</div>
            <div class="actions">
                {spec.runs_on_page().then(|| view! {
                    <button data-action="regenerate" title="new random points: the next seed"
                        on:click=move |_| {
                            let seed = values.with_untracked(|values| values.seed().unwrap_or(0));
                            if let Some(param) = spec.param("seed") {
                                change(param, seed.wrapping_add(1).to_string());
                            }
                        }>"New points"</button>
                })}
                {(!spec.runs_on_page()).then(|| view! {
                <button data-action="train" node_ref=train_button on:click=move |_| train() on:blur=move |event| hand_on(event, pause_button) disabled=move || status.get() == Status::Running>
                    {move || if is_paused.get() { "Resume" } else { "Train" }}
                </button>
                <button data-action="pause" node_ref=pause_button on:click=move |_| pause() on:blur=move |event| hand_on(event, train_button) disabled=move || status.get() != Status::Running>"Pause"</button>
                <button data-action="reset" on:click=move |_| reset()>"Reset"</button>
                })}
                <button data-action="embed" aria-expanded=move || show_embed.get().to_string() on:click=move |_| show_embed.update(|shown| *shown = !*shown)>"Embed"</button>
            </div>
            {move || (!notices.get().is_empty() || backend_notice.get().is_some()).then(|| view! {
                <div class="notice" data-notice role="status">
                    {notices.get().into_iter().map(|notice| view! { <p>{notice.message}</p> }).collect_view()}
                    {backend_notice.get().map(|notice| view! { <p>{notice}</p> })}
                </div>
            })}
            {move || error.get().map(|message| view! { <div class="error" data-error role="alert">{message}</div> })}
            {move || shows_progress.get().then(|| view! {
                // One bar and one label for the whole run, their values updated in place, so a
                // screen reader hears the label change rather than a new region each report.
                <div class="progress">
                    <progress data-progress value=move || bar.get().0.to_string() max=move || bar.get().1.to_string()
                        aria-label=format!("{}: progress", spec.title) aria-valuetext=move || label.get()></progress>
                    <p class="progress-label" data-progress-label aria-live="polite">{move || label.get()}</p>
                </div>
            })}
            <div class="metrics">{metrics}</div>
            {figures(state)}
            {move || show_embed.get().then(|| view! {
                <div class="embed-box">
                    <p>"Paste this into a page to show this demo alone, with these settings. The script sizes the frame to the demo; without it the frame still works, at its default height."</p>
                    <div class="embed-options">
                        <label>"theme "
                            <select data-embed-option="theme" prop:value=move || embed_theme.get()
                                on:change=move |event| {
                                    let value = event_target_value(&event);
                                    if let Some(theme) = embed::THEMES.into_iter().find(|theme| *theme == value) {
                                        embed_theme.set(theme);
                                    }
                                }>
                                <option value="auto">"follow the system"</option>
                                <option value="light">"light"</option>
                                <option value="dark">"dark"</option>
                            </select>
                        </label>
                        <label>
                            <input type="checkbox" data-embed-option="prose" prop:checked=move || embed_prose.get()
                                on:change=move |event| embed_prose.set(event_target_checked(&event))/>
                            " with the figures' explanations"
                        </label>
                        <button data-action="copy" on:click=move |_| copy()>
                            {move || if copied.get().is_some_and(|text| text == snippet()) { "Copied" } else { "Copy" }}
                        </button>
                        {move || copy_failed.get().then(|| view! { <span class="note">"Selected: press Ctrl+C (⌘C) to copy."</span> })}
                    </div>
                    <textarea data-embed-snippet readonly rows="5" prop:value=snippet aria-label="embed snippet" node_ref=snippet_area
                        on:focus=move |event| { if let Some(area) = event.target().and_then(|target| target.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) { area.select(); } }></textarea>
                </div>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_for_people() {
        assert_eq!(format_metric(1_234_567.4, 0), "1,234,567");
        assert_eq!(format_metric(-12.0, 0), "−12");
        assert_eq!(format_metric(0.123_456, 3), "0.123");
        assert_eq!(format_metric(2.5e20, 0), "250000000000000000000");
        // Too small for its decimals, yet not zero: powers of ten.
        assert_eq!(format_metric(3.4e-13, 6), "3.4 × 10⁻¹³");
        assert_eq!(format_metric(-0.000_099_96, 3), "−1.0 × 10⁻⁴");
        assert_eq!(format_metric(0.0, 6), "0.000000");
        assert_eq!(format_metric(0.000_000_6, 6), "0.000001");
    }

    #[test]
    fn a_run_ended_by_an_error_reads_stopped_not_training() {
        let at = |status, has_report| Progress {
            status,
            is_paused: false,
            fraction: 0.055,
            has_report,
            loading: None,
            activity: None,
            backend: Some(Backend::Cpu),
            took_ms: None,
        };
        let spec = &occam_demos::backend_check::SPEC;
        assert_eq!(
            progress_label(spec, &at(Status::Running, true)),
            "Training on the CPU: 5%"
        );
        assert_eq!(
            progress_label(spec, &at(Status::Error, true)),
            "Stopped on the CPU at 5%."
        );
        assert_eq!(progress_label(spec, &at(Status::Error, false)), "Stopped.");
    }

    #[test]
    fn the_snippet_is_the_script_then_a_frame_that_stands_alone() {
        let snippet = embed_snippet(
            "https://x/embed.js",
            "https://x/embed.html?demo=a&p=0.5",
            "A",
        );
        let (script, frame) = snippet.split_once('\n').unwrap();
        assert_eq!(
            script,
            r#"<script src="https://x/embed.js" defer></script>"#
        );
        assert!(frame.starts_with(
            r#"<iframe data-occam src="https://x/embed.html?demo=a&p=0.5" title="occam: A""#
        ));
        assert!(frame.contains(r#"height="720""#) && frame.ends_with("</iframe>"));
    }
}
