//! The page's side of the training workers: one per build a run needs, each started on first use,
//! with messages routed to the demo that started each run.
//!
//! The worker comes in several builds. The CPU builds have burn's CPU backend only, and each
//! carries some of the demos (`occam_demos::builds`: those without tensors need no burn, and
//! only the text demos carry brotli and their texts); `occam-worker` carries every demo and
//! adds the WebGPU backend, several times the download. Each run goes to the CPU build of its
//! demo unless it may use WebGPU, which the page checks first (its adapter, as `navigator.gpu`
//! reports it): a reader without a usable WebGPU downloads only the build of the demo they run.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use occam_demos::protocol::{Adapter, Backend, BackendRequest, FromWorker, StartRun, ToWorker};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Where a run's messages go.
pub type Listener = Rc<dyn Fn(FromWorker)>;

/// The builds of the training worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkerBuild {
    /// burn's CPU backend only, with some of the demos: the bin's name.
    Cpu(&'static str),
    /// burn's WebGPU backend beside the CPU's, with every demo.
    WebGpu,
}

impl WorkerBuild {
    /// The CPU build that carries demo `id` (for an id no build lists, the smallest build,
    /// which then reports the unknown demo itself).
    pub fn cpu_for(id: &str) -> Self {
        let builds = occam_demos::builds::CPU_BUILDS;
        Self::Cpu(occam_demos::builds::cpu_build(id).unwrap_or(builds[0].bin))
    }

    /// The script that loads it (see `web/worker/loader.js`).
    fn loader(self) -> String {
        let bin = match self {
            Self::Cpu(bin) => bin,
            Self::WebGpu => occam_demos::builds::WEBGPU_BIN,
        };
        format!("./{bin}_loader.js")
    }
}

/// What the page found of WebGPU here.
#[derive(Debug, Clone, PartialEq)]
pub enum WebGpuHere {
    /// None to use, and why.
    Missing(String),
    /// An adapter.
    Adapter(Adapter),
    /// WebGPU failed during a run on this page (its device was lost, say), and why.
    Failed(String),
}

/// Which build runs `start`, marking in it why WebGPU is out of the question when that is
/// why its demo's CPU build was chosen, or the adapter found when it goes to the WebGPU build.
/// Once WebGPU failed during a run, every later run goes to its demo's CPU build.
/// A demo without tensor work, a request for the CPU and `auto`'s cached CPU choice need no
/// WebGPU; a request for WebGPU takes any adapter (a software one is correct, only slow);
/// `auto` takes only a hardware one, as it would pass over a software adapter after
/// measuring it.
pub fn route(start: &mut StartRun, here: &WebGpuHere, uses_tensors: bool) -> WorkerBuild {
    let cpu = WorkerBuild::cpu_for(&start.demo);
    if !uses_tensors {
        return cpu;
    }
    let unusable = match (&start.backend, here) {
        (BackendRequest::Cpu, _)
        | (
            BackendRequest::Auto {
                cached: Some(Backend::Cpu),
                ..
            },
            _,
        ) => return cpu,
        (_, WebGpuHere::Missing(why)) => why.clone(),
        (_, WebGpuHere::Failed(why)) => {
            start.webgpu_failed = true;
            why.clone()
        }
        (BackendRequest::Auto { .. }, WebGpuHere::Adapter(adapter)) if adapter.is_fallback => {
            let name = &adapter.name;
            format!("the WebGPU adapter here ({name}) is a software one, slower than the CPU")
        }
        (_, WebGpuHere::Adapter(adapter)) => {
            start.adapter = Some(adapter.clone());
            return WorkerBuild::WebGpu;
        }
    };
    start.webgpu_unusable = Some(unusable);
    cpu
}

#[derive(Default)]
struct Slot {
    worker: Option<Worker>,
    is_ready: bool,
    /// Messages sent before the worker's wasm was ready.
    queued: Vec<ToWorker>,
}

