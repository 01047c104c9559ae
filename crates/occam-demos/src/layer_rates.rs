//! Demo `layer-rates`: "deeper layers compress more", measured. The classifier of
//! `information-plane` trains twice per seed, once with cross-entropy and once with the rate
//! reduction ΔR (MCR², chapter 4) on its last hidden layer, and every few steps each hidden
//! layer's coding rates of its unit-length features (R, R_c and ΔR, [`occam_core::rate`]) are
//! measured on the held-out digits. Over several seeds: mean and spread, and a neural-collapse
//! measure of the last layer.

use crate::information_plane::ACTIVATION;
use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

pub const WIDTHS: ParamSpec = ParamSpec {
    name: "layer-widths",
    label: "hidden widths",
    help: "the hidden layers' widths; with equal widths the layers' rates compare directly (a wider layer has more room, so a higher rate)",
    kind: ParamKind::Choice {
        options: &["16-16-16", "32-32-32", "16-16-16-16", "32-16-8"],
        default: "16-16-16",
    },
};

pub const STEPS: ParamSpec = ParamSpec {
    name: "steps-per-run",
    label: "steps per run",
    help: "Adam steps per run, each on a batch of 128 training digits; a run per seed and objective",
    kind: ParamKind::Int {
        min: 20,
        max: 5_000,
        default: 300,
    },
};

pub const SEEDS: ParamSpec = ParamSpec {
    name: "seeds",
    label: "seeds",
    help: "runs per objective, from seed, seed + 1, …: the spread says how much one run tells",
    kind: ParamKind::Int {
        min: 1,
        max: 10,
        default: 4,
    },
};

/// The precision ε of every rate (chapter 4's default).
pub const EPS: f64 = 0.5;
/// Measurements per run, at evenly spaced steps (the first before any training).
pub const CHECKPOINTS: u64 = 6;

/// The two objectives, in the order they run and name their metrics.
pub const OBJECTIVES: [&str; 2] = ["cross-entropy", "mcr2"];

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    /// Per layer at the end, mean over seeds: R_c (nats), for each objective.
    pub const CLASS_RATE_CE: &str = "class-rate-cross-entropy";
    pub const CLASS_RATE_MCR2: &str = "class-rate-mcr2";
    /// Per layer: the standard deviation of R_c over seeds.
    pub const CLASS_RATE_CE_SPREAD: &str = "class-rate-cross-entropy-spread";
    pub const CLASS_RATE_MCR2_SPREAD: &str = "class-rate-mcr2-spread";
    /// Per layer at the end, mean over seeds: R and ΔR.
    pub const RATE_CE: &str = "rate-cross-entropy";
    pub const RATE_MCR2: &str = "rate-mcr2";
    pub const DELTA_RATE_CE: &str = "delta-rate-cross-entropy";
    pub const DELTA_RATE_MCR2: &str = "delta-rate-mcr2";
    /// The last layer's within-class over between-class scatter, mean over seeds (0: every
    /// class collapsed to a point).
    pub const COLLAPSE_CE: &str = "collapse-cross-entropy";
    pub const COLLAPSE_MCR2: &str = "collapse-mcr2";
    /// How many seeds' R_c fell from each layer to the next, for each objective.
    pub const DEEPER_LOWER_CE: &str = "deeper-lower-cross-entropy";
    pub const DEEPER_LOWER_MCR2: &str = "deeper-lower-mcr2";
    pub const TEST_ACCURACY_CE: &str = "test-accuracy-cross-entropy";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "layer-rates",
    title: "Do deeper layers compress more? Coding rates layer by layer",
    params: &[ACTIVATION, WIDTHS, STEPS, SEEDS, SEED],
    metrics: &[
        MetricSpec::list(
            metric::CLASS_RATE_CE,
            "R_c by layer, cross-entropy, mean over seeds (nats)",
            2,
        ),
        MetricSpec::list(
            metric::CLASS_RATE_CE_SPREAD,
            "its spread over seeds (standard deviation)",
            2,
        ),
        MetricSpec::list(
            metric::CLASS_RATE_MCR2,
            "R_c by layer, MCR² on the last layer, mean over seeds (nats)",
            2,
        ),
        MetricSpec::list(
            metric::CLASS_RATE_MCR2_SPREAD,
            "its spread over seeds (standard deviation)",
            2,
        ),
        MetricSpec::list(metric::RATE_CE, "R by layer, cross-entropy (nats)", 2),
        MetricSpec::list(metric::RATE_MCR2, "R by layer, MCR² (nats)", 2),
        MetricSpec::list(
            metric::DELTA_RATE_CE,
            "ΔR by layer, cross-entropy (nats)",
            2,
        ),
        MetricSpec::list(metric::DELTA_RATE_MCR2, "ΔR by layer, MCR² (nats)", 2),
        MetricSpec::new(
            metric::COLLAPSE_CE,
            "last layer: within- over between-class scatter, cross-entropy",
            3,
        ),
        MetricSpec::new(
            metric::COLLAPSE_MCR2,
            "last layer: within- over between-class scatter, MCR²",
            3,
        ),
        MetricSpec::new(
            metric::DEEPER_LOWER_CE,
            "seeds whose R_c fell layer after layer, cross-entropy",
            0,
        ),
        MetricSpec::new(
            metric::DEEPER_LOWER_MCR2,
            "seeds whose R_c fell layer after layer, MCR²",
            0,
        ),
        MetricSpec::new(
            metric::TEST_ACCURACY_CE,
            "test accuracy, cross-entropy, mean over seeds",
            3,
        ),
    ],
    uses_tensors: true,
    on_page: None,
    workload_params: &["layer-widths"],
};

