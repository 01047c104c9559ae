//! Native benchmarks, run by `cargo xtask bench`: coder throughput and training speed, each the
//! median of several timed runs after a warm-up. Writes JSON to the path given as argument.
#![allow(clippy::disallowed_types)]

use std::time::Instant;

use occam_core::burn::prelude::Device;
use occam_core::charnet::{CharNetTrainer, NeuralDecoder, NeuralEncoder, Weights, symbols};
use occam_core::context::{Alphabet, decode_text, encode_text};
use occam_demos::params::parse;
use occam_demos::session::{Session, Step};
use occam_demos::text_model::{BATCH, DEFAULT_TEXT};
use serde_json::{Value, json};

/// Timed runs per measurement (after one warm-up run).
const RUNS: usize = 7;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Seconds of each of [`RUNS`] runs of `work`, after one untimed run.
fn seconds(mut work: impl FnMut()) -> Vec<f64> {
    work();
    (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed().as_secs_f64()
        })
        .collect()
}

fn row(name: &str, unit: &str, values: Vec<f64>) -> Value {
    let runs = values.len();
    json!({ "name": name, "where": "native", "unit": unit, "median": median(values), "runs": runs })
}

fn trained_weights(text: &str, hidden: usize, steps: usize) -> (Weights, Vec<u32>) {
    let alphabet = Alphabet::of(text);
    let symbols = symbols(text, &alphabet);
    let mut trainer =
        CharNetTrainer::new(&Device::flex(), &symbols, alphabet.len(), hidden, BATCH, 1);
    for _ in 0..steps {
        trainer.step();
    }
    let weights = pollster::block_on(trainer.weights()).expect("weights read back");
    (weights.rounded_to_half(), symbols)
}

fn main() {
    let path = std::env::args()
        .skip(1)
        .rfind(|arg| !arg.starts_with("--"))
        .unwrap_or_else(|| "native.json".to_owned());
    let mut rows = Vec::new();

    // The order-2 context coder on 20 copies of the default text (about 100 kB).
    let long = DEFAULT_TEXT.repeat(20);
    let megabytes = long.len() as f64 / 1e6;
    let coded = encode_text(&long, 2).expect("codes");
    let per_second = |times: Vec<f64>| times.into_iter().map(|s| megabytes / s).collect();
    rows.push(row(
        "context coder (order 2), encode",
        "MB/s",
        per_second(seconds(|| drop(encode_text(&long, 2)))),
    ));
    rows.push(row(
        "context coder (order 2), decode",
        "MB/s",
        per_second(seconds(|| drop(decode_text(&coded)))),
    ));

    // The neural coder (hidden 64, half-precision weights) on the default text.
    let (weights, symbols) = trained_weights(DEFAULT_TEXT, 64, 50);
    let megabytes = DEFAULT_TEXT.len() as f64 / 1e6;
    let per_second = |times: Vec<f64>| times.into_iter().map(|s| megabytes / s).collect();
    let mut encoder = NeuralEncoder::new(weights.clone());
    encoder.encode(&symbols).expect("codes");
    let neural = encoder.finish();
    rows.push(row(
        "neural coder (hidden 64), encode",
        "MB/s",
        per_second(seconds(|| {
            let mut encoder = NeuralEncoder::new(weights.clone());
            encoder.encode(&symbols).expect("codes");
        })),
    ));
    rows.push(row(
        "neural coder (hidden 64), decode",
        "MB/s",
        per_second(seconds(|| {
            let mut decoder = NeuralDecoder::new(weights.clone(), neural.clone());
            decoder.decode(symbols.len()).expect("decodes");
        })),
    ));

    // Training: Adam steps of the text model (hidden 64, batch 256) on flex.
    let alphabet = Alphabet::of(DEFAULT_TEXT);
    let mut trainer = CharNetTrainer::new(&Device::flex(), &symbols, alphabet.len(), 64, BATCH, 1);
    const STEPS: usize = 50;
    let times = seconds(|| {
        for _ in 0..STEPS {
            trainer.step();
        }
        // Read the loss back so that no work is left queued.
        let _: f32 = trainer.step().into_scalar();
    });
    rows.push(row(
        "text-model training (hidden 64, batch 256), flex",
        "steps/s",
        times.into_iter().map(|s| (STEPS + 1) as f64 / s).collect(),
    ));

    // Each chapter-2 to 5 demo's default run, start to done, on flex.
    for (id, query) in [
        ("pca", "dataset=digits&k=10&seed=1"),
        ("sparse-coding", "atoms=96&lambda=0.5&steps=24&seed=1"),
        ("bases", "m=6&seed=1"),
        ("denoiser", "dataset=mixture&steps=4000&seed=1"),
        ("diffusion", "dataset=moons&steps=4000&seed=1"),
        ("diffusion", "dataset=mixture&denoiser=exact&seed=1"),
        ("rate-geometry", "classes=3&dimension=3&points=400&seed=1"),
        ("redunet", "classes=2&dimension=2&layers=20&seed=1"),
        ("mcr2", "dataset=subspaces&steps=300&seed=1"),
        ("mcr2", "dataset=digits&steps=300&seed=1"),
        ("crate-layers", "subspaces=4&dim=32&layers=2&seed=1"),
        (
            "crate-digits",
            "model=crate&layers=2&heads=2&width=32&steps=500&seed=1",
        ),
        (
            "crate-digits",
            "model=transformer&layers=2&heads=2&width=32&steps=500&seed=1",
        ),
    ] {
        let spec = occam_demos::demo(id).expect("listed");
        let pairs: Vec<(&str, &str)> = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .collect();
        let params = parse(spec.params, pairs).values;
        rows.push(row(
            &format!("{id} time to done ({query}), flex"),
            "s",
            seconds(|| {
                let mut session = Session::new(id, &params, &Device::flex()).expect("starts");
                while let Step::Running(_) = pollster::block_on(session.step()).expect("steps") {}
            }),
        ));
    }

    let report = json!({ "native": rows });
    std::fs::write(&path, serde_json::to_string_pretty(&report).expect("json"))
        .unwrap_or_else(|error| panic!("writing {path}: {error}"));
    println!("bench: native results in {path}");
}