#[derive(Default)]
struct Host {
    slots: HashMap<WorkerBuild, Slot>,
    listeners: HashMap<u32, Listener>,
    /// The build each run went to.
    homes: HashMap<u32, WorkerBuild>,
    /// Messages for runs still being routed (waiting on the WebGPU check).
    early: HashMap<u32, Vec<ToWorker>>,
    next_run: u32,
    /// The WebGPU check, once done.
    webgpu: Option<WebGpuHere>,
    is_checking: bool,
}

thread_local! {
    static HOST: RefCell<Host> = RefCell::new(Host::default());
}

/// The run a message is for; `None` for the worker's own (`Loading`, `Ready`), which every run
/// waiting on that worker hears.
fn run_of(message: &FromWorker) -> Option<u32> {
    match message {
        FromWorker::Ready | FromWorker::Loading { .. } | FromWorker::WebGpuFailed { .. } => None,
        FromWorker::Activity { run, .. }
        | FromWorker::Backend { run, .. }
        | FromWorker::Report { run, .. }
        | FromWorker::Paused { run }
        | FromWorker::Done { run, .. }
        | FromWorker::Stopped { run }
        | FromWorker::Error { run, .. } => Some(*run),
    }
}

fn post_now(worker: &Worker, message: &ToWorker) -> Result<(), String> {
    let value = serde_wasm_bindgen::to_value(message).map_err(|error| error.to_string())?;
    worker
        .post_message(&value)
        .map_err(|error| format!("{error:?}"))
}

fn on_message(build: WorkerBuild, event: MessageEvent) {
    let message: FromWorker = match serde_wasm_bindgen::from_value(event.data()) {
        Ok(message) => message,
        Err(error) => {
            return web_sys::console::warn_1(
                &format!("occam: unreadable worker message: {error}").into(),
            );
        }
    };
    if let FromWorker::WebGpuFailed { why } = message {
        // The run it happened in ends with its own error, which follows.
        HOST.with(|host| host.borrow_mut().webgpu = Some(WebGpuHere::Failed(why)));
        return;
    }
    if message == FromWorker::Ready {
        HOST.with(|host| {
            let mut host = host.borrow_mut();
            let slot = host.slots.entry(build).or_default();
            slot.is_ready = true;
            let queued = std::mem::take(&mut slot.queued);
            if let Some(worker) = slot.worker.as_ref() {
                for message in &queued {
                    let _ = post_now(worker, message);
                }
            }
        });
        return;
    }
    let is_final = matches!(
        message,
        FromWorker::Done { .. } | FromWorker::Stopped { .. } | FromWorker::Error { .. }
    );
    let Some(run) = run_of(&message) else {
        // The worker's own news (its download's progress): for the runs waiting on it.
        let listeners: Vec<Listener> = HOST.with(|host| {
            let host = host.borrow();
            host.listeners
                .iter()
                .filter(|(run, _)| host.homes.get(run) == Some(&build))
                .map(|(_, listener)| listener.clone())
                .collect()
        });
        for listener in listeners {
            listener(message.clone());
        }
        return;
    };
    let listener = HOST.with(|host| {
        let mut host = host.borrow_mut();
        if is_final {
            host.homes.remove(&run);
            host.listeners.remove(&run)
        } else {
            host.listeners.get(&run).cloned()
        }
    });
    if let Some(listener) = listener {
        listener(message);
    }
}

/// A worker died (failed to load, or a panic): each of its runs gets an error, and the next
/// run on that build starts a new worker.
fn on_error(build: WorkerBuild, event: ErrorEvent) {
    event.prevent_default();
    let message = format!("the training worker stopped: {}", event.message());
    let listeners = HOST.with(|host| {
        let mut host = host.borrow_mut();
        if let Some(worker) = host.slots.remove(&build).and_then(|slot| slot.worker) {
            worker.terminate();
        }
        let runs: Vec<u32> = host
            .homes
            .iter()
            .filter(|(_, home)| **home == build)
            .map(|(run, _)| *run)
            .collect();
        runs.into_iter()
            .filter_map(|run| {
                host.homes.remove(&run);
                host.listeners.remove(&run).map(|listener| (run, listener))
            })
            .collect::<Vec<_>>()
    });
    for (run, listener) in listeners {
        listener(FromWorker::Error {
            run,
            message: message.clone(),
        });
    }
}

