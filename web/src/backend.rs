//! The page's backend choice (`backend=cpu|webgpu|auto`), its badge, and `data-backend`.

use leptos::prelude::*;
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
}

pub const CHOICES: [&str; 3] = ["auto", "webgpu", "cpu"];

thread_local! {
    static STATE: RwSignal<BackendState> = {
        let raw = url::query_value("backend");
        let requested = raw.as_deref().map_or(Some("auto"), |raw| CHOICES.into_iter().find(|choice| *choice == raw.trim()));
        let notice = match (requested, raw) {
            (None, Some(raw)) => Some(format!("backend = “{raw}” is not one of auto, webgpu, cpu; using auto.")),
            _ => None,
        };
        RwSignal::new(BackendState { requested: requested.unwrap_or("auto"), notice, running: None })
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
        _ => BackendRequest::Auto {
            cached: storage()
                .and_then(|storage| storage.get_item(cache_key).ok().flatten())
                .and_then(|value| match value.as_str() {
                    "cpu" => Some(Backend::Cpu),
                    "webgpu" => Some(Backend::WebGpu),
                    _ => None,
                }),
        },
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Records what a run got: the badge, `data-backend` on `<html>`, and `auto`'s cache.
pub fn record(chosen: &BackendChosen, cache_key: &str) {
    if chosen.measurement.is_some()
        && let Some(storage) = storage()
    {
        let _ = storage.set_item(cache_key, chosen.backend.as_str());
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
        if let Some(choice) = CHOICES.into_iter().find(|choice| *choice == value) {
            state.update(|state| {
                state.requested = choice;
                state.notice = None;
            });
            url::set_query(&[("backend".to_owned(), choice.to_owned())]);
        }
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
            {move || state.get().notice.map(|notice| view! { <p class="notice" data-notice>{notice}</p> })}
        </div>
    }
}
