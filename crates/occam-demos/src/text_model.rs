//! Demo `text-model`: a ladder of next-character models, each arithmetic-coding the same text.
//!
//! Order-k context models learn as they code (adaptive, so a decoder learns the same counts and
//! nothing else need be sent); the neural model ([`occam_core::charnet`]) is trained first and
//! then sent with the data, so its total is two-part: its parameters at 16 bits each, plus the
//! text coded with it. Every length shown is that of a real code, decoded and compared.

use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

/// Chapter I of *Alice's Adventures in Wonderland* (Lewis Carroll, 1865; public domain), as in
/// `alice29.txt` of the Canterbury corpus of compression benchmarks.
pub const DEFAULT_TEXT: &str = include_str!("../data/alice-chapter-1.txt");

/// The longest text the demo takes.
pub const MAX_CHARS: usize = 100_000;

pub const TEXT: ParamSpec = ParamSpec {
    name: "text",
    label: "text",
    help: "the text to model and compress; paste your own (up to 100,000 characters)",
    kind: ParamKind::Text {
        max_chars: MAX_CHARS,
        url_max_chars: 500,
        default: DEFAULT_TEXT,
    },
};

pub const ORDER: ParamSpec = ParamSpec {
    name: "order",
    label: "context order k",
    help: "how many preceding characters the context model conditions on",
    kind: ParamKind::Int {
        min: 0,
        max: occam_core::context::MAX_ORDER as u64,
        default: 2,
    },
};

pub const HIDDEN: ParamSpec = ParamSpec {
    name: "hidden",
    label: "hidden units",
    help: "width of the neural model's hidden layer: more fits better and costs more bits to send",
    kind: ParamKind::Int {
        min: 4,
        max: 256,
        default: 64,
    },
};

