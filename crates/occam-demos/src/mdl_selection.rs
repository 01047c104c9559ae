//! Demo `mdl-selection`: does the shortest description pick the network that generalizes
//! best? Classifiers of the 8×8 digits with one hidden layer of several widths train on a
//! training split. For each: its two-part code length (parameters rounded to b bits, b chosen
//! to make the total shortest, plus the training labels' code given that model), its
//! prequential code length (Blier and Ollivier 2018: each block of labels coded by a network
//! trained on the blocks before it), its test accuracy, and Occam's bound on its test error from
//! the two-part length. Then, for the widest network, test accuracy against the bits each
//! number keeps and against the fraction of weights removed: what "most parameters are
//! redundant" can mean in numbers.

use crate::information_plane::ACTIVATION;
use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

pub const TRAIN: ParamSpec = ParamSpec {
    name: "train",
    label: "training digits",
    help: "how many digits every network learns from (of 1,198): fewer make parameters dearer against the data",
    kind: ParamKind::Int {
        min: 100,
        max: 1_198,
        default: 300,
    },
};

pub const SEEDS: ParamSpec = ParamSpec {
    name: "seeds",
    label: "seeds",
    help: "runs, from seed, seed + 1, …, each drawing its own training digits: every number is a mean over them",
    kind: ParamKind::Int {
        min: 1,
        max: 10,
        default: 4,
    },
};

pub const STEPS: ParamSpec = ParamSpec {
    name: "steps-per-network",
    label: "steps per network",
    help: "Adam steps for every network trained (five per width: one on all the training digits, four for the prequential code)",
    kind: ParamKind::Int {
        min: 20,
        max: 5_000,
        default: 250,
    },
};

/// The hidden widths compared, one hidden layer each.
pub const WIDTHS: [usize; 6] = [2, 4, 8, 16, 32, 64];
/// The bits a number may keep in the two-part code (the shortest total is chosen).
pub const BITS: std::ops::RangeInclusive<u32> = 2..=12;
/// Bits to name each tensor's scale (an f32) and the chosen b.
pub const SCALE_BITS: f64 = 32.0;
pub const B_BITS: f64 = 4.0;
/// The confidence of Occam's bound: it holds with probability at least 1 − δ.
pub const DELTA: f64 = 0.05;
/// Bits per number on the quantization curve, and fractions of weights removed on the pruning
/// curve.
pub const CURVE_BITS: [u32; 8] = [2, 3, 4, 5, 6, 8, 12, 16];
pub const CURVE_PRUNED: [f64; 8] = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99];

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
///
/// Every number is a mean over the seeds' runs (per width, over the runs that have measured it).
pub mod metric {
    /// Per width (in [`super::WIDTHS`]' order): bits of the two-part code, of its first part
    /// (the parameters) and its second (the labels), the prequential code, the test accuracy,
    /// the bits each number keeps, and Occam's bound on the test error.
    pub const TWO_PART: &str = "two-part-bits";
    pub const MODEL_BITS: &str = "model-bits";
    pub const DATA_BITS: &str = "data-bits";
    pub const PREQUENTIAL: &str = "prequential-bits";
    pub const TEST_ACCURACY: &str = "test-accuracy";
    pub const BITS_PER_NUMBER: &str = "bits-per-number";
    pub const OCCAM_BOUND: &str = "occam-bound";
    pub const TEST_ERROR: &str = "test-error";
    /// Per width: the spreads over the runs (sample standard deviations) of the two-part code,
    /// the prequential code and the test accuracy.
    pub const TWO_PART_SPREAD: &str = "two-part-spread";
    pub const PREQUENTIAL_SPREAD: &str = "prequential-spread";
    pub const TEST_ACCURACY_SPREAD: &str = "test-accuracy-spread";
    /// The runs finished.
    pub const RUNS: &str = "runs-finished";
    /// The widths each criterion picks (from the means).
    pub const TWO_PART_PICK: &str = "two-part-pick";
    pub const PREQUENTIAL_PICK: &str = "prequential-pick";
    pub const TEST_PICK: &str = "test-pick";
    /// The labels sent with no model at all: log₂ 10 bits each.
    pub const UNIFORM_BITS: &str = "uniform-bits";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "mdl-selection",
    title: "Which network does the shortest code pick?",
    params: &[ACTIVATION, TRAIN, STEPS, SEEDS, SEED],
    metrics: &[
        MetricSpec::list(
            metric::TWO_PART,
            "two-part code by hidden width, bits (2, 4, 8, 16, 32, 64), mean over seeds",
            0,
        ),
        MetricSpec::list(
            metric::TWO_PART_SPREAD,
            "its spread over seeds (standard deviation)",
            0,
        ),
        MetricSpec::list(
            metric::MODEL_BITS,
            "its first part: the parameters, bits",
            0,
        ),
        MetricSpec::list(
            metric::DATA_BITS,
            "its second part: the labels given the model, bits",
            0,
        ),
        MetricSpec::list(metric::PREQUENTIAL, "prequential code by width, bits", 0),
        MetricSpec::list(
            metric::PREQUENTIAL_SPREAD,
            "its spread over seeds (standard deviation)",
            0,
        ),
        MetricSpec::list(metric::TEST_ACCURACY, "test accuracy by width", 3),
        MetricSpec::list(
            metric::TEST_ACCURACY_SPREAD,
            "its spread over seeds (standard deviation)",
            3,
        ),
        MetricSpec::list(metric::BITS_PER_NUMBER, "bits per number, chosen", 1),
        MetricSpec::list(
            metric::OCCAM_BOUND,
            "Occam's bound on the test error (δ = 0.05)",
            2,
        ),
        MetricSpec::list(metric::TEST_ERROR, "measured test error", 3),
        MetricSpec::new(metric::TWO_PART_PICK, "width the two-part code picks", 0),
        MetricSpec::new(
            metric::PREQUENTIAL_PICK,
            "width the prequential code picks",
            0,
        ),
        MetricSpec::new(metric::TEST_PICK, "width with the best test accuracy", 0),
        MetricSpec::new(metric::UNIFORM_BITS, "the labels with no model, bits", 0),
        MetricSpec::new(metric::RUNS, "seeds finished", 0),
    ],
    uses_tensors: true,
    on_page: None,
    workload_params: &["train"],
};

