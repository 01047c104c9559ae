//! The training worker: receives [`ToWorker`] messages, runs demo sessions on WebGPU or the
//! CPU, and posts [`FromWorker`] reports. The page's main thread never trains.

#[cfg(target_arch = "wasm32")]
mod worker;

fn main() {
    #[cfg(target_arch = "wasm32")]
    worker::start();
}
