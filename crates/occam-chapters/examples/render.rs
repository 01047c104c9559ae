//! Prints a chapter file as the page will get it, or with `--mathml` each math span's line and
//! MathML (for comparing a conversion): `cargo run -p occam-chapters --example render -- FILE`.
#![allow(clippy::print_stdout)]

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::{Event, Options, Parser};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let is_mathml = args.iter().any(|arg| arg == "--mathml");
    let mut status = std::process::ExitCode::SUCCESS;
    for file in args.iter().filter(|arg| !arg.starts_with("--")) {
        let Ok(source) = std::fs::read_to_string(file) else {
            eprintln!("{file}: cannot read");
            return std::process::ExitCode::FAILURE;
        };
        if is_mathml {
            let Ok(converter) = LatexToMathML::new(MathCoreConfig::default()) else {
                return std::process::ExitCode::FAILURE;
            };
            for (event, range) in Parser::new_ext(&source, Options::ENABLE_MATH).into_offset_iter()
            {
                let (tex, display) = match event {
                    Event::InlineMath(tex) => (tex, MathDisplay::Inline),
                    Event::DisplayMath(tex) => (tex, MathDisplay::Block),
                    _ => continue,
                };
                let line = source[..range.start].matches('\n').count() + 1;
                match converter.convert_with_local_state(&tex, display) {
                    Ok(result) => println!("{line}\t{}", result.mathml),
                    Err(error) => {
                        println!("{line}\tERROR {error}: {tex}");
                        status = std::process::ExitCode::FAILURE;
                    }
                }
            }
        } else {
            match occam_chapters::compile_parts(file, &source) {
                Ok(compiled) => {
                    for segment in compiled.segments {
                        match segment {
                            occam_chapters::Segment::Html(html) => println!("{html}"),
                            occam_chapters::Segment::Demo { id, line } => {
                                println!("[demo {id} from line {line}]")
                            }
                            occam_chapters::Segment::Exercise { id, line } => {
                                println!("[exercise {id} from line {line}]");
                                if let Some(exercise) =
                                    compiled.exercises.iter().find(|exercise| exercise.id == id)
                                {
                                    println!("{}", exercise.rust_source("…"));
                                }
                            }
                        }
                    }
                }
                Err(errors) => {
                    for error in errors {
                        eprintln!("{error}");
                    }
                    status = std::process::ExitCode::FAILURE;
                }
            }
        }
    }
    status
}
