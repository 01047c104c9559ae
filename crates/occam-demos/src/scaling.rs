//! Demo `scaling`: does a bigger model keep paying? Chapter 1's next-character network
//! ([`occam_core::charnet`]) at several hidden widths, each trained for the same number of steps
//! on the first nine tenths of a book and scored on its last tenth: held-out bits per character
//! against parameters, and beside it the two-part total, the parameters at the precision
//! chapter 1 sends them (16 bits each) plus the training text coded with the model.

use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

/// Chapters 1 to 20 of *Pride and Prejudice* (Jane Austen, 1813; public domain), from Project
/// Gutenberg's e-book #1342: one paragraph per line, the e-book's underscores (italics)
/// removed. 199,633 characters of 74 kinds.
#[cfg(feature = "session")]
pub const CORPUS: &str = include_str!("../data/pride-and-prejudice-1-20.txt");

/// Where the corpus comes from, for captions and the chapter.
pub const CORPUS_CREDIT: &str =
    "Jane Austen, Pride and Prejudice (1813), chapters 1 to 20, from Project Gutenberg";

pub const STEPS: ParamSpec = ParamSpec {
    name: "steps-per-size",
    label: "steps per size",
    help: "Adam steps for every size, each on 256 random positions of the training text: the same for all, as the claim compares sizes at equal training",
    kind: ParamKind::Int {
        min: 10,
        max: 20_000,
        default: 300,
    },
};

pub const SEEDS: ParamSpec = ParamSpec {
    name: "seeds-per-size",
    label: "seeds per size",
    help: "runs per size, from seed, seed + 1, …: their spread is how far one run's number can be trusted",
    kind: ParamKind::Int {
        min: 1,
        max: 10,
        default: 2,
    },
};

/// The hidden widths compared, smallest first; the embedding (16 per character) and the window
/// (8 characters) stay chapter 1's.
pub const SIZES: [usize; 7] = [2, 4, 8, 16, 32, 64, 128];
/// The last tenth of the text is held out.
pub const HELD_OUT_TENTHS: usize = 1;
/// Training positions scored to estimate the training text's code length (the same positions
/// for every size and seed).
pub const SAMPLE: usize = 16_384;
/// Positions per training batch (chapter 1's).
pub const BATCH: usize = 256;
/// Positions scored per tensor when measuring.
pub const CHUNK: usize = 4_096;

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    /// Per size (in [`super::SIZES`]' order; the series' x is the parameter count): the
    /// parameters, held-out bits per character (mean over seeds) and its spread (standard
    /// deviation), the training text's bits per character, and the two-part total with its
    /// parts, in bits.
    pub const PARAMETERS: &str = "parameters";
    pub const HELD_OUT: &str = "held-out-bits-per-char";
    pub const HELD_OUT_SPREAD: &str = "held-out-spread";
    pub const TRAINING: &str = "training-bits-per-char";
    pub const TWO_PART: &str = "two-part-bits";
    pub const MODEL_BITS: &str = "model-bits";
    pub const DATA_BITS: &str = "data-bits";
    /// The hidden width with the shortest two-part total, and with the fewest held-out bits.
    pub const TWO_PART_PICK: &str = "two-part-pick";
    pub const HELD_OUT_PICK: &str = "held-out-pick";
    /// What the last doubling of the width saved in held-out bits per character, mean over
    /// seeds (negative: it cost).
    pub const LAST_DOUBLING_GAIN: &str = "last-doubling-gain";
    /// The training text's length in characters, and the held-out text's.
    pub const TRAINING_CHARS: &str = "training-chars";
    pub const HELD_OUT_CHARS: &str = "held-out-chars";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "scaling",
    title: "Does bigger keep paying?",
    params: &[STEPS, SEEDS, SEED],
    metrics: &[
        MetricSpec::list(
            metric::HELD_OUT,
            "held-out bits per character by hidden width (2, 4, 8, 16, 32, 64, 128)",
            3,
        ),
        MetricSpec::list(
            metric::HELD_OUT_SPREAD,
            "its spread over seeds (standard deviation)",
            3,
        ),
        MetricSpec::list(metric::PARAMETERS, "parameters by width", 0),
        MetricSpec::list(
            metric::TWO_PART,
            "two-part total: parameters at 16 bits + training text, bits",
            0,
        ),
        MetricSpec::list(
            metric::TRAINING,
            "training text, bits per character (estimated)",
            3,
        ),
        MetricSpec::new(
            metric::TWO_PART_PICK,
            "width with the shortest two-part total",
            0,
        ),
        MetricSpec::new(
            metric::HELD_OUT_PICK,
            "width with the fewest held-out bits",
            0,
        ),
        MetricSpec::new(
            metric::LAST_DOUBLING_GAIN,
            "what the last doubling saved, bits per character",
            3,
        ),
    ],
    uses_tensors: true,
    on_page: None,
    workload_params: &["steps-per-size"],
};

