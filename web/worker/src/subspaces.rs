//! `occam-worker-subspaces`: the CPU build of chapters 2 and 3 (principal components, sparse
//! codes, denoisers and diffusion).

fn main() {
    occam_worker::main(occam_demos::builds::registries::SUBSPACES);
}
