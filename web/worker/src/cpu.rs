//! `occam-worker-cpu`: the CPU build of the classifiers and transformers (chapters 4 to 6) and
//! of the home page's `backend-check`.

fn main() {
    occam_worker::main(occam_demos::builds::registries::NETWORKS);
}
