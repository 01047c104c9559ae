//! `occam-worker-scaling`: the CPU build of `scaling` (chapter 6's first demo): the character
//! model and its novel, without the compressors.

fn main() {
    occam_worker::main(occam_demos::builds::registries::SCALING);
}
