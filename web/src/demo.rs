//! A demo on the page: its controls, actions, progress, metrics, notices, errors and embed
//! snippet, per the page contract; each demo adds its own figures.

use std::rc::Rc;

use leptos::prelude::*;
use occam_demos::DemoSpec;
use occam_demos::params::{Notice, ParamKind, ParamSpec, Values, group_thousands, parse};
use occam_demos::protocol::{Cloud, FromWorker, Images, Report, StartRun, ToWorker};

use crate::figures::Figures;
use crate::{backend, url, worker_host};

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

    /// The latest report's metric `name`; tracked.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.report
            .with(|report| report.as_ref().and_then(|report| report.metric(name)))
    }
}

/// The demo with the figures its page gives it.
pub fn view_for(spec: &'static DemoSpec, figures: Figures) -> AnyView {
    view! { <DemoFrame spec=spec figures=figures/> }.into_any()
}

/// A metric for people: `digits` decimals; whole numbers with thousands separated.
fn format_metric(value: f64, digits: usize) -> String {
    if digits == 0 && value.abs() < 1e15 {
        let sign = if value < 0.0 { "−" } else { "" };
        format!("{sign}{}", group_thousands(value.abs().round() as usize))
    } else {
        format!("{value:.digits$}")
    }
}

/// A text parameter: a text area that keeps exactly what the person typed or pasted (even past
/// the limit, which only cuts what the demo uses), with the count of characters used.
fn text_control(
    param: &'static ParamSpec,
    max_chars: usize,
    values: RwSignal<Values>,
    change: impl Fn(&'static ParamSpec, String) + Copy + 'static,
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
    view! {
        <label class="control text-control" title=param.help>
            <span class="label">{param.label}</span>
            <textarea data-param=param.name rows="7" spellcheck="false" prop:value=move || draft.get()
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
) -> impl IntoView {
    let pairs = url::query_pairs();
    let parsed = parse(
        spec.params,
        pairs
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    );
    let values = RwSignal::new(parsed.values);
    let notices: RwSignal<Vec<Notice>> = RwSignal::new(parsed.notices);
    let status = RwSignal::new(Status::Idle);
    let is_paused = RwSignal::new(false);
    let report: RwSignal<Option<Report>> = RwSignal::new(None);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let backend_notice: RwSignal<Option<String>> = RwSignal::new(None);
    let current_run: RwSignal<Option<u32>> = RwSignal::new(None);
    let show_embed = RwSignal::new(false);
    let state = DemoState {
        values,
        report,
        status: status.read_only(),
    };

    // The URL always shows the current values.
    url::set_query(&values.get_untracked().to_pairs(spec.params));

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
                FromWorker::Backend { chosen, .. } => {
                    backend_notice.set(chosen.fallback.clone());
                    backend::record(&chosen, &key);
                }
                FromWorker::Report { report: latest, .. } => report.set(Some(latest)),
                FromWorker::Paused { .. } => status.set(Status::Idle),
                FromWorker::Done { report: last, .. } => {
                    report.set(Some(last));
                    status.set(Status::Done);
                    current_run.set(None);
                }
                FromWorker::Error { message, .. } => {
                    error.set(Some(message));
                    status.set(Status::Error);
                    current_run.set(None);
                }
                FromWorker::Stopped { .. } | FromWorker::Ready => {}
            }
        });
        worker_host::listen(run, listener);
        current_run.set(Some(run));
        error.set(None);
        report.set(None);
        status.set(Status::Running);
        let start = StartRun {
            run,
            demo: spec.id.to_owned(),
            params: values.get_untracked(),
            backend: request,
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

    // A demo the page computes itself: its report at once, or its message.
    let compute = move || {
        let Some(on_page) = spec.on_page else {
            return;
        };
        let result = on_page(&values.get_untracked());
        match result {
            Ok(latest) => {
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
        compute();
    }

    let reset = move || {
        stop();
        report.set(None);
        error.set(None);
        status.set(Status::Idle);
        if spec.runs_on_page() {
            compute();
        }
    };

    // A changed control: new value into the URL, and the demo starts over.
    let change = move |param: &'static ParamSpec, raw: String| {
        let (value, notice) = param.read(&raw);
        values.update(|values| values.set(param.name, value));
        notices.update(|notices| {
            notices.retain(|existing| existing.param != param.name);
            notices.extend(notice);
        });
        url::set_query(&values.get_untracked().to_pairs(spec.params));
        reset();
    };

    let controls = spec
        .params
        .iter()
        .map(|param| {
            let current = move || values.get().get(param.name).map(|value| value.to_url_string()).unwrap_or_default();
            let input = match param.kind {
                ParamKind::Choice { options, .. } => view! {
                    <select data-param=param.name prop:value=current on:change=move |event| change(param, event_target_value(&event))>
                        {options.iter().map(|option| view! { <option value=*option>{*option}</option> }).collect_view()}
                    </select>
                }
                .into_any(),
                ParamKind::Float { min, max, step, .. } => view! {
                    <input type="number" data-param=param.name min=min max=max step=step inputmode="decimal"
                        prop:value=current on:change=move |event| change(param, event_target_value(&event))/>
                }
                .into_any(),
                ParamKind::Int { min, max, .. } => view! {
                    <input type="number" data-param=param.name min=min.to_string() max=max.to_string() step="1" inputmode="numeric"
                        prop:value=current on:change=move |event| change(param, event_target_value(&event))/>
                }
                .into_any(),
                ParamKind::Text { max_chars, .. } => return text_control(param, max_chars, values, change).into_any(),
            };
            view! {
                <label class="control" title=param.help>
                    <span class="label">{param.label}</span>
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
                    <div class="metric list" data-metric=metric.name
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

    let snippet = move || {
        let address = url::sibling_address(
            "embed.html",
            &[
                [("demo".to_owned(), spec.id.to_owned())].to_vec(),
                values.get().to_pairs(spec.params),
            ]
            .concat(),
        );
        format!(
            r#"<iframe src="{address}" title="occam: {}" width="720" height="640" style="border:0;max-width:100%" loading="lazy"></iframe>"#,
            spec.title
        )
    };

    view! {
        <section class="demo" data-demo=spec.id data-status=move || status.get().as_str() aria-busy=move || (status.get() == Status::Running).to_string()>
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
                <button data-action="train" on:click=move |_| train() disabled=move || status.get() == Status::Running>
                    {move || if is_paused.get() { "Resume" } else { "Train" }}
                </button>
                <button data-action="pause" on:click=move |_| pause() disabled=move || status.get() != Status::Running>"Pause"</button>
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
            {move || report.get().filter(|_| !spec.runs_on_page() && (status.get() != Status::Idle || is_paused.get())).map(|report| view! {
                <progress data-progress value=report.progress.to_string() max=report.total.max(1).to_string()></progress>
            })}
            {move || (status.get() == Status::Running && report.get().is_none()).then(|| view! {
                <progress data-progress value="0" max="1"></progress>
                <p class="note" role="status">"Starting: the first run loads the training worker (about 5 MB), then picks a backend…"</p>
            })}
            <div class="metrics">{metrics}</div>
            {figures(state)}
            {move || show_embed.get().then(|| view! {
                <div class="embed-box">
                    <p>"Paste this into a page to show this demo alone, with these settings:"</p>
                    <textarea data-embed-snippet readonly rows="4" prop:value=snippet></textarea>
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
    }
}
