//! Demo `information-plane`: a small classifier of the 8×8 digits trains, and every few steps
//! each hidden layer T is placed on the information plane, (I(X;T), I(T;Y)), by two estimators
//! ([`occam_core::information`]): binning its activations, as Shwartz-Ziv and Tishby (2017)
//! did, and reading it through a Gaussian channel, as Goldfeld et al. (2019) argue a
//! deterministic network needs. Whether a layer's I(X;T) falls after its peak (the claimed
//! "compression phase") depends on the activation and on the estimator (Saxe et al. 2018).

use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

pub const ACTIVATION: ParamSpec = ParamSpec {
    name: "activation",
    label: "activation",
    help: "tanh saturates at ±1, as in Shwartz-Ziv and Tishby's network; relu does not saturate",
    kind: ParamKind::Choice {
        options: &["tanh", "relu"],
        default: "tanh",
    },
};

pub const WIDTHS: ParamSpec = ParamSpec {
    name: "widths",
    label: "hidden widths",
    help: "the hidden layers' widths, from the input (64 pixels) on; a narrow layer has few bin patterns",
    kind: ParamKind::Choice {
        options: &["32-16-8", "16-8-4", "12-8-6-4", "64-32-16-8"],
        default: "32-16-8",
    },
};

pub const BINS: ParamSpec = ParamSpec {
    name: "bins",
    label: "bins",
    help: "equal intervals per unit for the binned estimate (Shwartz-Ziv and Tishby used 30)",
    kind: ParamKind::Int {
        min: 2,
        max: 200,
        default: 30,
    },
};

pub const SEEDS: ParamSpec = ParamSpec {
    name: "seeds",
    label: "seeds",
    help: "runs, from seed, seed + 1, …: the planes draw the latest, the numbers are means over all",
    kind: ParamKind::Int {
        min: 1,
        max: 10,
        default: 4,
    },
};