#[cfg(feature = "session")]
pub use run::Scaling;

#[cfg(feature = "session")]
mod run {
    use occam_core::burn::prelude::Device;
    use occam_core::charnet::{BITS_PER_PARAMETER, CharNetConfig, CharNetTrainer, symbols};
    use occam_core::context::Alphabet;
    use occam_core::rng::seeded;
    use rand::seq::index::sample;

    use super::{BATCH, CHUNK, CORPUS, HELD_OUT_TENTHS, SAMPLE, SEEDS, SIZES, STEPS, metric};
    use crate::layer_rates::mean_and_spread;
    use crate::mdl_selection::pick;
    use crate::params::Values;
    use crate::protocol::{Report, Series};
    use crate::run::{DemoError, DemoRun, Step, read_loss, steps_in_group};

    /// Training steps between read-backs of the loss.
    const STEPS_PER_REPORT: u64 = 25;

    /// What one run (a size and a seed) measured, in bits per character.
    #[derive(Debug, Clone, Copy)]
    struct Measured {
        held_out: f64,
        training: f64,
    }

    /// One size's means over its seeds (bits per character, and bits for the two-part code).
    #[derive(Debug, Clone, Copy)]
    struct Row {
        parameters: f64,
        held_out: f64,
        spread: f64,
        training: f64,
        model_bits: f64,
        data_bits: f64,
    }

    /// A series' name and how a row gives its value.
    type Column = (&'static str, fn(&Row) -> f64);

    impl Row {
        fn two_part(&self) -> f64 {
            self.model_bits + self.data_bits
        }
    }

    /// Every size in turn, each over its seeds.
    pub struct Scaling {
        device: Device,
        symbols: Vec<u32>,
        alphabet: usize,
        /// Training positions are `0..split`, held-out ones `split..`.
        split: usize,
        sample: Vec<usize>,
        seed: u64,
        seeds: u64,
        steps: u64,
        /// Runs finished: size index × seeds + seed index.
        runs: usize,
        trainer: Option<CharNetTrainer>,
        trained: u64,
        /// Per size, one entry per seed run.
        measured: Vec<Vec<Measured>>,
    }

    impl std::fmt::Debug for Scaling {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Scaling")
                .field("runs", &self.runs)
                .field("trained", &self.trained)
                .finish_non_exhaustive()
        }
    }

    impl DemoRun for Scaling {
        fn start(params: &Values, device: &Device) -> Result<Self, DemoError> {
            let alphabet = Alphabet::of(CORPUS);
            let symbols = symbols(CORPUS, &alphabet);
            let split = symbols.len() - symbols.len() * HELD_OUT_TENTHS / 10;
            let mut sample = sample(&mut seeded(0x5ca1e), split, SAMPLE.min(split)).into_vec();
            sample.sort_unstable();
            Ok(Self {
                device: device.clone(),
                alphabet: alphabet.len(),
                symbols,
                split,
                sample,
                seed: params.seed()?,
                seeds: params.int(SEEDS.name)?,
                steps: params.int(STEPS.name)?,
                runs: 0,
                trainer: None,
                trained: 0,
                measured: Vec::new(),
            })
        }

