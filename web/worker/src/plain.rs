//! `occam-worker-plain`: the CPU build of the demos without tensors (coders, searches,
//! closed forms): no burn at all.

fn main() {
    occam_worker::main(occam_demos::builds::registries::PLAIN);
}