/// Why the browser refused to start the training worker, in words. A frame sandboxed without
/// `allow-same-origin` has an opaque origin (`null`), from which no worker script may load:
/// that is the usual case, and the person reading can do something about it.
fn worker_refused(error: &JsValue) -> String {
    let is_opaque = web_sys::window()
        .and_then(|window| js_sys::Reflect::get(&window, &"origin".into()).ok())
        .and_then(|origin| origin.as_string())
        .is_some_and(|origin| origin == "null");
    if is_opaque {
        let address = web_sys::window()
            .and_then(|window| window.location().href().ok())
            .unwrap_or_default();
        return format!(
            "This demo cannot train here: the page around it runs it in a sandboxed frame \
             without allow-same-origin, where the browser starts no training worker. Open \
             it on its own page to train it: {address}"
        );
    }
    let why = error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .unwrap_or_else(|| format!("{error:?}"));
    format!("The browser would not start the training worker: {why}")
}

fn start_worker(build: WorkerBuild) -> Result<Worker, String> {
    let worker = Worker::new(&build.loader()).map_err(|error| worker_refused(&error))?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event| on_message(build, event));
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event| on_error(build, event));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(worker)
}

/// Sends a message to a build's worker, starting it if needed and queueing until it is ready.
fn send_to(build: WorkerBuild, message: ToWorker) -> Result<(), String> {
    HOST.with(|host| {
        let mut host = host.borrow_mut();
        let slot = host.slots.entry(build).or_default();
        if slot.worker.is_none() {
            slot.worker = Some(start_worker(build)?);
        }
        match (slot.is_ready, slot.worker.as_ref()) {
            (true, Some(worker)) => post_now(worker, &message),
            _ => {
                slot.queued.push(message);
                Ok(())
            }
        }
    })
}

/// A fresh run number.
pub fn next_run() -> u32 {
    HOST.with(|host| {
        let mut host = host.borrow_mut();
        host.next_run += 1;
        host.next_run
    })
}

/// Routes the messages of `run` to `listener` until the run ends.
pub fn listen(run: u32, listener: Listener) {
    HOST.with(|host| host.borrow_mut().listeners.insert(run, listener));
}

/// Sends a message: a run's start goes to the build [`route`] picks once WebGPU is checked,
/// and what follows for that run goes where it went.
pub fn send(message: ToWorker) -> Result<(), String> {
    let run = match &message {
        ToWorker::Start(start) => {
            let start = start.clone();
            HOST.with(|host| host.borrow_mut().early.insert(start.run, Vec::new()));
            wasm_bindgen_futures::spawn_local(start_run(start));
            return Ok(());
        }
        ToWorker::Pause { run } | ToWorker::Resume { run } | ToWorker::Stop { run } => *run,
    };
    let home = HOST.with(|host| {
        let mut host = host.borrow_mut();
        if let Some(waiting) = host.early.get_mut(&run) {
            waiting.push(message.clone());
            return None;
        }
        host.homes.get(&run).copied()
    });
    match home {
        Some(build) => send_to(build, message),
        // Still being routed (queued above), or over: nothing more to do.
        None => Ok(()),
    }
}

/// Checks WebGPU (once), routes the run, and sends it with whatever came for it meanwhile.
async fn start_run(mut start: StartRun) {
    let here = webgpu_here().await;
    let uses_tensors = occam_demos::demo(&start.demo).is_some_and(|spec| spec.uses_tensors);
    let build = route(&mut start, &here, uses_tensors);
    let run = start.run;
    let early = HOST.with(|host| {
        let mut host = host.borrow_mut();
        host.homes.insert(run, build);
        host.early.remove(&run).unwrap_or_default()
    });
    let sent = std::iter::once(ToWorker::Start(start))
        .chain(early)
        .try_for_each(|message| send_to(build, message));
    if let Err(message) = sent {
        let listener = HOST.with(|host| {
            let mut host = host.borrow_mut();
            host.homes.remove(&run);
            host.listeners.remove(&run)
        });
        if let Some(listener) = listener {
            listener(FromWorker::Error { run, message });
        }
    }
}

