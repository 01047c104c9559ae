//! Demo `sparse-coding`: a dictionary of atoms learned from the digits, each digit described
//! by a few of them ([`occam_core::sparse`]), trained on the chosen backend with the objective
//! read back after every epoch.

use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

pub const ATOMS: ParamSpec = ParamSpec {
    name: "atoms",
    label: "atoms m",
    help: "how many atoms the dictionary has (64 pixels per digit: more than 64 is overcomplete)",
    kind: ParamKind::Int {
        min: 4,
        max: 256,
        default: 96,
    },
};

pub const LAMBDA: ParamSpec = ParamSpec {
    name: "lambda",
    label: "sparsity λ",
    help: "the price of each unit of code: larger λ gives fewer nonzeros and a coarser fit",
    kind: ParamKind::Float {
        min: 0.001,
        max: 5.0,
        default: 0.5,
        step: 0.01,
    },
};

pub const STEPS: ParamSpec = ParamSpec {
    name: "steps",
    label: "epochs",
    help: "each epoch codes all 1,797 digits (10 FISTA iterations) and then updates the atoms",
    kind: ParamKind::Int {
        min: 1,
        max: 1_000,
        default: 24,
    },
};

pub const SOLVER: ParamSpec = ParamSpec {
    name: "solver",
    label: "lasso solver",
    help: "FISTA adds momentum to ISTA's steps and converges much faster",
    kind: ParamKind::Choice {
        options: &["fista", "ista"],
        default: "fista",
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const LASSO_OBJECTIVE: &str = "lasso-objective";
    pub const RECONSTRUCTION_MSE: &str = "reconstruction-mse";
    pub const MEAN_NONZEROS: &str = "mean-nonzeros";
    pub const EPOCHS_PER_SECOND: &str = "epochs-per-second";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "sparse-coding",
    title: "Sparse coding: a few atoms per digit",
    params: &[ATOMS, LAMBDA, STEPS, SOLVER, SEED],
    metrics: &[
        MetricSpec::new(metric::LASSO_OBJECTIVE, "lasso objective per digit", 4),
        MetricSpec::new(
            metric::RECONSTRUCTION_MSE,
            "mean squared error per pixel",
            5,
        ),
        MetricSpec::new(
            metric::MEAN_NONZEROS,
            "nonzero coefficients per digit, mean",
            2,
        ),
        MetricSpec::new(metric::EPOCHS_PER_SECOND, "epochs per second", 2),
    ],
    uses_tensors: true,
    on_page: None,
    workload_params: &["atoms"],
};

/// The objective by epoch.
pub const OBJECTIVE_CURVE: &str = "objective";
/// For each count c of nonzeros, how many digits' codes have c.
pub const NONZEROS_HISTOGRAM: &str = "nonzeros";
/// The atoms, as images.
pub const ATOM_IMAGES: &str = "atoms";
/// Sample digits.
pub const ORIGINALS: &str = "originals";
/// The samples rebuilt from their sparse codes.
pub const RECONSTRUCTIONS: &str = "reconstructions";

#[cfg(feature = "session")]
pub use run::SparseCoding;

#[cfg(feature = "session")]
mod run {
    use super::metric;
    use occam_core::burn::prelude::Device;
    use occam_core::read_back as read;
    use occam_core::sparse::{DictionaryConfig, DictionaryLearning, Solver};
    use web_time::Instant;

    use super::{
        ATOM_IMAGES, ATOMS, LAMBDA, NONZEROS_HISTOGRAM, OBJECTIVE_CURVE, ORIGINALS,
        RECONSTRUCTIONS, SOLVER, STEPS,
    };
    use crate::data::{Dataset, digits};
    use crate::params::Values;
    use crate::protocol::{Images, Point, Report, Series};
    use crate::run::{DemoError, DemoRun, Step, device_error, read_loss};

    /// FISTA iterations per epoch.
    const CODE_ITERATIONS: usize = 10;

    /// What the last read-back gave.
    #[derive(Debug, Clone, Default)]
    struct Pictures {
        atoms: Vec<f32>,
        reconstructions: Vec<f32>,
        histogram: Vec<Point>,
        mean_nonzeros: f64,
        reconstruction_mse: f64,
    }

    /// A run: `steps` epochs, then the pictures.
    pub struct SparseCoding {
        data: Dataset,
        learning: DictionaryLearning,
        steps: u64,
        objective_curve: Vec<Point>,
        pictures: Option<Pictures>,
        started: Option<Instant>,
        epochs_per_second: f64,
    }

    impl std::fmt::Debug for SparseCoding {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("SparseCoding")
                .field("epochs", &self.learning.epochs())
                .finish_non_exhaustive()
        }
    }

    impl DemoRun for SparseCoding {
        fn start(params: &Values, device: &Device) -> Result<Self, DemoError> {
            let data = digits()?;
            let solver = match params.choice(SOLVER.name)? {
                "ista" => Solver::Ista,
                _ => Solver::Fista,
            };
            let learning =
                DictionaryConfig::new(params.int(ATOMS.name)? as usize, params.float(LAMBDA.name)?)
                    .with_code_iterations(CODE_ITERATIONS)
                    .with_solver(solver)
                    .init(data.tensor(device), params.seed()?);
            Ok(Self {
                data,
                learning,
                steps: params.int(STEPS.name)?,
                objective_curve: Vec::new(),
                pictures: None,
                started: None,
                epochs_per_second: 0.0,
            })
        }

        async fn advance(&mut self) -> Result<Step, DemoError> {
            let started = *self.started.get_or_insert_with(Instant::now);
            let epochs = self.learning.epochs() as u64;
            if epochs < self.steps {
                self.learning.epoch();
                let epochs = epochs + 1;
                let objective = read_loss(self.learning.objective(), epochs).await?;
                self.objective_curve.push((epochs as f64, objective));
                self.epochs_per_second = epochs as f64 / started.elapsed().as_secs_f64().max(1e-9);
            } else {
                self.pictures = Some(self.pictures().await?);
            }
            Ok(Step::new(self.report(), self.pictures.is_some()))
        }
    }

    impl SparseCoding {
        async fn pictures(&self) -> Result<Pictures, DemoError> {
            let dimension = self.data.dimension();
            let nonzeros = read(self.learning.nonzeros()).await.map_err(device_error)?;
            let atoms = self.learning.atoms().dims()[0];
            let mut counts = vec![0u64; atoms + 1];
            for &count in &nonzeros {
                counts[(count.round() as usize).min(atoms)] += 1;
            }
            let last = counts.iter().rposition(|&count| count > 0).unwrap_or(0);
            let reconstructions = read(self.learning.reconstructions())
                .await
                .map_err(device_error)?;
            Ok(Pictures {
                atoms: read(self.learning.atoms().clone())
                    .await
                    .map_err(device_error)?,
                reconstructions: self
                    .data
                    .samples
                    .iter()
                    .flat_map(|&i| {
                        reconstructions[i * dimension..(i + 1) * dimension]
                            .iter()
                            .copied()
                    })
                    .collect(),
                histogram: counts[..=last]
                    .iter()
                    .enumerate()
                    .map(|(count, &codes)| (count as f64, codes as f64))
                    .collect(),
                mean_nonzeros: nonzeros.iter().map(|&c| f64::from(c)).sum::<f64>()
                    / nonzeros.len().max(1) as f64,
                reconstruction_mse: f64::from(
                    read(self.learning.reconstruction_mse())
                        .await
                        .map_err(device_error)?[0],
                ),
            })
        }

        fn report(&self) -> Report {
            let mut metrics = vec![
                ("epochs".to_owned(), self.learning.epochs() as f64),
                (metric::EPOCHS_PER_SECOND.to_owned(), self.epochs_per_second),
                ("lambda".to_owned(), self.learning.lambda()),
            ];
            if let Some(&(_, objective)) = self.objective_curve.last() {
                metrics.push((metric::LASSO_OBJECTIVE.into(), objective));
            }
            let mut series = vec![Series {
                name: OBJECTIVE_CURVE.into(),
                points: self.objective_curve.clone(),
            }];
            let mut images = vec![self.data.images(ORIGINALS)];
            if let Some(pictures) = &self.pictures {
                metrics.push((metric::MEAN_NONZEROS.into(), pictures.mean_nonzeros));
                metrics.push((
                    metric::RECONSTRUCTION_MSE.into(),
                    pictures.reconstruction_mse,
                ));
                series.push(Series {
                    name: NONZEROS_HISTOGRAM.into(),
                    points: pictures.histogram.clone(),
                });
                let count = pictures.atoms.len() / self.data.dimension().max(1);
                images.push(Images {
                    name: ATOM_IMAGES.into(),
                    width: self.data.width,
                    height: self.data.height,
                    is_signed: true,
                    captions: (1..=count).map(|j| format!("a{j}")).collect(),
                    pixels: pictures.atoms.clone(),
                });
                images.push(Images {
                    name: RECONSTRUCTIONS.into(),
                    width: self.data.width,
                    height: self.data.height,
                    is_signed: false,
                    captions: self.data.captions(),
                    pixels: pictures.reconstructions.clone(),
                });
            }
            metrics.retain(|(_, value)| value.is_finite());
            Report {
                progress: self.learning.epochs() as u64 + u64::from(self.pictures.is_some()),
                total: self.steps + 1,
                metrics,
                series,
                images,
                clouds: Vec::new(),
                tables: Vec::new(),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn run(pairs: &[(&str, &str)]) -> Report {
            crate::session::run_to_done("sparse-coding", pairs)
        }

        #[test]
        fn a_short_run_learns_sparse_codes_that_fit() {
            let report = run(&[
                ("atoms", "64"),
                ("lambda", "0.2"),
                ("steps", "15"),
                ("seed", "2"),
            ]);
            assert_eq!(report.progress, report.total);
            let curve = &report.series(OBJECTIVE_CURVE).unwrap().points;
            assert_eq!(curve.len(), 15);
            assert!(
                curve
                    .windows(2)
                    .all(|pair| pair[1].1 <= pair[0].1 * (1.0 + 1e-6))
            );
            // Codes of zero would cost ½‖x‖² per digit, about 5 for these digits; the
            // dictionary does far better.
            let objective = report.metric("lasso-objective").unwrap();
            assert!(objective < 3.0, "{objective}");
            let nonzeros = report.metric("mean-nonzeros").unwrap();
            assert!(nonzeros > 1.0 && nonzeros < 32.0, "{nonzeros}");
            // The histogram counts every digit once.
            let histogram = &report.series(NONZEROS_HISTOGRAM).unwrap().points;
            assert_eq!(
                histogram.iter().map(|(_, count)| count).sum::<f64>(),
                1_797.0
            );
            let mean = histogram.iter().map(|(c, n)| c * n).sum::<f64>() / 1_797.0;
            assert!((mean - nonzeros).abs() < 1e-9);
            assert_eq!(report.images(ATOM_IMAGES).unwrap().count(), 64);
            let mse = report.metric("reconstruction-mse").unwrap();
            assert!(mse > 0.0 && mse < 0.05, "{mse}");
        }
    }
}
