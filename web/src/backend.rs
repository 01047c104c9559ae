//! The page's backend choice (`backend=cpu|webgpu|auto`), its badge, and `data-backend`; and
//! whether a run keeps training while the tab is hidden (`background=pause|train`).

use leptos::prelude::*;
use occam_demos::params::as_typed;
use occam_demos::protocol::{Backend, BackendChosen, BackendRequest};

use crate::url;

/// What the person asked for and what last ran.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendState {
    /// `cpu`, `webgpu` or `auto`.
    pub requested: &'static str,
    /// Set when the URL's value was not understood.
    pub notice: Option<String>,
    pub running: Option<BackendChosen>,
    /// `background=train`: runs go on while the tab is hidden, where by default they pause
    /// until it is shown again (a classroom's laptops on battery, a forgotten tab).
    pub trains_hidden: bool,
}

pub const CHOICES: [&str; 3] = ["auto", "webgpu", "cpu"];

/// Where a person's explicit choice is remembered, for the next page without `backend=`.
const CHOICE_KEY: &str = "occam.backend";

fn choice(raw: &str) -> Option<&'static str> {
    CHOICES.into_iter().find(|choice| *choice == raw.trim())
}

/// `background=`: whether runs go on in a hidden tab, and a notice for a value not understood.
fn background(raw: Option<&str>) -> (bool, Option<String>) {
    match raw.map(str::trim) {
        None | Some("pause") => (false, None),
        Some("train") => (true, None),
        Some(raw) => {
            let notice = format!(
                "background = “{raw}” is not one of pause, train; pausing in a hidden tab."
            );
            (false, Some(notice))
        }
    }
}

thread_local! {
    static STATE: RwSignal<BackendState> = {
        let raw = url::query_value("backend");
        let remembered = || storage().and_then(|storage| storage.get_item(CHOICE_KEY).ok().flatten()).as_deref().and_then(choice);
        let (requested, notice) = match raw {
            Some(raw) => match choice(&raw) {
                Some(requested) => (requested, None),
                None => ("auto", Some(format!("backend = “{}” is not one of auto, webgpu, cpu; using auto.", as_typed(&raw)))),
            },
            None => (remembered().unwrap_or("auto"), None),
        };
        // The address shows the backend too once it is not the default, so it reproduces the run.
        if requested != "auto" {
            url::set_query(&[("backend".to_owned(), requested.to_owned())]);
        }
        let (trains_hidden, hidden_notice) = background(url::query_value("background").as_deref());
        if trains_hidden {
            url::set_query(&[("background".to_owned(), "train".to_owned())]);
        }
        let notice = match (notice, hidden_notice) {
            (Some(first), Some(second)) => Some(format!("{first} {second}")),
            (first, second) => first.or(second),
        };
        RwSignal::new(BackendState { requested, notice, running: None, trains_hidden })
    };
}

pub fn state() -> RwSignal<BackendState> {
    STATE.with(|state| *state)
}

/// The request for a run of `demo`, with `auto`'s cached choice for this workload if any.
pub fn request(cache_key: &str) -> BackendRequest {
    match state().get_untracked().requested {
        "cpu" => BackendRequest::Cpu,
        "webgpu" => BackendRequest::WebGpu,
        _ => {
            let cached = storage().and_then(|storage| storage.get_item(cache_key).ok().flatten());
            let (cached, cpu_ms_per_step) = read_cached(cached.as_deref());
            BackendRequest::Auto {
                cached,
                cpu_ms_per_step,
            }
        }
    }
}

/// `auto`'s cache entry for a workload: `cpu`, or `webgpu:<the CPU's ms per unit>` (plain
/// `webgpu` from before the CPU's pace was kept).
fn read_cached(value: Option<&str>) -> (Option<Backend>, Option<f64>) {
    let Some(value) = value else {
        return (None, None);
    };
    let (backend, cpu_ms) = value.split_once(':').unwrap_or((value, ""));
    let cpu_ms = cpu_ms
        .parse::<f64>()
        .ok()
        .filter(|ms| ms.is_finite() && *ms > 0.0);
    match backend {
        "cpu" => (Some(Backend::Cpu), None),
        "webgpu" => (Some(Backend::WebGpu), cpu_ms),
        _ => (None, None),
    }
}

