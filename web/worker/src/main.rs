//! `occam-worker`: the training worker with burn's WebGPU backend beside its CPU backend, and
//! every demo.

fn main() {
    occam_worker::main(occam_demos::builds::registries::ALL);
}