/// R_c of hidden layer `layer` (1, 2, …) by training step, mean over seeds, for `objective`
/// (one of [`OBJECTIVES`]).
pub fn class_rate_by_step(objective: &str, layer: usize) -> String {
    format!("class-rate-{objective}-layer-{layer}")
}

/// The last layer's within-class scatter over its between-class scatter: with μ the mean of
/// the columns of `z` (`[d, m]`) and μ_c that of class c's, Σᵢ ‖zᵢ − μ_{yᵢ}‖² over
/// Σ_c m_c ‖μ_c − μ‖² (NaN when the classes' means coincide). It falls towards 0 as each
/// class collapses to its mean ("neural collapse", Papyan, Han and Donoho 2020).
#[cfg(feature = "session")]
pub fn collapse(z: &nalgebra::DMatrix<f64>, labels: &[usize], classes: usize) -> f64 {
    let (d, m) = z.shape();
    let mean = z.column_mean();
    let mut sums = vec![nalgebra::DVector::<f64>::zeros(d); classes];
    let mut counts = vec![0usize; classes];
    for (column, &label) in z.column_iter().zip(labels) {
        sums[label] += column;
        counts[label] += 1;
    }
    let means: Vec<_> = sums
        .iter()
        .zip(&counts)
        .map(|(sum, &count)| sum / count.max(1) as f64)
        .collect();
    let within: f64 = (0..m)
        .map(|i| (z.column(i) - &means[labels[i]]).norm_squared())
        .sum();
    let between: f64 = means
        .iter()
        .zip(&counts)
        .map(|(class_mean, &count)| count as f64 * (class_mean - &mean).norm_squared())
        .sum();
    if between > 0.0 {
        within / between
    } else {
        f64::NAN
    }
}

