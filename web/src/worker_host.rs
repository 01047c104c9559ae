//! The page's side of the training worker: one worker per page, started on first use, with
//! messages routed to the demo that started each run.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use occam_demos::protocol::{FromWorker, ToWorker};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Where a run's messages go.
pub type Listener = Rc<dyn Fn(FromWorker)>;

#[derive(Default)]
struct Host {
    worker: Option<Worker>,
    is_ready: bool,
    /// Messages sent before the worker's wasm was ready.
    queued: Vec<ToWorker>,
    listeners: HashMap<u32, Listener>,
    next_run: u32,
}

thread_local! {
    static HOST: RefCell<Host> = RefCell::new(Host::default());
}

/// The run a message is for; `None` for the worker's own (`Loading`, `Ready`), which every run
/// waiting on the worker hears.
fn run_of(message: &FromWorker) -> Option<u32> {
    match message {
        FromWorker::Ready | FromWorker::Loading { .. } => None,
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

fn on_message(event: MessageEvent) {
    let message: FromWorker = match serde_wasm_bindgen::from_value(event.data()) {
        Ok(message) => message,
        Err(error) => {
            return web_sys::console::warn_1(
                &format!("occam: unreadable worker message: {error}").into(),
            );
        }
    };
    if message == FromWorker::Ready {
        let queued = HOST.with(|host| {
            let mut host = host.borrow_mut();
            host.is_ready = true;
            std::mem::take(&mut host.queued)
        });
        HOST.with(|host| {
            if let Some(worker) = host.borrow().worker.as_ref() {
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
        let listeners: Vec<Listener> =
            HOST.with(|host| host.borrow().listeners.values().cloned().collect());
        for listener in listeners {
            listener(message.clone());
        }
        return;
    };
    let listener = HOST.with(|host| {
        let mut host = host.borrow_mut();
        if is_final {
            host.listeners.remove(&run)
        } else {
            host.listeners.get(&run).cloned()
        }
    });
    if let Some(listener) = listener {
        listener(message);
    }
}

/// The worker died (failed to load, or a panic): every run gets an error, and the next run
/// starts a new worker.
fn on_error(event: ErrorEvent) {
    event.prevent_default();
    let message = format!("the training worker stopped: {}", event.message());
    let listeners = HOST.with(|host| {
        let mut host = host.borrow_mut();
        if let Some(worker) = host.worker.take() {
            worker.terminate();
        }
        host.is_ready = false;
        host.queued.clear();
        std::mem::take(&mut host.listeners)
    });
    for (run, listener) in listeners {
        listener(FromWorker::Error {
            run,
            message: message.clone(),
        });
    }
}

fn start_worker() -> Result<Worker, String> {
    let worker = Worker::new("./occam-worker_loader.js")
        .map_err(|error| format!("could not start the training worker: {error:?}"))?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(on_error);
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(worker)
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

/// Sends a message, starting the worker if needed and queueing until it is ready.
pub fn send(message: ToWorker) -> Result<(), String> {
    HOST.with(|host| {
        let mut host = host.borrow_mut();
        if host.worker.is_none() {
            host.worker = Some(start_worker()?);
        }
        if host.is_ready {
            match host.worker.as_ref() {
                Some(worker) => post_now(worker, &message),
                None => Err("no worker".to_owned()),
            }
        } else {
            host.queued.push(message);
            Ok(())
        }
    })
}