/// Starts the WebGPU check ahead of the first run (a demo on the page calls it), so that a
/// click on Train does not wait for it.
pub fn prepare() {
    wasm_bindgen_futures::spawn_local(async {
        let _ = webgpu_here().await;
    });
}

/// What the page finds of WebGPU, checked once.
async fn webgpu_here() -> WebGpuHere {
    loop {
        let (known, is_checking) = HOST.with(|host| {
            let mut host = host.borrow_mut();
            let known = host.webgpu.clone();
            let was_checking = std::mem::replace(&mut host.is_checking, true);
            (known, was_checking)
        });
        if let Some(known) = known {
            return known;
        }
        if !is_checking {
            break;
        }
        sleep(20).await;
    }
    let here = check_webgpu().await;
    HOST.with(|host| host.borrow_mut().webgpu = Some(here.clone()));
    here
}

/// How long the page waits for `navigator.gpu.requestAdapter()` before it counts WebGPU out.
const ADAPTER_WAIT_MS: i32 = 3000;

async fn sleep(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().map(|window| {
            window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds)
        });
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Asks `navigator.gpu` for an adapter, as the WebGPU worker would.
async fn check_webgpu() -> WebGpuHere {
    let missing = |why: &str| WebGpuHere::Missing(why.to_owned());
    let Some(navigator) = web_sys::window().map(|window| window.navigator()) else {
        return missing("this page has no window");
    };
    let gpu = js_sys::Reflect::get(&navigator, &"gpu".into()).unwrap_or(JsValue::UNDEFINED);
    if gpu.is_undefined() || gpu.is_null() {
        return missing("this browser has no WebGPU");
    }
    let request = js_sys::Reflect::get(&gpu, &"requestAdapter".into())
        .ok()
        .and_then(|request| request.dyn_into::<js_sys::Function>().ok());
    let Some(promise) = request
        .and_then(|request| request.call0(&gpu).ok())
        .and_then(|promise| promise.dyn_into::<js_sys::Promise>().ok())
    else {
        return missing("this browser's WebGPU could not be asked for an adapter");
    };
    // A browser whose adapter never answers counts as one without.
    let timeout = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().map(|window| {
            window.set_timeout_with_callback_and_timeout_and_arguments_1(
                &resolve,
                ADAPTER_WAIT_MS,
                &"timeout".into(),
            )
        });
    });
    let raced = js_sys::Promise::race(&js_sys::Array::of2(&promise, &timeout));
    let adapter = match wasm_bindgen_futures::JsFuture::from(raced).await {
        Ok(adapter) if adapter.as_string().as_deref() == Some("timeout") => {
            return missing("this browser's WebGPU did not answer");
        }
        Ok(adapter) if !adapter.is_null() && !adapter.is_undefined() => adapter,
        _ => return missing("this browser's WebGPU offers no adapter"),
    };
    let info = js_sys::Reflect::get(&adapter, &"info".into()).unwrap_or(JsValue::UNDEFINED);
    let field = |name: &str| {
        js_sys::Reflect::get(&info, &name.into())
            .ok()
            .and_then(|value| value.as_string())
            .unwrap_or_default()
    };
    let flag = |object: &JsValue| {
        js_sys::Reflect::get(object, &"isFallbackAdapter".into())
            .ok()
            .and_then(|value| value.as_bool())
            .unwrap_or(false)
    };
    // `info.isFallbackAdapter` in current browsers, `adapter.isFallbackAdapter` before.
    let is_fallback = flag(&info) || flag(&adapter);
    let name = format!("{} {}", field("vendor"), field("architecture"));
    let name = match name.trim() {
        "" => "unknown adapter".to_owned(),
        name => name.to_owned(),
    };
    WebGpuHere::Adapter(Adapter { name, is_fallback })
}

#[cfg(test)]
mod tests {
    use super::*;
    use occam_demos::params::Values;

    fn start(backend: BackendRequest) -> StartRun {
        StartRun {
            run: 1,
            demo: "pca".to_owned(),
            params: Values::default(),
            backend,
            webgpu_unusable: None,
            adapter: None,
            webgpu_failed: false,
        }
    }

