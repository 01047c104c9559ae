//! Demo `pca`: principal components found on the device, and what keeping k of them costs and
//! saves.
//!
//! The covariance and the subspace iteration run on the chosen backend
//! ([`occam_core::pca`]); then the first k components and the mean are rounded to 16-bit floats
//! (what a decoder would be sent), every image's k coefficients are quantized with one step Δ
//! and coded with adaptive arithmetic coding ([`occam_core::integers`]), decoded, and the images
//! rebuilt from the decoded numbers. Δ is chosen so that quantizing adds about a tenth to the
//! error of keeping k components, so the code describes the images at (nearly) the distortion
//! of the k-component reconstruction: bits per image against the raw 8 bits per pixel.

use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

pub const DATASET: ParamSpec = ParamSpec {
    name: "dataset",
    label: "data",
    help: "digits: 1,797 handwritten 8×8 digits; subspace: 1,000 points near a 5-dimensional subspace of R⁶⁴",
    kind: ParamKind::Choice {
        options: &["digits", "subspace"],
        default: "digits",
    },
};

pub const K: ParamSpec = ParamSpec {
    name: "k",
    label: "components kept k",
    help: "how many principal components describe each image",
    kind: ParamKind::Int {
        min: 1,
        max: 64,
        default: 10,
    },
};