        /// A group of training steps of the current run; at its last step, the run's scores.
        async fn advance(&mut self) -> Result<Step, DemoError> {
            let seeds = self.seeds as usize;
            let size = SIZES[self.runs / seeds];
            let seed = self.seed.wrapping_add((self.runs % seeds) as u64);
            let trainer = self.trainer.get_or_insert_with(|| {
                CharNetTrainer::new(
                    &self.device,
                    &self.symbols,
                    self.alphabet,
                    size,
                    BATCH,
                    seed,
                )
                .training_before(self.split)
            });
            let group = steps_in_group(self.trained, self.steps, STEPS_PER_REPORT);
            let mut loss = None;
            for _ in 0..group {
                loss = Some(trainer.step());
            }
            self.trained += group;
            if let Some(loss) = loss {
                read_loss(loss, self.trained).await?;
            }
            if self.trained >= self.steps {
                let held_out: Vec<usize> = (self.split..self.symbols.len()).collect();
                let per_char = async |positions: &[usize]| -> Result<f64, DemoError> {
                    let nats = read_loss(trainer.nats_at(positions, CHUNK), self.trained).await?;
                    Ok(nats / positions.len().max(1) as f64 / std::f64::consts::LN_2)
                };
                let measured = Measured {
                    held_out: per_char(&held_out).await?,
                    training: per_char(&self.sample).await?,
                };
                if self.runs.is_multiple_of(seeds) {
                    self.measured.push(Vec::new());
                }
                if let Some(runs) = self.measured.last_mut() {
                    runs.push(measured);
                }
                self.trainer = None;
                self.trained = 0;
                self.runs += 1;
            }
            let is_done = self.runs >= SIZES.len() * seeds;
            Ok(Step::new(self.report(), is_done))
        }
    }

    impl Scaling {
        fn parameters(&self, size: usize) -> usize {
            CharNetConfig::new(self.alphabet, size).parameter_count()
        }