/// Test accuracy of the widest network by bits per number ((bits, accuracy)).
pub const QUANTIZED_CURVE: &str = "quantized-accuracy";
/// Test accuracy of the widest network by the fraction of weights removed.
pub const PRUNED_CURVE: &str = "pruned-accuracy";

/// Where the prequential code's blocks end, for `n` examples: a first block of about n/16,
/// then each block as long as everything before it (Blier and Ollivier's doubling schedule),
/// the last taking in a remainder shorter than itself.
pub fn block_ends(n: usize) -> Vec<usize> {
    let mut ends = vec![(n / 16).max(1)];
    while let Some(&last) = ends.last() {
        if last >= n {
            break;
        }
        let next = 2 * last;
        ends.push(if n.saturating_sub(next) < next {
            n
        } else {
            next
        });
    }
    ends
}

/// The index of the smallest (or largest, `highest`) value; the first among equals.
pub fn pick(values: &[f64], highest: bool) -> Option<usize> {
    values
        .iter()
        .enumerate()
        .filter(|(_, value)| value.is_finite())
        .fold(None, |best: Option<(usize, f64)>, (index, &value)| {
            let better =
                best.is_none_or(|(_, top)| if highest { value > top } else { value < top });
            if better { Some((index, value)) } else { best }
        })
        .map(|(index, _)| index)
}

#[cfg(feature = "session")]
pub use run::MdlSelection;

#[cfg(feature = "session")]
mod run {
    use occam_core::burn::prelude::Device;
    use occam_core::classifier::{
        Activation, Classifier, ClassifierConfig, ClassifierTrainer, Parameters, accuracy,
        label_bits,
    };
    use occam_core::digits::{Digits, Labelled};
    use occam_core::information::{occam_bound, prequential_bits};
    use occam_core::rng::seeded;
    use rand::seq::SliceRandom;
    use rand::seq::index::sample;

