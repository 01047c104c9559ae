//! `occam-worker`: the training worker with burn's WebGPU backend beside its CPU backend.

fn main() {
    occam_worker::main();
}