pub const NOISE: ParamSpec = ParamSpec {
    name: "noise",
    label: "noise σ",
    help: "standard deviation of Gaussian noise added to every pixel (pixels run from 0 to 1)",
    kind: ParamKind::Float {
        min: 0.0,
        max: 1.0,
        default: 0.0,
        step: 0.01,
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const EXPLAINED_VARIANCE: &str = "explained-variance";
    pub const RECONSTRUCTION_MSE: &str = "reconstruction-mse";
    pub const BITS_PER_IMAGE: &str = "bits-per-image";
    pub const RAW_BITS_PER_IMAGE: &str = "raw-bits-per-image";
    pub const CODED_MSE: &str = "coded-mse";
    pub const ITERATIONS: &str = "iterations";
    // Reported for the figures only (not shown as `[data-metric]`).
    pub const COEFFICIENT_BITS_PER_IMAGE: &str = "coefficient-bits-per-image";
    pub const MODEL_BITS_PER_IMAGE: &str = "model-bits-per-image";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "pca",
    title: "Principal components: a basis fitted to the data",
    params: &[DATASET, K, NOISE, SEED],
    metrics: &[
        MetricSpec::new(
            metric::EXPLAINED_VARIANCE,
            "variance explained by k components",
            4,
        ),
        MetricSpec::new(
            metric::RECONSTRUCTION_MSE,
            "mean squared error per pixel, k components",
            5,
        ),
        MetricSpec::new(
            metric::BITS_PER_IMAGE,
            "bits per image, coded (model included)",
            1,
        ),
        MetricSpec::new(
            metric::RAW_BITS_PER_IMAGE,
            "bits per image, raw 8-bit pixels",
            0,
        ),
        MetricSpec::new(
            metric::CODED_MSE,
            "mean squared error per pixel, after coding",
            5,
        ),
        MetricSpec::new(metric::ITERATIONS, "subspace iterations", 0),
    ],
    uses_tensors: true,
    on_page: None,
    workload_params: &["dataset"],
};

/// Residual of the subspace iteration, by iteration.
pub const RESIDUAL_CURVE: &str = "residual";
/// λⱼ by component j (1-based).
pub const SPECTRUM: &str = "spectrum";
/// EV(k) by k.
pub const EXPLAINED_CURVE: &str = "explained";
/// The first components, as images.
pub const COMPONENTS: &str = "components";
/// Sample images, as PCA saw them.
pub const ORIGINALS: &str = "originals";
/// The same images rebuilt from their decoded k coefficients.
pub const RECONSTRUCTIONS: &str = "reconstructions";

/// Points in the `subspace` data set.
pub const SUBSPACE_POINTS: usize = 1_000;
/// Standard deviations along the synthetic subspace's five directions.
pub const SUBSPACE_SCALES: [f32; 5] = [1.0, 0.8, 0.6, 0.4, 0.2];
/// Quantization may add this fraction to the k-component error.
pub const QUANTIZATION_SHARE: f64 = 0.1;
/// The error floor: rounding pixels in [0, 1] to 8 bits, (1/255)²/12 per pixel.
pub const EIGHT_BIT_MSE: f64 = 1.0 / (255.0 * 255.0 * 12.0);
/// Bits per number of the model sent with the code (16-bit floats).
pub const MODEL_BITS_PER_NUMBER: f64 = 16.0;

/// The quantization step Δ for k coefficients of D-pixel images whose k-component error is
/// `mse` per pixel: uniform quantization adds about Δ²/12 per coefficient, so k Δ²/(12 D) =
/// [`QUANTIZATION_SHARE`] · max(mse, [`EIGHT_BIT_MSE`]).
pub fn quantization_step(mse: f64, k: usize, dimension: usize) -> f64 {
    (12.0 * QUANTIZATION_SHARE * mse.max(EIGHT_BIT_MSE) * dimension as f64 / k.max(1) as f64).sqrt()
}

#[cfg(feature = "session")]
pub use run::Pca;

#[cfg(feature = "session")]
mod run {
    use super::metric;
    use half::f16;
    use occam_core::burn::prelude::{Device, Tensor};
    use occam_core::burn::tensor::TensorData;
    use occam_core::integers::{decode_integers, encode_integers};
    use occam_core::pca::{
        Components, SubspaceIteration, mean_and_covariance, project, reconstruct,
    };
    use occam_core::read_back as read;

    use super::{
        COMPONENTS, DATASET, EXPLAINED_CURVE, K, MODEL_BITS_PER_NUMBER, NOISE, ORIGINALS,
        RECONSTRUCTIONS, RESIDUAL_CURVE, SPECTRUM, SUBSPACE_POINTS, SUBSPACE_SCALES,
        quantization_step,
    };
    use crate::data::{Dataset, digits, near_subspace, with_noise};
    use crate::params::Values;
    use crate::protocol::{Images, Point, Report, Series};
    use crate::run::{DemoError, DemoRun, Step, device_error, read_loss};

    /// Subspace iterations between read-backs of the residual.
    const ITERATIONS_PER_REPORT: usize = 5;
    /// The iteration stops when the residual falls below this, or after [`MAX_ITERATIONS`].
    const TOLERANCE: f64 = 1e-4;
    const MAX_ITERATIONS: usize = 150;
    /// Components shown as images.
    const SHOWN_COMPONENTS: usize = 16;

    enum Phase {
        Iterating,
        Coding,
        Finished,
    }

    /// A run: iterate, then code with k components.
    pub struct Pca {
        data: Dataset,
        k: usize,
        device: Device,
        tensor: Tensor<2>,
        mean: Tensor<2>,
        iteration: SubspaceIteration,
        phase: Phase,
        residuals: Vec<Point>,
        components: Option<Components>,
        result: Option<Coded>,
    }

    impl std::fmt::Debug for Pca {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Pca")
                .field("k", &self.k)
                .field("iterations", &self.iteration.iterations())
                .finish_non_exhaustive()
        }
    }

    /// What coding with k components gave.
    #[derive(Debug, Clone)]
    struct Coded {
        reconstruction_mse: f64,
        coded_mse: f64,
        coefficient_bits: u64,
        model_bits: f64,
        is_roundtrip: bool,
        reconstructions: Vec<f32>,
    }

    impl DemoRun for Pca {
        fn start(params: &Values, device: &Device) -> Result<Self, DemoError> {
            let seed = params.seed()?;
            let clean = match params.choice(DATASET.name)? {
                "subspace" => near_subspace(SUBSPACE_POINTS, 8, 8, &SUBSPACE_SCALES, seed),
                _ => digits()?,
            };
            let data = with_noise(clean, params.float(NOISE.name)? as f32, seed);
            let k = (params.int(K.name)? as usize).min(data.dimension());
            let tensor = data.tensor(device);
            let (mean, covariance) = mean_and_covariance(tensor.clone());
            Ok(Self {
                k,
                device: device.clone(),
                tensor,
                mean,
                iteration: SubspaceIteration::new(covariance),
                data,
                phase: Phase::Iterating,
                residuals: Vec::new(),
                components: None,
                result: None,
            })
        }

        async fn advance(&mut self) -> Result<Step, DemoError> {
            match self.phase {
                Phase::Iterating => {
                    for _ in 0..ITERATIONS_PER_REPORT {
                        self.iteration.step().await.map_err(device_error)?;
                    }
                    let iterations = self.iteration.iterations();
                    let residual = read_loss(self.iteration.residual(), iterations as u64).await?;
                    self.residuals.push((iterations as f64, residual));
                    if residual < TOLERANCE || iterations >= MAX_ITERATIONS {
                        self.components =
                            Some(self.iteration.components().await.map_err(device_error)?);
                        self.phase = Phase::Coding;
                    }
                }
                Phase::Coding => {
                    self.result = Some(self.code().await?);
                    self.phase = Phase::Finished;
                }
                Phase::Finished => {}
            }
            Ok(Step::new(
                self.report(),
                matches!(self.phase, Phase::Finished),
            ))
        }
    }

    impl Pca {
        /// Rounds the model to 16 bits, codes every image's k coefficients, decodes them and
        /// rebuilds the images.
        async fn code(&self) -> Result<Coded, DemoError> {
            let components = self
                .components
                .as_ref()
                .ok_or_else(|| DemoError::Invalid("no components yet".into()))?;
            let (n, dimension, k) = (self.data.len(), self.data.dimension(), self.k);
            let half = |values: &[f32]| -> Vec<f32> {
                values.iter().map(|&v| f16::from_f32(v).to_f32()).collect()
            };
            let basis_rows = half(&components.vectors[..k * dimension]);
            let mean = half(&read(self.mean.clone()).await.map_err(device_error)?);
            let basis: Tensor<2> =
                Tensor::from_data(TensorData::new(basis_rows, [k, dimension]), &self.device);
            let basis = basis.transpose(); // [D, k]
            let mean: Tensor<2> =
                Tensor::from_data(TensorData::new(mean, [1, dimension]), &self.device);

            let coefficients = project(self.tensor.clone(), mean.clone(), basis.clone()); // [n, k]
            let rebuilt = reconstruct(coefficients.clone(), mean.clone(), basis.clone());
            let reconstruction_mse = f64::from(
                read((rebuilt - self.tensor.clone()).powi_scalar(2).mean())
                    .await
                    .map_err(device_error)?[0],
            );

            let step = quantization_step(reconstruction_mse, k, dimension);
            let quantized: Vec<i32> = read(coefficients)
                .await
                .map_err(device_error)?
                .into_iter()
                .map(|c| (f64::from(c) / step).round() as i32)
                .collect();
            let encoded = encode_integers(&quantized, k)?;
            let decoded = decode_integers(&encoded, n * k, k)?;
            let dequantized: Vec<f32> = decoded
                .iter()
                .map(|&q| (f64::from(q) * step) as f32)
                .collect();
            let dequantized: Tensor<2> =
                Tensor::from_data(TensorData::new(dequantized, [n, k]), &self.device);
            let decoded_images = reconstruct(dequantized, mean, basis); // [n, D]
            let coded_mse = f64::from(
                read(
                    (decoded_images.clone() - self.tensor.clone())
                        .powi_scalar(2)
                        .mean(),
                )
                .await
                .map_err(device_error)?[0],
            );
            let decoded_images = read(decoded_images).await.map_err(device_error)?;
            let reconstructions = self
                .data
                .samples
                .iter()
                .flat_map(|&i| {
                    decoded_images[i * dimension..(i + 1) * dimension]
                        .iter()
                        .copied()
                })
                .collect();
            // The model: k components and the mean at 16 bits each, plus Δ as a 32-bit float.
            let model_bits = MODEL_BITS_PER_NUMBER * ((k + 1) * dimension) as f64 + 32.0;
            Ok(Coded {
                reconstruction_mse,
                coded_mse,
                coefficient_bits: encoded.bits,
                model_bits,
                is_roundtrip: decoded == quantized,
                reconstructions,
            })
        }

        fn report(&self) -> Report {
            let (n, dimension) = (self.data.len() as f64, self.data.dimension());
            let iterations = self.iteration.iterations();
            let mut metrics = vec![
                (metric::ITERATIONS.to_owned(), iterations as f64),
                (
                    metric::RAW_BITS_PER_IMAGE.to_owned(),
                    8.0 * dimension as f64,
                ),
                ("images".to_owned(), n),
            ];
            if let Some(&(_, residual)) = self.residuals.last() {
                metrics.push(("residual".into(), residual));
            }
            let mut series = vec![Series {
                name: RESIDUAL_CURVE.into(),
                points: self.residuals.clone(),
            }];
            let mut images = vec![self.data.images(ORIGINALS)];
            if let Some(components) = &self.components {
                metrics.push((
                    metric::EXPLAINED_VARIANCE.into(),
                    components.explained_variance(self.k),
                ));
                metrics.push((
                    "total-variance".into(),
                    components.variances.iter().map(|&v| f64::from(v)).sum(),
                ));
                series.push(Series {
                    name: SPECTRUM.into(),
                    points: (0..dimension)
                        .map(|j| ((j + 1) as f64, f64::from(components.variances[j])))
                        .collect(),
                });
                series.push(Series {
                    name: EXPLAINED_CURVE.into(),
                    points: (0..=dimension)
                        .map(|k| (k as f64, components.explained_variance(k)))
                        .collect(),
                });
                let shown = SHOWN_COMPONENTS.min(dimension);
                images.push(Images {
                    name: COMPONENTS.into(),
                    width: self.data.width,
                    height: self.data.height,
                    is_signed: true,
                    captions: (1..=shown).map(|j| format!("v{j}")).collect(),
                    pixels: components.vectors[..shown * dimension].to_vec(),
                });
            }
            if let Some(coded) = &self.result {
                let bits = coded.coefficient_bits as f64 + coded.model_bits;
                metrics.extend([
                    (metric::RECONSTRUCTION_MSE.into(), coded.reconstruction_mse),
                    (metric::CODED_MSE.into(), coded.coded_mse),
                    (metric::BITS_PER_IMAGE.into(), bits / n),
                    (
                        metric::COEFFICIENT_BITS_PER_IMAGE.into(),
                        coded.coefficient_bits as f64 / n,
                    ),
                    (metric::MODEL_BITS_PER_IMAGE.into(), coded.model_bits / n),
                    ("roundtrip".into(), f64::from(u8::from(coded.is_roundtrip))),
                ]);
                images.push(Images {
                    name: RECONSTRUCTIONS.into(),
                    width: self.data.width,
                    height: self.data.height,
                    is_signed: false,
                    captions: self.data.captions(),
                    pixels: coded.reconstructions.clone(),
                });
            }
            metrics.retain(|(_, value)| value.is_finite());
            let progress =
                (iterations / ITERATIONS_PER_REPORT) as u64 + u64::from(self.result.is_some());
            let total = if matches!(self.phase, Phase::Iterating) {
                (MAX_ITERATIONS / ITERATIONS_PER_REPORT) as u64 + 1
            } else {
                progress.max(1)
            };
            Report {
                progress,
                total,
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

        pub(crate) fn run(pairs: &[(&str, &str)]) -> Report {
            crate::session::run_to_done("pca", pairs)
        }

        #[test]
        fn digits_ten_components_explain_most_and_code_far_below_raw() {
            let report = run(&[("k", "10"), ("seed", "1")]);
            assert_eq!(report.progress, report.total);
            assert_eq!(report.metric("roundtrip"), Some(1.0));
            let explained = report.metric("explained-variance").unwrap();
            // scikit-learn's PCA on these digits: the first ten components explain 73.8% of the
            // variance (pixels scaled by 1/16 changes no ratio).
            assert!((explained - 0.738).abs() < 0.01, "{explained}");
            // The error per pixel is the unexplained variance over the 64 pixels.
            let total = report.metric("total-variance").unwrap();
            let mse = report.metric("reconstruction-mse").unwrap();
            assert!(
                (mse - (1.0 - explained) * total / 64.0).abs() < 1e-3 * mse.max(1e-3),
                "{mse}"
            );
            // Quantizing adds about a tenth (within rounding effects), no more than a fifth.
            let coded = report.metric("coded-mse").unwrap();
            assert!(coded >= mse && coded < 1.2 * mse, "{coded} vs {mse}");
            let bits = report.metric("bits-per-image").unwrap();
            assert!(bits > 10.0 && bits < 80.0, "{bits}");
            assert_eq!(report.metric("raw-bits-per-image"), Some(512.0));
            assert_eq!(report.images(COMPONENTS).unwrap().count(), 16);
            assert_eq!(report.images(RECONSTRUCTIONS).unwrap().count(), 10);
        }

        #[test]
        fn a_noiseless_subspace_is_explained_at_its_rank() {
            let report = run(&[("dataset", "subspace"), ("k", "5"), ("noise", "0")]);
            let explained = report.metric("explained-variance").unwrap();
            assert!((explained - 1.0).abs() < 1e-5, "{explained}");
            let spectrum = &report.series(SPECTRUM).unwrap().points;
            // λ₅ ≈ 0.2² = 0.04 and λ₆ is zero up to rounding.
            assert!(spectrum[4].1 > 0.02 && spectrum[5].1 < 1e-5, "{spectrum:?}");
            let coded = report.metric("coded-mse").unwrap();
            assert!(coded < 1e-4, "{coded}");
        }
    }
}