pub const STEPS: ParamSpec = ParamSpec {
    name: "steps",
    label: "training steps",
    help: "Adam steps of the neural model, each on 256 random positions of the text",
    kind: ParamKind::Int {
        min: 1,
        max: 20_000,
        default: 600,
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const ORDER0_BITS_PER_CHAR: &str = "order0-bits-per-char";
    pub const CONTEXT_BITS_PER_CHAR: &str = "context-bits-per-char";
    pub const GZIP_BITS_PER_CHAR: &str = "gzip-bits-per-char";
    pub const NEURAL_CROSS_ENTROPY_BITS: &str = "neural-cross-entropy-bits";
    pub const NEURAL_BITS_PER_CHAR: &str = "neural-bits-per-char";
    pub const NEURAL_TOTAL_BITS: &str = "neural-total-bits";
    pub const ROUNDTRIP: &str = "roundtrip";
    pub const STEPS_PER_SECOND: &str = "steps-per-second";
    // Reported for the figures only (not shown as `[data-metric]`).
    pub const CHARS: &str = "chars";
    pub const NEURAL_BITS: &str = "neural-bits";
    pub const NEURAL_IDEAL_BITS: &str = "neural-ideal-bits";
    pub const NEURAL_PARAMETERS: &str = "neural-parameters";
    pub const NEURAL_MODEL_BITS: &str = "neural-model-bits";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "text-model",
    title: "Predicting text is compressing it",
    params: &[TEXT, ORDER, HIDDEN, STEPS, SEED],
    metrics: &[
        MetricSpec::new(
            metric::ORDER0_BITS_PER_CHAR,
            "order-0 code, bits per character",
            3,
        ),
        MetricSpec::new(
            metric::CONTEXT_BITS_PER_CHAR,
            "order-k context code, bits per character",
            3,
        ),
        MetricSpec::new(metric::GZIP_BITS_PER_CHAR, "gzip, bits per character", 3),
        MetricSpec::new(
            metric::NEURAL_CROSS_ENTROPY_BITS,
            "neural model's cross-entropy, bits per character",
            3,
        ),
        MetricSpec::new(
            metric::NEURAL_BITS_PER_CHAR,
            "neural code, bits per character",
            3,
        ),
        MetricSpec::new(
            metric::NEURAL_TOTAL_BITS,
            "neural two-part total: model + text, bits",
            0,
        ),
        MetricSpec::new(metric::ROUNDTRIP, "every code decodes to the text", 0),
        MetricSpec::new(metric::STEPS_PER_SECOND, "training steps per second", 1),
    ],
    uses_tensors: true,
    on_page: None,
    workload_params: &["hidden"],
};

/// The neural model's training loss in bits per character, by step.
pub const LOSS_CURVE: &str = "loss";
/// −log₂ q of each of the first [`SURPRISE_CHARS`] characters under the trained neural model.
pub const SURPRISE: &str = "surprise";
/// How many characters' surprise is reported.
pub const SURPRISE_CHARS: usize = 2_000;
/// Positions per training batch.
pub const BATCH: usize = 256;

/// The name of order k's coded length in bits (a report metric beside the spec's).
pub fn order_bits(order: usize) -> String {
    format!("order{order}-bits")
}

/// The name of order k's cross-entropy in bits.
pub fn order_ideal_bits(order: usize) -> String {
    format!("order{order}-ideal-bits")
}

#[cfg(feature = "session")]
pub use run::TextModel;

#[cfg(feature = "session")]
mod run {
    use super::metric;
    use occam_core::baselines::{brotli, gunzip, gzip, unbrotli};
    use occam_core::burn::prelude::Device;
    use occam_core::charnet::{
        CharNetTrainer, NeuralDecoder, NeuralEncoder, Weights, quantization_bound, symbols,
    };
    use occam_core::context::{Alphabet, MAX_ORDER, decode_text, encode_text};
    use web_time::Instant;

    use super::{
        BATCH, HIDDEN, LOSS_CURVE, ORDER, STEPS, SURPRISE, SURPRISE_CHARS, TEXT, order_bits,
        order_ideal_bits,
    };
    use crate::params::Values;
    use crate::protocol::{Point, Report, Series};
    use crate::run::{DemoError, DemoRun, Step, device_error, read_loss, steps_in_group};

    /// Training steps between read-backs of the loss.
    const STEPS_PER_REPORT: u64 = 10;
    /// Characters coded or decoded per step of the session.
    const CHARS_PER_STEP: usize = 2_000;

    #[derive(Debug, Clone, Copy, PartialEq)]
    struct Coded {
        bits: u64,
        ideal_bits: f64,
    }

    enum Phase {
        /// Coding with the order-k context model, k = 0 ..= MAX_ORDER.
        Context(usize),
        Baselines,
        Training,
        Encoding(Box<NeuralEncoder>),
        Decoding(Box<NeuralDecoder>),
        Finished,
    }

    /// A run: the context models and baselines, then training, then the neural code.
    pub struct TextModel {
        text: String,
        symbols: Vec<u32>,
        order: usize,
        trainer: CharNetTrainer,
        steps: u64,
        trained: u64,
        phase: Phase,
        contexts: Vec<Coded>,
        gzip_bytes: Option<usize>,
        brotli_bytes: Option<usize>,
        loss_curve: Vec<Point>,
        weights: Option<Weights>,
        neural: Option<Coded>,
        surprise: Vec<Point>,
        decoded: Vec<u32>,
        roundtrip: bool,
        training_started: Option<Instant>,
        steps_per_second: f64,
        /// Seconds spent coding and decoding, for the throughputs reported.
        context_seconds: (f64, f64),
        neural_seconds: (f64, f64),
    }

    impl std::fmt::Debug for TextModel {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("TextModel")
                .field("chars", &self.symbols.len())
                .field("trained", &self.trained)
                .finish_non_exhaustive()
        }
    }

    impl DemoRun for TextModel {
        fn start(params: &Values, device: &Device) -> Result<Self, DemoError> {
            let text = params.text(TEXT.name)?.to_owned();
            let alphabet = Alphabet::of(&text);
            let symbols = symbols(&text, &alphabet);
            let trainer = CharNetTrainer::new(
                device,
                &symbols,
                alphabet.len(),
                params.int(HIDDEN.name)? as usize,
                BATCH,
                params.seed()?,
            );
            Ok(Self {
                text,
                symbols,
                order: params.int(ORDER.name)? as usize,
                trainer,
                steps: params.int(STEPS.name)?,
                trained: 0,
                phase: Phase::Context(0),
                contexts: Vec::new(),
                gzip_bytes: None,
                brotli_bytes: None,
                loss_curve: Vec::new(),
                weights: None,
                neural: None,
                surprise: Vec::new(),
                decoded: Vec::new(),
                roundtrip: true,
                training_started: None,
                steps_per_second: 0.0,
                context_seconds: (0.0, 0.0),
                neural_seconds: (0.0, 0.0),
            })
        }

        /// Does the next piece of work: one context model, the baselines, a group of training
        /// steps, or a chunk of the neural code.
        async fn advance(&mut self) -> Result<Step, DemoError> {
            match std::mem::replace(&mut self.phase, Phase::Finished) {
                Phase::Context(order) => {
                    let started = Instant::now();
                    let coded = encode_text(&self.text, order)?;
                    let encoded = Instant::now();
                    self.roundtrip &= decode_text(&coded)? == self.text;
                    if order == self.order {
                        self.context_seconds = (
                            (encoded - started).as_secs_f64(),
                            encoded.elapsed().as_secs_f64(),
                        );
                    }
                    self.contexts.push(Coded {
                        bits: coded.bits.bits,
                        ideal_bits: coded.ideal_bits,
                    });
                    self.phase = if order < MAX_ORDER {
                        Phase::Context(order + 1)
                    } else {
                        Phase::Baselines
                    };
                }
                Phase::Baselines => {
                    let bytes = self.text.as_bytes();
                    let invalid = |error: std::io::Error| DemoError::Invalid(error.to_string());
                    let zipped = gzip(bytes).map_err(invalid)?;
                    let broken = brotli(bytes).map_err(invalid)?;
                    self.roundtrip &= gunzip(&zipped).map_err(invalid)? == bytes;
                    self.roundtrip &= unbrotli(&broken).map_err(invalid)? == bytes;
                    self.gzip_bytes = Some(zipped.len());
                    self.brotli_bytes = Some(broken.len());
                    self.phase = Phase::Training;
                }
                Phase::Training => self.train().await?,
                Phase::Encoding(mut encoder) => {
                    let start = encoder.coded();
                    let end = (start + CHARS_PER_STEP).min(self.symbols.len());
                    let started = Instant::now();
                    let surprises = encoder.encode(&self.symbols[start..end])?;
                    self.neural_seconds.0 += started.elapsed().as_secs_f64();
                    self.surprise.extend(
                        surprises
                            .into_iter()
                            .enumerate()
                            .take(SURPRISE_CHARS.saturating_sub(start))
                            .map(|(offset, bits)| ((start + offset) as f64, bits)),
                    );
                    self.phase = if end < self.symbols.len() {
                        Phase::Encoding(encoder)
                    } else {
                        let ideal_bits = encoder.ideal_bits();
                        let coded = encoder.finish();
                        self.neural = Some(Coded {
                            bits: coded.bits,
                            ideal_bits,
                        });
                        let weights = self.weights.clone().ok_or_else(|| {
                            DemoError::Invalid("the neural model was not read back".into())
                        })?;
                        Phase::Decoding(Box::new(NeuralDecoder::new(weights, coded)))
                    };
                }
                Phase::Decoding(mut decoder) => {
                    let count = CHARS_PER_STEP.min(self.symbols.len() - self.decoded.len());
                    let started = Instant::now();
                    self.decoded.extend(decoder.decode(count)?);
                    self.neural_seconds.1 += started.elapsed().as_secs_f64();
                    self.phase = if self.decoded.len() < self.symbols.len() {
                        Phase::Decoding(decoder)
                    } else {
                        self.roundtrip &= self.decoded == self.symbols;
                        Phase::Finished
                    };
                }
                Phase::Finished => {}
            }
            Ok(Step::new(
                self.report(),
                matches!(self.phase, Phase::Finished),
            ))
        }
    }

    impl TextModel {
        fn chunks(&self) -> u64 {
            self.symbols.len().div_ceil(CHARS_PER_STEP).max(1) as u64
        }

        async fn train(&mut self) -> Result<(), DemoError> {
            let started = *self.training_started.get_or_insert_with(Instant::now);
            let group = steps_in_group(self.trained, self.steps, STEPS_PER_REPORT);
            let mut loss = None;
            for _ in 0..group {
                loss = Some(self.trainer.step());
            }
            self.trained += group;
            if let Some(loss) = loss {
                let nats = read_loss(loss, self.trained).await?;
                self.loss_curve
                    .push((self.trained as f64, nats / std::f64::consts::LN_2));
            }
            let seconds = started.elapsed().as_secs_f64();
            if seconds > 0.0 {
                self.steps_per_second = self.trained as f64 / seconds;
            }
            self.phase = if self.trained < self.steps {
                Phase::Training
            } else {
                let weights = self
                    .trainer
                    .weights()
                    .await
                    .map_err(device_error)?
                    .rounded_to_half();
                self.weights = Some(weights.clone());
                Phase::Encoding(Box::new(NeuralEncoder::new(weights)))
            };
            Ok(())
        }

        fn progress(&self) -> u64 {
            let chunks = |done: usize| done.div_ceil(CHARS_PER_STEP) as u64;
            let coding = match &self.phase {
                Phase::Encoding(encoder) => chunks(encoder.coded()),
                Phase::Decoding(_) => self.chunks() + chunks(self.decoded.len()),
                Phase::Finished => 2 * self.chunks(),
                _ => 0,
            };
            let baselines = u64::from(self.gzip_bytes.is_some());
            self.contexts.len() as u64 + baselines + self.trained + coding
        }

        fn report(&self) -> Report {
            let n = self.symbols.len().max(1) as f64;
            let mut metrics: Vec<(String, f64)> = vec![
                (metric::CHARS.into(), self.symbols.len() as f64),
                (metric::STEPS_PER_SECOND.into(), self.steps_per_second),
            ];
            for (order, coded) in self.contexts.iter().enumerate() {
                metrics.push((order_bits(order), coded.bits as f64));
                metrics.push((order_ideal_bits(order), coded.ideal_bits));
            }
            if let Some(order0) = self.contexts.first() {
                metrics.push((metric::ORDER0_BITS_PER_CHAR.into(), order0.bits as f64 / n));
            }
            if let Some(context) = self.contexts.get(self.order) {
                metrics.push((
                    metric::CONTEXT_BITS_PER_CHAR.into(),
                    context.bits as f64 / n,
                ));
            }
            if let Some(bytes) = self.gzip_bytes {
                metrics.push((metric::GZIP_BITS_PER_CHAR.into(), 8.0 * bytes as f64 / n));
                metrics.push(("gzip-bits".into(), 8.0 * bytes as f64));
            }
            if let Some(bytes) = self.brotli_bytes {
                metrics.push(("brotli-bits-per-char".into(), 8.0 * bytes as f64 / n));
                metrics.push(("brotli-bits".into(), 8.0 * bytes as f64));
            }
            // Throughputs: megabytes (10⁶ bytes of UTF-8) of text per second.
            let megabytes = self.text.len() as f64 / 1e6;
            if matches!(self.phase, Phase::Finished) {
                for (name, seconds) in [
                    ("context-encode-mb-per-second", self.context_seconds.0),
                    ("context-decode-mb-per-second", self.context_seconds.1),
                    ("neural-encode-mb-per-second", self.neural_seconds.0),
                    ("neural-decode-mb-per-second", self.neural_seconds.1),
                ] {
                    if seconds > 0.0 {
                        metrics.push((name.into(), megabytes / seconds));
                    }
                }
            }
            if let Some(&(_, loss)) = self.loss_curve.last() {
                metrics.push(("training-loss-bits".into(), loss));
            }
            if let Some(weights) = &self.weights {
                let model_bits = weights.description_bits() as f64;
                metrics.push((metric::NEURAL_MODEL_BITS.into(), model_bits));
                metrics.push((
                    metric::NEURAL_PARAMETERS.into(),
                    weights.config.parameter_count() as f64,
                ));
                metrics.push((
                    "quantization-bound-bits".into(),
                    quantization_bound(weights.config.alphabet),
                ));
                if let Some(neural) = self.neural {
                    metrics.extend([
                        (metric::NEURAL_BITS.into(), neural.bits as f64),
                        (metric::NEURAL_IDEAL_BITS.into(), neural.ideal_bits),
                        (metric::NEURAL_BITS_PER_CHAR.into(), neural.bits as f64 / n),
                        (
                            metric::NEURAL_CROSS_ENTROPY_BITS.into(),
                            neural.ideal_bits / n,
                        ),
                        (
                            metric::NEURAL_TOTAL_BITS.into(),
                            model_bits + neural.bits as f64,
                        ),
                    ]);
                }
            }
            if matches!(self.phase, Phase::Finished) {
                metrics.push((
                    metric::ROUNDTRIP.into(),
                    f64::from(u8::from(self.roundtrip)),
                ));
            }
            metrics.retain(|(_, value)| value.is_finite());
            Report {
                images: Vec::new(),
                clouds: Vec::new(),
                progress: self.progress(),
                total: (MAX_ORDER as u64 + 1) + 1 + self.steps + 2 * self.chunks(),
                metrics,
                series: vec![
                    Series {
                        name: LOSS_CURVE.to_owned(),
                        points: self.loss_curve.clone(),
                    },
                    Series {
                        name: SURPRISE.to_owned(),
                        points: self.surprise.clone(),
                    },
                ],
                tables: Vec::new(),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::params::parse;

        fn run(pairs: &[(&str, &str)]) -> Report {
            let params = parse(crate::text_model::SPEC.params, pairs.iter().copied()).values;
            let mut session = TextModel::start(&params, &Device::flex()).unwrap();
            let mut last_progress = 0;
            loop {
                match pollster::block_on(session.advance()).unwrap() {
                    Step::Running(report) => {
                        assert!(report.progress >= last_progress);
                        last_progress = report.progress;
                    }
                    Step::Done(report) => break report,
                }
            }
        }

        #[test]
        fn default_text_neural_model_beats_order_zero_and_everything_decodes() {
            let report = run(&[("steps", "300"), ("seed", "1")]);
            assert_eq!(report.progress, report.total);
            assert_eq!(report.metric("roundtrip"), Some(1.0));
            let order0 = report.metric("order0-bits-per-char").unwrap();
            let neural = report.metric("neural-bits-per-char").unwrap();
            assert!(neural < order0, "neural {neural} vs order-0 {order0}");
            // English letters alone carry about 4 bits each at order 0.
            assert!((3.8..5.0).contains(&order0), "{order0}");
            // The coded neural length is its cross-entropy plus at most 2 bits and the bound.
            let chars = report.metric("chars").unwrap();
            let coded = report.metric("neural-bits").unwrap();
            let ideal = report.metric("neural-ideal-bits").unwrap();
            let bound = report.metric("quantization-bound-bits").unwrap();
            assert!(coded - ideal <= 2.0 + chars * bound && coded >= ideal - 1e-3);
            // Two-part: 16 bits for each parameter of the stated network, plus the data.
            let parameters = report.metric("neural-parameters").unwrap();
            assert_eq!(report.metric("neural-model-bits"), Some(16.0 * parameters));
            assert_eq!(
                report.metric("neural-total-bits"),
                Some(16.0 * parameters + coded)
            );
            assert_eq!(
                report.series(SURPRISE).unwrap().points.len(),
                SURPRISE_CHARS.min(chars as usize)
            );
            assert_eq!(report.series(LOSS_CURVE).unwrap().points.len(), 1 + 30);
        }

        #[test]
        fn a_one_character_text_runs_to_the_end() {
            let report = run(&[("text", "x"), ("steps", "3")]);
            assert_eq!(report.metric("roundtrip"), Some(1.0));
            assert_eq!(report.metric("chars"), Some(1.0));
        }
    }
}
