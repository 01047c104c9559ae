//! Demo `crate-digits`: a small CRATE, or the standard transformer of the same width and depth,
//! trained with Adam on the 8×8 digits cut into 2×2 patches (16 tokens and a class token),
//! with what its layers do measured as it learns: per layer the class rate of the tokens and the
//! share of zero entries, and each head's attention from the class token over the patches.
//!
//! Two kinds of rate are measured on the first 200 test digits. Chapter 4's label-conditioned
//! class rate R_c(Z | Π): the unit tokens of all the digits pooled, labelled by their digit. And
//! the terms of CRATE's own objective, per image (Z ∈ R^{d×N}, its N = 17 tokens, the class
//! token included) and averaged over the digits, on each layer's attention output Z^{ℓ+½}
//! against that layer's learned subspaces U_k: the compression term R^c(Z; U) = Σₖ R(U_kᵀZ), the
//! rate R(Z), and the sparse rate reduction R − R^c − λ s, s the share of nonzero entries of the
//! layer's ISTA output and λ = 0.1 the ISTA's ([`occam_core::white_box::mean_token_rates`]), at
//! ε = 0.5. The transformer has no subspaces: only its R(Z) is measured.

use crate::crate_layers::LAYERS;
use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

pub const MODEL: ParamSpec = ParamSpec {
    name: "model",
    label: "model",
    help: "crate: attention against per-head subspaces, then an ISTA step; transformer: separate queries, keys and values, then a perceptron",
    kind: ParamKind::Choice {
        options: &["crate", "transformer"],
        default: "crate",
    },
};

pub const HEADS: ParamSpec = ParamSpec {
    name: "heads",
    label: "heads",
    help: "attention heads per layer (the width must be a multiple of it)",
    kind: ParamKind::Int {
        min: 1,
        max: 8,
        default: 2,
    },
};

pub const WIDTH: ParamSpec = ParamSpec {
    name: "width",
    label: "width",
    help: "the size of a token",
    kind: ParamKind::Int {
        min: 8,
        max: 128,
        default: 32,
    },
};

