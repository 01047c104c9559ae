//! Demo `bases`: JPEG's thought experiment on the digits. Describe each digit by its m largest
//! coefficients in a basis and see how much is lost, for three bases: the fixed DCT (what JPEG
//! uses on 8×8 tiles), the PCA basis and a learned sparse dictionary (m atoms chosen by
//! orthogonal matching pursuit).
//!
//! PCA and the dictionary are learned on the first 1,200 digits; all three bases are scored on
//! the other 597, which none of them saw, each coding the difference from the training digits'
//! mean image.

use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

pub const M: ParamSpec = ParamSpec {
    name: "m",
    label: "coefficients kept m",
    help: "how many numbers describe each digit in each basis",
    kind: ParamKind::Int {
        min: 1,
        max: MAX_TERMS as u64,
        default: 6,
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const DCT_MSE: &str = "dct-mse";
    pub const PCA_MSE: &str = "pca-mse";
    pub const SPARSE_MSE: &str = "sparse-mse";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "bases",
    title: "Which basis says most in m numbers?",
    params: &[M, SEED],
    metrics: &[
        MetricSpec::new(metric::DCT_MSE, "DCT: mean squared error per pixel", 5),
        MetricSpec::new(metric::PCA_MSE, "PCA: mean squared error per pixel", 5),
        MetricSpec::new(
            metric::SPARSE_MSE,
            "sparse dictionary: mean squared error per pixel",
            5,
        ),
    ],
    uses_tensors: true,
    on_page: None,
    workload_params: &[],
};

/// The largest m plotted.
pub const MAX_TERMS: usize = 32;
/// Digits the bases learn from; the rest are for scoring.
pub const TRAINING_DIGITS: usize = 1_200;
/// Atoms of the learned dictionary, its λ and its training epochs.
pub const DICTIONARY_ATOMS: usize = 128;
pub const DICTIONARY_LAMBDA: f64 = 0.1;
pub const DICTIONARY_EPOCHS: usize = 20;
/// Error per pixel by m, one curve per basis.
pub const DCT_CURVE: &str = "dct";
pub const PCA_CURVE: &str = "pca";
pub const SPARSE_CURVE: &str = "sparse";

#[cfg(feature = "session")]
pub use run::Bases;

#[cfg(feature = "session")]
mod run {
    use occam_core::burn::prelude::Device;
    use occam_core::dct::dct_basis_2d;
    use occam_core::pca::{SubspaceIteration, mean_and_covariance};
    use occam_core::read_back as read;
    use occam_core::sparse::{
        AtomStart, DictionaryConfig, DictionaryLearning, best_terms_errors, matching_pursuit_errors,
    };

    use super::{
        DCT_CURVE, DICTIONARY_ATOMS, DICTIONARY_EPOCHS, DICTIONARY_LAMBDA, M, MAX_TERMS, PCA_CURVE,
        SPARSE_CURVE, TRAINING_DIGITS,
    };
    use crate::data::{Dataset, digits};
    use crate::params::Values;
    use crate::protocol::{Point, Report, Series};
    use crate::run::{DemoError, DemoRun, Step, device_error, read_loss};

    const PCA_ITERATIONS_PER_STEP: usize = 5;
    const PCA_MAX_ITERATIONS: usize = 150;
    const PCA_TOLERANCE: f64 = 1e-4;
    /// Test digits scored per step.
    const DIGITS_PER_STEP: usize = 100;

    enum Phase {
        Pca(Box<SubspaceIteration>),
        Dictionary(Box<DictionaryLearning>),
        Scoring,
        Finished,
    }

    /// A run: PCA, then the dictionary, then scoring the test digits in every basis.
    pub struct Bases {
        m: usize,
        seed: u64,
        training: Dataset,
        /// Test digits minus the training mean.
        test: Vec<Vec<f32>>,
        device: Device,
        phase: Phase,
        dct: Vec<Vec<f32>>,
        pca: Vec<Vec<f32>>,
        atoms: Vec<Vec<f32>>,
        /// Summed squared errors by m − 1, per basis, over the digits scored so far.
        sums: [Vec<f64>; 3],
        scored: usize,
        steps_done: u64,
        /// Steps the PCA took, once it has converged.
        pca_steps: Option<u64>,
    }

    impl std::fmt::Debug for Bases {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Bases")
                .field("m", &self.m)
                .field("scored", &self.scored)
                .finish_non_exhaustive()
        }
    }

    impl DemoRun for Bases {
        fn start(params: &Values, device: &Device) -> Result<Self, DemoError> {
            let all = digits()?;
            let training = all.slice(0..TRAINING_DIGITS);
            let dimension = all.dimension();
            let mut mean = vec![0.0f32; dimension];
            for i in 0..training.len() {
                mean.iter_mut()
                    .zip(training.row(i))
                    .for_each(|(m, x)| *m += x);
            }
            mean.iter_mut().for_each(|m| *m /= training.len() as f32);
            let test = (TRAINING_DIGITS..all.len())
                .map(|i| all.row(i).iter().zip(&mean).map(|(x, m)| x - m).collect())
                .collect();
            let (_, covariance) = mean_and_covariance(training.tensor(device));
            let dct = dct_basis_2d(all.width, all.height)
                .into_iter()
                .map(|image| image.into_iter().map(|v| v as f32).collect())
                .collect();
            Ok(Self {
                m: params.int(M.name)? as usize,
                seed: params.seed()?,
                training,
                test,
                device: device.clone(),
                phase: Phase::Pca(Box::new(SubspaceIteration::new(covariance))),
                dct,
                pca: Vec::new(),
                atoms: Vec::new(),
                sums: [
                    vec![0.0; MAX_TERMS],
                    vec![0.0; MAX_TERMS],
                    vec![0.0; MAX_TERMS],
                ],
                scored: 0,
                steps_done: 0,
                pca_steps: None,
            })
        }

        async fn advance(&mut self) -> Result<Step, DemoError> {
            match std::mem::replace(&mut self.phase, Phase::Finished) {
                Phase::Pca(mut iteration) => {
                    for _ in 0..PCA_ITERATIONS_PER_STEP {
                        iteration.step().await.map_err(device_error)?;
                    }
                    let count = iteration.iterations();
                    let residual = read_loss(iteration.residual(), count as u64).await?;
                    self.phase = if residual < PCA_TOLERANCE || count >= PCA_MAX_ITERATIONS {
                        let components = iteration.components().await.map_err(device_error)?;
                        self.pca_steps = Some(self.steps_done + 1);
                        self.pca = (0..components.dimension)
                            .map(|j| components.vector(j).to_vec())
                            .collect();
                        // The dictionary learns from the same centred training digits.
                        let mean = self.training.tensor(&self.device).mean_dim(0);
                        let centred = self.training.tensor(&self.device) - mean;
                        Phase::Dictionary(Box::new(
                            DictionaryConfig::new(DICTIONARY_ATOMS, DICTIONARY_LAMBDA)
                                .with_start(AtomStart::Samples)
                                .init(centred, self.seed),
                        ))
                    } else {
                        Phase::Pca(iteration)
                    };
                }
                Phase::Dictionary(mut learning) => {
                    learning.epoch();
                    let epochs = learning.epochs();
                    read_loss(learning.objective(), epochs as u64).await?;
                    self.phase = if epochs >= DICTIONARY_EPOCHS {
                        let atoms = read(learning.atoms().clone()).await.map_err(device_error)?;
                        let dimension = self.training.dimension();
                        self.atoms = atoms.chunks(dimension).map(<[f32]>::to_vec).collect();
                        Phase::Scoring
                    } else {
                        Phase::Dictionary(learning)
                    };
                }
                Phase::Scoring => {
                    let end = (self.scored + DIGITS_PER_STEP).min(self.test.len());
                    for x in &self.test[self.scored..end] {
                        let curves = [
                            best_terms_errors(x, &self.dct, MAX_TERMS),
                            best_terms_errors(x, &self.pca, MAX_TERMS),
                            matching_pursuit_errors(x, &self.atoms, MAX_TERMS),
                        ];
                        for (sums, errors) in self.sums.iter_mut().zip(curves) {
                            sums.iter_mut().zip(errors).for_each(|(sum, e)| *sum += e);
                        }
                    }
                    self.scored = end;
                    self.phase = if end < self.test.len() {
                        Phase::Scoring
                    } else {
                        Phase::Finished
                    };
                }
                Phase::Finished => {}
            }
            self.steps_done += 1;
            Ok(Step::new(
                self.report(),
                matches!(self.phase, Phase::Finished),
            ))
        }
    }

    impl Bases {
        /// Mean squared error per pixel by m, over the digits scored so far.
        fn curve(&self, basis: usize) -> Vec<Point> {
            let scale = 1.0 / (self.scored.max(1) * self.training.dimension()) as f64;
            self.sums[basis]
                .iter()
                .enumerate()
                .map(|(m, sum)| ((m + 1) as f64, sum * scale))
                .collect()
        }

        fn report(&self) -> Report {
            let names = [DCT_CURVE, PCA_CURVE, SPARSE_CURVE];
            let is_scored = self.scored > 0;
            let series = if is_scored {
                names
                    .iter()
                    .enumerate()
                    .map(|(basis, name)| Series {
                        name: (*name).to_owned(),
                        points: self.curve(basis),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let mut metrics = vec![
                ("test-digits".to_owned(), self.test.len() as f64),
                ("scored-digits".to_owned(), self.scored as f64),
            ];
            if matches!(self.phase, Phase::Finished) {
                for (basis, name) in names.iter().enumerate() {
                    let at_m = self.curve(basis)[self.m.clamp(1, MAX_TERMS) - 1].1;
                    metrics.push((format!("{name}-mse"), at_m));
                }
            }
            let scoring_steps = self.test.len().div_ceil(DIGITS_PER_STEP) as u64;
            let pca_steps = self
                .pca_steps
                .unwrap_or((PCA_MAX_ITERATIONS / PCA_ITERATIONS_PER_STEP) as u64);
            let total = pca_steps + DICTIONARY_EPOCHS as u64 + scoring_steps;
            Report {
                progress: self.steps_done,
                total,
                metrics,
                series,
                ..Report::default()
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::params::parse;

        #[test]
        fn every_basis_improves_with_m_and_learned_bases_beat_the_dct() {
            let params = parse(crate::bases::SPEC.params, [("m", "6"), ("seed", "1")]).values;
            let mut session = Bases::start(&params, &Device::flex()).unwrap();
            let report = loop {
                match pollster::block_on(session.advance()).unwrap() {
                    Step::Running(report) => assert!(report.progress <= report.total),
                    Step::Done(report) => break report,
                }
            };
            assert_eq!(report.progress, report.total);
            for name in [DCT_CURVE, PCA_CURVE, SPARSE_CURVE] {
                let curve = &report.series(name).unwrap().points;
                assert_eq!(curve.len(), MAX_TERMS);
                assert!(
                    curve.windows(2).all(|pair| pair[1].1 <= pair[0].1 + 1e-12),
                    "{name}: {curve:?}"
                );
            }
            let dct = report.metric("dct-mse").unwrap();
            let pca = report.metric("pca-mse").unwrap();
            let sparse = report.metric("sparse-mse").unwrap();
            // Keeping the m best of 64 orthonormal coefficients can never lose more than the
            // whole variance; the learned bases fit digits better than cosines do.
            assert!(
                pca < dct && sparse < dct,
                "dct {dct}, pca {pca}, sparse {sparse}"
            );
            assert_eq!(report.series(DCT_CURVE).unwrap().points[5].1, dct);
            // What the chapter says: at every m up to 32, PCA loses less than the DCT; for the
            // first 16 coefficients the sparse dictionary loses least of all.
            let curve = |name| report.series(name).unwrap().points.clone();
            let (dct, pca, sparse) = (curve(DCT_CURVE), curve(PCA_CURVE), curve(SPARSE_CURVE));
            for m in 0..MAX_TERMS {
                assert!(pca[m].1 < dct[m].1, "m = {}", m + 1);
                assert!(m >= 16 || sparse[m].1 < pca[m].1, "m = {}", m + 1);
            }
        }
    }
}
