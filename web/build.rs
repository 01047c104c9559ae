//! Compiles the chapters' text files (`chapters/*.md`: Markdown, TeX, demo directives) into the
//! page's segments at build time, so the reader's wasm carries HTML and MathML and no Markdown or
//! TeX engine. A mistake in a chapter fails the build with its file and line.

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_owned());
    let chapters = Path::new(&manifest).join("../chapters");
    println!("cargo:rerun-if-changed={}", chapters.display());
    let compiled =
        match occam_chapters::compile_notebook(&chapters, |path| std::fs::read_to_string(path)) {
            Ok(compiled) => compiled,
            Err(errors) => {
                for error in &errors {
                    eprintln!("error: {error}");
                }
                eprintln!(
                    "error: {} mistake(s) in the chapters' text files",
                    errors.len()
                );
                std::process::exit(1);
            }
        };
    let out =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".to_owned())).join("chapters.rs");
    if let Err(error) = std::fs::write(&out, occam_chapters::rust_source(&compiled)) {
        eprintln!("error: {}: {error}", out.display());
        std::process::exit(1);
    }
}
