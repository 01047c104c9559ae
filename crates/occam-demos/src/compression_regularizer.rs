//! Demo `compression-regularizer`: does adding a compression term to the loss give a better
//! model? The same classifier (equal parameter counts) trains with cross-entropy alone and with
//! cross-entropy plus λ times the class rate R_c of its last hidden layer's unit-length
//! features ([`occam_core::classifier::ClassifierTrainer::regularized_step`]), over a sweep of
//! λ and several seeds: test accuracy with its spread, and the representation's rates.

use crate::information_plane::ACTIVATION;
use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

pub const STEPS: ParamSpec = ParamSpec {
    name: "steps-per-run",
    label: "steps per run",
    help: "Adam steps per run, each on a batch of 128 training digits; a run per λ and seed",
    kind: ParamKind::Int {
        min: 20,
        max: 5_000,
        default: 300,
    },
};

pub const SEEDS: ParamSpec = ParamSpec {
    name: "seeds-per-weight",
    label: "seeds per λ",
    help: "runs per λ, from seed, seed + 1, …: a difference smaller than the spread is not one",
    kind: ParamKind::Int {
        min: 1,
        max: 10,
        default: 3,
    },
};

/// The weights λ of the compression term, 0 (cross-entropy alone) first.
pub const WEIGHTS: [f64; 5] = [0.0, 0.03, 0.1, 0.3, 1.0];
/// The hidden layers' widths (the same network for every λ).
pub const WIDTHS: [usize; 2] = [32, 16];
/// The precision ε of R_c (chapter 4's default).
pub const EPS: f64 = 0.5;

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    /// Per λ (in [`super::WEIGHTS`]' order), mean over seeds: test accuracy, its spread (the
    /// standard deviation), and the last hidden layer's R_c and R on the held-out digits.
    pub const TEST_ACCURACY: &str = "test-accuracy";
    pub const TEST_ACCURACY_SPREAD: &str = "test-accuracy-spread";
    pub const CLASS_RATE: &str = "class-rate";
    pub const RATE: &str = "rate";
    /// The λ with the best mean test accuracy, and that accuracy minus λ = 0's.
    pub const BEST_WEIGHT: &str = "best-weight";
    pub const ACCURACY_GAIN: &str = "accuracy-gain";
    /// The standard deviation of λ = 0's test accuracy over seeds, to read the gain against.
    pub const BASELINE_SPREAD: &str = "baseline-spread";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "compression-regularizer",
    title: "Does a compression term make a better model?",
    params: &[ACTIVATION, STEPS, SEEDS, SEED],
    metrics: &[
        MetricSpec::list(
            metric::TEST_ACCURACY,
            "test accuracy by λ (0, 0.03, 0.1, 0.3, 1), mean over seeds",
            3,
        ),
        MetricSpec::list(
            metric::TEST_ACCURACY_SPREAD,
            "its spread over seeds (standard deviation)",
            3,
        ),
        MetricSpec::list(
            metric::CLASS_RATE,
            "R_c of the last hidden layer by λ, held-out digits (nats)",
            2,
        ),
        MetricSpec::list(metric::RATE, "R of the last hidden layer by λ (nats)", 2),
        MetricSpec::new(metric::BEST_WEIGHT, "λ with the best mean test accuracy", 2),
        MetricSpec::new(
            metric::ACCURACY_GAIN,
            "its test accuracy minus cross-entropy alone's",
            3,
        ),
        MetricSpec::new(
            metric::BASELINE_SPREAD,
            "spread of cross-entropy alone's test accuracy over seeds",
            3,
        ),
    ],
    uses_tensors: true,
    on_page: None,
    workload_params: &["steps-per-run"],
};

#[cfg(feature = "session")]
pub use run::CompressionRegularizer;

#[cfg(feature = "session")]
mod run {
    use occam_core::burn::prelude::Device;
    use occam_core::classifier::{Activation, ClassifierConfig, ClassifierTrainer, accuracy};
    use occam_core::digits::{Digits, Labelled};
    use occam_core::mcr2::as_columns;
    use occam_core::rate::{Rates, normalize_columns, rates};
    use occam_core::read_back;
    use occam_core::rng::seeded;
    use rand::seq::index::sample;