fn cache_entry(chosen: &BackendChosen) -> Option<String> {
    let measurement = chosen.measurement?;
    Some(match chosen.backend {
        Backend::Cpu => "cpu".to_owned(),
        Backend::WebGpu => format!("webgpu:{}", measurement.cpu_ms_per_step),
    })
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Records what a run got: the badge, `data-backend` on `<html>`, and `auto`'s cache.
pub fn record(chosen: &BackendChosen, cache_key: &str) {
    if let (Some(entry), Some(storage)) = (cache_entry(chosen), storage()) {
        let _ = storage.set_item(cache_key, &entry);
    }
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-backend", chosen.backend.as_str());
    }
    state().update(|state| state.running = Some(chosen.clone()));
}

/// The badge that says which backend runs and why, with the control that changes it.
#[component]
pub fn BackendBadge() -> impl IntoView {
    let state = state();
    let text = move || {
        let state = state.get();
        match state.running {
            Some(chosen) => {
                let adapter = chosen
                    .adapter
                    .filter(|_| chosen.backend == Backend::WebGpu)
                    .map(|adapter| format!(" · {adapter}"))
                    .unwrap_or_default();
                format!("{}{adapter} — {}", chosen.backend.label(), chosen.reason)
            }
            None => match state.requested {
                "cpu" => "CPU — requested".to_owned(),
                "webgpu" => "WebGPU — requested (checked when a demo starts)".to_owned(),
                _ => "auto — chosen when a demo starts".to_owned(),
            },
        }
    };
    let on_change = move |event| {
        let value = event_target_value(&event);
        if let Some(choice) = choice(&value) {
            state.update(|state| {
                state.requested = choice;
                state.notice = None;
            });
            url::set_query(&[("backend".to_owned(), choice.to_owned())]);
            if let Some(storage) = storage() {
                let _ = storage.set_item(CHOICE_KEY, choice);
            }
        }
    };
    let on_background = move |event: leptos::ev::Event| {
        let trains_hidden = event_target_checked(&event);
        state.update(|state| state.trains_hidden = trains_hidden);
        let value = if trains_hidden { "train" } else { "pause" };
        url::set_query(&[("background".to_owned(), value.to_owned())]);
    };
    view! {
        <div class="backend">
            <label>
                "backend "
                <select data-param="backend" on:change=on_change prop:value=move || state.get().requested>
                    {CHOICES.map(|choice| view! { <option value=choice>{choice}</option> }).collect_view()}
                </select>
            </label>
            <span class="badge" data-backend-badge role="status">{text}</span>
            <label class="background-choice">
                <input type="checkbox" data-param="background" on:change=on_background prop:checked=move || state.get().trains_hidden/>
                "train in a hidden tab"
            </label>
            {move || state.get().notice.map(|notice| view! { <p class="notice" data-notice>{notice}</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use occam_demos::protocol::AutoMeasurement;

    #[test]
    fn background_is_pause_unless_it_says_train() {
        assert_eq!(background(None), (false, None));
        assert_eq!(background(Some("pause")), (false, None));
        assert_eq!(background(Some(" train ")), (true, None));
        for odd in ["", "Train", "1", "<b>train</b>"] {
            let (trains, notice) = background(Some(odd));
            assert!(!trains, "{odd:?}");
            assert!(
                notice.is_some_and(|notice| notice.contains(odd.trim())),
                "{odd:?}"
            );
        }
    }

    #[test]
    fn the_cache_keeps_the_cpus_pace_beside_a_webgpu_choice() {
        let mut chosen = BackendChosen {
            backend: Backend::WebGpu,
            reason: String::new(),
            fallback: None,
            measurement: Some(AutoMeasurement {
                cpu_ms_per_step: 2.5,
                webgpu_ms_per_step: Some(0.5),
            }),
            adapter: None,
        };
        let entry = cache_entry(&chosen);
        assert_eq!(entry.as_deref(), Some("webgpu:2.5"));
        assert_eq!(
            read_cached(entry.as_deref()),
            (Some(Backend::WebGpu), Some(2.5))
        );
        chosen.backend = Backend::Cpu;
        assert_eq!(
            read_cached(cache_entry(&chosen).as_deref()),
            (Some(Backend::Cpu), None)
        );
        chosen.measurement = None;
        assert_eq!(
            cache_entry(&chosen),
            None,
            "nothing measured, nothing cached"
        );
        assert_eq!(read_cached(Some("webgpu")), (Some(Backend::WebGpu), None));
        assert_eq!(
            read_cached(Some("webgpu:NaN")),
            (Some(Backend::WebGpu), None)
        );
        assert_eq!(read_cached(Some("quantum")), (None, None));
    }
}
