//! The worker's event loop: one session per run, stepped until done, paused or stopped.

use std::cell::RefCell;
use std::collections::HashMap;

use occam_core::burn::prelude::Device;
use occam_demos::protocol::{
    AutoMeasurement, Backend, BackendChosen, BackendRequest, FromWorker, StartRun, ToWorker,
};
use occam_demos::session::{Session, Step};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};
use web_time::Instant;

/// What the page asked of each run: keep going, hold, or end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Control {
    Running,
    Paused,
    Stopped,
}

#[derive(Default)]
struct State {
    runs: HashMap<u32, Control>,
    /// WebGPU, once initialised, or why it could not be.
    webgpu: Option<Result<(Device, String), String>>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(message: &FromWorker) {
    match serde_wasm_bindgen::to_value(message) {
        Ok(value) => {
            if let Err(error) = scope().post_message(&value) {
                web_sys::console::error_2(&"occam worker: post failed".into(), &error);
            }
        }
        Err(error) => web_sys::console::error_1(&format!("occam worker: {error}").into()),
    }
}

/// Lets the worker's event loop run (so messages arrive) for at least `milliseconds`.
async fn sleep(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ =
            scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn control(run: u32) -> Control {
    STATE.with(|state| {
        state
            .borrow()
            .runs
            .get(&run)
            .copied()
            .unwrap_or(Control::Stopped)
    })
}

fn set_control(run: u32, value: Control) {
    STATE.with(|state| {
        if let Some(control) = state.borrow_mut().runs.get_mut(&run) {
            *control = value;
        }
    });
}

/// The WebGPU device, initialised once per worker; `Err` says why there is none.
async fn webgpu() -> Result<(Device, String), String> {
    if let Some(known) = STATE.with(|state| state.borrow().webgpu.clone()) {
        return known;
    }
    let has_gpu = js_sys::Reflect::get(&scope().navigator(), &"gpu".into())
        .map(|gpu| !gpu.is_undefined())
        .unwrap_or(false);
    let result = if has_gpu {
        match Device::wgpu_options().init_async().await {
            Ok(device) => Ok((device, adapter_description().await)),
            Err(error) => Err(format!("WebGPU could not start ({error})")),
        }
    } else {
        Err("this browser has no WebGPU".to_owned())
    };
    STATE.with(|state| state.borrow_mut().webgpu = Some(result.clone()));
    result
}

/// "vendor, architecture" of the browser's adapter (as `navigator.gpu` reports it).
async fn adapter_description() -> String {
    let read = async {
        let gpu = js_sys::Reflect::get(&scope().navigator(), &"gpu".into()).ok()?;
        let request: js_sys::Function = js_sys::Reflect::get(&gpu, &"requestAdapter".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let promise: js_sys::Promise = request.call0(&gpu).ok()?.dyn_into().ok()?;
        let adapter = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
        let info = js_sys::Reflect::get(&adapter, &"info".into()).ok()?;
        let field = |name: &str| {
            js_sys::Reflect::get(&info, &name.into())
                .ok()
                .and_then(|value| value.as_string())
                .unwrap_or_default()
        };
        let fallback = js_sys::Reflect::get(&adapter, &"isFallbackAdapter".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        Some(
            format!(
                "{} {}{}",
                field("vendor"),
                field("architecture"),
                if fallback { " (fallback)" } else { "" }
            )
            .trim()
            .to_owned(),
        )
    };
    read.await.unwrap_or_else(|| "unknown adapter".to_owned())
}

/// Milliseconds per unit of the demo's own work (`Report::progress`: a training step for most
/// demos) on `device`: one warm-up step, then up to three more, each ending in a read-back.
/// Past `budget_ms` it stops after the step that crossed it: a step cannot be interrupted (the
/// worker's thread is busy in it), but a slow adapter then costs one step's work, not three.
async fn measure(run: &StartRun, device: &Device, budget_ms: f64) -> Result<f64, String> {
    let progress = |step: &Step| match step {
        Step::Running(report) | Step::Done(report) => report.progress,
    };
    let mut session =
        Session::new(&run.demo, &run.params, device).map_err(|error| error.to_string())?;
    let measuring = Instant::now();
    let warm = session.step().await.map_err(|error| error.to_string())?;
    let (started, first) = (Instant::now(), progress(&warm));
    let warm_ms = measuring.elapsed().as_secs_f64() * 1000.0;
    if matches!(warm, Step::Done(_)) || warm_ms > budget_ms {
        // Already over (or all done): the warm-up step, start-up included, is the measure.
        return Ok(warm_ms / first.max(1) as f64);
    }
    let mut last = first;
    for _ in 0..3 {
        let step = session.step().await.map_err(|error| error.to_string())?;
        last = progress(&step);
        let over_budget = measuring.elapsed().as_secs_f64() * 1000.0 > budget_ms;
        if matches!(step, Step::Done(_)) || over_budget {
            break;
        }
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0 / (last.saturating_sub(first)).max(1) as f64)
}

/// Chooses the device for a run, honouring the request where possible.
async fn choose(run: &StartRun) -> (Device, BackendChosen) {
    let cpu = || Device::flex();
    let chosen =
        |backend, reason: &str, fallback: Option<String>, measurement, adapter| BackendChosen {
            backend,
            reason: reason.to_owned(),
            fallback,
            measurement,
            adapter,
        };
    let uses_tensors = occam_demos::demo(&run.demo).is_some_and(|spec| spec.uses_tensors);
    if !uses_tensors {
        let fallback = (run.backend == BackendRequest::WebGpu).then(|| {
            "This demo does integer arithmetic coding, not tensor work: it runs on the CPU."
                .to_owned()
        });
        return (
            cpu(),
            chosen(
                Backend::Cpu,
                "no tensor work in this demo",
                fallback,
                None,
                None,
            ),
        );
    }
    match run.backend {
        BackendRequest::Cpu => (cpu(), chosen(Backend::Cpu, "requested", None, None, None)),
        BackendRequest::WebGpu => match webgpu().await {
            Ok((device, adapter)) => (
                device,
                chosen(Backend::WebGpu, "requested", None, None, Some(adapter)),
            ),
            Err(why) => (
                cpu(),
                chosen(
                    Backend::Cpu,
                    "WebGPU unavailable",
                    Some(format!("{why}; running on the CPU instead.")),
                    None,
                    None,
                ),
            ),
        },
        BackendRequest::Auto {
            cached: Some(Backend::Cpu),
        } => (
            cpu(),
            chosen(
                Backend::Cpu,
                "measured faster here (cached)",
                None,
                None,
                None,
            ),
        ),
        BackendRequest::Auto { cached } => match webgpu().await {
            Err(why) => (
                cpu(),
                chosen(Backend::Cpu, &format!("auto: {why}"), None, None, None),
            ),
            Ok((device, adapter)) if cached == Some(Backend::WebGpu) => (
                device,
                chosen(
                    Backend::WebGpu,
                    "measured faster here (cached)",
                    None,
                    None,
                    Some(adapter),
                ),
            ),
            Ok((device, adapter)) => {
                let measuring = Instant::now();
                let cpu_ms = measure(run, &cpu(), f64::INFINITY).await;
                // WebGPU may take ten times the CPU's whole measurement (at least 2 s).
                let budget_ms = (10_000.0 * measuring.elapsed().as_secs_f64()).max(2_000.0);
                let gpu_ms = measure(run, &device, budget_ms).await;
                match (cpu_ms, gpu_ms) {
                    (Ok(cpu_ms), Ok(gpu_ms)) => {
                        let measurement = Some(AutoMeasurement {
                            cpu_ms_per_step: cpu_ms,
                            webgpu_ms_per_step: Some(gpu_ms),
                        });
                        let reason = format!(
                            "measured: {cpu_ms:.2} ms on the CPU, {gpu_ms:.2} ms on WebGPU, per unit of work"
                        );
                        if gpu_ms < cpu_ms {
                            (
                                device,
                                chosen(Backend::WebGpu, &reason, None, measurement, Some(adapter)),
                            )
                        } else {
                            (
                                cpu(),
                                chosen(Backend::Cpu, &reason, None, measurement, Some(adapter)),
                            )
                        }
                    }
                    (Ok(cpu_ms), Err(why)) => {
                        let measurement = Some(AutoMeasurement {
                            cpu_ms_per_step: cpu_ms,
                            webgpu_ms_per_step: None,
                        });
                        (
                            cpu(),
                            chosen(
                                Backend::Cpu,
                                &format!("auto: WebGPU failed ({why})"),
                                None,
                                measurement,
                                Some(adapter),
                            ),
                        )
                    }
                    (Err(_), _) => (
                        cpu(),
                        chosen(
                            Backend::Cpu,
                            "auto: measurement failed",
                            None,
                            None,
                            Some(adapter),
                        ),
                    ),
                }
            }
        },
    }
}

/// Runs one demo to its end, posting reports as it goes.
async fn run(start: StartRun) {
    let id = start.run;
    let (device, chosen) = choose(&start).await;
    post(&FromWorker::Backend { run: id, chosen });
    let mut session = match Session::new(&start.demo, &start.params, &device) {
        Ok(session) => session,
        Err(error) => {
            return post(&FromWorker::Error {
                run: id,
                message: error.to_string(),
            });
        }
    };
    let mut last_post = Instant::now();
    loop {
        sleep(0).await;
        match control(id) {
            Control::Stopped => return post(&FromWorker::Stopped { run: id }),
            Control::Paused => {
                post(&FromWorker::Paused { run: id });
                // Paused: check back every 50 ms rather than spin the laptop's CPU.
                while control(id) == Control::Paused {
                    sleep(50).await;
                }
                continue;
            }
            Control::Running => {}
        }
        match session.step().await {
            Ok(Step::Running(report)) => {
                // Reports at most every 50 ms: enough for smooth progress, cheap for the page.
                if last_post.elapsed().as_millis() >= 50 {
                    post(&FromWorker::Report { run: id, report });
                    last_post = Instant::now();
                }
            }
            Ok(Step::Done(report)) => {
                STATE.with(|state| state.borrow_mut().runs.remove(&id));
                return post(&FromWorker::Done { run: id, report });
            }
            Err(error) => {
                STATE.with(|state| state.borrow_mut().runs.remove(&id));
                return post(&FromWorker::Error {
                    run: id,
                    message: error.to_string(),
                });
            }
        }
    }
}

fn on_message(event: MessageEvent) {
    let message: ToWorker = match serde_wasm_bindgen::from_value(event.data()) {
        Ok(message) => message,
        Err(error) => {
            return web_sys::console::error_1(
                &format!("occam worker: bad message: {error}").into(),
            );
        }
    };
    match message {
        ToWorker::Start(start) => {
            STATE.with(|state| state.borrow_mut().runs.insert(start.run, Control::Running));
            wasm_bindgen_futures::spawn_local(run(start));
        }
        ToWorker::Pause { run } => set_control(run, Control::Paused),
        ToWorker::Resume { run } => set_control(run, Control::Running),
        ToWorker::Stop { run } => set_control(run, Control::Stopped),
    }
}

/// Installs the message handler and tells the page the worker is ready.
pub fn start() {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(&FromWorker::Ready);
}
