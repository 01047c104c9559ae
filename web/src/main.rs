//! Mounts the notebook; everything else lives in the library.
fn main() {
    occam_web::mount();
}
