//! Demo `crate-layers`: no training. Tokens drawn near K known subspaces, and a CRATE stack whose
//! attention heads are those subspaces: each layer compresses the tokens against the subspaces
//! (MSSA) and then sparsifies them (one ISTA step), and the demo measures both, layer by layer.
//!
//! The subspaces are blocks of coordinates (U_k spans coordinates k·p … (k+1)·p − 1, p = dim/K),
//! so a clean token is sparse in the standard basis and the ISTA step's dictionary is the
//! identity: the setting in which CRATE's derivation says compression and sparsity agree. Each
//! layer centres its tokens and scales them to unit length (LayerNorm without its learned
//! scale and shift), moves them halfway to
//! their subspace attention, Z ← ½ Z + ½ Σ_k U_k (U_kᵀZ) softmax(β (U_kᵀZ)ᵀ(U_kᵀZ)), and takes
//! the ISTA step Z ← ReLU(Z + η Dᵀ(Z − D Z) − ηλ) with D = I, η = λ = 0.1. With D = I the
//! gradient term vanishes and the step is ReLU(Z − ηλ): it zeroes every entry below ηλ = 0.01
//! (the negative half of each signed token) and lowers the others by 0.01.
//!
//! Two kinds of rate are measured. Chapter 4's label-conditioned class rate R_c(Z | Π) of the
//! unit tokens, labelled by the subspace each was drawn from and pooled over all of them. And
//! the terms of CRATE's own objective on the attention step's output Z^{ℓ+½} (the tokens are one
//! image, N = K·24 columns of Z ∈ R^{d×N}), against the layer's subspaces, which here are the
//! true ones: the compression term R^c(Z; U) = Σₖ R(U_kᵀZ), the rate R(Z) and the sparse rate
//! reduction R − R^c − λ s, s the share of nonzero entries after the ISTA step
//! ([`occam_core::white_box::mean_token_rates`]), all at ε = [`EPS`].

use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

pub const SUBSPACES: ParamSpec = ParamSpec {
    name: "subspaces",
    label: "subspaces K",
    help: "how many subspaces the tokens come from (one attention head each)",
    kind: ParamKind::Int {
        min: 1,
        max: 8,
        default: 4,
    },
};

pub const DIM: ParamSpec = ParamSpec {
    name: "dim",
    label: "token dimension",
    help: "the size of a token; each subspace spans dim / K coordinates",
    kind: ParamKind::Int {
        min: 2,
        max: 64,
        default: 32,
    },
};

/// Layers: shared with `crate-digits` on the chapter page (the same default).
pub const LAYERS: ParamSpec = ParamSpec {
    name: "layers",
    label: "layers",
    help: "how many CRATE layers (attention, then ISTA) the tokens pass through",
    kind: ParamKind::Int {
        min: 1,
        max: 12,
        default: 2,
    },
};

