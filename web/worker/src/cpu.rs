//! `occam-worker-cpu`: the training worker with burn's CPU backend only, about a third of the
//! WebGPU build's size.

fn main() {
    occam_worker::main();
}