pub const STEPS: ParamSpec = ParamSpec {
    name: "steps",
    label: "training steps",
    help: "Adam steps, each on a batch of 128 training digits",
    kind: ParamKind::Int {
        min: 50,
        max: 20_000,
        default: 1_500,
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
///
/// Every number but the training loss and the speed is a mean over the runs finished (the
/// first run's own while it trains), one run per seed.
pub mod metric {
    pub const TEST_ACCURACY: &str = "test-accuracy";
    /// The test accuracy's spread over the runs (sample standard deviation).
    pub const TEST_ACCURACY_SPREAD: &str = "test-accuracy-spread";
    /// The latest run's training loss.
    pub const TRAIN_LOSS: &str = "train-loss";
    /// Per layer, at the end: I(X;T) and I(T;Y) binned, and through the Gaussian channel.
    pub const BINNED_INPUT: &str = "binned-input";
    pub const BINNED_LABEL: &str = "binned-label";
    pub const NOISY_INPUT: &str = "noisy-input";
    pub const NOISY_LABEL: &str = "noisy-label";
    /// Per layer: how far the binned I(X;T) fell from its peak by the end, in bits.
    pub const BINNED_FALL: &str = "binned-input-fall";
    /// Per layer: the same for the noisy estimate.
    pub const NOISY_FALL: &str = "noisy-input-fall";
    /// Per layer: the falls' spreads over the runs (sample standard deviations).
    pub const BINNED_FALL_SPREAD: &str = "binned-input-fall-spread";
    pub const NOISY_FALL_SPREAD: &str = "noisy-input-fall-spread";
    /// Per layer: in how many runs its binned I(X;T) fell by at least [`super::FELL_BITS`].
    pub const COMPRESSED_RUNS: &str = "compressed-runs";
    /// How many layers' binned I(X;T) fell by at least [`super::FELL_BITS`] after its peak,
    /// on average over the runs.
    pub const LAYERS_COMPRESSED: &str = "layers-compressed";
    /// The runs finished, which the numbers are means over (0 while the first trains, whose
    /// own numbers they are then).
    pub const RUNS: &str = "runs-finished";
    /// The seed of the run the planes draw (the latest).
    pub const DRAWN_SEED: &str = "drawn-seed";
    pub const STEPS_PER_SECOND: &str = "steps-per-second";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "information-plane",
    title: "The information plane: does a layer compress?",
    params: &[ACTIVATION, WIDTHS, BINS, STEPS, SEEDS, SEED],
    metrics: &[
        MetricSpec::new(metric::TEST_ACCURACY, "test accuracy, mean over seeds", 3),
        MetricSpec::new(
            metric::TEST_ACCURACY_SPREAD,
            "its spread over seeds (standard deviation)",
            3,
        ),
        MetricSpec::new(
            metric::TRAIN_LOSS,
            "training loss of the latest seed (cross-entropy, nats)",
            3,
        ),
        MetricSpec::list(
            metric::BINNED_INPUT,
            "I(X;T) binned, bits, layer by layer",
            2,
        ),
        MetricSpec::list(
            metric::BINNED_LABEL,
            "I(T;Y) binned, bits, layer by layer",
            2,
        ),
        MetricSpec::list(
            metric::NOISY_INPUT,
            "I(X;T+Z) through Gaussian noise, bits, layer by layer",
            2,
        ),
        MetricSpec::list(
            metric::NOISY_LABEL,
            "I(T+Z;Y) through Gaussian noise, bits, layer by layer",
            2,
        ),
        MetricSpec::list(
            metric::BINNED_FALL,
            "binned I(X;T): fall from its peak, bits, layer by layer",
            2,
        ),
        MetricSpec::list(
            metric::BINNED_FALL_SPREAD,
            "its spread over seeds (standard deviation)",
            2,
        ),
        MetricSpec::list(
            metric::NOISY_FALL,
            "noisy I(X;T+Z): fall from its peak, bits, layer by layer",
            2,
        ),
        MetricSpec::list(
            metric::NOISY_FALL_SPREAD,
            "its spread over seeds (standard deviation)",
            2,
        ),
        MetricSpec::list(
            metric::COMPRESSED_RUNS,
            "seeds in which the layer's binned I(X;T) fell half a bit or more",
            0,
        ),
        MetricSpec::new(
            metric::LAYERS_COMPRESSED,
            "layers whose binned I(X;T) fell after its peak",
            0,
        ),
        MetricSpec::new(metric::RUNS, "seeds finished", 0),
        MetricSpec::new(metric::DRAWN_SEED, "seed of the run drawn", 0),
        MetricSpec::new(metric::STEPS_PER_SECOND, "training steps per second", 0),
    ],
    uses_tensors: true,
    on_page: None,
    workload_params: &["widths"],
};

/// A fall of I(X;T) from its peak that counts as compression, in bits: half a bit, well above
/// the few hundredths by which a pattern or two merging or splitting moves the binned estimate.
pub const FELL_BITS: f64 = 0.5;
/// Training digits every estimate is computed on (X uniform over them).
pub const MEASURED: usize = 600;
/// The Gaussian channel's noise, σ, in the units of the activations.
pub const NOISE: f64 = 0.1;
/// Monte Carlo draws of each noisy estimate.
pub const DRAWS: usize = 200;
/// Estimates over a run, at evenly spaced steps (the first before any training).
pub const ESTIMATES: u64 = 40;

/// The trajectory of hidden layer `layer` (1, 2, …) on the binned plane: points
/// (I(X;T), I(T;Y)) in bits, one per estimate, in the order of the steps.
pub fn binned_plane(layer: usize) -> String {
    format!("binned-plane-{layer}")
}

/// The same on the noisy plane.
pub fn noisy_plane(layer: usize) -> String {
    format!("noisy-plane-{layer}")
}

/// The steps of the estimates: (estimate index, step).
pub const ESTIMATE_STEPS: &str = "estimate-steps";
/// Test accuracy by step.
pub const ACCURACY_CURVE: &str = "accuracy";

/// The widths a `widths` value names ("12-8-6-4" → [12, 8, 6, 4]).
pub fn widths(value: &str) -> Option<Vec<usize>> {
    value
        .split('-')
        .map(|width| width.parse().ok().filter(|&width| width > 0))
        .collect()
}

/// How far `values` ended below their highest, a fall from the peak (0 when the last is the
/// highest), to a hundredth of a bit: finer than that, a Monte Carlo estimate only moves by
/// its own noise (and the binned one by a pattern or two merging).
pub fn fall_from_peak(values: &[f64]) -> f64 {
    let peak = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    values
        .last()
        .map_or(0.0, |last| ((peak - last).max(0.0) * 100.0).round() / 100.0)
}

#[cfg(feature = "session")]
pub use run::InformationPlane;

#[cfg(feature = "session")]
mod run {
    use occam_core::burn::prelude::Device;
    use occam_core::classifier::{Activation, ClassifierConfig, ClassifierTrainer, accuracy};
    use occam_core::digits::{Digits, Labelled};
    use occam_core::information::{Information, binned_information, noisy_information};
    use occam_core::read_back;
    use occam_core::rng::{SeededRng, seeded};
    use rand::seq::index::sample;
    use web_time::Instant;

    use super::{
        ACCURACY_CURVE, ACTIVATION, BINS, DRAWS, ESTIMATE_STEPS, ESTIMATES, FELL_BITS, MEASURED,
        SEEDS, STEPS, WIDTHS, binned_plane, fall_from_peak, metric, noisy_plane, widths,
    };
    use crate::layer_rates::mean_and_spread;
    use crate::params::Values;
    use crate::protocol::{Point, Report, Series};
    use crate::run::{DemoError, DemoRun, Step, device_error, read_loss};

    const BATCH: usize = 128;
    /// Adam's step size: at 3·10⁻³ a narrow relu layer can die on some seeds (measured: 12-8-6-4,
    /// seed 1, every unit of the last layer zero on every digit).
    const LEARNING_RATE: f64 = 1e-3;

    /// Both estimates of every hidden layer at one step.
    #[derive(Debug, Clone)]
    struct Estimate {
        step: u64,
        binned: Vec<Information>,
        noisy: Vec<Information>,
    }

    impl Estimate {
        /// Every layer's estimate by one estimator.
        fn by(&self, noisy: bool) -> &[Information] {
            if noisy { &self.noisy } else { &self.binned }
        }
    }

    /// One seed's run: `steps` Adam steps, with the layers estimated [`ESTIMATES`] times.
    struct Run {
        seed: u64,
        trainer: ClassifierTrainer,
        rng: SeededRng,
        done: u64,
        estimates: Vec<Estimate>,
        losses: Vec<Point>,
        accuracies: Vec<Point>,
    }

    impl Run {
        /// Per layer, one estimator's I(X;T) over the run.
        fn inputs_of(&self, layer: usize, noisy: bool) -> Vec<f64> {
            self.estimates
                .iter()
                .map(|estimate| estimate.by(noisy)[layer].input)
                .collect()
        }

        /// Per layer, how far one estimator's I(X;T) ended below its peak.
        fn falls(&self, noisy: bool) -> Vec<f64> {
            let layers = self.estimates.first().map_or(0, |first| first.binned.len());
            (0..layers)
                .map(|layer| fall_from_peak(&self.inputs_of(layer, noisy)))
                .collect()
        }
    }

    /// `seeds` runs, from `seed` on, one after the other. The planes draw the latest; the
    /// numbers at the end are means over the runs finished (the first run's own while it
    /// trains).
    pub struct InformationPlane {
        device: Device,
        config: ClassifierConfig,
        train: Labelled,
        test: Labelled,
        /// The first [`MEASURED`] training digits.
        measured: Labelled,
        is_tanh: bool,
        bins: usize,
        seed: u64,
        seeds: usize,
        steps: u64,
        /// Finished runs, then the one training (if any).
        runs: Vec<Run>,
        /// Time spent training (estimates excluded), for steps per second.
        training_seconds: f64,
    }

    impl std::fmt::Debug for InformationPlane {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("InformationPlane")
                .field("runs", &self.runs.len())
                .finish_non_exhaustive()
        }
    }

    impl DemoRun for InformationPlane {
        fn start(params: &Values, device: &Device) -> Result<Self, DemoError> {
            let is_tanh = params.choice(ACTIVATION.name)? == "tanh";
            let hidden = widths(params.choice(WIDTHS.name)?)
                .ok_or_else(|| DemoError::Invalid("widths: whole numbers joined by -".into()))?;
            let digits =
                Digits::shipped().map_err(|error| DemoError::Invalid(error.to_string()))?;
            let (train, test) = digits.labelled().split_for_testing();
            let measured = train.gather(&(0..MEASURED.min(train.len())).collect::<Vec<_>>());
            let config = ClassifierConfig {
                input: train.dimension,
                widths: hidden,
                classes: 10,
                activation: if is_tanh {
                    Activation::Tanh
                } else {
                    Activation::Relu
                },
            };
            let mut demo = Self {
                device: device.clone(),
                config,
                train,
                test,
                measured,
                is_tanh,
                bins: params.int(BINS.name)? as usize,
                seed: params.seed()?,
                seeds: params.int(SEEDS.name)? as usize,
                steps: params.int(STEPS.name)?,
                runs: Vec::new(),
                training_seconds: 0.0,
            };
            demo.next_run();
            Ok(demo)
        }

        async fn advance(&mut self) -> Result<Step, DemoError> {
            let steps = self.steps;
            let mut run = self.runs.pop().expect("a run in progress");
            if !run.estimates.is_empty() {
                // Up to the next estimate's step: the k-th of ESTIMATES is at k·steps/ESTIMATES.
                let k = run.estimates.len() as u64;
                let next = (k * steps).div_ceil(ESTIMATES).max(run.done + 1);
                let started = Instant::now();
                let mut last = None;
                while run.done < next.min(steps) {
                    let chosen = sample(&mut run.rng, self.train.len(), BATCH).into_vec();
                    let batch = self.train.gather(&chosen);
                    last = Some(run.trainer.step(batch.rows, &batch.labels, LEARNING_RATE));
                    run.done += 1;
                }
                if let Some(loss) = last {
                    let loss = read_loss(loss, run.done).await?;
                    run.losses.push((run.done as f64, loss));
                }
                self.training_seconds += started.elapsed().as_secs_f64();
            }
            self.estimate(&mut run).await?;
            let is_run_over = run.done >= steps;
            self.runs.push(run);
            let is_done = is_run_over && self.runs.len() >= self.seeds;
            let report = self.report(is_run_over);
            if is_run_over && !is_done {
                self.next_run();
            }
            Ok(Step::new(report, is_done))
        }
    }

    impl InformationPlane {
        /// Starts the run of the next seed.
        fn next_run(&mut self) {
            let seed = self.seed.wrapping_add(self.runs.len() as u64);
            self.runs.push(Run {
                seed,
                trainer: ClassifierTrainer::new(self.config.clone(), &self.device, seed),
                rng: seeded(seed ^ 0x1b),
                done: 0,
                estimates: Vec::new(),
                losses: Vec::new(),
                accuracies: Vec::new(),
            });
        }

        /// Every hidden layer on the measured digits, by both estimators, and the test
        /// accuracy.
        async fn estimate(&self, run: &mut Run) -> Result<(), DemoError> {
            let (layers, _) = run.trainer.layers(self.measured.rows.clone());
            let labels = &self.measured.labels;
            let (mut binned, mut noisy) = (Vec::new(), Vec::new());
            // The same noise draws at every estimate: the curves move because the layer does.
            let mut rng = seeded(run.seed ^ 0x5eed);
            for layer in layers {
                let [_, width] = layer.dims();
                let values = read_back(layer).await.map_err(device_error)?;
                // tanh's range is fixed; relu's is [0, the largest activation now], an
                // adaptive range (Saxe et al.'s code kept a fixed bin width instead).
                let range = if self.is_tanh {
                    (-1.0, 1.0)
                } else {
                    (0.0, values.iter().copied().fold(0.0, f32::max))
                };
                binned.push(binned_information(&values, width, labels, self.bins, range));
                noisy.push(noisy_information(
                    &values,
                    width,
                    labels,
                    super::NOISE,
                    DRAWS,
                    &mut rng,
                ));
            }
            run.estimates.push(Estimate {
                step: run.done,
                binned,
                noisy,
            });
            let (_, logits) = run.trainer.layers(self.test.rows.clone());
            let logits = read_back(logits).await.map_err(device_error)?;
            let test_accuracy = accuracy(&logits, 10, &self.test.labels);
            run.accuracies.push((run.done as f64, test_accuracy));
            Ok(())
        }

        /// The runs the numbers summarize: the finished ones, or the first while it trains.
        fn summarized(&self, is_last_over: bool) -> &[Run] {
            let finished = self.runs.len() - usize::from(!is_last_over);
            &self.runs[..finished.max(1)]
        }

        fn report(&self, is_last_over: bool) -> Report {
            let runs = self.summarized(is_last_over);
            let drawn = self.runs.last().expect("a run");
            let layers = drawn.estimates[0].binned.len();
            // Per layer, the mean and spread over the summarized runs of one number.
            let over_runs = |read: &dyn Fn(&Run, usize) -> f64| -> Vec<(f64, f64)> {
                (0..layers)
                    .map(|layer| {
                        let values: Vec<f64> = runs.iter().map(|run| read(run, layer)).collect();
                        mean_and_spread(&values)
                    })
                    .collect()
            };
            let at_end = |noisy: bool, label: bool| {
                over_runs(&|run: &Run, layer| {
                    let at = run.estimates.last().expect("estimated").by(noisy)[layer];
                    if label { at.label } else { at.input }
                })
            };
            let binned_falls = over_runs(&|run: &Run, layer| run.falls(false)[layer]);
            let noisy_falls = over_runs(&|run: &Run, layer| run.falls(true)[layer]);
            let means = |pairs: &[(f64, f64)]| pairs.iter().map(|pair| pair.0).collect::<Vec<_>>();
            let spreads =
                |pairs: &[(f64, f64)]| pairs.iter().map(|pair| pair.1).collect::<Vec<_>>();
            let compressed_runs: Vec<f64> = (0..layers)
                .map(|layer| {
                    runs.iter()
                        .filter(|run| run.falls(false)[layer] >= FELL_BITS)
                        .count() as f64
                })
                .collect();
            let mut series = vec![
                Series::counted(metric::BINNED_INPUT, means(&at_end(false, false))),
                Series::counted(metric::BINNED_LABEL, means(&at_end(false, true))),
                Series::counted(metric::NOISY_INPUT, means(&at_end(true, false))),
                Series::counted(metric::NOISY_LABEL, means(&at_end(true, true))),
                Series::counted(metric::BINNED_FALL, means(&binned_falls)),
                Series::counted(metric::BINNED_FALL_SPREAD, spreads(&binned_falls)),
                Series::counted(metric::NOISY_FALL, means(&noisy_falls)),
                Series::counted(metric::NOISY_FALL_SPREAD, spreads(&noisy_falls)),
                Series::counted(metric::COMPRESSED_RUNS, compressed_runs),
                Series {
                    name: ESTIMATE_STEPS.into(),
                    points: drawn
                        .estimates
                        .iter()
                        .enumerate()
                        .map(|(index, estimate)| (index as f64, estimate.step as f64))
                        .collect(),
                },
                Series {
                    name: ACCURACY_CURVE.into(),
                    points: drawn.accuracies.clone(),
                },
            ];
            for layer in 0..layers {
                let plane = |noisy: bool| -> Vec<Point> {
                    drawn
                        .estimates
                        .iter()
                        .map(|estimate| {
                            let at = estimate.by(noisy)[layer];
                            (at.input, at.label)
                        })
                        .collect()
                };
                series.push(Series {
                    name: binned_plane(layer + 1),
                    points: plane(false),
                });
                series.push(Series {
                    name: noisy_plane(layer + 1),
                    points: plane(true),
                });
            }
            let compressed = binned_falls
                .iter()
                .filter(|(mean, _)| *mean >= FELL_BITS)
                .count();
            let mut metrics = vec![
                (metric::LAYERS_COMPRESSED.to_owned(), compressed as f64),
                (
                    metric::RUNS.to_owned(),
                    (self.runs.len() - usize::from(!is_last_over)) as f64,
                ),
                (metric::DRAWN_SEED.to_owned(), drawn.seed as f64),
            ];
            let accuracies: Vec<f64> = runs
                .iter()
                .filter_map(|run| run.accuracies.last().map(|point| point.1))
                .collect();
            let (accuracy, accuracy_spread) = mean_and_spread(&accuracies);
            metrics.push((metric::TEST_ACCURACY.into(), accuracy));
            metrics.push((metric::TEST_ACCURACY_SPREAD.into(), accuracy_spread));
            if let Some(&(_, loss)) = drawn.losses.last() {
                metrics.push((metric::TRAIN_LOSS.into(), loss));
            }
            let trained: u64 = self.runs.iter().map(|run| run.done).sum();
            if trained > 0 {
                metrics.push((
                    metric::STEPS_PER_SECOND.into(),
                    trained as f64 / self.training_seconds.max(1e-9),
                ));
            }
            let finished = self.runs.len() as u64 - 1;
            Report {
                progress: finished * self.steps + drawn.done,
                total: self.seeds as u64 * self.steps,
                metrics,
                series,
                ..Report::default()
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use crate::session::{assert_one_finite_entry_per_layer, list, run_to_done};

        use super::super::{FELL_BITS, binned_plane, metric};

        #[test]
        fn tanh_layers_compress_on_the_binned_plane_and_relu_layers_do_not() {
            let tanh = run_to_done("information-plane", &[("seeds", "1"), ("seed", "1")]);
            let relu = run_to_done(
                "information-plane",
                &[("activation", "relu"), ("seeds", "1"), ("seed", "1")],
            );
            for report in [&tanh, &relu] {
                assert_eq!(report.progress, 1_500);
                let names = [
                    metric::BINNED_INPUT,
                    metric::BINNED_LABEL,
                    metric::NOISY_INPUT,
                    metric::NOISY_LABEL,
                    metric::BINNED_FALL,
                    metric::NOISY_FALL,
                ];
                assert_one_finite_entry_per_layer(report, &names, 3);
                // Both learn the digits (measured: 0.955 with tanh, 0.935 with relu).
                let accuracy = report.metric(metric::TEST_ACCURACY).unwrap();
                assert!(accuracy > 0.9, "{accuracy}");
                // X is uniform over 600 digits: no estimate of I(X;T) can pass log₂ 600, and
                // I(T;Y) cannot pass H(Y) ≤ log₂ 10.
                for value in list(report, metric::BINNED_INPUT)
                    .into_iter()
                    .chain(list(report, metric::NOISY_INPUT))
                {
                    assert!((0.0..=600f64.log2() + 1e-9).contains(&value), "{value}");
                }
                for value in list(report, metric::BINNED_LABEL) {
                    assert!((0.0..=10f64.log2() + 1e-9).contains(&value), "{value}");
                }
                // One point per estimate on each layer's trajectory: 40 and the first.
                assert_eq!(report.series(&binned_plane(3)).unwrap().points.len(), 41);
            }
            // With tanh, the last layer's binned I(X;T) peaks and then falls by over a bit
            // (measured: 1.51); with relu it stays within a few hundredths of its peak
            // (measured: 0.02), in every layer.
            let tanh_falls = list(&tanh, metric::BINNED_FALL);
            assert!(tanh_falls[2] > 2.0 * FELL_BITS, "{tanh_falls:?}");
            assert!(tanh.metric(metric::LAYERS_COMPRESSED).unwrap() >= 1.0);
            let relu_falls = list(&relu, metric::BINNED_FALL);
            assert!(
                relu_falls.iter().all(|&fall| fall < FELL_BITS),
                "{relu_falls:?}"
            );
            assert_eq!(relu.metric(metric::LAYERS_COMPRESSED), Some(0.0));
        }

        #[test]
        fn the_numbers_are_means_over_the_seeds_runs_and_the_planes_draw_the_last() {
            let short = [("steps", "300"), ("widths", "32-16-8"), ("bins", "5")];
            let with = |seeds: &str, seed: &str| {
                let mut pairs = short.to_vec();
                pairs.extend([("seeds", seeds), ("seed", seed)]);
                run_to_done("information-plane", &pairs)
            };
            let (both, third, fourth) = (with("2", "3"), with("1", "3"), with("1", "4"));
            assert_eq!((both.progress, both.total), (600, 600));
            assert_eq!(both.metric(metric::RUNS), Some(2.0));
            assert_eq!(both.metric(metric::DRAWN_SEED), Some(4.0));
            let binned_plane_3 = binned_plane(3);
            assert_eq!(both.series(&binned_plane_3), fourth.series(&binned_plane_3));
            // Each mean and spread from the two single-seed runs: the mean, and for two
            // values the sample standard deviation |a − b|/√2.
            let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
            for (mean, spread) in [
                (metric::BINNED_FALL, metric::BINNED_FALL_SPREAD),
                (metric::NOISY_FALL, metric::NOISY_FALL_SPREAD),
            ] {
                let (a, b) = (list(&third, mean), list(&fourth, mean));
                for ((both_mean, both_spread), (a, b)) in list(&both, mean)
                    .into_iter()
                    .zip(list(&both, spread))
                    .zip(a.into_iter().zip(b))
                {
                    assert!(close(both_mean, (a + b) / 2.0), "{mean}");
                    assert!(close(both_spread, (a - b).abs() / 2f64.sqrt()), "{spread}");
                }
            }
            let accuracies = [&third, &fourth].map(|report| {
                assert_eq!(report.metric(metric::TEST_ACCURACY_SPREAD), Some(0.0));
                report.metric(metric::TEST_ACCURACY).unwrap()
            });
            let accuracy = both.metric(metric::TEST_ACCURACY).unwrap();
            assert!(close(accuracy, (accuracies[0] + accuracies[1]) / 2.0));
            // A layer counts a run as compressed when that run's fall reached half a bit
            // (measured, 5 bins: the last layer fell 0.94 bits with seed 3, 0.42 with seed 4).
            let counted: Vec<f64> = list(&third, metric::BINNED_FALL)
                .into_iter()
                .zip(list(&fourth, metric::BINNED_FALL))
                .map(|(a, b)| f64::from(u8::from(a >= FELL_BITS) + u8::from(b >= FELL_BITS)))
                .collect();
            assert_eq!(list(&both, metric::COMPRESSED_RUNS), counted);
            assert!(counted.iter().any(|&count| count > 0.0), "{counted:?}");
        }

        #[test]
        fn a_seed_gives_the_same_run() {
            let pairs = [
                ("steps", "60"),
                ("widths", "16-8-4"),
                ("seeds", "1"),
                ("seed", "5"),
            ];
            let (first, second) = (
                run_to_done("information-plane", &pairs),
                run_to_done("information-plane", &pairs),
            );
            assert_eq!(first.series, second.series);
            let other = run_to_done(
                "information-plane",
                &[
                    ("steps", "60"),
                    ("widths", "16-8-4"),
                    ("seeds", "1"),
                    ("seed", "6"),
                ],
            );
            assert_ne!(first.series, other.series);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_width_option_reads_and_a_fall_is_measured_from_the_peak() {
        let ParamKind::Choice { options, .. } = WIDTHS.kind else {
            panic!("widths is a choice");
        };
        for option in options {
            assert!(
                widths(option).is_some_and(|widths| !widths.is_empty()),
                "{option}"
            );
        }
        assert_eq!(widths("32-16-8"), Some(vec![32, 16, 8]));
        assert_eq!(widths("8-0"), None);
        assert_eq!(widths("8-"), None);
        assert_eq!(fall_from_peak(&[1.0, 3.0, 2.5]), 0.5);
        assert_eq!(fall_from_peak(&[3.0, 2.996]), 0.0);
        assert_eq!(fall_from_peak(&[3.0, 2.006]), 0.99);
        assert_eq!(fall_from_peak(&[1.0, 2.0]), 0.0);
        assert_eq!(fall_from_peak(&[]), 0.0);
    }
}