pub const STEPS: ParamSpec = ParamSpec {
    name: "steps",
    label: "training steps",
    help: "Adam steps, each on 128 training digits",
    kind: ParamKind::Int {
        min: 1,
        max: 20_000,
        default: 500,
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const TEST_ACCURACY: &str = "test-accuracy";
    pub const PARAMETERS: &str = "parameters";
    pub const CLASS_RATE_PER_LAYER: &str = "class-rate-per-layer";
    pub const SPARSITY_PER_LAYER: &str = "sparsity-per-layer";
    pub const COMPRESSION_RATE_PER_LAYER: &str = "compression-rate-per-layer";
    pub const RATE_PER_LAYER: &str = "rate-per-layer";
    pub const SPARSE_RATE_REDUCTION_PER_LAYER: &str = "sparse-rate-reduction-per-layer";
    pub const TRAIN_LOSS: &str = "train-loss";
    pub const STEPS_PER_SECOND: &str = "steps-per-second";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "crate-digits",
    title: "CRATE and a transformer learn the digits",
    params: &[MODEL, LAYERS, HEADS, WIDTH, STEPS, SEED],
    metrics: &[
        MetricSpec::new(metric::TEST_ACCURACY, "test accuracy (599 digits)", 3),
        MetricSpec::new(metric::PARAMETERS, "trainable parameters", 0),
        MetricSpec::list(
            metric::CLASS_RATE_PER_LAYER,
            "label-conditioned class rate Rc(Z | Π) of the unit tokens, labelled by digit and pooled over images: embedding then layer by layer",
            2,
        ),
        MetricSpec::list(
            metric::SPARSITY_PER_LAYER,
            "share of zero entries in each layer's output (CRATE: the ISTA step's)",
            2,
        ),
        MetricSpec::list(
            metric::COMPRESSION_RATE_PER_LAYER,
            "compression term Rᶜ(Z; U) = Σₖ R(U_kᵀZ) of each layer's attention output against its subspaces, per image (nats)",
            2,
        ),
        MetricSpec::list(
            metric::RATE_PER_LAYER,
            "coding rate R(Z) of each layer's attention output, per image (nats)",
            2,
        ),
        MetricSpec::list(
            metric::SPARSE_RATE_REDUCTION_PER_LAYER,
            "R(Z) − Rᶜ(Z; U) − λ·(share of nonzero entries after the ISTA step), per image",
            2,
        ),
        MetricSpec::new(metric::TRAIN_LOSS, "training loss (cross-entropy)", 3),
        MetricSpec::new(metric::STEPS_PER_SECOND, "training steps per second", 1),
    ],
    uses_tensors: true,
    on_page: None,
    workload_params: &["model", "layers", "width"],
};

/// Training loss and test accuracy by step.
pub const LOSS_CURVE: &str = "loss";
pub const ACCURACY_CURVE: &str = "accuracy";
/// Each head's attention from the class token over the patches, per layer: (8/2)² = 4×4 images,
/// each scaled to its largest weight.
pub const ATTENTION: &str = "attention";
/// The digit the attention maps are for.
pub const DIGIT: &str = "digit";
/// Side of a patch.
pub const PATCH: usize = 2;

#[cfg(feature = "session")]
pub use run::CrateDigits;

#[cfg(feature = "session")]
mod run {
    use super::metric;
    use occam_core::burn::prelude::Device;
    use occam_core::digits::{Digits, Labelled};
    use occam_core::mcr2::as_columns;
    use occam_core::rate::{class_rate, normalize_columns};
    use occam_core::read_back;
    use occam_core::rng::{SeededRng, seeded};
    use occam_core::white_box::{
        Architecture, PIXELS, WhiteBoxConfig, WhiteBoxTrainer, mean_token_rates,
    };
    use rand::seq::index::sample;
    use web_time::Instant;

    use super::{ACCURACY_CURVE, ATTENTION, DIGIT, HEADS, LOSS_CURVE, MODEL, PATCH, STEPS, WIDTH};
    use crate::crate_layers::LAYERS;
    use crate::params::Values;
    use crate::protocol::{Images, Point, Report, Series};
    use crate::run::{DemoError, DemoRun, Step, device_error, read_loss, steps_in_group};

    const BATCH: usize = 128;
    /// Adam's step size: 3·10⁻³ for the first two thirds of the run, then falling linearly to a
    /// tenth (a constant step leaves the last steps noisy: measured, one seed in sixteen ended
    /// below 90% at 400 steps without the cool-down, none with it).
    fn learning_rate(step: u64, steps: u64) -> f64 {
        occam_core::schedule::cooled(3e-3, step, steps, 2 * steps / 3)
    }
    const STEPS_PER_REPORT: u64 = 50;
    /// Test digits whose tokens are measured per layer.
    const TRACED: usize = 200;
    /// ε of every rate: the class rate of the (unit) tokens, R(Z) and Rᶜ(Z; U).
    const EPS: f64 = 0.5;

    /// What the layers do, measured on the traced test digits.
    #[derive(Debug, Clone, Default)]
    struct Inside {
        class_rates: Vec<Point>,
        sparsities: Vec<Point>,
        /// Per layer (1, 2, …), on the attention outputs, per image: Rᶜ(Z; U) (CRATE only),
        /// R(Z), and R − Rᶜ − λ s (CRATE only).
        compression_rates: Vec<Point>,
        rates: Vec<Point>,
        sparse_rate_reductions: Vec<Point>,
        /// Per layer and head, the class token's attention over the patches.
        attention: Vec<f32>,
    }

    /// A run: `steps` Adam steps on batches of the training digits.
    pub struct CrateDigits {
        trainer: WhiteBoxTrainer,
        train: Labelled,
        test: Labelled,
        rng: SeededRng,
        steps: u64,
        done: u64,
        losses: Vec<Point>,
        accuracies: Vec<Point>,
        inside: Inside,
        started: Option<Instant>,
        steps_per_second: f64,
    }

    impl std::fmt::Debug for CrateDigits {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("CrateDigits")
                .field("done", &self.done)
                .finish_non_exhaustive()
        }
    }

    impl DemoRun for CrateDigits {
        fn start(params: &Values, device: &Device) -> Result<Self, DemoError> {
            let architecture = match params.choice(MODEL.name)? {
                "transformer" => Architecture::Transformer,
                _ => Architecture::Crate,
            };
            let config = WhiteBoxConfig::new(
                architecture,
                PATCH,
                params.int(WIDTH.name)? as usize,
                params.int(LAYERS.name)? as usize,
                params.int(HEADS.name)? as usize,
                10,
            );
            let seed = params.seed()?;
            let trainer = WhiteBoxTrainer::new(config, device, seed)
                .map_err(|error| DemoError::Invalid(error.to_string()))?;
            let digits =
                Digits::shipped().map_err(|error| DemoError::Invalid(error.to_string()))?;
            let (train, test) = digits.labelled().split_for_testing();
            Ok(Self {
                trainer,
                train,
                test,
                rng: seeded(seed ^ 0xc0de),
                steps: params.int(STEPS.name)?,
                done: 0,
                losses: Vec::new(),
                accuracies: Vec::new(),
                inside: Inside::default(),
                started: None,
                steps_per_second: f64::NAN,
            })
        }

        async fn advance(&mut self) -> Result<Step, DemoError> {
            let group = steps_in_group(self.done, self.steps, STEPS_PER_REPORT);
            let started = *self.started.get_or_insert_with(Instant::now);
            let mut last = None;
            for _ in 0..group {
                let (images, labels) = self.batch();
                last = Some(self.trainer.step(
                    images,
                    &labels,
                    learning_rate(self.done, self.steps),
                ));
                self.done += 1;
            }
            if let Some(loss) = last {
                let loss = read_loss(loss, self.done).await?;
                self.losses.push((self.done as f64, loss));
            }
            self.steps_per_second = self.done as f64 / started.elapsed().as_secs_f64().max(1e-9);
            let accuracy = self
                .trainer
                .accuracy(self.test.rows.clone(), &self.test.labels)
                .await
                .map_err(device_error)?;
            self.accuracies.push((self.done as f64, accuracy));
            let is_done = self.done >= self.steps;
            if is_done
                || self.inside.class_rates.is_empty()
                || self.done.is_multiple_of(4 * STEPS_PER_REPORT)
            {
                self.look_inside().await?;
            }
            Ok(Step::new(self.report(), is_done))
        }
    }

    impl CrateDigits {
        fn batch(&mut self) -> (Vec<f32>, Vec<usize>) {
            let chosen = sample(&mut self.rng, self.train.len(), BATCH).into_vec();
            let batch = self.train.gather(&chosen);
            (batch.rows, batch.labels)
        }

        /// Per layer: the class rate of the traced digits' tokens (unit length, labelled by
        /// their digit, pooled) and the share of zero entries; R(Z), and for CRATE Rᶜ(Z; U) and
        /// R − Rᶜ − λ s, of each digit's attention output, averaged over the digits; and the
        /// first test digit's attention.
        async fn look_inside(&mut self) -> Result<(), DemoError> {
            let count = TRACED.min(self.test.labels.len());
            let trace = self
                .trainer
                .trace(self.test.rows[..count * PIXELS].to_vec());
            let labels: Vec<usize> = self.test.labels[..count]
                .iter()
                .flat_map(|&label| std::iter::repeat_n(label, self.trainer.config().tokens() + 1))
                .collect();
            let config = self.trainer.config();
            let width = config.width;
            let mut inside = Inside::default();
            let measure =
                |tokens: Vec<f32>, layer: usize, inside: &mut Inside, with_sparsity: bool| {
                    let zeros = tokens.iter().filter(|&&value| value == 0.0).count() as f64
                        / tokens.len().max(1) as f64;
                    let mut columns = as_columns(&tokens, width);
                    normalize_columns(&mut columns);
                    inside
                        .class_rates
                        .push((layer as f64, class_rate(&columns, &labels, 10, EPS)));
                    if with_sparsity {
                        inside.sparsities.push((layer as f64, zeros));
                    }
                };
            let embedded = read_back(trace.embedded).await.map_err(device_error)?;
            measure(embedded, 0, &mut inside, false);
            for (index, layer) in trace.layers.into_iter().enumerate() {
                let [_, heads, _, columns] = layer.attention.dims();
                // The first digit's class token (row 0), over the patches (columns 1 …).
                let first = layer.attention.slice([0..1, 0..heads, 0..1, 1..columns]);
                // Each map scaled to its largest weight: the darkest patch is the one the head
                // attends to most.
                let first = read_back(first).await.map_err(device_error)?;
                let side = (columns - 1).max(1);
                for map in first.chunks(side) {
                    let largest = map.iter().copied().fold(0.0f32, f32::max).max(1e-12);
                    inside
                        .attention
                        .extend(map.iter().map(|weight| weight / largest));
                }
                let tokens = read_back(layer.tokens).await.map_err(device_error)?;
                let nonzeros = tokens.iter().filter(|&&value| value != 0.0).count() as f64
                    / tokens.len().max(1) as f64;
                measure(tokens, index + 1, &mut inside, true);
                // CRATE's objective on the attention output, against the layer's subspaces. The
                // transformer has none: no bases (p = 0) leave R(Z) alone.
                let compressed = read_back(layer.after_attention)
                    .await
                    .map_err(device_error)?;
                let (bases, heads) = match layer.subspaces {
                    Some(subspaces) => (
                        Some(read_back(subspaces).await.map_err(device_error)?),
                        config.heads,
                    ),
                    None => (None, 1),
                };
                let rates = mean_token_rates(
                    &compressed,
                    config.tokens() + 1,
                    width,
                    bases.as_deref().unwrap_or(&[]),
                    heads,
                    EPS,
                )
                .map_err(|error| DemoError::Invalid(error.to_string()))?;
                let layer = (index + 1) as f64;
                inside.rates.push((layer, rates.rate));
                if bases.is_some() {
                    inside
                        .compression_rates
                        .push((layer, rates.compression_rate));
                    inside
                        .sparse_rate_reductions
                        .push((layer, rates.sparse_rate_reduction(config.lambda, nonzeros)));
                }
            }
            self.inside = inside;
            Ok(())
        }

        fn report(&self) -> Report {
            let config = self.trainer.config();
            let mut metrics = vec![(
                metric::PARAMETERS.to_owned(),
                self.trainer.parameter_count() as f64,
            )];
            if let Some(&(_, accuracy)) = self.accuracies.last() {
                metrics.push((metric::TEST_ACCURACY.into(), accuracy));
            }
            if let Some(&(_, loss)) = self.losses.last() {
                metrics.push((metric::TRAIN_LOSS.into(), loss));
                metrics.push((metric::STEPS_PER_SECOND.into(), self.steps_per_second));
            }
            let side = 8 / PATCH;
            let heads = config.heads;
            let attention_images = self.inside.attention.len() / (side * side);
            let captions = (0..attention_images)
                .map(|index| {
                    format!(
                        "layer {}, head {}",
                        index / heads.max(1) + 1,
                        index % heads.max(1) + 1
                    )
                })
                .collect();
            let first_digit = self.test.rows[..PIXELS].to_vec();
            Report {
                progress: self.done,
                total: self.steps,
                metrics,
                series: vec![
                    Series {
                        name: LOSS_CURVE.into(),
                        points: self.losses.clone(),
                    },
                    Series {
                        name: ACCURACY_CURVE.into(),
                        points: self.accuracies.clone(),
                    },
                    Series {
                        name: metric::CLASS_RATE_PER_LAYER.into(),
                        points: self.inside.class_rates.clone(),
                    },
                    Series {
                        name: metric::SPARSITY_PER_LAYER.into(),
                        points: self.inside.sparsities.clone(),
                    },
                    Series {
                        name: metric::COMPRESSION_RATE_PER_LAYER.into(),
                        points: self.inside.compression_rates.clone(),
                    },
                    Series {
                        name: metric::RATE_PER_LAYER.into(),
                        points: self.inside.rates.clone(),
                    },
                    Series {
                        name: metric::SPARSE_RATE_REDUCTION_PER_LAYER.into(),
                        points: self.inside.sparse_rate_reductions.clone(),
                    },
                ],
                images: vec![
                    Images {
                        name: DIGIT.into(),
                        width: 8,
                        height: 8,
                        is_signed: false,
                        captions: vec![format!("a test digit: {}", self.test.labels[0])],
                        pixels: first_digit,
                    },
                    Images {
                        name: ATTENTION.into(),
                        width: side,
                        height: side,
                        is_signed: false,
                        captions,
                        pixels: self.inside.attention.clone(),
                    },
                ],
                clouds: Vec::new(),
                tables: Vec::new(),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn crate_learns_the_digits_and_its_layers_sparsify() {
            let report = crate::session::run_to_done("crate-digits", &[("seed", "1")]);
            let accuracy = report.metric("test-accuracy").unwrap();
            let sparsity = &report.series("sparsity-per-layer").unwrap().points;
            let rates = &report.series("class-rate-per-layer").unwrap().points;
            println!(
                "accuracy {accuracy}, Rc {rates:?}, sparsity {sparsity:?}, parameters {:?}",
                report.metric("parameters")
            );
            assert!(accuracy > 0.9, "{accuracy}");
            // The embedding and 2 layers (the default).
            assert_eq!(rates.len(), 3);
            // CRATE's objective: one finite number per layer, the ℓ⁰ term λ = 0.1 times the
            // share of nonzero entries of that layer's ISTA output.
            let list = |name: &str| report.series(name).unwrap().points.clone();
            let (compression, rate, objective) = (
                list("compression-rate-per-layer"),
                list("rate-per-layer"),
                list("sparse-rate-reduction-per-layer"),
            );
            println!("Rᶜ(Z; U) {compression:?}\nR(Z) {rate:?}\nR − Rᶜ − λs {objective:?}");
            crate::session::assert_one_finite_entry_per_layer(
                &report,
                &[
                    metric::COMPRESSION_RATE_PER_LAYER,
                    metric::RATE_PER_LAYER,
                    metric::SPARSE_RATE_REDUCTION_PER_LAYER,
                ],
                2,
            );
            for (layer, ((r, c), o)) in rate.iter().zip(&compression).zip(&objective).enumerate() {
                let nonzeros = 1.0 - sparsity[layer].1;
                assert!((o.1 - (r.1 - c.1 - 0.1 * nonzeros)).abs() < 1e-9);
            }
            assert!(sparsity.iter().all(|point| point.1 > 0.2), "{sparsity:?}");
            let attention = report.images(ATTENTION).unwrap();
            assert_eq!((attention.width, attention.count()), (4, 4));
            // Each head's map is scaled to its largest weight.
            for index in 0..attention.count() {
                let largest = attention
                    .image(index)
                    .iter()
                    .copied()
                    .fold(0.0f32, f32::max);
                assert!((largest - 1.0).abs() < 1e-6, "{largest}");
            }
        }
    }
}
