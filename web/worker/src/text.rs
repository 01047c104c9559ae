//! `occam-worker-text`: the CPU build of `text-model` and `compression-distance`, with gzip,
//! brotli and their texts.

fn main() {
    occam_worker::main(occam_demos::builds::registries::TEXT);
}