/// The mean and the sample standard deviation (0 for one value).
pub fn mean_and_spread(values: &[f64]) -> (f64, f64) {
    let n = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / n;
    let spread = if values.len() > 1 {
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    (mean, spread)
}

#[cfg(feature = "session")]
pub use run::LayerRates;

#[cfg(all(test, feature = "session"))]
mod tests {
    use super::*;
    use nalgebra::DMatrix;

    #[test]
    fn collapse_is_within_over_between_class_scatter() {
        // Two classes on a line: class 0 at 0 and 2 (mean 1), class 1 at 5 and 7 (mean 6);
        // the overall mean 3.5. Within: 1 + 1 + 1 + 1 = 4. Between: 2·2.5² + 2·2.5² = 25.
        let z = DMatrix::from_row_slice(1, 4, &[0.0, 2.0, 5.0, 7.0]);
        assert!((collapse(&z, &[0, 0, 1, 1], 2) - 4.0 / 25.0).abs() < 1e-12);
        // Each class at its mean: 0.
        let z = DMatrix::from_row_slice(1, 4, &[1.0, 1.0, 6.0, 6.0]);
        assert_eq!(collapse(&z, &[0, 0, 1, 1], 2), 0.0);
        // Labels that split both points evenly: the classes' means coincide, no ratio.
        assert!(collapse(&z, &[0, 1, 0, 1], 2).is_nan());
    }

    #[test]
    fn mean_and_sample_spread() {
        let (mean, spread) = mean_and_spread(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(mean, 2.5);
        // Σ (x − 2.5)² = 5, over n − 1 = 3.
        assert!((spread - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(mean_and_spread(&[7.0]), (7.0, 0.0));
    }
}

#[cfg(feature = "session")]
mod run {
    use occam_core::burn::prelude::Device;
    use occam_core::classifier::{Activation, ClassifierConfig, ClassifierTrainer, accuracy};
    use occam_core::digits::{Digits, Labelled};
    use occam_core::mcr2::as_columns;
    use occam_core::rate::{Rates, normalize_columns, rates};
    use occam_core::read_back;
    use occam_core::rng::{SeededRng, seeded};
    use rand::seq::index::sample;

    use super::{
        CHECKPOINTS, EPS, OBJECTIVES, SEEDS, STEPS, WIDTHS, class_rate_by_step, collapse,
        mean_and_spread, metric,
    };
    use crate::information_plane::{ACTIVATION, widths};
    use crate::params::Values;
    use crate::protocol::{Point, Report, Series};
    use crate::run::{DemoError, DemoRun, Step, device_error, read_loss};

    const BATCH: usize = 128;
    /// Adam's step size, for both objectives.
    const LEARNING_RATE: f64 = 1e-3;
    const CLASSES: usize = 10;

    /// What one run measured at one step.
    #[derive(Debug, Clone)]
    struct Checkpoint {
        step: u64,
        /// Per hidden layer.
        rates: Vec<Rates>,
        collapse: f64,
        accuracy: f64,
    }

    /// The run in progress: its objective (index into [`OBJECTIVES`]), its seed's index, and
    /// its trainer.
    struct Current {
        objective: usize,
        trainer: ClassifierTrainer,
        rng: SeededRng,
        done: u64,
    }

    /// `seeds` runs of each objective, one after the other.
    pub struct LayerRates {
        device: Device,
        config: ClassifierConfig,
        train: Labelled,
        test: Labelled,
        seed: u64,
        seeds: usize,
        steps: u64,
        current: Option<Current>,
        /// Per objective, per finished or running seed, the checkpoints.
        runs: [Vec<Vec<Checkpoint>>; 2],
    }

    impl std::fmt::Debug for LayerRates {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("LayerRates")
                .field("runs", &self.runs.iter().map(Vec::len).collect::<Vec<_>>())
                .finish_non_exhaustive()
        }
    }

    impl DemoRun for LayerRates {
        fn start(params: &Values, device: &Device) -> Result<Self, DemoError> {
            let hidden = widths(params.choice(WIDTHS.name)?)
                .ok_or_else(|| DemoError::Invalid("widths: whole numbers joined by -".into()))?;
            let digits =
                Digits::shipped().map_err(|error| DemoError::Invalid(error.to_string()))?;
            let (train, test) = digits.labelled().split_for_testing();
            let mut demo = Self {
                device: device.clone(),
                config: ClassifierConfig {
                    input: train.dimension,
                    widths: hidden,
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
                current: None,
                runs: [Vec::new(), Vec::new()],
            };
            demo.next_run();
            Ok(demo)
        }

        async fn advance(&mut self) -> Result<Step, DemoError> {
            let Some(mut current) = self.current.take() else {
                return Err(DemoError::Invalid("the run has ended".into()));
            };
            let checkpoint = self.runs[current.objective]
                .last()
                .map_or(0, |checkpoints| checkpoints.len() as u64);
            let next = (checkpoint * self.steps).div_ceil(CHECKPOINTS);
            let mut last_loss = None;
            while current.done < next {
                let chosen = sample(&mut current.rng, self.train.len(), BATCH).into_vec();
                let batch = self.train.gather(&chosen);
                if current.objective == 0 {
                    last_loss = Some(current.trainer.step(
                        batch.rows,
                        &batch.labels,
                        LEARNING_RATE,
                    ));
                } else {
                    current
                        .trainer
                        .rate_reduction_step(batch.rows, &batch.labels, EPS, LEARNING_RATE)
                        .await
                        .map_err(device_error)?;
                }
                current.done += 1;
            }
            if let Some(loss) = last_loss {
                read_loss(loss, current.done).await?;
            }
            let measured = self.measure(&current.trainer, current.done).await?;
            let objective = current.objective;
            self.runs[objective]
                .last_mut()
                .expect("a run in progress")
                .push(measured);
            let is_run_over = current.done >= self.steps;
            self.current = Some(current);
            if is_run_over {
                self.current = None;
                self.next_run();
            }
            let is_done = self.current.is_none();
            Ok(Step::new(self.report(), is_done))
        }
    }

    impl LayerRates {
        /// Starts the next run, if any: every seed with cross-entropy, then with MCR².
        fn next_run(&mut self) {
            let objective = usize::from(self.runs[0].len() >= self.seeds);
            if self.runs[objective].len() >= self.seeds {
                return;
            }
            let seed = self.seed.wrapping_add(self.runs[objective].len() as u64);
            self.runs[objective].push(Vec::new());
            self.current = Some(Current {
                objective,
                trainer: ClassifierTrainer::new(self.config.clone(), &self.device, seed),
                rng: seeded(seed ^ 0x1a7e),
                done: 0,
            });
        }

        /// Every hidden layer's rates on the held-out digits, the last layer's collapse, and
        /// the accuracy of the head (meaningful for cross-entropy only).
        async fn measure(
            &self,
            trainer: &ClassifierTrainer,
            step: u64,
        ) -> Result<Checkpoint, DemoError> {
            let (layers, logits) = trainer.layers(self.test.rows.clone());
            let labels = &self.test.labels;
            let mut measured = Vec::with_capacity(layers.len());
            let mut last_collapse = f64::NAN;
            for layer in layers {
                let [_, width] = layer.dims();
                let values = read_back(layer).await.map_err(device_error)?;
                let mut z = as_columns(&values, width);
                normalize_columns(&mut z);
                measured.push(rates(&z, labels, CLASSES, EPS));
                last_collapse = collapse(&z, labels, CLASSES);
            }
            let logits = read_back(logits).await.map_err(device_error)?;
            Ok(Checkpoint {
                step,
                rates: measured,
                collapse: last_collapse,
                accuracy: accuracy(&logits, CLASSES, labels),
            })
        }

        /// The runs of `objective` that have finished.
        fn finished(&self, objective: usize) -> impl Iterator<Item = &Vec<Checkpoint>> {
            let running = self
                .current
                .as_ref()
                .is_some_and(|current| current.objective == objective);
            let count = self.runs[objective].len() - usize::from(running);
            self.runs[objective].iter().take(count)
        }

        fn report(&self) -> Report {
            let layers = self.config.widths.len();
            let mut metrics = Vec::new();
            let mut series = Vec::new();
            for (objective, name) in OBJECTIVES.iter().enumerate() {
                let ends: Vec<&Checkpoint> = self
                    .finished(objective)
                    .filter_map(|run| run.last())
                    .collect();
                let names = if objective == 0 {
                    [
                        metric::CLASS_RATE_CE,
                        metric::CLASS_RATE_CE_SPREAD,
                        metric::RATE_CE,
                        metric::DELTA_RATE_CE,
                        metric::COLLAPSE_CE,
                        metric::DEEPER_LOWER_CE,
                    ]
                } else {
                    [
                        metric::CLASS_RATE_MCR2,
                        metric::CLASS_RATE_MCR2_SPREAD,
                        metric::RATE_MCR2,
                        metric::DELTA_RATE_MCR2,
                        metric::COLLAPSE_MCR2,
                        metric::DEEPER_LOWER_MCR2,
                    ]
                };
                // Per layer at the end of every finished run: mean (and spread) over seeds.
                if !ends.is_empty() {
                    let per_layer = |read: fn(&Rates) -> f64| -> Vec<(f64, f64)> {
                        (0..layers)
                            .map(|layer| {
                                let values: Vec<f64> =
                                    ends.iter().map(|end| read(&end.rates[layer])).collect();
                                mean_and_spread(&values)
                            })
                            .collect()
                    };
                    let class_rates = per_layer(|rates| rates.class_rate);
                    series.push(Series::counted(
                        names[0],
                        class_rates.iter().map(|pair| pair.0),
                    ));
                    series.push(Series::counted(
                        names[1],
                        class_rates.iter().map(|pair| pair.1),
                    ));
                    series.push(Series::counted(
                        names[2],
                        per_layer(|rates| rates.rate).iter().map(|pair| pair.0),
                    ));
                    series.push(Series::counted(
                        names[3],
                        per_layer(|rates| rates.delta_rate)
                            .iter()
                            .map(|pair| pair.0),
                    ));
                    let collapses: Vec<f64> = ends.iter().map(|end| end.collapse).collect();
                    metrics.push((names[4].to_owned(), mean_and_spread(&collapses).0));
                    let deeper_lower = ends
                        .iter()
                        .filter(|end| {
                            end.rates
                                .windows(2)
                                .all(|pair| pair[1].class_rate < pair[0].class_rate)
                        })
                        .count();
                    metrics.push((names[5].to_owned(), deeper_lower as f64));
                    if objective == 0 {
                        let accuracies: Vec<f64> = ends.iter().map(|end| end.accuracy).collect();
                        metrics.push((
                            metric::TEST_ACCURACY_CE.to_owned(),
                            mean_and_spread(&accuracies).0,
                        ));
                    }
                }
                // R_c by step, layer by layer, mean over the runs that reached each step.
                for layer in 0..layers {
                    let mut points: Vec<Point> = Vec::new();
                    for index in 0..=CHECKPOINTS as usize {
                        let values: Vec<(u64, f64)> = self.runs[objective]
                            .iter()
                            .filter_map(|run| run.get(index))
                            .map(|checkpoint| (checkpoint.step, checkpoint.rates[layer].class_rate))
                            .collect();
                        if let Some(&(step, _)) = values.first() {
                            let rates: Vec<f64> = values.iter().map(|pair| pair.1).collect();
                            points.push((step as f64, mean_and_spread(&rates).0));
                        }
                    }
                    series.push(Series {
                        name: class_rate_by_step(name, layer + 1),
                        points,
                    });
                }
            }
            metrics.retain(|(_, value)| value.is_finite());
            let runs = (self.seeds as u64) * 2;
            let finished = self.runs.iter().map(Vec::len).sum::<usize>() as u64
                - u64::from(self.current.is_some());
            let within = self.current.as_ref().map_or(0, |current| current.done);
            Report {
                progress: finished * self.steps + within,
                total: runs * self.steps,
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
        fn cross_entropy_compresses_with_depth_and_mcr2_expands_the_whole() {
            let report = run_to_done("layer-rates", &[("seed", "1")]);
            assert_eq!(report.progress, 2 * 4 * 300);
            let names = [
                metric::CLASS_RATE_CE,
                metric::CLASS_RATE_CE_SPREAD,
                metric::CLASS_RATE_MCR2,
                metric::CLASS_RATE_MCR2_SPREAD,
                metric::RATE_CE,
                metric::RATE_MCR2,
                metric::DELTA_RATE_CE,
                metric::DELTA_RATE_MCR2,
            ];
            crate::session::assert_one_finite_entry_per_layer(&report, &names, 3);
            // Each list is R − R_c = ΔR, layer by layer, as the rates are defined.
            for (rate, class_rate, delta) in [
                (
                    metric::RATE_CE,
                    metric::CLASS_RATE_CE,
                    metric::DELTA_RATE_CE,
                ),
                (
                    metric::RATE_MCR2,
                    metric::CLASS_RATE_MCR2,
                    metric::DELTA_RATE_MCR2,
                ),
            ] {
                for ((r, c), d) in list(&report, rate)
                    .iter()
                    .zip(list(&report, class_rate))
                    .zip(list(&report, delta))
                {
                    assert!((r - c - d).abs() < 1e-9, "{r} − {c} ≠ {d}");
                }
            }
            // Measured over seeds 1 to 4: with cross-entropy R_c falls layer after layer in
            // every seed; MCR² on the last layer raises its ΔR (4.65 nats against 2.20) by
            // expanding the whole (R 11.7 against 6.4) more than it compresses the classes,
            // and keeps each class spread out where cross-entropy collapses it (within- over
            // between-class scatter 0.87 against 0.24).
            assert_eq!(report.metric(metric::DEEPER_LOWER_CE), Some(4.0));
            let (ce, mcr2) = (
                list(&report, metric::DELTA_RATE_CE),
                list(&report, metric::DELTA_RATE_MCR2),
            );
            assert!(mcr2[2] > ce[2] + 1.0, "ΔR: {mcr2:?} against {ce:?}");
            let (ce, mcr2) = (
                report.metric(metric::COLLAPSE_CE).unwrap(),
                report.metric(metric::COLLAPSE_MCR2).unwrap(),
            );
            assert!(ce < 0.5 * mcr2, "collapse: {ce} against {mcr2}");
            assert!(report.metric(metric::TEST_ACCURACY_CE).unwrap() > 0.8);
            // R_c by step: the first and six more measurements per objective and layer.
            let by_step = report
                .series(&super::super::class_rate_by_step("mcr2", 3))
                .unwrap();
            assert_eq!(by_step.points.len(), 7);
            assert_eq!(by_step.points[6].0, 300.0);
        }

        #[test]
        fn a_seed_gives_the_same_runs() {
            let pairs = [("steps-per-run", "20"), ("seeds", "1"), ("seed", "3")];
            let first = run_to_done("layer-rates", &pairs);
            assert_eq!(first.series, run_to_done("layer-rates", &pairs).series);
            assert_eq!(first.progress, 40);
        }
    }
}
