//! The worker's event loop: one session per run, stepped until done, paused or stopped.

use std::cell::RefCell;
use std::collections::HashMap;

use occam_core::burn::prelude::Device;
use occam_demos::auto::{self, Pace, Verdict};
use occam_demos::protocol::{
    Adapter, AutoMeasurement, Backend, BackendChosen, BackendRequest, FromWorker, Report, StartRun,
    ToWorker,
};
use occam_demos::session::{DemoError, Registry, Session, Step};
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

/// The browser's WebGPU, initialised once per worker.
#[derive(Clone)]
struct Gpu {
    device: Device,
    /// "vendor architecture", as `navigator.gpu` reports it.
    adapter: String,
    /// A software adapter (SwiftShader, say): correct, but slower than the CPU backend.
    is_fallback: bool,
}

#[derive(Default)]
struct State {
    /// The demos this build carries (set once, by [`start`]).
    demos: Option<Registry>,
    runs: HashMap<u32, Control>,
    /// WebGPU, once initialised, or why it could not be.
    webgpu: Option<Result<Gpu, String>>,
    /// Set while WebGPU is being initialised, so that it is only done once.
    is_starting_webgpu: bool,
    /// Set once WebGPU failed during a run.
    has_webgpu_failed: bool,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// A session of the run's demo on `device`, from this build's demos.
fn session(start: &StartRun, device: &Device) -> Result<Session, DemoError> {
    let demos = STATE.with(|state| state.borrow().demos);
    let demos = demos.ok_or_else(|| DemoError::UnknownDemo(start.demo.clone()))?;
    demos.start(&start.demo, &start.params, device)
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

fn post_activity(run: u32, label: String) {
    post(&FromWorker::Activity { run, label });
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

/// Whether the browser offers WebGPU to this worker.
fn has_webgpu() -> bool {
    js_sys::Reflect::get(&scope().navigator(), &"gpu".into())
        .map(|gpu| !gpu.is_undefined())
        .unwrap_or(false)
}

/// burn's WebGPU device, asked of the browser; a CPU-only build says it has none.
#[cfg(feature = "webgpu")]
async fn init_webgpu() -> Result<Device, String> {
    Device::wgpu_options()
        .init_async()
        .await
        .map_err(|error| format!("WebGPU could not start ({error})"))
}

#[cfg(not(feature = "webgpu"))]
async fn init_webgpu() -> Result<Device, String> {
    Err("this training worker is a CPU-only build".to_owned())
}

/// WebGPU if it is initialised by now (`None` while it is not, or is still starting).
fn webgpu_now() -> Option<Result<Gpu, String>> {
    STATE.with(|state| state.borrow().webgpu.clone())
}

/// The WebGPU device, initialised once per worker; `Err` says why there is none. `found` is
/// the adapter the page found (in the run's request), which names it.
async fn webgpu(found: Option<Adapter>) -> Result<Gpu, String> {
    loop {
        if let Some(known) = webgpu_now() {
            return known;
        }
        let is_starting = STATE.with(|state| {
            let mut state = state.borrow_mut();
            std::mem::replace(&mut state.is_starting_webgpu, true)
        });
        if !is_starting {
            break;
        }
        // Another run is initialising it: wait for that.
        sleep(20).await;
    }
    let result = if has_webgpu() {
        match init_webgpu().await {
            Ok(device) => {
                let found = found.unwrap_or_else(|| Adapter {
                    name: "unknown adapter".to_owned(),
                    is_fallback: false,
                });
                Ok(Gpu {
                    device,
                    adapter: found.name,
                    is_fallback: found.is_fallback,
                })
            }
            Err(why) => Err(why),
        }
    } else {
        Err("this browser has no WebGPU".to_owned())
    };
    STATE.with(|state| state.borrow_mut().webgpu = Some(result.clone()));
    result
}

/// The session a run trains, where it lives, and its pace: units of the demo's own work per
/// millisecond of its own steps, counted from its first report (which carries start-up costs,
/// shader compilation included).
struct Lane {
    session: Session,
    /// Whether it trains on WebGPU (its failures may be the device's).
    on_webgpu: bool,
    /// Progress at the first report; `None` before it.
    first_units: Option<u64>,
    units: u64,
    total: u64,
    ms: f64,
}

impl Lane {
    fn new(session: Session, on_webgpu: bool) -> Self {
        Self {
            session,
            on_webgpu,
            first_units: None,
            units: 0,
            total: 0,
            ms: 0.0,
        }
    }

    /// Counts a step that took `ms` and reported `report`.
    fn count(&mut self, report: &Report, ms: f64) {
        if self.first_units.is_some() {
            self.ms += ms;
        } else {
            self.first_units = Some(report.progress);
        }
        self.units = report.progress;
        self.total = report.total;
    }

    fn pace(&self) -> Pace {
        Pace {
            units: self.units - self.first_units.unwrap_or(self.units),
            ms: self.ms,
        }
    }

    /// One step, timed and counted. A device failure on WebGPU is the device's: WebGPU is
    /// then out for this worker and, once the page hears of it, for every later run.
    async fn step(&mut self) -> Result<Step, Failure> {
        let started = Instant::now();
        let step = match self.session.step().await {
            Ok(step) => step,
            Err(DemoError::Device(detail)) if self.on_webgpu => {
                return Err(Failure::WebGpu(webgpu_failed(&detail)));
            }
            Err(error) => return Err(Failure::Run(error.to_string())),
        };
        let (Step::Running(report) | Step::Done(report)) = &step;
        self.count(report, started.elapsed().as_secs_f64() * 1000.0);
        Ok(step)
    }
}

/// Why a lane's step failed.
enum Failure {
    /// WebGPU's device failed, and why (WebGPU is out from now on).
    WebGpu(String),
    /// The run failed, and why, in the run's words.
    Run(String),
}

impl Failure {
    /// The message that ends the run.
    fn for_the_run(self) -> String {
        match self {
            Self::WebGpu(why) => format!("{why}. Train again: the next run goes on the CPU."),
            Self::Run(message) => message,
        }
    }
}

/// Marks WebGPU as failed in this worker and tells the page (once), after a device failure
/// during a run (`detail`, the failure in one line); returns why, in words.
fn webgpu_failed(detail: &str) -> String {
    let why = format!("WebGPU stopped working on this page ({detail})");
    let is_news = STATE.with(|state| {
        let mut state = state.borrow_mut();
        state.webgpu = Some(Err(why.clone()));
        !std::mem::replace(&mut state.has_webgpu_failed, true)
    });
    if is_news {
        post(&FromWorker::WebGpuFailed { why: why.clone() });
    }
    why
}

/// `auto`'s measurement of WebGPU: a second session of the run's demo, stepped between the
/// run's own steps.
struct Probe {
    lane: Lane,
    gpu: Gpu,
    /// Wall time its steps have taken, the first included: what [`auto::PROBE_BUDGET_MS`]
    /// bounds.
    spent_ms: f64,
}

/// What `auto` still has to decide during a run.
enum Plan {
    /// Nothing: the backend is settled.
    Settled,
    /// Running on the CPU; WebGPU is to be measured beside it (once it is initialised).
    Measure(Option<Probe>),
    /// Running on WebGPU; its real pace must beat the CPU's `cpu_ms_per_unit`.
    Confirm { cpu_ms_per_unit: f64 },
}

fn chosen(
    backend: Backend,
    reason: &str,
    fallback: Option<String>,
    measurement: Option<AutoMeasurement>,
    adapter: Option<String>,
) -> BackendChosen {
    BackendChosen {
        backend,
        reason: reason.to_owned(),
        fallback,
        measurement,
        adapter,
    }
}

/// [`webgpu`], telling the page that is what it waits for.
async fn starting_webgpu(run: &StartRun) -> Result<Gpu, String> {
    if webgpu_now().is_none() {
        post_activity(run.run, "starting WebGPU".to_owned());
    }
    webgpu(run.adapter.clone()).await
}

/// Chooses the device a run starts on, and what `auto` still has to decide.
async fn choose(run: &StartRun) -> (Device, BackendChosen, Plan) {
    let cpu = Device::flex;
    let uses_tensors = occam_demos::demo(&run.demo).is_some_and(|spec| spec.uses_tensors);
    if !uses_tensors {
        let fallback = (run.backend == BackendRequest::WebGpu).then(|| {
            "This demo does integer arithmetic coding, not tensor work: it runs on the CPU."
                .to_owned()
        });
        let reason = "no tensor work in this demo";
        return (
            cpu(),
            chosen(Backend::Cpu, reason, fallback, None, None),
            Plan::Settled,
        );
    }
    // The page found no usable WebGPU for this request, and started a CPU build.
    if let Some(why) = run.webgpu_unusable.as_deref() {
        let chosen = without_webgpu(&run.backend, why, run.webgpu_failed);
        return (cpu(), chosen, Plan::Settled);
    }
    match run.backend {
        BackendRequest::Cpu => (
            cpu(),
            chosen(Backend::Cpu, "requested", None, None, None),
            Plan::Settled,
        ),
        BackendRequest::WebGpu => match starting_webgpu(run).await {
            Ok(gpu) => (
                gpu.device,
                chosen(Backend::WebGpu, "requested", None, None, Some(gpu.adapter)),
                Plan::Settled,
            ),
            Err(why) => {
                let fallback = Some(format!("{why}; running on the CPU instead."));
                (
                    cpu(),
                    chosen(Backend::Cpu, "WebGPU unavailable", fallback, None, None),
                    Plan::Settled,
                )
            }
        },
        BackendRequest::Auto {
            cached: Some(Backend::WebGpu),
            cpu_ms_per_step,
        } => match starting_webgpu(run).await {
            Ok(gpu) if !gpu.is_fallback => {
                let plan = cpu_ms_per_step.map_or(Plan::Settled, |cpu_ms_per_unit| Plan::Confirm {
                    cpu_ms_per_unit,
                });
                let reason = "measured faster here before (cached)";
                (
                    gpu.device,
                    chosen(Backend::WebGpu, reason, None, None, Some(gpu.adapter)),
                    plan,
                )
            }
            _ => (
                cpu(),
                chosen(
                    Backend::Cpu,
                    "auto: WebGPU is not what it was here",
                    None,
                    None,
                    None,
                ),
                Plan::Settled,
            ),
        },
        BackendRequest::Auto {
            cached: Some(Backend::Cpu),
            ..
        } => (
            cpu(),
            chosen(
                Backend::Cpu,
                "measured faster here before (cached)",
                None,
                None,
                None,
            ),
            Plan::Settled,
        ),
        BackendRequest::Auto { cached: None, .. } => {
            // Start at once on the CPU; WebGPU initialises meanwhile, for the measurement.
            let (reason, plan) = if has_webgpu() {
                let found = run.adapter.clone();
                wasm_bindgen_futures::spawn_local(async {
                    let _ = webgpu(found).await;
                });
                (
                    "auto: started on the CPU while WebGPU is measured",
                    Plan::Measure(None),
                )
            } else {
                ("auto: this browser has no WebGPU", Plan::Settled)
            };
            (cpu(), chosen(Backend::Cpu, reason, None, None, None), plan)
        }
    }
}

/// The CPU for `request`, when the page found WebGPU unusable here (`why`). A request for
/// WebGPU is told in a notice, and so is `auto` when WebGPU `failed` during an earlier run.
fn without_webgpu(request: &BackendRequest, why: &str, failed: bool) -> BackendChosen {
    let fallback = Some(format!("{why}; running on the CPU instead."));
    match request {
        BackendRequest::Cpu => chosen(Backend::Cpu, "requested", None, None, None),
        BackendRequest::WebGpu => chosen(Backend::Cpu, "WebGPU unavailable", fallback, None, None),
        BackendRequest::Auto { .. } => {
            let fallback = fallback.filter(|_| failed);
            chosen(Backend::Cpu, &format!("auto: {why}"), fallback, None, None)
        }
    }
}

fn short_run() -> String {
    "auto: a short run, so it stays on the CPU".to_owned()
}

/// Why `auto` passes over a software adapter.
fn software(gpu: &Gpu) -> String {
    format!(
        "auto: the WebGPU adapter here ({}) is a software one, slower than the CPU",
        gpu.adapter
    )
}

/// "1.23 ms"; the unit of work is the demo's own.
fn ms(value: f64) -> String {
    format!("{value:.2} ms")
}

/// Settles on the CPU lane already running, telling the page why. `caches` when the reason
/// holds for this workload on this machine next time too (no WebGPU, a software adapter, a run
/// too short to gain, a measured loss), so the page keeps it; not for what may differ next time
/// (WebGPU not ready yet, a cold shader compilation, a passing failure).
fn stay_on_cpu(
    id: u32,
    reason: String,
    cpu: &Lane,
    gpu_ms: Option<f64>,
    adapter: Option<String>,
    caches: bool,
) -> Plan {
    let cpu_ms = cpu.pace().ms_per_unit().filter(|_| caches);
    post_measured(
        id,
        Backend::Cpu,
        &reason,
        cpu_ms.map(|cpu_ms| (cpu_ms, gpu_ms)),
        adapter,
    );
    Plan::Settled
}

/// Tells the page which backend the run is on now and why, with what was measured (CPU and
/// WebGPU milliseconds a unit) when the page should cache it.
fn post_measured(
    id: u32,
    backend: Backend,
    reason: &str,
    measured: Option<(f64, Option<f64>)>,
    adapter: Option<String>,
) {
    let measurement = measured.map(|(cpu_ms_per_step, webgpu_ms_per_step)| AutoMeasurement {
        cpu_ms_per_step,
        webgpu_ms_per_step,
    });
    post(&FromWorker::Backend {
        run: id,
        chosen: chosen(backend, reason, None, measurement, adapter),
    });
}

/// One move of `auto` after a step of `lane`: measure WebGPU a step, switch, confirm or fall
/// back. May replace the lane (the run then starts over on the other backend).
async fn decide(id: u32, start: &StartRun, plan: Plan, lane: &mut Lane) -> Result<Plan, String> {
    match plan {
        Plan::Settled => Ok(Plan::Settled),
        Plan::Measure(probe) => {
            let cpu = lane.pace();
            // A pace to compare with first: a few units and a tenth of a second.
            if cpu.units < 2 || cpu.ms < 100.0 {
                return Ok(Plan::Measure(probe));
            }
            let mut probe = match probe {
                Some(probe) => probe,
                None => match webgpu_now() {
                    None if auto::is_worth_probing(lane.total, lane.units, cpu) => {
                        return Ok(Plan::Measure(None));
                    }
                    None => return Ok(stay_on_cpu(id, short_run(), lane, None, None, true)),
                    Some(Err(why)) => {
                        let reason = format!("auto: {why}");
                        return Ok(stay_on_cpu(id, reason, lane, None, None, true));
                    }
                    Some(Ok(gpu)) if gpu.is_fallback => {
                        let reason = software(&gpu);
                        return Ok(stay_on_cpu(id, reason, lane, None, Some(gpu.adapter), true));
                    }
                    Some(Ok(_)) if !auto::is_worth_probing(lane.total, lane.units, cpu) => {
                        return Ok(stay_on_cpu(id, short_run(), lane, None, None, true));
                    }
                    Some(Ok(gpu)) => match session(start, &gpu.device) {
                        Ok(session) => Probe {
                            lane: Lane::new(session, true),
                            gpu,
                            spent_ms: 0.0,
                        },
                        Err(why) => {
                            let reason = format!("auto: WebGPU could not start this demo ({why})");
                            return Ok(stay_on_cpu(
                                id,
                                reason,
                                lane,
                                None,
                                Some(gpu.adapter),
                                false,
                            ));
                        }
                    },
                },
            };
            post_activity(
                id,
                if probe.lane.first_units.is_some() {
                    format!(
                        "measuring WebGPU beside the CPU ({:.1} of at most {:.1} s)",
                        probe.spent_ms / 1000.0,
                        auto::PROBE_BUDGET_MS / 1000.0
                    )
                } else {
                    "measuring WebGPU beside the CPU: its first step compiles the shaders"
                        .to_owned()
                },
            );
            let started = Instant::now();
            let step = probe.lane.step().await;
            probe.spent_ms += started.elapsed().as_secs_f64() * 1000.0;
            let (gpu_pace, budget_used) = (probe.lane.pace(), probe.spent_ms);
            let adapter = Some(probe.gpu.adapter.clone());
            match step {
                Err(failure) => {
                    let reason = match failure {
                        Failure::WebGpu(why) => format!("auto: {why}"),
                        Failure::Run(why) => format!("auto: WebGPU failed ({why})"),
                    };
                    Ok(stay_on_cpu(id, reason, lane, None, adapter, false))
                }
                Ok(_) if gpu_pace.units >= 2 || budget_used >= auto::PROBE_BUDGET_MS => {
                    let cpu_ms = cpu.ms_per_unit().unwrap_or(f64::INFINITY);
                    let Some(gpu_ms) = gpu_pace.ms_per_unit() else {
                        let reason = format!(
                            "auto: WebGPU's first step took {}, past the measurement's budget; staying on the CPU",
                            ms(budget_used)
                        );
                        return Ok(stay_on_cpu(id, reason, lane, None, adapter, false));
                    };
                    if auto::should_switch(lane.total, lane.units, cpu, probe.lane.units, gpu_pace)
                    {
                        let reason = format!(
                            "measured {} a unit on the CPU, {} on WebGPU: switched to WebGPU",
                            ms(cpu_ms),
                            ms(gpu_ms)
                        );
                        let measured = Some((cpu_ms, Some(gpu_ms)));
                        post_measured(id, Backend::WebGpu, &reason, measured, adapter);
                        *lane = probe.lane;
                        Ok(Plan::Confirm {
                            cpu_ms_per_unit: cpu_ms,
                        })
                    } else {
                        let reason = format!(
                            "measured {} a unit on the CPU, {} on WebGPU: staying on the CPU",
                            ms(cpu_ms),
                            ms(gpu_ms)
                        );
                        Ok(stay_on_cpu(id, reason, lane, Some(gpu_ms), adapter, true))
                    }
                }
                Ok(_) => Ok(Plan::Measure(Some(probe))),
            }
        }
        Plan::Confirm { cpu_ms_per_unit } => {
            match auto::confirm(cpu_ms_per_unit, lane.pace(), lane.total, lane.units) {
                Verdict::Wait => Ok(Plan::Confirm { cpu_ms_per_unit }),
                Verdict::Confirmed => Ok(Plan::Settled),
                Verdict::FallBack => {
                    let gpu_ms = lane.pace().ms_per_unit().unwrap_or(f64::INFINITY);
                    let reason = format!(
                        "WebGPU ran at {} a unit against the CPU's {}: starting over on the CPU finishes sooner",
                        ms(gpu_ms),
                        ms(cpu_ms_per_unit)
                    );
                    let measured = Some((cpu_ms_per_unit, Some(gpu_ms)));
                    post_measured(id, Backend::Cpu, &reason, measured, None);
                    let session =
                        session(start, &Device::flex()).map_err(|error| error.to_string())?;
                    *lane = Lane::new(session, false);
                    Ok(Plan::Settled)
                }
            }
        }
    }
}

/// Runs one demo to its end, posting reports as it goes.
async fn run(start: StartRun) {
    let id = start.run;
    let fail = |message: String| {
        STATE.with(|state| state.borrow_mut().runs.remove(&id));
        post(&FromWorker::Error { run: id, message });
    };
    let (device, chosen, mut plan) = choose(&start).await;
    let chosen_backend = chosen.backend;
    post(&FromWorker::Backend { run: id, chosen });
    let mut lane = match session(&start, &device) {
        Ok(session) => Lane::new(session, chosen_backend == Backend::WebGpu),
        Err(error) => return fail(error.to_string()),
    };
    let mut last_post: Option<Instant> = None;
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
        match lane.step().await {
            Ok(Step::Running(report)) => {
                // The first report at once, then at most every 50 ms: smooth progress, cheap
                // for the page.
                if last_post.is_none_or(|at| at.elapsed().as_millis() >= 50) {
                    post(&FromWorker::Report { run: id, report });
                    last_post = Some(Instant::now());
                }
                plan = match decide(id, &start, plan, &mut lane).await {
                    Ok(plan) => plan,
                    Err(message) => return fail(message),
                };
            }
            Ok(Step::Done(report)) => {
                if let Plan::Measure(_) = plan {
                    settle_at_the_end(id, &lane);
                }
                STATE.with(|state| state.borrow_mut().runs.remove(&id));
                return post(&FromWorker::Done { run: id, report });
            }
            Err(failure) => return fail(failure.for_the_run()),
        }
    }
}

/// A run on `auto` that ended before WebGPU was measured: it ran on the CPU, which was good
/// enough for this workload (or the only good adapter).
fn settle_at_the_end(id: u32, cpu: &Lane) {
    let reason = match webgpu_now() {
        Some(Ok(gpu)) if gpu.is_fallback => software(&gpu),
        Some(Err(why)) => format!("auto: {why}"),
        _ => "auto: the run ended on the CPU before WebGPU was measured".to_owned(),
    };
    let adapter = webgpu_now().and_then(Result::ok).map(|gpu| gpu.adapter);
    let caches = matches!(
        webgpu_now(),
        Some(Err(_))
            | Some(Ok(Gpu {
                is_fallback: true,
                ..
            }))
    );
    stay_on_cpu(id, reason, cpu, None, adapter, caches);
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

/// Installs the message handler for a build carrying `demos`, and tells the page the worker is
/// ready.
pub fn start(demos: Registry) {
    STATE.with(|state| state.borrow_mut().demos = Some(demos));
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(&FromWorker::Ready);
}