        fn report(&self) -> Report {
            let seeds = self.seeds as usize;
            let training_chars = self.split as f64;
            // Sizes with every seed run: their means and spreads.
            let rows: Vec<Row> = SIZES
                .iter()
                .zip(&self.measured)
                .filter(|(_, runs)| runs.len() == seeds)
                .map(|(&size, runs)| {
                    let mean_of = |read: fn(&Measured) -> f64| {
                        mean_and_spread(&runs.iter().map(read).collect::<Vec<_>>())
                    };
                    let (held_out, spread) = mean_of(|m| m.held_out);
                    let (training, _) = mean_of(|m| m.training);
                    let parameters = self.parameters(size) as f64;
                    Row {
                        parameters,
                        held_out,
                        spread,
                        training,
                        model_bits: parameters * f64::from(BITS_PER_PARAMETER),
                        data_bits: training * training_chars,
                    }
                })
                .collect();
            let columns: [Column; 7] = [
                (metric::PARAMETERS, |row| row.parameters),
                (metric::HELD_OUT, |row| row.held_out),
                (metric::HELD_OUT_SPREAD, |row| row.spread),
                (metric::TRAINING, |row| row.training),
                (metric::TWO_PART, Row::two_part),
                (metric::MODEL_BITS, |row| row.model_bits),
                (metric::DATA_BITS, |row| row.data_bits),
            ];
            let mut metrics = vec![
                (metric::TRAINING_CHARS.to_owned(), training_chars),
                (
                    metric::HELD_OUT_CHARS.to_owned(),
                    (self.symbols.len() - self.split) as f64,
                ),
            ];
            if rows.len() == SIZES.len() {
                let two_part: Vec<f64> = rows.iter().map(Row::two_part).collect();
                let held_out: Vec<f64> = rows.iter().map(|row| row.held_out).collect();
                if let Some(index) = pick(&two_part, false) {
                    metrics.push((metric::TWO_PART_PICK.to_owned(), SIZES[index] as f64));
                }
                if let Some(index) = pick(&held_out, false) {
                    metrics.push((metric::HELD_OUT_PICK.to_owned(), SIZES[index] as f64));
                }
                if let [.., before, last] = held_out[..] {
                    metrics.push((metric::LAST_DOUBLING_GAIN.to_owned(), before - last));
                }
            }
            Report {
                progress: self.runs as u64 * self.steps + self.trained,
                total: (SIZES.len() * seeds) as u64 * self.steps,
                metrics,
                series: columns
                    .into_iter()
                    .map(|(name, read)| Series {
                        name: name.to_owned(),
                        points: rows.iter().map(|row| (row.parameters, read(row))).collect(),
                    })
                    .collect(),
                ..Report::default()
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use crate::session::{list, run_to_done};

        use super::super::metric;

        #[test]
        fn bigger_keeps_paying_on_held_out_text_while_the_two_part_total_picks_a_middle_size() {
            let report = run_to_done("scaling", &[("seed", "1")]);
            let (parameters, held_out, training) = (
                list(&report, metric::PARAMETERS),
                list(&report, metric::HELD_OUT),
                list(&report, metric::TRAINING),
            );
            let (two_part, model, data) = (
                list(&report, metric::TWO_PART),
                list(&report, metric::MODEL_BITS),
                list(&report, metric::DATA_BITS),
            );
            // 199,633 characters, the last tenth (19,963) held out.
            assert_eq!(report.metric(metric::HELD_OUT_CHARS), Some(19_963.0));
            assert_eq!(report.metric(metric::TRAINING_CHARS), Some(179_670.0));
            for (index, width) in [2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0]
                .into_iter()
                .enumerate()
            {
                // 75 embeddings of 16 (74 characters and "before the start"), 8 × 16 inputs
                // and a bias into each hidden unit, and each unit and a bias into 74 outputs.
                let count = 75.0 * 16.0 + 129.0 * width + (width + 1.0) * 74.0;
                assert_eq!(parameters[index], count);
                assert_eq!(model[index], 16.0 * count);
                assert!((data[index] - training[index] * 179_670.0).abs() < 1e-6);
                assert!((two_part[index] - model[index] - data[index]).abs() < 1e-6);
                // Every model beats sending each character as one of 74.
                assert!(held_out[index] < 74f64.log2(), "{held_out:?}");
            }
            // Measured (seeds 1 and 2, 300 steps): held-out bits fall with every doubling,
            // from 3.82 at width 2 to 2.78 at 128, each step by more than the spread over
            // seeds (at most 0.03); the last doubling still saves 0.106. The parameters' 16
            // bits each outgrow what they save on the training text after width 16.
            let spread = list(&report, metric::HELD_OUT_SPREAD);
            for pair in held_out.windows(2).zip(spread.windows(2)) {
                let ([before, after], [s0, s1]) = (pair.0, pair.1) else {
                    unreachable!()
                };
                assert!(before - after > s0 + s1, "{held_out:?} ± {spread:?}");
            }
            assert_eq!(report.metric(metric::HELD_OUT_PICK), Some(128.0));
            let gain = report.metric(metric::LAST_DOUBLING_GAIN).unwrap();
            assert!((gain - (held_out[5] - held_out[6])).abs() < 1e-12 && gain > 0.05);
            let pick = report.metric(metric::TWO_PART_PICK).unwrap();
            assert!((8.0..=32.0).contains(&pick), "{two_part:?}");
            let shortest = two_part.iter().copied().fold(f64::INFINITY, f64::min);
            assert!(two_part[0] > shortest && two_part[6] > shortest);
        }

        #[test]
        fn a_seed_gives_the_same_run() {
            let pairs = [
                ("steps-per-size", "10"),
                ("seeds-per-size", "1"),
                ("seed", "3"),
            ];
            let first = run_to_done("scaling", &pairs);
            assert_eq!(first.series, run_to_done("scaling", &pairs).series);
            assert_eq!(first.progress, first.total);
        }
    }
}