    use super::{EPS, SEEDS, STEPS, WEIGHTS, WIDTHS, metric};
    use crate::information_plane::ACTIVATION;
    use crate::layer_rates::mean_and_spread;
    use crate::mdl_selection::pick;
    use crate::params::Values;
    use crate::protocol::{Report, Series};
    use crate::run::{DemoError, DemoRun, Step, device_error};

    const CLASSES: usize = 10;
    const BATCH: usize = 128;
    const LEARNING_RATE: f64 = 1e-3;

    /// What one run ended with.
    #[derive(Debug, Clone, Copy)]
    struct Outcome {
        accuracy: f64,
        rates: Rates,
    }

    /// A run per λ and seed, λ by λ.
    pub struct CompressionRegularizer {
        device: Device,
        config: ClassifierConfig,
        train: Labelled,
        test: Labelled,
        seed: u64,
        seeds: usize,
        steps: u64,
        /// Per λ, the finished runs.
        outcomes: Vec<Vec<Outcome>>,
    }

    impl std::fmt::Debug for CompressionRegularizer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("CompressionRegularizer")
                .field("runs", &self.runs_done())
                .finish_non_exhaustive()
        }
    }

    impl DemoRun for CompressionRegularizer {
        fn start(params: &Values, device: &Device) -> Result<Self, DemoError> {
            let digits =
                Digits::shipped().map_err(|error| DemoError::Invalid(error.to_string()))?;
            let (train, test) = digits.labelled().split_for_testing();
            Ok(Self {
                device: device.clone(),
                config: ClassifierConfig {
                    input: train.dimension,
                    widths: WIDTHS.to_vec(),
                    classes: CLASSES,
                    activation: if params.choice(ACTIVATION.name)? == "tanh" {
                        Activation::Tanh
                    } else {
                        Activation::Relu
                    },
                },
                train,
                test,
                seed: params.seed()?,
                seeds: params.int(SEEDS.name)? as usize,
                steps: params.int(STEPS.name)?,
                outcomes: vec![Vec::new(); WEIGHTS.len()],
            })
        }

        /// One whole run (a few hundred steps: well under a second).
        async fn advance(&mut self) -> Result<Step, DemoError> {
            let done = self.runs_done();
            let (weight_index, seed_index) = (done / self.seeds, done % self.seeds);
            let weight = WEIGHTS[weight_index];
            let seed = self.seed.wrapping_add(seed_index as u64);
            let mut trainer = ClassifierTrainer::new(self.config.clone(), &self.device, seed);
            let mut rng = seeded(seed ^ 0xc0c0);
            for _ in 0..self.steps {
                let chosen = sample(&mut rng, self.train.len(), BATCH).into_vec();
                let batch = self.train.gather(&chosen);
                trainer
                    .regularized_step(batch.rows, &batch.labels, weight, EPS, LEARNING_RATE)
                    .await
                    .map_err(DemoError::from)?;
            }
            let outcome = self.measure(&trainer).await?;
            self.outcomes[weight_index].push(outcome);
            let is_done = self.runs_done() >= WEIGHTS.len() * self.seeds;
            Ok(Step::new(self.report(), is_done))
        }
    }

    impl CompressionRegularizer {
        fn runs_done(&self) -> usize {
            self.outcomes.iter().map(Vec::len).sum()
        }

        /// Test accuracy and the last hidden layer's rates on the held-out digits.
        async fn measure(&self, trainer: &ClassifierTrainer) -> Result<Outcome, DemoError> {
            let (mut layers, logits) = trainer.layers(self.test.rows.clone());
            let last = layers
                .pop()
                .ok_or_else(|| DemoError::Invalid("no hidden layer".into()))?;
            let [_, width] = last.dims();
            let values = read_back(last).await.map_err(device_error)?;
            let mut z = as_columns(&values, width);
            normalize_columns(&mut z);
            let logits = read_back(logits).await.map_err(device_error)?;
            Ok(Outcome {
                accuracy: accuracy(&logits, CLASSES, &self.test.labels),
                rates: rates(&z, &self.test.labels, CLASSES, EPS),
            })
        }

        fn report(&self) -> Report {
            // Per λ with every seed run: mean and spread.
            let complete: Vec<(f64, &Vec<Outcome>)> = WEIGHTS
                .iter()
                .zip(&self.outcomes)
                .filter(|(_, outcomes)| outcomes.len() == self.seeds)
                .map(|(&weight, outcomes)| (weight, outcomes))
                .collect();
            let per_weight = |name: &str, read: &dyn Fn(&[Outcome]) -> f64| Series {
                name: name.to_owned(),
                points: complete
                    .iter()
                    .map(|(weight, outcomes)| (*weight, read(outcomes)))
                    .collect(),
            };
            let accuracy = |outcomes: &[Outcome]| -> (f64, f64) {
                let values: Vec<f64> = outcomes.iter().map(|o| o.accuracy).collect();
                mean_and_spread(&values)
            };
            let series = vec![
                per_weight(metric::TEST_ACCURACY, &|o| accuracy(o).0),
                per_weight(metric::TEST_ACCURACY_SPREAD, &|o| accuracy(o).1),
                per_weight(metric::CLASS_RATE, &|o| {
                    let values: Vec<f64> = o.iter().map(|o| o.rates.class_rate).collect();
                    mean_and_spread(&values).0
                }),
                per_weight(metric::RATE, &|o| {
                    let values: Vec<f64> = o.iter().map(|o| o.rates.rate).collect();
                    mean_and_spread(&values).0
                }),
            ];
            let mut metrics = Vec::new();
            let means: Vec<f64> = complete.iter().map(|(_, o)| accuracy(o).0).collect();
            if let (Some(best), Some(&(_, baseline))) = (pick(&means, true), complete.first()) {
                let (baseline_mean, baseline_spread) = accuracy(baseline);
                metrics.push((metric::BEST_WEIGHT.to_owned(), complete[best].0));
                metrics.push((
                    metric::ACCURACY_GAIN.to_owned(),
                    means[best] - baseline_mean,
                ));
                metrics.push((metric::BASELINE_SPREAD.to_owned(), baseline_spread));
            }
            Report {
                progress: self.runs_done() as u64 * self.steps,
                total: (WEIGHTS.len() * self.seeds) as u64 * self.steps,
                metrics,
                series,
                ..Report::default()
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use crate::session::{list, run_to_done};

        use super::super::metric;

        #[test]
        fn compressing_each_class_alone_shrinks_the_whole_and_costs_accuracy() {
            let report = run_to_done("compression-regularizer", &[("seed", "1")]);
            let weights: Vec<f64> = report
                .series(metric::TEST_ACCURACY)
                .unwrap()
                .points
                .iter()
                .map(|p| p.0)
                .collect();
            assert_eq!(weights, super::super::WEIGHTS);
            let (accuracy, spread) = (
                list(&report, metric::TEST_ACCURACY),
                list(&report, metric::TEST_ACCURACY_SPREAD),
            );
            assert!(spread.iter().all(|s| (0.0..0.2).contains(s)), "{spread:?}");
            // Measured, seeds 1 to 3: cross-entropy alone is best (0.915); accuracy falls as
            // λ grows, to 0.37 at λ = 1, while R_c falls from 4.8 to 2.2 nats and R, the
            // whole's rate, from 8.0 to 2.5: the term compresses everything, not each class
            // against the rest.
            assert_eq!(report.metric(metric::BEST_WEIGHT), Some(0.0));
            assert_eq!(report.metric(metric::ACCURACY_GAIN), Some(0.0));
            assert!(accuracy[4] < accuracy[0] - 0.3, "{accuracy:?}");
            let (class_rate, rate) = (
                list(&report, metric::CLASS_RATE),
                list(&report, metric::RATE),
            );
            assert!(
                class_rate.windows(2).all(|pair| pair[1] < pair[0]),
                "{class_rate:?}"
            );
            assert!(rate[4] < 0.5 * rate[0], "{rate:?}");
            // R ≥ R_c for every λ (coding the whole never costs more than coding each class
            // on its own, at ε = 0.5 on the sphere, as measured here).
            assert!(
                rate.iter().zip(&class_rate).all(|(r, c)| r >= c),
                "{rate:?} {class_rate:?}"
            );
        }

        #[test]
        fn a_seed_gives_the_same_runs() {
            let pairs = [
                ("steps-per-run", "20"),
                ("seeds-per-weight", "1"),
                ("seed", "2"),
            ];
            let first = run_to_done("compression-regularizer", &pairs);
            assert_eq!(
                first.series,
                run_to_done("compression-regularizer", &pairs).series
            );
        }
    }
}
