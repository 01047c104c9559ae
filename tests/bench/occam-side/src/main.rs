//! The occam half of the side-by-side benchmark page (`tests/bench/side.html`): the workloads
//! that TensorFlow.js runs there too, with the same shapes, exported to JavaScript. The page is
//! a benchmark, never part of `dist/`.

mod workloads;

#[cfg(target_arch = "wasm32")]
mod exports;

// Static constructors, called once as the worker does (see web/worker/src/main.rs): without
// the explicit call, wasm-ld wraps every export in a call that runs them all again.
#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
unsafe extern "C" {
    fn __wasm_call_ctors();
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        // SAFETY: runs the constructors once, before any other code of the module.
        #[allow(unsafe_code)]
        unsafe {
            __wasm_call_ctors();
        }
    }
    // Natively there is nothing to run: the workloads are tested with `cargo test`.
}
