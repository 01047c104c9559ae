//! The training worker: receives [`ToWorker`] messages, runs demo sessions on WebGPU or the
//! CPU, and posts [`FromWorker`] reports. The page's main thread never trains.
//!
//! Built several times (see `Cargo.toml`): with the `webgpu` feature as `occam-worker`, which
//! carries every demo, and without it as the CPU builds of [`occam_demos::builds`], each
//! carrying some of the demos, one of which the page starts whenever a run is to go on the CPU.
//! Each bin's `main` names its demos; the linker keeps only their code.
//!
//! [`ToWorker`]: occam_demos::protocol::ToWorker
//! [`FromWorker`]: occam_demos::protocol::FromWorker

#[cfg(target_arch = "wasm32")]
mod worker;

// Static constructors (the `inventory` registrations of cubecl, linked in with burn's WebGPU
// backend). When nothing calls `__wasm_call_ctors` explicitly, wasm-ld wraps *every* export in a
// call to it, so each call from JavaScript into the worker re-ran them all: measured, that made
// plain Rust in the worker some 300 times slower than natively. Calling it once here, before
// anything else, tells wasm-ld not to wrap the exports (see the `inventory` crate's docs).
#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
unsafe extern "C" {
    fn __wasm_call_ctors();
}

/// A worker binary's `main`: it carries the demos that `occam_demos::builds` gives for the
/// binary's name, chosen at compile time so that the linker keeps only their code (the WebGPU
/// build, `occam-worker`, carries every demo). Each file of `src/bin/` is this one line.
#[macro_export]
macro_rules! worker_main {
    () => {
        const DEMOS: occam_demos::session::Registry =
            occam_demos::builds::registries::for_bin(env!("CARGO_BIN_NAME"));

        fn main() {
            occam_worker::main(DEMOS);
        }
    };
}

/// Starts the worker for a build that carries `demos`.
pub fn main(demos: occam_demos::session::Registry) {
    #[cfg(target_arch = "wasm32")]
    {
        // SAFETY: runs the constructors once, before any other code of the module.
        #[allow(unsafe_code)]
        unsafe {
            __wasm_call_ctors();
        }
        worker::start(demos);
    }
    // Natively (clippy, tests) there is no worker to start.
    #[cfg(not(target_arch = "wasm32"))]
    let _ = demos;
}