    use super::{
        B_BITS, BITS, CURVE_BITS, CURVE_PRUNED, DELTA, PRUNED_CURVE, QUANTIZED_CURVE, SCALE_BITS,
        SEEDS, STEPS, TRAIN, WIDTHS, block_ends, metric, pick,
    };
    use crate::information_plane::ACTIVATION;
    use crate::layer_rates::mean_and_spread;
    use crate::params::Values;
    use crate::protocol::{Point, Report, Series};
    use crate::run::{DemoError, DemoRun, Step, device_error};

    const CLASSES: usize = 10;
    const BATCH: usize = 64;

    /// What one width measured in one seed's run.
    #[derive(Debug, Clone, Default)]
    struct Width {
        two_part: f64,
        model_bits: f64,
        data_bits: f64,
        bits_per_number: f64,
        test_accuracy: f64,
        occam_bound: f64,
        /// −log₂ p of each label of the blocks after the first, in order.
        prequential: Vec<f64>,
    }

    /// One seed's run: its training digits, drawn with its seed, and every width trained on
    /// them, then the curves of the widest.
    struct Run {
        seed: u64,
        train: Labelled,
        /// Trainings done: width index × (1 + blocks after the first) + phase.
        done: usize,
        widths: Vec<Width>,
        /// The widest network as trained, and its parameters on the host.
        widest: Option<(Classifier, Parameters)>,
        quantized: Vec<Point>,
        pruned: Vec<Point>,
    }

    /// `seeds` runs, from `seed` on, one after the other; each width's numbers are means over
    /// the runs that have measured it.
    pub struct MdlSelection {
        device: Device,
        activation: Activation,
        /// Every training digit, from which each run draws its `n`.
        all: Labelled,
        test: Labelled,
        seed: u64,
        seeds: usize,
        n: usize,
        steps: u64,
        ends: Vec<usize>,
        /// Finished runs, then the one under way.
        runs: Vec<Run>,
    }