pub const NOISE: ParamSpec = ParamSpec {
    name: "noise",
    label: "noise",
    help: "the length of the Gaussian noise added to each unit token (0: tokens exactly in their subspaces)",
    kind: ParamKind::Float {
        min: 0.0,
        max: 2.0,
        default: 0.5,
        step: 0.05,
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const CLASS_RATE_FIRST: &str = "class-rate-first";
    pub const CLASS_RATE_LAST: &str = "class-rate-last";
    pub const SPARSITY_LAST: &str = "sparsity-last";
    pub const CLASS_RATE_PER_LAYER: &str = "class-rate-per-layer";
    pub const SPARSITY_PER_LAYER: &str = "sparsity-per-layer";
    pub const COMPRESSION_RATE_PER_LAYER: &str = "compression-rate-per-layer";
    pub const RATE_PER_LAYER: &str = "rate-per-layer";
    pub const SPARSE_RATE_REDUCTION_PER_LAYER: &str = "sparse-rate-reduction-per-layer";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "crate-layers",
    title: "A CRATE stack that knows the subspaces",
    params: &[SUBSPACES, DIM, LAYERS, NOISE, SEED],
    metrics: &[
        MetricSpec::new(
            metric::CLASS_RATE_FIRST,
            "label-conditioned class rate Rc(Z | Π) of the input tokens, pooled over all tokens (nats a token)",
            3,
        ),
        MetricSpec::new(
            metric::CLASS_RATE_LAST,
            "label-conditioned class rate Rc(Z | Π) after the last layer, pooled over all tokens",
            3,
        ),
        MetricSpec::new(
            metric::SPARSITY_LAST,
            "share of zero entries after the last layer",
            3,
        ),
        MetricSpec::list(
            metric::CLASS_RATE_PER_LAYER,
            "label-conditioned class rate Rc(Z | Π), pooled over all tokens: input then layer by layer",
            2,
        ),
        MetricSpec::list(
            metric::SPARSITY_PER_LAYER,
            "share of zero entries: input then each layer's ISTA output",
            2,
        ),
        MetricSpec::list(
            metric::COMPRESSION_RATE_PER_LAYER,
            "compression term Rᶜ(Z; U) = Σₖ R(U_kᵀZ) of each layer's attention output, against its subspaces (nats)",
            2,
        ),
        MetricSpec::list(
            metric::RATE_PER_LAYER,
            "coding rate R(Z) of each layer's attention output (nats)",
            2,
        ),
        MetricSpec::list(
            metric::SPARSE_RATE_REDUCTION_PER_LAYER,
            "R(Z) − Rᶜ(Z; U) − λ·(share of nonzero entries after the ISTA step), layer by layer",
            2,
        ),
    ],
    uses_tensors: true,
    on_page: None,
    workload_params: &["dim"],
};

/// Tokens per subspace.
pub const TOKENS_PER_SUBSPACE: usize = 24;
/// β, the attention's inverse temperature on unit tokens.
pub const SHARPNESS: f64 = 8.0;
/// ε of every rate: the class rate, R(Z) and Rᶜ(Z; U).
pub const EPS: f64 = 0.5;
/// η, the ISTA step size.
pub const ISTA_STEP: f64 = 0.1;
/// λ, the ISTA threshold's weight and the weight of the share of nonzero entries in the sparse
/// rate reduction.
pub const LAMBDA: f64 = 0.1;
/// The tokens at each layer, one image per layer (tokens down, coordinates across).
pub const TOKENS: &str = "tokens";

#[cfg(feature = "session")]
pub use run::CrateLayers;

#[cfg(feature = "session")]
mod run {
    use super::metric;
    use occam_core::burn::prelude::{Device, Tensor};
    use occam_core::burn::tensor::TensorData;
    use occam_core::mcr2::as_columns;
    use occam_core::rate::class_rate;
    use occam_core::read_back;
    use occam_core::rng::{normal, seeded};
    use occam_core::white_box::{ista_step, mean_token_rates, subspace_attention};

    use super::{
        DIM, EPS, ISTA_STEP, LAMBDA, LAYERS, NOISE, SHARPNESS, SUBSPACES, TOKENS,
        TOKENS_PER_SUBSPACE,
    };
    use crate::params::Values;
    use crate::protocol::{Images, Point, Report, Series};
    use crate::run::{DemoError, DemoRun, Step, device_error};

    /// A run: the tokens through the layers, one layer a step.
    pub struct CrateLayers {
        device: Device,
        tokens: Tensor<3>,
        bases: Tensor<2>,
        /// The same [U_1 … U_K], row-major `[dim, K·p]`, for the host's rates.
        host_bases: Vec<f32>,
        labels: Vec<usize>,
        subspaces: usize,
        dim: usize,
        layers: u64,
        done: u64,
        class_rates: Vec<Point>,
        sparsities: Vec<Point>,
        /// Per layer (1, 2, …): Rᶜ(Z; U), R(Z) and R − Rᶜ − λ s of the attention output.
        compression_rates: Vec<Point>,
        rates: Vec<Point>,
        sparse_rate_reductions: Vec<Point>,
        /// Every layer's tokens (row-major `[tokens, dim]`), input first.
        snapshots: Vec<f32>,
    }

    impl std::fmt::Debug for CrateLayers {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("CrateLayers")
                .field("done", &self.done)
                .finish_non_exhaustive()
        }
    }

    /// LayerNorm without its learned scale and shift: each row minus its mean, scaled to unit
    /// length. (Centering matters once the ISTA step has made the tokens non-negative: head k
    /// then gives a token outside subspace k the average of every token's k-coordinates, which
    /// centring makes zero on average instead of positive everywhere.)
    fn normalize(z: Tensor<3>) -> Tensor<3> {
        let centred = z.clone() - z.mean_dim(2); // [1, n, d]
        let norms = centred
            .clone()
            .powi_scalar(2)
            .sum_dim(2)
            .sqrt()
            .add_scalar(1e-8); // [1, n, 1]
        centred / norms
    }

    impl DemoRun for CrateLayers {
        fn start(params: &Values, device: &Device) -> Result<Self, DemoError> {
            let subspaces = params.int(SUBSPACES.name)? as usize;
            let dim = params.int(DIM.name)? as usize;
            if dim < subspaces {
                return Err(DemoError::Invalid(format!(
                    "the token dimension ({dim}) must be at least the number of subspaces ({subspaces})"
                )));
            }
            let per = dim / subspaces; // p
            let noise = params.float(NOISE.name)? as f32;
            let mut rng = seeded(params.seed()?);
            let count = subspaces * TOKENS_PER_SUBSPACE;
            // Token i of subspace k: a unit vector in coordinates k·p … (k+1)·p − 1, plus noise
            // of expected length `noise` over all coordinates.
            let mut tokens = vec![0.0f32; count * dim];
            let mut labels = Vec::with_capacity(count);
            for index in 0..count {
                let class = index / TOKENS_PER_SUBSPACE;
                labels.push(class);
                let row = &mut tokens[index * dim..(index + 1) * dim];
                let inside = normal(per, &mut rng);
                let length = inside.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                for (offset, value) in inside.iter().enumerate() {
                    row[class * per + offset] = value / length;
                }
                let scale = noise / (dim as f32).sqrt();
                for (entry, value) in row.iter_mut().zip(normal(dim, &mut rng)) {
                    *entry += scale * value;
                }
            }
            let mut bases = vec![0.0f32; dim * subspaces * per];
            for column in 0..subspaces * per {
                bases[column * subspaces * per + column] = 1.0; // U = [e_0 … e_{Kp−1}]: row j, column j
            }
            let mut demo = Self {
                device: device.clone(),
                tokens: Tensor::from_data(TensorData::new(tokens.clone(), [1, count, dim]), device),
                bases: Tensor::from_data(
                    TensorData::new(bases.clone(), [dim, subspaces * per]),
                    device,
                ),
                host_bases: bases,
                labels,
                subspaces,
                dim,
                layers: params.int(LAYERS.name)?,
                done: 0,
                class_rates: Vec::new(),
                sparsities: Vec::new(),
                compression_rates: Vec::new(),
                rates: Vec::new(),
                sparse_rate_reductions: Vec::new(),
                snapshots: Vec::new(),
            };
            demo.measure(&tokens, 0);
            Ok(demo)
        }

        async fn advance(&mut self) -> Result<Step, DemoError> {
            let z = normalize(self.tokens.clone()); // [1, n, d]
            let attended =
                subspace_attention(z.clone(), self.bases.clone(), self.subspaces, SHARPNESS);
            let compressed = z.mul_scalar(0.5) + attended.mul_scalar(0.5); // [1, n, d]: Z^{ℓ+½}
            let identity = Tensor::<2>::eye(self.dim, &self.device);
            self.tokens = ista_step(compressed.clone(), identity, ISTA_STEP, LAMBDA);
            self.done += 1;
            let tokens = read_back(self.tokens.clone()).await.map_err(device_error)?;
            let compressed = read_back(compressed).await.map_err(device_error)?;
            self.measure(&tokens, self.done);
            self.measure_objective(&compressed, &tokens)?;
            Ok(Step::new(self.report(), self.done >= self.layers))
        }
    }

    impl CrateLayers {
        /// Rc of the (unit) tokens by subspace, and their share of zero entries.
        fn measure(&mut self, tokens: &[f32], layer: u64) {
            let mut columns = as_columns(tokens, self.dim);
            occam_core::rate::normalize_columns(&mut columns);
            let rate = class_rate(&columns, &self.labels, self.subspaces, EPS);
            let zeros = tokens.iter().filter(|&&value| value == 0.0).count();
            self.class_rates.push((layer as f64, rate));
            self.sparsities
                .push((layer as f64, zeros as f64 / tokens.len().max(1) as f64));
            self.snapshots.extend_from_slice(tokens);
        }

        /// Rᶜ(Z; U) and R(Z) of the attention output `compressed` (all the tokens, one image)
        /// against the true subspaces, and R − Rᶜ − λ s with s the share of nonzero entries of
        /// the ISTA output `tokens`.
        fn measure_objective(
            &mut self,
            compressed: &[f32],
            tokens: &[f32],
        ) -> Result<(), DemoError> {
            let rates = mean_token_rates(
                compressed,
                self.labels.len(),
                self.dim,
                &self.host_bases,
                self.subspaces,
                EPS,
            )
            .map_err(|error| DemoError::Invalid(error.to_string()))?;
            let nonzeros = tokens.iter().filter(|&&value| value != 0.0).count() as f64
                / tokens.len().max(1) as f64;
            let layer = self.done as f64;
            self.compression_rates.push((layer, rates.compression_rate));
            self.rates.push((layer, rates.rate));
            self.sparse_rate_reductions
                .push((layer, rates.sparse_rate_reduction(LAMBDA, nonzeros)));
            Ok(())
        }

        fn report(&self) -> Report {
            let last = |points: &[Point]| points.last().map_or(f64::NAN, |point| point.1);
            let count = self.labels.len();
            Report {
                progress: self.done,
                total: self.layers,
                metrics: vec![
                    (metric::CLASS_RATE_FIRST.into(), self.class_rates[0].1),
                    (metric::CLASS_RATE_LAST.into(), last(&self.class_rates)),
                    (metric::SPARSITY_LAST.into(), last(&self.sparsities)),
                ],
                series: vec![
                    Series {
                        name: metric::CLASS_RATE_PER_LAYER.into(),
                        points: self.class_rates.clone(),
                    },
                    Series {
                        name: metric::SPARSITY_PER_LAYER.into(),
                        points: self.sparsities.clone(),
                    },
                    Series {
                        name: metric::COMPRESSION_RATE_PER_LAYER.into(),
                        points: self.compression_rates.clone(),
                    },
                    Series {
                        name: metric::RATE_PER_LAYER.into(),
                        points: self.rates.clone(),
                    },
                    Series {
                        name: metric::SPARSE_RATE_REDUCTION_PER_LAYER.into(),
                        points: self.sparse_rate_reductions.clone(),
                    },
                ],
                images: vec![Images {
                    name: TOKENS.into(),
                    width: self.dim,
                    height: count,
                    is_signed: true,
                    captions: (0..self.class_rates.len())
                        .map(|layer| {
                            if layer == 0 {
                                "input".to_owned()
                            } else {
                                format!("layer {layer}")
                            }
                        })
                        .collect(),
                    pixels: self.snapshots.clone(),
                }],
                clouds: Vec::new(),
                tables: Vec::new(),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_layers_compress_and_sparsify() {
            let report =
                crate::session::run_to_done("crate-layers", &[("layers", "3"), ("seed", "5")]);
            let rates = &report.series("class-rate-per-layer").unwrap().points;
            let sparsity = &report.series("sparsity-per-layer").unwrap().points;
            println!("Rc {rates:?}\nsparsity {sparsity:?}");
            assert_eq!(rates.len(), 4);
            // Compression: Rc falls from the input to the last layer, and at every layer.
            assert!(
                rates.windows(2).all(|pair| pair[1].1 < pair[0].1),
                "{rates:?}"
            );
            // Sparsity: noisy tokens have no zero entries; after the layers most are zero (a
            // clean token of one of 4 subspaces has at most a quarter of its entries nonzero).
            assert_eq!(sparsity[0].1, 0.0);
            assert!(sparsity.last().unwrap().1 > 0.75, "{sparsity:?}");
            let images = report.images(TOKENS).unwrap();
            assert_eq!((images.width, images.height, images.count()), (32, 96, 4));
        }

        #[test]
        fn the_objective_has_one_finite_entry_per_layer() {
            let report =
                crate::session::run_to_done("crate-layers", &[("layers", "3"), ("seed", "5")]);
            let list = |name: &str| report.series(name).unwrap().points.clone();
            let (compression, rate, objective) = (
                list("compression-rate-per-layer"),
                list("rate-per-layer"),
                list("sparse-rate-reduction-per-layer"),
            );
            println!("Rᶜ(Z; U) {compression:?}\nR(Z) {rate:?}\nR − Rᶜ − λs {objective:?}");
            let sparsity = list("sparsity-per-layer");
            crate::session::assert_one_finite_entry_per_layer(
                &report,
                &[
                    metric::COMPRESSION_RATE_PER_LAYER,
                    metric::RATE_PER_LAYER,
                    metric::SPARSE_RATE_REDUCTION_PER_LAYER,
                ],
                3,
            );
            for (layer, ((r, c), o)) in rate.iter().zip(&compression).zip(&objective).enumerate() {
                // The ℓ⁰ term: λ times the share of nonzero entries of that layer's ISTA output.
                let nonzeros = 1.0 - sparsity[layer + 1].1;
                assert!((o.1 - (r.1 - c.1 - LAMBDA * nonzeros)).abs() < 1e-12);
                assert!(c.1 > 0.0 && r.1 > 0.0);
            }
        }
    }
}