    fn auto(cached: Option<Backend>) -> BackendRequest {
        BackendRequest::Auto {
            cached,
            cpu_ms_per_step: None,
        }
    }

    fn adapter(is_fallback: bool) -> WebGpuHere {
        WebGpuHere::Adapter(Adapter {
            name: "google swiftshader".to_owned(),
            is_fallback,
        })
    }

    /// Each case: the request, what WebGPU is here, the build it must go to, and whether the
    /// run is told why WebGPU is out.
    #[test]
    fn only_a_run_that_may_use_webgpu_gets_the_webgpu_build() {
        let missing = WebGpuHere::Missing("this browser has no WebGPU".to_owned());
        let (hardware, software) = (adapter(false), adapter(true));
        let (ask_cpu, ask_gpu) = (BackendRequest::Cpu, BackendRequest::WebGpu);
        let (cpu, gpu) = (
            WorkerBuild::Cpu("occam-worker-subspaces"),
            WorkerBuild::WebGpu,
        );
        let cases = [
            (ask_cpu, &hardware, cpu, false),
            (ask_cpu, &missing, cpu, false),
            (ask_gpu, &hardware, gpu, false),
            (ask_gpu, &software, gpu, false),
            (ask_gpu, &missing, cpu, true),
            (auto(None), &hardware, gpu, false),
            (auto(None), &software, cpu, true),
            (auto(None), &missing, cpu, true),
            (auto(Some(Backend::Cpu)), &hardware, cpu, false),
            (auto(Some(Backend::WebGpu)), &hardware, gpu, false),
            (auto(Some(Backend::WebGpu)), &software, cpu, true),
        ];
        for (request, here, build, is_told) in cases {
            let mut run = start(request);
            assert_eq!(
                route(&mut run, here, true),
                build,
                "{request:?} with {here:?}"
            );
            assert_eq!(
                run.webgpu_unusable.is_some(),
                is_told,
                "{request:?} with {here:?}"
            );
            // The WebGPU build is told the adapter the page found, and only it.
            let told = match (build, here) {
                (WorkerBuild::WebGpu, WebGpuHere::Adapter(adapter)) => Some(adapter.clone()),
                _ => None,
            };
            assert_eq!(run.adapter, told, "{request:?} with {here:?}");
        }
        let mut run = start(auto(None));
        route(&mut run, &adapter(true), true);
        assert!(
            run.webgpu_unusable
                .is_some_and(|why| why.contains("google swiftshader") && why.contains("software")),
            "the reason names the adapter"
        );
        // After WebGPU failed during a run: the CPU build for every request, and a request for
        // WebGPU or `auto` is marked so that the run says so.
        let failed = WebGpuHere::Failed("WebGPU stopped working on this page (lost)".to_owned());
        for (request, is_marked) in [
            (BackendRequest::Cpu, false),
            (auto(Some(Backend::Cpu)), false),
            (BackendRequest::WebGpu, true),
            (auto(None), true),
            (auto(Some(Backend::WebGpu)), true),
        ] {
            let mut run = start(request);
            assert_eq!(
                route(&mut run, &failed, true),
                WorkerBuild::Cpu("occam-worker-subspaces"),
                "{request:?}"
            );
            assert_eq!(run.webgpu_failed, is_marked, "{request:?}");
            assert_eq!(run.webgpu_unusable.is_some(), is_marked, "{request:?}");
        }
        // Integer arithmetic coding: its CPU build whatever was asked, the one without burn.
        let mut run = start(BackendRequest::WebGpu);
        run.demo = "coin-flips".to_owned();
        assert_eq!(
            route(&mut run, &adapter(false), false),
            WorkerBuild::Cpu("occam-worker-plain")
        );
        assert_eq!(
            WorkerBuild::Cpu("occam-worker-plain").loader(),
            "./occam-worker-plain_loader.js"
        );
        assert_eq!(WorkerBuild::WebGpu.loader(), "./occam-worker_loader.js");
        assert_eq!(
            run.webgpu_unusable, None,
            "the worker explains that case itself"
        );
    }
}