    impl std::fmt::Debug for MdlSelection {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("MdlSelection")
                .field("runs", &self.runs.len())
                .finish_non_exhaustive()
        }
    }

    impl DemoRun for MdlSelection {
        fn start(params: &Values, device: &Device) -> Result<Self, DemoError> {
            let digits =
                Digits::shipped().map_err(|error| DemoError::Invalid(error.to_string()))?;
            let (all, test) = digits.labelled().split_for_testing();
            let n = (params.int(TRAIN.name)? as usize).min(all.len());
            let mut demo = Self {
                device: device.clone(),
                activation: if params.choice(ACTIVATION.name)? == "tanh" {
                    Activation::Tanh
                } else {
                    Activation::Relu
                },
                all,
                test,
                seed: params.seed()?,
                seeds: params.int(SEEDS.name)? as usize,
                n,
                steps: params.int(STEPS.name)?,
                ends: block_ends(n),
                runs: Vec::new(),
            };
            demo.next_run();
            Ok(demo)
        }

        async fn advance(&mut self) -> Result<Step, DemoError> {
            let mut run = self.runs.pop().expect("a run under way");
            let phases = self.ends.len();
            let (width, phase) = (run.done / phases, run.done % phases);
            if phase == 0 {
                let measured = self.whole(&mut run, WIDTHS[width]).await?;
                run.widths.push(measured);
            } else {
                let bits = self.block(&run, WIDTHS[width], phase).await?;
                run.widths[width].prequential.extend(bits);
            }
            run.done += 1;
            let is_run_over = run.done >= WIDTHS.len() * phases;
            if is_run_over {
                self.curves(&mut run).await?;
            }
            self.runs.push(run);
            let is_done = is_run_over && self.runs.len() >= self.seeds;
            let report = self.report();
            if is_run_over && !is_done {
                self.next_run();
            }
            Ok(Step::new(report, is_done))
        }
    }

    impl MdlSelection {
        /// Starts the next seed's run: its `n` training digits drawn with its seed.
        fn next_run(&mut self) {
            let seed = self.seed.wrapping_add(self.runs.len() as u64);
            let mut order: Vec<usize> = (0..self.all.len()).collect();
            order.shuffle(&mut seeded(seed ^ 0x5ab1e));
            order.truncate(self.n);
            self.runs.push(Run {
                seed,
                train: self.all.gather(&order),
                done: 0,
                widths: Vec::new(),
                widest: None,
                quantized: Vec::new(),
                pruned: Vec::new(),
            });
        }

        fn config(&self, width: usize) -> ClassifierConfig {
            ClassifierConfig {
                input: self.all.dimension,
                widths: vec![width],
                classes: CLASSES,
                activation: self.activation,
            }
        }

        /// A network of `width` trained on the first `n` of the run's training digits.
        fn trained(&self, run: &Run, width: usize, n: usize) -> ClassifierTrainer {
            let mut trainer = ClassifierTrainer::new(self.config(width), &self.device, run.seed);
            let mut rng = seeded(run.seed ^ (n as u64));
            for step in 0..self.steps {
                let chosen = if n <= BATCH {
                    (0..n).collect()
                } else {
                    sample(&mut rng, n, BATCH).into_vec()
                };
                let batch = run.train.gather(&chosen);
                let rate = occam_core::schedule::cooled(1e-2, step, self.steps, self.steps / 2);
                let _ = trainer.step(batch.rows, &batch.labels, rate);
            }
            trainer
        }

        /// Trains `width` on every training digit of the run, and measures its two-part code
        /// (at the best b), its test accuracy and Occam's bound.
        async fn whole(&self, run: &mut Run, width: usize) -> Result<Width, DemoError> {
            let n = run.train.len();
            let trainer = self.trained(run, width, n);
            let (model, device) = trainer.model();
            let parameters = model.parameter_values().await.map_err(device_error)?;
            let input = run.train.dimension;
            let tensors = (parameters.weights.len() + parameters.biases.len()) as f64;
            let mut best: Option<(f64, f64, f64, u32, f64)> = None;
            for bits in BITS {
                let rounded = model.with_parameter_values(&parameters.quantized(bits), device);
                let logits = rounded
                    .logits(run.train.rows.clone(), input, device)
                    .await
                    .map_err(device_error)?;
                let data_bits: f64 = label_bits(&logits, CLASSES, &run.train.labels).iter().sum();
                let model_bits =
                    parameters.count() as f64 * f64::from(bits) + SCALE_BITS * tensors + B_BITS;
                let train_error = 1.0 - accuracy(&logits, CLASSES, &run.train.labels);
                let total = model_bits + data_bits;
                if best.is_none_or(|(top, ..)| total < top) {
                    best = Some((total, model_bits, data_bits, bits, train_error));
                }
            }
            let (two_part, model_bits, data_bits, bits, train_error) =
                best.expect("at least one b");
            let logits = model
                .logits(self.test.rows.clone(), input, device)
                .await
                .map_err(device_error)?;
            let test_accuracy = accuracy(&logits, CLASSES, &self.test.labels);
            if width == WIDTHS[WIDTHS.len() - 1] {
                run.widest = Some((model.clone(), parameters));
            }
            Ok(Width {
                two_part,
                model_bits,
                data_bits,
                bits_per_number: f64::from(bits),
                test_accuracy,
                occam_bound: occam_bound(train_error, model_bits, n, DELTA),
                prequential: Vec::new(),
            })
        }

        /// The prequential code of block `block` (1, 2, …): a network trained on the digits
        /// before it codes its labels.
        async fn block(
            &self,
            run: &Run,
            width: usize,
            block: usize,
        ) -> Result<Vec<f64>, DemoError> {
            let (start, end) = (self.ends[block - 1], self.ends[block]);
            let trainer = self.trained(run, width, start);
            let (model, device) = trainer.model();
            let dimension = run.train.dimension;
            let rows = run.train.rows[start * dimension..end * dimension].to_vec();
            let logits = model
                .logits(rows, dimension, device)
                .await
                .map_err(device_error)?;
            Ok(label_bits(&logits, CLASSES, &run.train.labels[start..end]))
        }

        /// The widest network's test accuracy, rounded to fewer bits and pruned.
        async fn curves(&self, run: &mut Run) -> Result<(), DemoError> {
            let Some((model, parameters)) = run.widest.take() else {
                return Ok(());
            };
            let device = &self.device;
            let input = self.test.dimension;
            let accuracy_of = async |parameters: &Parameters| -> Result<f64, DemoError> {
                let logits = model
                    .with_parameter_values(parameters, device)
                    .logits(self.test.rows.clone(), input, device)
                    .await
                    .map_err(device_error)?;
                Ok(accuracy(&logits, CLASSES, &self.test.labels))
            };
            for bits in CURVE_BITS {
                run.quantized.push((
                    f64::from(bits),
                    accuracy_of(&parameters.quantized(bits)).await?,
                ));
            }
            for fraction in CURVE_PRUNED {
                run.pruned
                    .push((fraction, accuracy_of(&parameters.pruned(fraction)).await?));
            }
            Ok(())
        }

        /// A run's prequential code of each width whose blocks are all coded.
        fn prequential(&self, run: &Run) -> Vec<Option<f64>> {
            let blocks_coded = self.n - self.ends[0];
            run.widths
                .iter()
                .map(|measured| {
                    (measured.prequential.len() == blocks_coded).then(|| {
                        let probabilities: Vec<f64> = measured
                            .prequential
                            .iter()
                            .map(|bits| (-bits).exp2())
                            .collect();
                        prequential_bits(self.ends[0], CLASSES, &probabilities)
                    })
                })
                .collect()
        }

        fn report(&self) -> Report {
            // Per width, the mean and spread of one number over the runs that measured it; the
            // widths no run has reached yet are left out.
            let over_runs = |read: &dyn Fn(usize, usize) -> Option<f64>| -> Vec<(f64, (f64, f64))> {
                WIDTHS
                    .iter()
                    .enumerate()
                    .filter_map(|(index, &width)| {
                        let values: Vec<f64> = (0..self.runs.len())
                            .filter_map(|run| read(run, index))
                            .collect();
                        (!values.is_empty()).then(|| (width as f64, mean_and_spread(&values)))
                    })
                    .collect()
            };
            let of_width = |read: fn(&Width) -> f64| {
                over_runs(&|run, index| self.runs[run].widths.get(index).map(read))
            };
            let prequentials: Vec<Vec<Option<f64>>> =
                self.runs.iter().map(|run| self.prequential(run)).collect();
            let prequential =
                over_runs(&|run, index| prequentials[run].get(index).copied().flatten());
            // Per width, the mean or the spread of (mean, spread) pairs.
            let column =
                |name: &str, values: &[(f64, (f64, f64))], part: fn((f64, f64)) -> f64| Series {
                    name: name.to_owned(),
                    points: values
                        .iter()
                        .map(|&(width, pair)| (width, part(pair)))
                        .collect(),
                };
            let means = |name: &str, values: &[(f64, (f64, f64))]| column(name, values, |p| p.0);
            let spreads = |name: &str, values: &[(f64, (f64, f64))]| column(name, values, |p| p.1);
            let two_part = of_width(|w| w.two_part);
            let test_accuracy = of_width(|w| w.test_accuracy);
            let test_error = of_width(|w| 1.0 - w.test_accuracy);
            // The curves: per point, the mean over the runs that drew them.
            let curve = |read: fn(&Run) -> &Vec<Point>| -> Vec<Point> {
                let drawn: Vec<&Vec<Point>> = self
                    .runs
                    .iter()
                    .map(read)
                    .filter(|points| !points.is_empty())
                    .collect();
                let Some(first) = drawn.first() else {
                    return Vec::new();
                };
                (0..first.len())
                    .map(|index| {
                        let values: Vec<f64> = drawn.iter().map(|points| points[index].1).collect();
                        (first[index].0, mean_and_spread(&values).0)
                    })
                    .collect()
            };
            let series = vec![
                means(metric::TWO_PART, &two_part),
                spreads(metric::TWO_PART_SPREAD, &two_part),
                means(metric::MODEL_BITS, &of_width(|w| w.model_bits)),
                means(metric::DATA_BITS, &of_width(|w| w.data_bits)),
                means(metric::TEST_ACCURACY, &test_accuracy),
                spreads(metric::TEST_ACCURACY_SPREAD, &test_accuracy),
                means(metric::TEST_ERROR, &test_error),
                means(metric::BITS_PER_NUMBER, &of_width(|w| w.bits_per_number)),
                means(metric::OCCAM_BOUND, &of_width(|w| w.occam_bound)),
                means(metric::PREQUENTIAL, &prequential),
                spreads(metric::PREQUENTIAL_SPREAD, &prequential),
                Series {
                    name: QUANTIZED_CURVE.to_owned(),
                    points: curve(|run| &run.quantized),
                },
                Series {
                    name: PRUNED_CURVE.to_owned(),
                    points: curve(|run| &run.pruned),
                },
            ];
            let finished = self
                .runs
                .iter()
                .filter(|run| !run.pruned.is_empty())
                .count();
            let mut metrics = vec![
                (
                    metric::UNIFORM_BITS.to_owned(),
                    self.n as f64 * (CLASSES as f64).log2(),
                ),
                (metric::RUNS.to_owned(), finished as f64),
            ];
            let picked = |values: &[(f64, (f64, f64))], highest: bool| {
                let numbers: Vec<f64> = values.iter().map(|value| value.1.0).collect();
                pick(&numbers, highest).map(|index| values[index].0)
            };
            if let Some(width) = picked(&two_part, false) {
                metrics.push((metric::TWO_PART_PICK.to_owned(), width));
            }
            if let Some(width) = picked(&test_accuracy, true) {
                metrics.push((metric::TEST_PICK.to_owned(), width));
            }
            if prequential.len() == WIDTHS.len()
                && let Some(width) = picked(&prequential, false)
            {
                metrics.push((metric::PREQUENTIAL_PICK.to_owned(), width));
            }
            let per_run = (WIDTHS.len() * self.ends.len()) as u64;
            let trainings: u64 = self.runs.iter().map(|run| run.done as u64).sum();
            Report {
                progress: trainings * self.steps,
                total: self.seeds as u64 * per_run * self.steps,
                metrics,
                series,
                ..Report::default()
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use crate::session::{list, run_to_done};

        use super::super::{PRUNED_CURVE, QUANTIZED_CURVE, metric};

        #[test]
        fn prequential_codes_are_short_two_part_codes_long_and_occams_bound_vacuous() {
            let report = run_to_done("mdl-selection", &[("seeds", "1"), ("seed", "1")]);
            let (two_part, model, data, bits) = (
                list(&report, metric::TWO_PART),
                list(&report, metric::MODEL_BITS),
                list(&report, metric::DATA_BITS),
                list(&report, metric::BITS_PER_NUMBER),
            );
            assert_eq!(two_part.len(), 6);
            for (index, width) in [2.0, 4.0, 8.0, 16.0, 32.0, 64.0].into_iter().enumerate() {
                // (64 + 1)·w weights and biases into the hidden layer, (w + 1)·10 out; four
                // tensors, each with a 32-bit scale, and 4 bits to say b.
                let parameters = 65.0 * width + (width + 1.0) * 10.0;
                assert_eq!(model[index], parameters * bits[index] + 4.0 * 32.0 + 4.0);
                assert!((two_part[index] - model[index] - data[index]).abs() < 1e-9);
            }
            // 300 labels with no model: 300 log₂ 10 bits.
            let uniform = report.metric(metric::UNIFORM_BITS).unwrap();
            assert!((uniform - 300.0 * 10f64.log2()).abs() < 1e-9);
            // Measured (seed 1): the prequential code of every width is shorter than its
            // two-part code (266 against 5,507 bits at width 32), and from width 8 on shorter
            // than the uniform code; no two-part code is (its parameters cost too much at 300
            // digits), so it picks the smallest network, 2, while the prequential code picks
            // the width with the best test accuracy.
            let prequential = list(&report, metric::PREQUENTIAL);
            for (prequential, two_part) in prequential.iter().zip(&two_part) {
                assert!(prequential < two_part, "{prequential} against {two_part}");
                // The first block (18 labels) goes uniformly.
                assert!(*prequential > 18.0 * 10f64.log2());
            }
            assert!(two_part.iter().all(|&bits| bits > uniform), "{two_part:?}");
            assert!(
                prequential[2..].iter().all(|&bits| bits < uniform),
                "{prequential:?}"
            );
            assert_eq!(report.metric(metric::TWO_PART_PICK), Some(2.0));
            assert_eq!(
                report.metric(metric::PREQUENTIAL_PICK),
                report.metric(metric::TEST_PICK)
            );
            // Occam's bound says nothing here: above 1 for every width.
            let bounds = list(&report, metric::OCCAM_BOUND);
            assert!(bounds.iter().all(|&bound| bound > 1.0), "{bounds:?}");
            // The widest network keeps its accuracy at 4 bits a number (within 0.01 of 16
            // bits) and loses over 0.2 with nine weights in ten removed.
            let quantized = report.series(QUANTIZED_CURVE).unwrap().points.clone();
            let at = |bits: f64| quantized.iter().find(|p| p.0 == bits).unwrap().1;
            assert!((at(4.0) - at(16.0)).abs() < 0.01, "{quantized:?}");
            let pruned = report.series(PRUNED_CURVE).unwrap().points.clone();
            let kept = |fraction: f64| pruned.iter().find(|p| p.0 == fraction).unwrap().1;
            assert!(kept(0.9) < kept(0.0) - 0.2, "{pruned:?}");
        }

        #[test]
        fn every_number_is_a_mean_over_the_seeds_runs() {
            let with = |seeds: &str, seed: &str| {
                let pairs = [
                    ("train", "100"),
                    ("steps-per-network", "30"),
                    ("seeds", seeds),
                    ("seed", seed),
                ];
                run_to_done("mdl-selection", &pairs)
            };
            let (both, third, fourth) = (with("2", "3"), with("1", "3"), with("1", "4"));
            assert_eq!(both.progress, third.progress + fourth.progress);
            assert_eq!(both.total, both.progress);
            assert_eq!(both.metric(metric::RUNS), Some(2.0));
            let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
            // Each mean and spread from the two single-seed runs: the mean, and for two
            // values the sample standard deviation |a − b|/√2.
            for (mean, spread) in [
                (metric::TWO_PART, Some(metric::TWO_PART_SPREAD)),
                (metric::PREQUENTIAL, Some(metric::PREQUENTIAL_SPREAD)),
                (metric::TEST_ACCURACY, Some(metric::TEST_ACCURACY_SPREAD)),
                (metric::OCCAM_BOUND, None),
                (QUANTIZED_CURVE, None),
                (PRUNED_CURVE, None),
            ] {
                let (a, b) = (list(&third, mean), list(&fourth, mean));
                let means = list(&both, mean);
                assert_eq!(means.len(), a.len(), "{mean}");
                for (index, (a, b)) in a.iter().zip(&b).enumerate() {
                    assert!(close(means[index], (a + b) / 2.0), "{mean}");
                    if let Some(spread) = spread {
                        let spread = list(&both, spread)[index];
                        assert!(close(spread, (a - b).abs() / 2f64.sqrt()), "{mean}");
                    }
                }
            }
            // The picks come from the means: the width with the shortest mean two-part code.
            let two_part = list(&both, metric::TWO_PART);
            let shortest = two_part
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(b.1))
                .map(|(index, _)| [2.0, 4.0, 8.0, 16.0, 32.0, 64.0][index]);
            assert_eq!(both.metric(metric::TWO_PART_PICK), shortest);
        }

        #[test]
        fn a_seed_gives_the_same_run() {
            let pairs = [("train", "100"), ("steps-per-network", "20"), ("seed", "4")];
            let first = run_to_done("mdl-selection", &pairs);
            assert_eq!(first.series, run_to_done("mdl-selection", &pairs).series);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_double_and_picks_take_the_first_best() {
        assert_eq!(block_ends(300), vec![18, 36, 72, 144, 300]);
        assert_eq!(block_ends(160), vec![10, 20, 40, 80, 160]);
        assert_eq!(block_ends(1_198), vec![74, 148, 296, 592, 1_198]);
        assert_eq!(block_ends(1), vec![1]);
        assert_eq!(pick(&[3.0, 1.0, 1.0, f64::NAN], false), Some(1));
        assert_eq!(pick(&[3.0, 1.0, 3.0], true), Some(0));
        assert_eq!(pick(&[], true), None);
    }
}
