//! CRATE, the white-box transformer (Yu et al. 2023, "White-Box Transformers via Sparse Rate
//! Reduction"), and a standard transformer of the same width and depth, classifying 8×8 digits;
//! on any burn [`Device`].
//!
//! Tokens are columns zᵢ ∈ R^d of Z ∈ R^{d×N} in the paper (d = `width`, N tokens of one
//! image). CRATE unrolls an optimisation of the sparse rate reduction
//! max E[R(Z) − R^c(Z; U₁…U_K) − λ‖Z‖₀], the expectation over images, where
//!
//! - R(Z) = ½ logdet(I_N + d/(N ε²) ZᵀZ) is the coding rate of the image's tokens
//!   ([`crate::rate::coding_rate`], which computes the same number, by Sylvester's determinant
//!   identity, as ½ logdet(I_d + d/(N ε²) Z Zᵀ));
//! - R^c(Z; U₁…U_K) = Σₖ R(U_kᵀ Z) = Σₖ ½ logdet(I_N + p/(N ε²) (U_kᵀ Z)ᵀ(U_kᵀ Z)) counts the
//!   nats to code the tokens projected onto K subspaces of dimension p (bases U_k ∈ R^{d×p}), each
//!   projection coded at its own dimension p ([`compression_rate`]).
//!
//! Both are per image, against the layer's own subspaces: no labels enter (R_c(Z | Π) of
//! [`crate::rate::class_rate`], chapter 4's label-conditioned rate, is a different quantity).
//! [`mean_token_rates`] averages them over a set of images. A layer takes two steps:
//!
//! - compression, approximately a gradient step down R^c:
//!   Z^{ℓ+½} = Z^ℓ + MSSA(Z^ℓ | U₁…U_K), where
//!   SSA(Z | U_k) = (U_kᵀ Z) softmax((U_kᵀ Z)ᵀ (U_kᵀ Z)) (softmax down each column) and
//!   MSSA(Z | U₁…U_K) = (p/(N ε²)) [U_1 … U_K] [SSA(Z | U_1); …; SSA(Z | U_K)]. It is
//!   self-attention with query = key = value = U_kᵀ Z. As in the reference code, the output map
//!   (p/(N ε²)) [U_1 … U_K] is learned freely (a `Linear` with bias) and the scores are scaled by
//!   p^{−½} before the softmax; the free form with the bases themselves as output map is
//!   [`subspace_attention`].
//! - sparsification, one proximal-gradient (ISTA) step on the non-negative lasso
//!   min_{Z ≥ 0} ½‖X − D Z‖² + λ‖Z‖₁ started from Z = X:
//!   Z^{ℓ+1} = ReLU(X + η Dᵀ(X − D X) − ηλ) with X = Z^{ℓ+½} ([`ista_step`]); the dictionary
//!   D ∈ R^{d×d} is learned, η = λ = 0.1 as in the reference. There is no residual around it.
//!
//! Both blocks are pre-norm: they see LayerNorm(Z). Here tokens are the rows of a
//! `[batch, tokens, width]` tensor (the transpose of the paper's Z), so a matrix M acting on
//! columns, M Z, is `z.matmul(Mᵀ)` on rows.
//!
//! The baseline is a pre-norm transformer layer: Z' = Z + Attention(LN(Z)) with separate
//! queries, keys and values, then Z'' = Z' + W₂ GELU(W₁ LN(Z') + b₁) + b₂ (width → 4·width →
//! width). Both models cut the image into patches, map each patch's pixels linearly to a token,
//! prepend a learned class token, add learned positions ([`Embedding`]), and classify from the
//! class token's output ([`Head`]). Unlike the reference, the patch map is a bare `Linear` (no
//! LayerNorm around it).

use burn::module::{Module, Param};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{LayerNorm, LayerNormConfig, Linear};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use burn::tensor::TensorData;
use burn::tensor::activation::{gelu, relu, softmax};
use nalgebra::DMatrix;
use thiserror::Error;

use crate::rate::coding_rate;
use crate::rng::{SeededRng, seeded};

/// Side of the images, in pixels.
pub const IMAGE_SIDE: usize = 8;
/// Pixels per image.
pub const PIXELS: usize = IMAGE_SIDE * IMAGE_SIDE;

/// Which layers the model stacks.
#[derive(Config, Debug, Copy, PartialEq, Eq)]
pub enum Architecture {
    /// MSSA then ISTA: compression then sparsification.
    Crate,
    /// Multi-head self-attention then a GELU perceptron, both with residuals.
    Transformer,
}

/// Why a [`WhiteBoxConfig`] cannot be built.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum WhiteBoxError {
    #[error("a patch of side {patch} does not tile an {IMAGE_SIDE}×{IMAGE_SIDE} image")]
    Patch { patch: usize },
    #[error("width {width} is not a positive multiple of the {heads} heads")]
    Heads { width: usize, heads: usize },
    #[error("a classifier needs at least one class")]
    Classes,
    #[error("{values} numbers are not whole images of {tokens} tokens of width {width}")]
    Tokens {
        values: usize,
        tokens: usize,
        width: usize,
    },
    #[error("{values} numbers are not {width} rows of bases for {heads} heads")]
    Bases {
        values: usize,
        width: usize,
        heads: usize,
    },
}

/// The sizes of a [`Model`].
#[derive(Config, Debug)]
pub struct WhiteBoxConfig {
    pub architecture: Architecture,
    /// Side of a square patch: it must divide [`IMAGE_SIDE`] (2 gives 16 tokens, 4 gives 4).
    pub patch: usize,
    /// d, the size of a token.
    pub width: usize,
    pub layers: usize,
    /// K; each head works in p = width / K dimensions.
    pub heads: usize,
    pub classes: usize,
    /// η, the ISTA step size (CRATE only).
    #[config(default = 0.1)]
    pub eta: f64,
    /// λ, the weight of ‖Z‖₁ in the lasso (CRATE only).
    #[config(default = 0.1)]
    pub lambda: f64,
}

impl WhiteBoxConfig {
    /// Patches per image: (8 / patch)².
    pub fn tokens(&self) -> usize {
        (IMAGE_SIDE / self.patch.max(1)).pow(2)
    }

    /// p = width / heads.
    pub fn head_dim(&self) -> usize {
        self.width / self.heads.max(1)
    }

    /// Whether the sizes fit together.
    pub fn validate(&self) -> Result<(), WhiteBoxError> {
        if self.patch == 0 || !IMAGE_SIDE.is_multiple_of(self.patch) {
            return Err(WhiteBoxError::Patch { patch: self.patch });
        }
        if self.heads == 0 || self.width == 0 || !self.width.is_multiple_of(self.heads) {
            return Err(WhiteBoxError::Heads {
                width: self.width,
                heads: self.heads,
            });
        }
        if self.classes == 0 {
            return Err(WhiteBoxError::Classes);
        }
        Ok(())
    }

    /// Parameters on `device`, drawn on the host from `seed` ([`init_linear`] and the layers'
    /// `init`): the same seed gives the same model on every backend, whatever else draws random
    /// numbers at the same time (flex's generator is one for the whole process).
    ///
    /// # Panics
    /// If [`validate`](Self::validate) fails.
    pub fn init(&self, device: &Device, seed: u64) -> Model {
        if let Err(error) = self.validate() {
            panic!("{error}");
        }
        let rng = &mut seeded(seed);
        let embedding = Embedding::new(self.patch, self.width, rng, device);
        let layers = (0..self.layers)
            .map(|_| match self.architecture {
                Architecture::Crate => Layer::Crate(
                    CrateLayerConfig::new(self.width, self.heads)
                        .with_eta(self.eta)
                        .with_lambda(self.lambda)
                        .init(device, rng),
                ),
                Architecture::Transformer => Layer::Transformer(
                    TransformerLayerConfig::new(self.width, self.heads).init(device, rng),
                ),
            })
            .collect();
        Model {
            embedding,
            layers,
            head: Head::new(self.width, self.classes, rng, device),
        }
    }

    /// Trainable numbers, counted from the sizes (d = width, p·K = d, n = tokens, c = classes):
    /// embedding patch²·d + d (patch map) + d (class token) + (n + 1)·d (positions);
    /// per CRATE layer 2d (LayerNorm) + d·d (U, no bias) + d·d + d (output map) + 2d (LayerNorm)
    /// + d² (D); per transformer layer 2·2d (LayerNorms) + 3(d·d + d) (Q, K, V) + d·d + d (output)
    /// + d·4d + 4d + 4d·d + d (perceptron); head 2d + d·c + c.
    pub fn parameter_count(&self) -> usize {
        let (d, c) = (self.width, self.classes);
        let inner = self.heads * self.head_dim(); // p·K
        let embedding = self.patch.pow(2) * d + d + d + (self.tokens() + 1) * d;
        let layer = match self.architecture {
            Architecture::Crate => 2 * d + d * inner + (inner * d + d) + 2 * d + d * d,
            Architecture::Transformer => {
                4 * d
                    + 3 * (d * inner + inner)
                    + (inner * d + d)
                    + (d * 4 * d + 4 * d)
                    + (4 * d * d + d)
            }
        };
        let head = 2 * d + d * c + c;
        embedding + self.layers * layer + head
    }
}

/// Numbers uniform in [−bound, bound), drawn on the host, as a parameter of `shape`.
fn uniform_param<const D: usize>(
    shape: [usize; D],
    bound: f64,
    rng: &mut SeededRng,
    device: &Device,
) -> Param<Tensor<D>> {
    let numbers = crate::rng::uniform(-bound as f32, bound as f32, shape.iter().product(), rng);
    Param::from_data(TensorData::new(numbers, shape), device)
}

/// A `Linear` (weight `[input, output]`, x ↦ x W + b) initialised as PyTorch's and burn's
/// default: weight and bias uniform in ±1/√input.
pub fn init_linear(
    input: usize,
    output: usize,
    has_bias: bool,
    rng: &mut SeededRng,
    device: &Device,
) -> Linear {
    let bound = 1.0 / (input.max(1) as f64).sqrt();
    let weight = uniform_param([input, output], bound, rng, device);
    let bias = has_bias.then(|| uniform_param([output], bound, rng, device));
    Linear { weight, bias }
}

/// Patches to tokens: x ↦ [t_cls; p₁ W + b; …; p_n W + b] + E, pᵢ the pixels of patch i
/// ([`patches`]), t_cls the class token and E the positions.
///
/// # Shapes
/// - input: `[batch, 64]` (or `[batch, 8, 8]`), row-major pixels
/// - output: `[batch, tokens + 1, width]`, the class token first
#[derive(Module, Debug)]
pub struct Embedding {
    patch_map: Linear,
    class_token: Param<Tensor<2>>,
    positions: Param<Tensor<2>>,
    patch: usize,
}

impl Embedding {
    /// Class token and positions N(0, 1), as in the reference; the patch map as a `Linear`.
    fn new(patch: usize, width: usize, rng: &mut SeededRng, device: &Device) -> Self {
        let tokens = (IMAGE_SIDE / patch).pow(2);
        let mut normal = |rows: usize| {
            let numbers = crate::rng::normal(rows * width, rng);
            Param::from_data(TensorData::new(numbers, [rows, width]), device)
        };
        let (class_token, positions) = (normal(1), normal(tokens + 1));
        Self {
            patch_map: init_linear(patch * patch, width, true, rng, device),
            class_token,
            positions,
            patch,
        }
    }

    pub fn forward<const D: usize>(&self, images: Tensor<D>) -> Tensor<3> {
        let batch = images.dims()[0];
        let tokens = self.patch_map.forward(patches(images, self.patch)); // [b, n, d]
        let [_, width] = self.class_token.dims();
        let class = self
            .class_token
            .val()
            .unsqueeze::<3>()
            .expand([batch, 1, width]); // [b, 1, d]
        Tensor::cat(vec![class, tokens], 1) + self.positions.val().unsqueeze() // [b, n + 1, d]
    }
}

/// Images cut into non-overlapping `patch` × `patch` squares, left to right and top to bottom,
/// each square's pixels row-major.
///
/// # Shapes
/// - images: `[batch, 64]` or `[batch, 8, 8]`
/// - output: `[batch, (8 / patch)², patch²]`
pub fn patches<const D: usize>(images: Tensor<D>, patch: usize) -> Tensor<3> {
    let batch = images.dims()[0];
    let grid = IMAGE_SIDE / patch;
    images
        .reshape([batch, grid, patch, grid, patch]) // [b, grid row, row, grid column, column]
        .permute([0, 1, 3, 2, 4]) // [b, grid row, grid column, row, column]
        .reshape([batch, grid * grid, patch * patch]) // [b, n, patch²]
}

/// LayerNorm, then a linear map of the class token to class scores.
///
/// # Shapes
/// - input: `[batch, tokens + 1, width]`
/// - output: `[batch, classes]`
#[derive(Module, Debug)]
pub struct Head {
    norm: LayerNorm,
    classifier: Linear,
}

impl Head {
    fn new(width: usize, classes: usize, rng: &mut SeededRng, device: &Device) -> Self {
        Self {
            norm: LayerNormConfig::new(width).init(device),
            classifier: init_linear(width, classes, true, rng, device),
        }
    }

    pub fn forward(&self, tokens: Tensor<3>) -> Tensor<2> {
        let [batch, _, width] = tokens.dims();
        let class = tokens.narrow(1, 0, 1).reshape([batch, width]); // [b, d]
        self.classifier.forward(self.norm.forward(class)) // [b, c]
    }
}

/// `[batch, tokens, heads·p]` as `[batch, heads, tokens, p]`: head k's columns k·p … (k+1)·p.
fn split_heads(x: Tensor<3>, heads: usize) -> Tensor<4> {
    let [batch, tokens, inner] = x.dims();
    x.reshape([batch, tokens, heads, inner / heads]) // [b, n, K, p]
        .swap_dims(1, 2) // [b, K, n, p]
}

/// The inverse of [`split_heads`]: heads side by side again.
fn merge_heads(x: Tensor<4>) -> Tensor<3> {
    let [batch, heads, tokens, p] = x.dims();
    x.swap_dims(1, 2) // [b, n, K, p]
        .reshape([batch, tokens, heads * p]) // [b, n, K·p]
}

/// Multi-head attention on token rows: for each head k, A_k = softmax(Q_k K_kᵀ · scale) over
/// the keys (each row sums to 1) and the output A_k V_k; heads concatenated.
///
/// # Shapes
/// - query, key, value: `[batch, tokens, heads·p]`
/// - output: `[batch, tokens, heads·p]` and the attention `[batch, heads, tokens, tokens]`
fn attend(
    query: Tensor<3>,
    key: Tensor<3>,
    value: Tensor<3>,
    heads: usize,
    scale: f64,
) -> (Tensor<3>, Tensor<4>) {
    let query = split_heads(query, heads); // [b, K, n, p]
    let key = split_heads(key, heads); // [b, K, n, p]
    let value = split_heads(value, heads); // [b, K, n, p]
    let scores = query.matmul(key.transpose()).mul_scalar(scale); // [b, K, n, n]
    let attention = softmax(scores, 3); // [b, K, n, n], rows sum to 1
    let output = attention.clone().matmul(value); // [b, K, n, p]
    (merge_heads(output), attention)
}

/// Σ_k U_k (U_kᵀ Z) softmax((U_kᵀ Z)ᵀ (U_kᵀ Z) · scale), in token rows: MSSA with the bases
/// themselves as the output map, without LayerNorm or scale p/(N ε²) (for the untrained demo).
/// `bases` = [U_1 … U_K], head k's bases in columns k·p … (k+1)·p.
///
/// # Shapes
/// - z: `[batch, tokens, width]`
/// - bases: `[width, heads·p]`
/// - output: `[batch, tokens, width]`
pub fn subspace_attention(z: Tensor<3>, bases: Tensor<2>, heads: usize, scale: f64) -> Tensor<3> {
    // Row i holds U_1ᵀ zᵢ, …, U_Kᵀ zᵢ side by side.
    let projections = z.matmul(bases.clone().unsqueeze()); // [b, n, K·p]
    let (mixed, _) = attend(
        projections.clone(),
        projections.clone(),
        projections,
        heads,
        scale,
    ); // [b, n, K·p]
    mixed.matmul(bases.transpose().unsqueeze()) // [b, n, d]: Σ_k (A_k W_k) U_kᵀ
}

/// One ISTA step on min_{z ≥ 0} ½‖x − D z‖² + λ‖z‖₁ from z = x, token by token:
/// z⁺ = max(0, x − η Dᵀ(D x − x) − ηλ). With tokens as columns X this is
/// Z⁺ = ReLU(X + η Dᵀ(X − D X) − ηλ); on rows x (= columns transposed) D X is `x Dᵀ` and
/// Dᵀ R is `r D`, so the code computes ReLU(x + η (x − x Dᵀ) D − ηλ).
///
/// # Shapes
/// - x: `[..., width]` (tokens in the last dimension)
/// - dictionary: `[width, width]`
/// - output: as x
pub fn ista_step<const D: usize>(
    x: Tensor<D>,
    dictionary: Tensor<2>,
    eta: f64,
    lambda: f64,
) -> Tensor<D> {
    let dictionary: Tensor<D> = dictionary.unsqueeze(); // [1, …, d, d]
    let reconstruction = x.clone().matmul(dictionary.clone().transpose()); // [..., d]: (D X)ᵀ
    let descent = (x.clone() - reconstruction).matmul(dictionary); // [..., d]: (Dᵀ(X − D X))ᵀ
    relu(x + descent.mul_scalar(eta).sub_scalar(eta * lambda))
}

/// Multi-head subspace self-attention on LayerNorm(z), with the residual:
/// z + W_out [A_1 W_1, …, A_K W_K] + b, W_k = x U_k, A_k = softmax(W_k W_kᵀ p^{−½}).
///
/// # Shapes
/// - input: `[batch, tokens, width]`
/// - output: `[batch, tokens, width]` and the attention `[batch, heads, tokens, tokens]`
#[derive(Module, Debug)]
pub struct Mssa {
    norm: LayerNorm,
    /// [U_1 … U_K]: weight `[width, heads·p]`, no bias.
    bases: Linear,
    output: Linear,
    heads: usize,
}

impl Mssa {
    pub fn forward(&self, z: Tensor<3>) -> (Tensor<3>, Tensor<4>) {
        let x = self.norm.forward(z.clone()); // [b, n, d]
        let projections = self.bases.forward(x); // [b, n, K·p]
        let p = projections.dims()[2] / self.heads;
        let scale = (p as f64).powf(-0.5);
        let (mixed, attention) = attend(
            projections.clone(),
            projections.clone(),
            projections,
            self.heads,
            scale,
        ); // [b, n, K·p], [b, K, n, n]
        (z + self.output.forward(mixed), attention)
    }

    /// [U_1 … U_K], `[width, heads·p]`.
    pub fn bases(&self) -> Tensor<2> {
        self.bases.weight.val()
    }
}

/// The ISTA block on LayerNorm(z), without a residual: [`ista_step`] with the learned D.
///
/// # Shapes
/// - input, output: `[batch, tokens, width]`
#[derive(Module, Debug)]
pub struct Ista {
    norm: LayerNorm,
    /// D, `[width, width]`: x ≈ D z in the column convention.
    dictionary: Param<Tensor<2>>,
    eta: f64,
    lambda: f64,
}

impl Ista {
    pub fn forward(&self, z: Tensor<3>) -> Tensor<3> {
        ista_step(
            self.norm.forward(z),
            self.dictionary.val(),
            self.eta,
            self.lambda,
        )
    }

    /// D, `[width, width]`.
    pub fn dictionary(&self) -> Tensor<2> {
        self.dictionary.val()
    }
}

/// The sizes of a [`CrateLayer`].
#[derive(Config, Debug)]
pub struct CrateLayerConfig {
    pub width: usize,
    pub heads: usize,
    #[config(default = 0.1)]
    pub eta: f64,
    #[config(default = 0.1)]
    pub lambda: f64,
}

impl CrateLayerConfig {
    /// Parameters drawn from `rng`: linear maps as [`init_linear`], D Kaiming-uniform
    /// (±√(6/d)), as in the reference.
    pub fn init(&self, device: &Device, rng: &mut SeededRng) -> CrateLayer {
        let (width, heads) = (self.width, self.heads);
        let inner = heads * (width / heads);
        let bases = init_linear(width, inner, false, rng, device);
        let output = init_linear(inner, width, true, rng, device);
        let dictionary = uniform_param([width, width], (6.0 / width as f64).sqrt(), rng, device);
        CrateLayer {
            mssa: Mssa {
                norm: LayerNormConfig::new(width).init(device),
                bases,
                output,
                heads,
            },
            ista: Ista {
                norm: LayerNormConfig::new(width).init(device),
                dictionary,
                eta: self.eta,
                lambda: self.lambda,
            },
        }
    }
}

/// z ↦ ISTA(MSSA(z)): compress against the subspaces, then sparsify against D.
///
/// # Shapes
/// - input, output: `[batch, tokens, width]`
#[derive(Module, Debug)]
pub struct CrateLayer {
    pub mssa: Mssa,
    pub ista: Ista,
}

impl CrateLayer {
    pub fn forward(&self, z: Tensor<3>) -> Tensor<3> {
        self.forward_traced(z).tokens
    }

    pub fn forward_traced(&self, z: Tensor<3>) -> LayerTrace {
        let (compressed, attention) = self.mssa.forward(z); // [b, n, d], [b, K, n, n]
        let tokens = self.ista.forward(compressed.clone()); // [b, n, d]
        LayerTrace {
            after_attention: compressed,
            tokens,
            attention,
            subspaces: Some(self.mssa.bases()),
        }
    }
}

/// The sizes of a [`TransformerLayer`].
#[derive(Config, Debug)]
pub struct TransformerLayerConfig {
    pub width: usize,
    pub heads: usize,
}

impl TransformerLayerConfig {
    /// Parameters drawn from `rng`, linear maps as [`init_linear`].
    pub fn init(&self, device: &Device, rng: &mut SeededRng) -> TransformerLayer {
        let (width, heads) = (self.width, self.heads);
        let inner = heads * (width / heads);
        let mut linear = |input, output| init_linear(input, output, true, rng, device);
        TransformerLayer {
            query: linear(width, inner),
            key: linear(width, inner),
            value: linear(width, inner),
            output: linear(inner, width),
            expand: linear(width, 4 * width),
            contract: linear(4 * width, width),
            attention_norm: LayerNormConfig::new(width).init(device),
            perceptron_norm: LayerNormConfig::new(width).init(device),
            heads,
        }
    }
}

/// z' = z + W_o Attention(W_q x, W_k x, W_v x) + b_o with x = LN(z), then
/// z'' = z' + W₂ GELU(W₁ LN(z') + b₁) + b₂.
///
/// # Shapes
/// - input, output: `[batch, tokens, width]`
#[derive(Module, Debug)]
pub struct TransformerLayer {
    attention_norm: LayerNorm,
    query: Linear,
    key: Linear,
    value: Linear,
    output: Linear,
    perceptron_norm: LayerNorm,
    expand: Linear,
    contract: Linear,
    heads: usize,
}

impl TransformerLayer {
    pub fn forward(&self, z: Tensor<3>) -> Tensor<3> {
        self.forward_traced(z).tokens
    }

    pub fn forward_traced(&self, z: Tensor<3>) -> LayerTrace {
        let x = self.attention_norm.forward(z.clone()); // [b, n, d]
        let query = self.query.forward(x.clone()); // [b, n, K·p]
        let p = query.dims()[2] / self.heads;
        let (mixed, attention) = attend(
            query,
            self.key.forward(x.clone()),
            self.value.forward(x),
            self.heads,
            (p as f64).powf(-0.5),
        ); // [b, n, K·p], [b, K, n, n]
        let attended = z + self.output.forward(mixed); // [b, n, d]
        let hidden = gelu(
            self.expand
                .forward(self.perceptron_norm.forward(attended.clone())),
        ); // [b, n, 4d]
        let tokens = attended.clone() + self.contract.forward(hidden); // [b, n, d]
        LayerTrace {
            after_attention: attended,
            tokens,
            attention,
            subspaces: None,
        }
    }
}

/// One layer of either kind.
#[derive(Module, Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "burn's Module derive cannot box a variant; a model holds a handful of layers"
)]
pub enum Layer {
    Crate(CrateLayer),
    Transformer(TransformerLayer),
}

impl Layer {
    pub fn forward_traced(&self, z: Tensor<3>) -> LayerTrace {
        match self {
            Self::Crate(layer) => layer.forward_traced(z),
            Self::Transformer(layer) => layer.forward_traced(z),
        }
    }
}

/// What one layer made of its input.
#[derive(Debug, Clone)]
pub struct LayerTrace {
    /// After the attention block and its residual (CRATE: Z^{ℓ+½}, the compressed tokens):
    /// `[batch, tokens + 1, width]`.
    pub after_attention: Tensor<3>,
    /// The layer's output (CRATE: the ISTA block's, non-negative and sparse):
    /// `[batch, tokens + 1, width]`.
    pub tokens: Tensor<3>,
    /// Each head's attention, rows summing to 1: `[batch, heads, tokens + 1, tokens + 1]`.
    pub attention: Tensor<4>,
    /// CRATE: the layer's [U_1 … U_K] ([`Mssa::bases`]), `[width, heads·p]`, against which its
    /// attention compressed `after_attention`; `None` for a transformer layer (its queries and
    /// keys are separate maps).
    pub subspaces: Option<Tensor<2>>,
}

/// A forward pass with what happened inside it.
#[derive(Debug, Clone)]
pub struct Trace {
    /// `[batch, classes]`.
    pub logits: Tensor<2>,
    /// The embedded tokens, the first layer's input: `[batch, tokens + 1, width]`.
    pub embedded: Tensor<3>,
    /// One entry per layer, first to last.
    pub layers: Vec<LayerTrace>,
}

/// R^c(Z; U₁…U_K) = Σₖ R(U_kᵀ Z) = Σₖ ½ logdet(I + p/(N ε²) (U_kᵀ Z)ᵀ(U_kᵀ Z)) in nats, for the
/// N tokens of one image against the subspaces `bases` = [U_1 … U_K] (head k's basis in columns
/// k·p … (k+1)·p; not necessarily orthonormal). Each U_kᵀ Z ∈ R^{p×N} is coded at its own
/// dimension p: it is [`coding_rate`] of the projection. 0 for no tokens; NaN when a number is not
/// finite.
///
/// # Shapes
/// - z: `[d, N]`, one column per token
/// - bases: `[d, K·p]`
pub fn compression_rate(z: &DMatrix<f64>, bases: &DMatrix<f64>, heads: usize, eps: f64) -> f64 {
    let p = bases.ncols() / heads.max(1);
    (0..heads)
        .map(|k| {
            let projected = bases.columns(k * p, p).transpose() * z; // [p, N]: U_kᵀ Z
            coding_rate(&projected, eps)
        })
        .sum()
}

/// The terms of the sparse rate reduction of a set of images' tokens, each computed per image
/// (on that image's Z ∈ R^{d×N}) and averaged over the images.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TokenRates {
    /// E[R(Z)], R(Z) = ½ logdet(I + d/(N ε²) ZᵀZ).
    pub rate: f64,
    /// E[R^c(Z; U₁…U_K)] ([`compression_rate`]).
    pub compression_rate: f64,
}

impl TokenRates {
    /// E[R(Z)] − E[R^c(Z; U₁…U_K)] − λ s: the sparse rate reduction with its ℓ⁰ term taken as
    /// λ times `nonzero_share` s = ‖Z‖₀/(d N), the share of nonzero entries (the paper's
    /// normalisation of ‖Z‖₀ in its sparsity plots), so that the term stays at most λ nats.
    pub fn sparse_rate_reduction(&self, lambda: f64, nonzero_share: f64) -> f64 {
        self.rate - self.compression_rate - lambda * nonzero_share
    }
}

/// R(Z) and R^c(Z; U₁…U_K) of each image's tokens, averaged over the images: `tokens` holds
/// whole images of `tokens_per_image` rows of `width` numbers (a read-back `[images, N, d]`
/// tensor, such as [`LayerTrace::after_attention`]), `bases` the read-back `[d, K·p]`
/// [U_1 … U_K] ([`LayerTrace::subspaces`]). Zero rates for no images.
pub fn mean_token_rates(
    tokens: &[f32],
    tokens_per_image: usize,
    width: usize,
    bases: &[f32],
    heads: usize,
    eps: f64,
) -> Result<TokenRates, WhiteBoxError> {
    let per_image = tokens_per_image * width;
    if per_image == 0 || !tokens.len().is_multiple_of(per_image) {
        return Err(WhiteBoxError::Tokens {
            values: tokens.len(),
            tokens: tokens_per_image,
            width,
        });
    }
    let columns = bases.len() / width;
    if heads == 0 || bases.len() != width * columns || !columns.is_multiple_of(heads) {
        return Err(WhiteBoxError::Bases {
            values: bases.len(),
            width,
            heads,
        });
    }
    let bases = DMatrix::from_row_slice(width, columns, &as_f64(bases)); // [d, K·p]
    let images = tokens.len() / per_image;
    let mut total = TokenRates {
        rate: 0.0,
        compression_rate: 0.0,
    };
    for image in tokens.chunks(per_image) {
        // Row-major [N, d] is column-major [d, N]: column i is token i.
        let z = DMatrix::from_column_slice(width, tokens_per_image, &as_f64(image)); // [d, N]
        total.rate += coding_rate(&z, eps);
        total.compression_rate += compression_rate(&z, &bases, heads, eps);
    }
    let count = images.max(1) as f64;
    Ok(TokenRates {
        rate: total.rate / count,
        compression_rate: total.compression_rate / count,
    })
}

fn as_f64(numbers: &[f32]) -> Vec<f64> {
    numbers.iter().map(|&value| f64::from(value)).collect()
}

/// Embedding, layers, head.
///
/// # Shapes
/// - input: `[batch, 64]` or `[batch, 8, 8]`, row-major pixels
/// - output: `[batch, classes]`, class scores (logits)
#[derive(Module, Debug)]
pub struct Model {
    embedding: Embedding,
    layers: Vec<Layer>,
    head: Head,
}

impl Model {
    pub fn forward<const D: usize>(&self, images: Tensor<D>) -> Tensor<2> {
        self.run(images, false).logits
    }

    /// The logits and, per layer, its tokens and attention.
    pub fn forward_traced<const D: usize>(&self, images: Tensor<D>) -> Trace {
        self.run(images, true)
    }

    /// The layers, first to last.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The one forward pass: with `is_traced` false the trace is left empty.
    fn run<const D: usize>(&self, images: Tensor<D>, is_traced: bool) -> Trace {
        let embedded = self.embedding.forward(images); // [b, n + 1, d]
        let mut layers = Vec::new();
        let mut tokens = embedded.clone();
        for layer in &self.layers {
            let trace = layer.forward_traced(tokens);
            tokens = trace.tokens.clone(); // [b, n + 1, d]
            if is_traced {
                layers.push(trace);
            }
        }
        Trace {
            logits: self.head.forward(tokens), // [b, c]
            embedded,
            layers,
        }
    }
}

/// Mean cross-entropy −(1/m) Σᵢ log softmax(logitsᵢ)_{yᵢ}, by burn's `CrossEntropyLoss`.
pub(crate) fn cross_entropy(logits: Tensor<2>, labels: &[usize], device: &Device) -> Tensor<1> {
    let targets: Vec<i32> = labels.iter().map(|&label| label as i32).collect();
    let targets = Tensor::<1, Int>::from_data(TensorData::new(targets, [labels.len()]), device);
    CrossEntropyLossConfig::new()
        .init(device)
        .forward(logits, targets) // [1]
}

/// Adam on a [`Model`] with cross-entropy, one host-made batch at a time.
pub struct WhiteBoxTrainer {
    model: Model,
    optimizer: ModuleOptimizer,
    /// Where gradients are taken (`device.autodiff()`).
    device: Device,
    /// Where predictions run, without gradients.
    inference: Device,
    config: WhiteBoxConfig,
}

impl std::fmt::Debug for WhiteBoxTrainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WhiteBoxTrainer")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl WhiteBoxTrainer {
    /// A model of `config`'s sizes on `device`, its parameters fixed by `seed`
    /// ([`WhiteBoxConfig::init`]).
    pub fn new(config: WhiteBoxConfig, device: &Device, seed: u64) -> Result<Self, WhiteBoxError> {
        config.validate()?;
        let training = device.clone().autodiff();
        Ok(Self {
            model: config.init(&training, seed),
            optimizer: AdamConfig::new().init(),
            device: training,
            inference: device.clone(),
            config,
        })
    }

    pub fn config(&self) -> &WhiteBoxConfig {
        &self.config
    }

    /// Trainable numbers ([`WhiteBoxConfig::parameter_count`]).
    pub fn parameter_count(&self) -> usize {
        self.config.parameter_count()
    }

    /// The model as it stands, without gradients.
    pub fn model(&self) -> Model {
        self.model.valid()
    }

    /// One Adam step with step size `learning_rate` on `images` (`[labels.len(), 64]`,
    /// row-major, pixels in [0, 1]) and their `labels`; returns the cross-entropy before the
    /// step, still on the device.
    pub fn step(&mut self, images: Vec<f32>, labels: &[usize], learning_rate: f64) -> Tensor<1> {
        let images = self.images(images, &self.device);
        let logits = self.model.forward(images); // [m, c]
        let loss = cross_entropy(logits, labels, &self.device); // [1]
        let gradients = GradientsParams::from_grads(loss.backward(), &self.model);
        self.model = self
            .optimizer
            .step(learning_rate, self.model.clone(), gradients);
        loss.detach()
    }

    /// Class scores of `images` (`[rows, 64]`): `[rows, classes]`, without gradients.
    pub fn logits(&self, images: Vec<f32>) -> Tensor<2> {
        self.model
            .valid()
            .forward(self.images(images, &self.inference))
    }

    /// [`Model::forward_traced`] on `images` (`[rows, 64]`), without gradients.
    pub fn trace(&self, images: Vec<f32>) -> Trace {
        self.model
            .valid()
            .forward_traced(self.images(images, &self.inference))
    }

    /// The fraction of `images` whose highest score is at their label (reads the scores back).
    pub async fn accuracy(
        &self,
        images: Vec<f32>,
        labels: &[usize],
    ) -> Result<f64, crate::DeviceError> {
        let scores = crate::read_back(self.logits(images)).await?;
        Ok(crate::classifier::accuracy(
            &scores,
            self.config.classes,
            labels,
        ))
    }

    fn images(&self, images: Vec<f32>, device: &Device) -> Tensor<2> {
        let rows = images.len() / PIXELS;
        Tensor::from_data(TensorData::new(images, [rows, PIXELS]), device)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(feature = "compressors")]
    use crate::digits::Digits;
    use crate::rng::normal;
    #[cfg(feature = "compressors")]
    use rand::RngExt;

    fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
        pollster::block_on(crate::read_back(tensor)).expect("a read-back")
    }

    fn tensor<const D: usize>(numbers: Vec<f32>, shape: [usize; D], device: &Device) -> Tensor<D> {
        Tensor::from_data(TensorData::new(numbers, shape), device)
    }

    fn assert_close(got: &[f32], expected: &[f64], tolerance: f64) {
        assert_eq!(got.len(), expected.len());
        for (index, (a, b)) in got.iter().zip(expected).enumerate() {
            assert!(
                (f64::from(*a) - b).abs() < tolerance,
                "at {index}: {a} vs {b}"
            );
        }
    }

    #[test]
    fn shapes_through_both_stacks_and_attention_rows_sum_to_one() {
        let device = Device::flex();
        for architecture in [Architecture::Crate, Architecture::Transformer] {
            for (patch, tokens) in [(2, 16), (4, 4)] {
                let config = WhiteBoxConfig::new(architecture, patch, 24, 3, 3, 10);
                assert_eq!(config.tokens(), tokens);
                let model = config.init(&device, 6);
                let images = Tensor::<3>::from_data(
                    TensorData::new(normal(5 * 64, &mut seeded(1)), [5, 8, 8]),
                    &device,
                );
                assert_eq!(model.forward(images.clone()).dims(), [5, 10]);
                assert_eq!(
                    model.forward(images.clone().reshape([5, 64])).dims(),
                    [5, 10]
                );
                let trace = model.forward_traced(images);
                assert_eq!(trace.logits.dims(), [5, 10]);
                assert_eq!(trace.embedded.dims(), [5, tokens + 1, 24]);
                assert_eq!(trace.layers.len(), 3);
                for (layer, own) in trace.layers.iter().zip(model.layers()) {
                    assert_eq!(layer.tokens.dims(), [5, tokens + 1, 24]);
                    assert_eq!(layer.after_attention.dims(), [5, tokens + 1, 24]);
                    match (own, &layer.subspaces) {
                        (Layer::Crate(own), Some(subspaces)) => {
                            assert_eq!(values(subspaces.clone()), values(own.mssa.bases()));
                        }
                        (Layer::Transformer(_), None) => {}
                        _ => panic!("a CRATE layer traces its subspaces, a transformer layer none"),
                    }
                    assert_eq!(layer.attention.dims(), [5, 3, tokens + 1, tokens + 1]);
                    let sums = values(layer.attention.clone().sum_dim(3));
                    assert!(sums.iter().all(|sum| (sum - 1.0).abs() < 1e-5), "{sums:?}");
                    if architecture == Architecture::Crate {
                        // ISTA ends in a ReLU.
                        assert!(values(layer.tokens.clone()).iter().all(|&v| v >= 0.0));
                    }
                }
            }
        }
    }

    #[test]
    fn patches_are_squares_in_reading_order() {
        let device = Device::flex();
        // Pixel (r, c) of image i holds 100 i + 8 r + c.
        let images: Vec<f32> = (0..2 * PIXELS)
            .map(|index| (100 * (index / PIXELS) + index % PIXELS) as f32)
            .collect();
        let images = tensor(images, [2, 8, 8], &device);
        let cut = values(patches(images.clone(), 2)); // [2, 16, 4]
        assert_eq!(&cut[..8], &[0.0, 1.0, 8.0, 9.0, 2.0, 3.0, 10.0, 11.0]);
        // Patch 5 is grid row 1, column 1: rows 2 and 3, columns 2 and 3.
        assert_eq!(&cut[5 * 4..6 * 4], &[18.0, 19.0, 26.0, 27.0]);
        assert_eq!(&cut[16 * 4..16 * 4 + 4], &[100.0, 101.0, 108.0, 109.0]);
        let cut = values(patches(images.reshape([2, 64]), 4)); // [2, 4, 16]
        let expected: Vec<f32> = (0..4)
            .flat_map(|row| (0..4).map(move |column| (8 * (4 + row) + column) as f32))
            .collect();
        assert_eq!(&cut[2 * 16..3 * 16], expected.as_slice()); // bottom left
    }

    #[test]
    fn configurations_that_do_not_fit_are_refused() {
        let config = |patch, width, heads, classes| {
            WhiteBoxConfig::new(Architecture::Crate, patch, width, 1, heads, classes).validate()
        };
        assert_eq!(config(2, 32, 2, 10), Ok(()));
        assert_eq!(config(3, 32, 2, 10), Err(WhiteBoxError::Patch { patch: 3 }));
        assert_eq!(config(0, 32, 2, 10), Err(WhiteBoxError::Patch { patch: 0 }));
        assert_eq!(
            config(2, 30, 4, 10),
            Err(WhiteBoxError::Heads {
                width: 30,
                heads: 4
            })
        );
        assert_eq!(config(2, 32, 2, 0), Err(WhiteBoxError::Classes));
    }

    /// Rows of `[batch, tokens, width]` numbers reordered by `order` within each batch entry.
    fn permute_rows(numbers: &[f32], batch: usize, tokens: usize, order: &[usize]) -> Vec<f32> {
        let width = numbers.len() / (batch * tokens);
        let mut out = Vec::with_capacity(numbers.len());
        for b in 0..batch {
            for &row in order {
                let start = (b * tokens + row) * width;
                out.extend_from_slice(&numbers[start..start + width]);
            }
        }
        out
    }

    #[test]
    fn permuting_the_tokens_permutes_the_output() {
        let device = Device::flex();
        let (batch, tokens, width, heads) = (2, 5, 8, 2);
        let order = [3, 0, 4, 1, 2];
        let z = normal(batch * tokens * width, &mut seeded(3));
        let z_permuted = permute_rows(&z, batch, tokens, &order);
        let bases = tensor(
            normal(width * width, &mut seeded(4)),
            [width, width],
            &device,
        );

        let attended = |numbers: Vec<f32>| {
            values(subspace_attention(
                tensor(numbers, [batch, tokens, width], &device),
                bases.clone(),
                heads,
                0.5,
            ))
        };
        let expected = permute_rows(&attended(z.clone()), batch, tokens, &order);
        let expected: Vec<f64> = expected.iter().map(|&v| f64::from(v)).collect();
        assert_close(&attended(z_permuted.clone()), &expected, 1e-5);

        let layer = CrateLayerConfig::new(width, heads).init(&device, &mut seeded(5));
        let through = |numbers: Vec<f32>| {
            values(layer.forward(tensor(numbers, [batch, tokens, width], &device)))
        };
        let expected = permute_rows(&through(z), batch, tokens, &order);
        let expected: Vec<f64> = expected.iter().map(|&v| f64::from(v)).collect();
        assert_close(&through(z_permuted), &expected, 1e-5);
    }

    /// z⁺ = max(0, x − η Dᵀ(D x − x) − ηλ) for each row x, in f64 loops (D x: Σⱼ D_ij x_j).
    fn ista_on_host(
        x: &[f32],
        dictionary: &[f32],
        width: usize,
        eta: f64,
        lambda: f64,
    ) -> Vec<f64> {
        let d = |i: usize, j: usize| f64::from(dictionary[i * width + j]);
        x.chunks(width)
            .flat_map(|row| {
                let row: Vec<f64> = row.iter().map(|&v| f64::from(v)).collect();
                let residual: Vec<f64> = (0..width)
                    .map(|i| (0..width).map(|j| d(i, j) * row[j]).sum::<f64>() - row[i])
                    .collect(); // D x − x
                (0..width)
                    .map(|j| {
                        // (Dᵀ(D x − x))_j
                        let gradient: f64 = (0..width).map(|i| d(i, j) * residual[i]).sum();
                        (row[j] - eta * gradient - eta * lambda).max(0.0)
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn ista_is_one_proximal_gradient_step_on_the_nonnegative_lasso() {
        let device = Device::flex();
        let (rows, width) = (7, 6);
        let x = normal(rows * width, &mut seeded(7));
        let dictionary: Vec<f32> = normal(width * width, &mut seeded(8))
            .iter()
            .map(|v| 0.5 * v)
            .collect();
        let (eta, lambda) = (0.1, 0.1);
        let got = values(ista_step(
            tensor(x.clone(), [rows, width], &device),
            tensor(dictionary.clone(), [width, width], &device),
            eta,
            lambda,
        ));
        let expected = ista_on_host(&x, &dictionary, width, eta, lambda);
        assert!(expected.contains(&0.0) && expected.iter().any(|&v| v > 0.0));
        assert_close(&got, &expected, 1e-5);

        // The block of a fresh layer: LayerNorm (γ = 1, β = 0 at first) then the step with the
        // layer's own D, read back.
        let layer = CrateLayerConfig::new(width, 2)
            .with_eta(0.3)
            .with_lambda(0.05)
            .init(&device, &mut seeded(9));
        let got = values(
            layer
                .ista
                .forward(tensor(x.clone(), [1, rows, width], &device)),
        );
        let normalized: Vec<f32> = x
            .chunks(width)
            .flat_map(|row| {
                let mean = row.iter().map(|&v| f64::from(v)).sum::<f64>() / width as f64;
                let variance = row
                    .iter()
                    .map(|&v| (f64::from(v) - mean).powi(2))
                    .sum::<f64>()
                    / width as f64;
                row.iter()
                    .map(move |&v| ((f64::from(v) - mean) / (variance + 1e-5).sqrt()) as f32)
                    .collect::<Vec<_>>()
            })
            .collect();
        let own = values(layer.ista.dictionary());
        let expected = ista_on_host(&normalized, &own, width, 0.3, 0.05);
        assert_close(&got, &expected, 1e-4);
    }

    #[test]
    fn subspace_attention_on_orthonormal_subspaces_mixes_each_head_within_its_subspace() {
        // Width 4, two heads of p = 2, bases the columns of an orthonormal Q (two Givens
        // rotations): U₁ = Q[:, 0..2], U₂ = Q[:, 2..4]. Token 1 lies in span U₁ (z₁ = U₁ a),
        // token 2 in span U₂ (z₂ = U₂ b), so U₂ᵀ z₁ = 0 and U₁ᵀ z₂ = 0. Head 1 then sees rows
        // W₁ = [a; 0]: scores s[[|a|², 0], [0, 0]], attention rows [σ(s|a|²), 1 − σ(s|a|²)] and
        // [½, ½], output rows σ(s|a|²) a and ½ a. Head 2 likewise with b. Mapped back by U_k:
        // out₁ = σ(s|a|²) z₁ + ½ z₂ and out₂ = ½ z₁ + σ(s|b|²) z₂, σ(t) = 1/(1 + e^{−t}).
        let device = Device::flex();
        let (c, s) = (0.6f64, 0.8f64); // a rotation by atan(4/3) in planes (0, 2) and (1, 3)
        let (c2, s2) = (0.28f64, 0.96f64); // and by atan(24/7) in plane (0, 1)
        let mut q = [[0.0f64; 4]; 4];
        for (i, row) in q.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        let rotate = |q: &mut [[f64; 4]; 4], i: usize, j: usize, c: f64, s: f64| {
            for row in q.iter_mut() {
                let (x, y) = (row[i], row[j]);
                row[i] = c * x - s * y;
                row[j] = s * x + c * y;
            }
        };
        rotate(&mut q, 0, 2, c, s);
        rotate(&mut q, 1, 3, c, s);
        rotate(&mut q, 0, 1, c2, s2);
        let (a, b) = ([0.7f64, -1.1], [1.3f64, 0.4]);
        let token = |coefficients: [f64; 2], first_column: usize| -> [f64; 4] {
            std::array::from_fn(|i| {
                q[i][first_column] * coefficients[0] + q[i][first_column + 1] * coefficients[1]
            })
        };
        let (z1, z2) = (token(a, 0), token(b, 2));
        // The other head's projection vanishes.
        for column in 0..2 {
            let along = |z: &[f64; 4], col: usize| (0..4).map(|i| q[i][col] * z[i]).sum::<f64>();
            assert!(along(&z1, column + 2).abs() < 1e-12);
            assert!(along(&z2, column).abs() < 1e-12);
        }
        let scale = 0.5f64.sqrt();
        let sigmoid = |t: f64| 1.0 / (1.0 + (-t).exp());
        let (norm_a, norm_b) = (a[0] * a[0] + a[1] * a[1], b[0] * b[0] + b[1] * b[1]);
        let expected: Vec<f64> = (0..4)
            .map(|i| sigmoid(scale * norm_a) * z1[i] + 0.5 * z2[i])
            .chain((0..4).map(|i| 0.5 * z1[i] + sigmoid(scale * norm_b) * z2[i]))
            .collect();
        let z: Vec<f32> = z1.iter().chain(&z2).map(|&v| v as f32).collect();
        let bases: Vec<f32> = q.iter().flatten().map(|&v| v as f32).collect();
        let got = values(subspace_attention(
            tensor(z, [1, 2, 4], &device),
            tensor(bases, [4, 4], &device),
            2,
            scale,
        ));
        assert_close(&got, &expected, 1e-5);
    }

    #[test]
    fn subspace_attention_matches_a_host_computation() {
        // General (not orthonormal) bases: Σ_k (A_k W_k) U_kᵀ in f64 loops, W_k = z U_k,
        // A_k = softmax over keys of W_k W_kᵀ · scale.
        let device = Device::flex();
        let (batch, tokens, width, heads, p) = (2, 3, 4, 2, 3);
        let z = normal(batch * tokens * width, &mut seeded(12));
        let bases = normal(width * heads * p, &mut seeded(13));
        let scale = 0.7;
        let u = |i: usize, k: usize, c: usize| f64::from(bases[i * heads * p + k * p + c]);
        let mut expected = vec![0.0f64; batch * tokens * width];
        for bt in 0..batch {
            let zz = |t: usize, i: usize| f64::from(z[(bt * tokens + t) * width + i]);
            for k in 0..heads {
                let w: Vec<Vec<f64>> = (0..tokens)
                    .map(|t| {
                        (0..p)
                            .map(|c| (0..width).map(|i| zz(t, i) * u(i, k, c)).sum())
                            .collect()
                    })
                    .collect();
                for t in 0..tokens {
                    let scores: Vec<f64> = (0..tokens)
                        .map(|s| scale * (0..p).map(|c| w[t][c] * w[s][c]).sum::<f64>())
                        .collect();
                    let top = scores.iter().cloned().fold(f64::MIN, f64::max);
                    let total: f64 = scores.iter().map(|v| (v - top).exp()).sum();
                    let mixed: Vec<f64> = (0..p)
                        .map(|c| {
                            (0..tokens)
                                .map(|s| (scores[s] - top).exp() / total * w[s][c])
                                .sum()
                        })
                        .collect();
                    for i in 0..width {
                        expected[(bt * tokens + t) * width + i] +=
                            (0..p).map(|c| mixed[c] * u(i, k, c)).sum::<f64>();
                    }
                }
            }
        }
        let got = values(subspace_attention(
            tensor(z, [batch, tokens, width], &device),
            tensor(bases, [width, heads * p], &device),
            heads,
            scale,
        ));
        assert_close(&got, &expected, 1e-4);
    }

    /// ln det of a square matrix by LU (the determinants here are positive).
    fn log_det_by_lu(matrix: DMatrix<f64>) -> f64 {
        matrix.lu().determinant().ln()
    }

    /// ½ logdet(I_N + scale · WᵀW) for W given as rows w[c][t] (c < rows, t < N), in loops.
    fn half_log_det_of_gram(w: &[Vec<f64>], tokens: usize, scale: f64) -> f64 {
        let gram = DMatrix::from_fn(tokens, tokens, |t, s| {
            let inner: f64 = w.iter().map(|row| row[t] * row[s]).sum();
            f64::from(u8::from(t == s)) + scale * inner
        }); // I + scale WᵀW, [N, N]
        0.5 * log_det_by_lu(gram)
    }

    #[test]
    fn the_compression_rate_is_a_sum_of_per_head_log_determinants_averaged_over_images() {
        // Three images of N = 5 tokens of width d = 6, two heads of p = 3, general bases. For
        // each image and head: W = U_kᵀ Z (p × N) by loops, then ½ logdet(I_N + p/(N ε²) WᵀW) by
        // LU on the N × N matrix; summed over heads, averaged over images. R(Z) likewise with
        // d/(N ε²) ZᵀZ.
        let (images, tokens, width, heads, p, eps) = (3, 5, 6, 2, 3, 0.5);
        let z = normal(images * tokens * width, &mut seeded(21)); // row-major [image, token, i]
        let bases: Vec<f32> = normal(width * heads * p, &mut seeded(22))
            .iter()
            .map(|v| 0.5 * v)
            .collect(); // row-major [i, k·p + c]
        let u = |i: usize, column: usize| f64::from(bases[i * heads * p + column]);
        let (mut rate, mut compression) = (0.0, 0.0);
        for image in 0..images {
            let zz = |t: usize, i: usize| f64::from(z[(image * tokens + t) * width + i]);
            let own: Vec<Vec<f64>> = (0..width)
                .map(|i| (0..tokens).map(|t| zz(t, i)).collect())
                .collect(); // Z as rows: own[i][t]
            rate += half_log_det_of_gram(&own, tokens, width as f64 / (tokens as f64 * eps * eps));
            for k in 0..heads {
                let w: Vec<Vec<f64>> = (0..p)
                    .map(|c| {
                        (0..tokens)
                            .map(|t| (0..width).map(|i| u(i, k * p + c) * zz(t, i)).sum())
                            .collect()
                    })
                    .collect(); // U_kᵀ Z
                compression +=
                    half_log_det_of_gram(&w, tokens, p as f64 / (tokens as f64 * eps * eps));
            }
        }
        let (rate, compression) = (rate / images as f64, compression / images as f64);
        let got = mean_token_rates(&z, tokens, width, &bases, heads, eps).expect("shapes fit");
        let relative = |a: f64, b: f64| (a - b).abs() / b.abs();
        assert!(relative(got.rate, rate) < 1e-6, "{} vs {rate}", got.rate);
        assert!(
            relative(got.compression_rate, compression) < 1e-6,
            "{} vs {compression}",
            got.compression_rate
        );
        assert!(compression > 0.1 && rate > 0.1);
    }

    #[test]
    fn tokens_in_one_subspace_cost_nothing_in_the_other() {
        // d = 4, U₁ = [e₀ e₁], U₂ = [e₂ e₃], ε = ½. Image 1's tokens are c e₀ and c e₁, so
        // U₁ᵀZ = c I₂ and U₂ᵀZ = 0: R(U₂ᵀZ) = 0 and R(U₁ᵀZ) = ½ logdet((1 + p c²/(N ε²)) I₂)
        // = ln(1 + c²/ε²) = ln 4 at c = √3 ε (p = N = 2), while R(Z) = ln(1 + d c²/(N ε²)) = ln 7.
        // Image 2's tokens are c e₂ and c e₃, the same with the heads swapped.
        let eps = 0.5f64;
        let c = 3f64.sqrt() * eps;
        let bases = DMatrix::<f64>::identity(4, 4);
        let mut first = DMatrix::<f64>::zeros(4, 2);
        first[(0, 0)] = c;
        first[(1, 1)] = c;
        let relative = |a: f64, b: f64| (a - b).abs() / b.abs();
        let other = bases.columns(2, 2).into_owned();
        assert_eq!(compression_rate(&first, &other, 1, eps), 0.0);
        let own = compression_rate(&first, &bases.columns(0, 2).into_owned(), 1, eps);
        assert!(relative(own, 4f64.ln()) < 1e-12, "{own}");
        let both = compression_rate(&first, &bases, 2, eps);
        assert!(relative(both, 4f64.ln()) < 1e-12, "{both}");

        let c = c as f32;
        #[rustfmt::skip]
        let tokens = [
            c, 0.0, 0.0, 0.0, /**/ 0.0, c, 0.0, 0.0, // image 1, tokens in U₁
            0.0, 0.0, c, 0.0, /**/ 0.0, 0.0, 0.0, c, // image 2, tokens in U₂
        ];
        let identity: Vec<f32> = (0..16).map(|i| f32::from(u8::from(i % 5 == 0))).collect();
        let rates = mean_token_rates(&tokens, 2, 4, &identity, 2, eps).expect("shapes fit");
        assert!(relative(rates.rate, 7f64.ln()) < 1e-6, "{rates:?}");
        assert!(
            relative(rates.compression_rate, 4f64.ln()) < 1e-6,
            "{rates:?}"
        );
        // A quarter of the entries are nonzero.
        let reduction = rates.sparse_rate_reduction(0.1, 0.25);
        assert!((reduction - (7f64.ln() - 4f64.ln() - 0.025)).abs() < 1e-6);
    }

    #[test]
    fn token_rates_refuse_shapes_that_do_not_fit() {
        let bases = vec![0.0f32; 4 * 4];
        assert_eq!(
            mean_token_rates(&[0.0; 12], 2, 4, &bases, 2, 0.5),
            Err(WhiteBoxError::Tokens {
                values: 12,
                tokens: 2,
                width: 4
            })
        );
        // 12 numbers are 3 columns of width 4: not 2 heads' worth; 10 are not whole columns.
        for (values, heads) in [(12, 2), (10, 1), (16, 0)] {
            assert_eq!(
                mean_token_rates(&[0.0; 16], 2, 4, &bases[..values], heads, 0.5),
                Err(WhiteBoxError::Bases {
                    values,
                    width: 4,
                    heads
                })
            );
        }
        assert!(mean_token_rates(&[0.0; 16], 2, 0, &bases, 2, 0.5).is_err());
        let empty = mean_token_rates(&[], 2, 4, &bases, 2, 0.5).expect("no images");
        assert_eq!((empty.rate, empty.compression_rate), (0.0, 0.0));
    }

    #[test]
    fn the_parameter_count_is_the_closed_form() {
        // Patch 2, width 32, 2 layers, 2 heads, 10 classes, by hand: embedding 4·32 + 32 + 32 +
        // 17·32 = 736; head 64 + 320 + 10 = 394; a CRATE layer 64 + 1024 + 1056 + 64 + 1024 =
        // 3232; a transformer layer 128 + 3·1056 + 1056 + (4096 + 128 + 4096 + 32) = 12704.
        let crate_config = WhiteBoxConfig::new(Architecture::Crate, 2, 32, 2, 2, 10);
        assert_eq!(crate_config.parameter_count(), 736 + 2 * 3232 + 394);
        let transformer = WhiteBoxConfig::new(Architecture::Transformer, 2, 32, 2, 2, 10);
        assert_eq!(transformer.parameter_count(), 736 + 2 * 12704 + 394);
        let device = Device::flex();
        for architecture in [Architecture::Crate, Architecture::Transformer] {
            for (patch, width, layers, heads, classes) in [
                (2, 32, 2, 2, 10),
                (4, 12, 3, 3, 7),
                (2, 8, 0, 1, 2),
                (1, 16, 1, 4, 10),
            ] {
                let config =
                    WhiteBoxConfig::new(architecture, patch, width, layers, heads, classes);
                let model = config.init(&device, 6);
                assert_eq!(model.num_params(), config.parameter_count(), "{config}");
            }
        }
    }

    /// Pixels (`[rows, 64]`, in [0, 1]) and labels.
    #[cfg(feature = "compressors")]
    type Images = (Vec<f32>, Vec<usize>);

    /// The shipped digits as pixels in [0, 1]: every third image (index 2, 5, …) to test.
    #[cfg(feature = "compressors")]
    fn digits() -> (Images, Images) {
        let (train, test) = Digits::shipped()
            .expect("the shipped digits")
            .labelled()
            .split_for_testing();
        ((train.rows, train.labels), (test.rows, test.labels))
    }

    /// Trains `architecture` (patch 2, width 32, 2 layers, 2 heads, seed 1) for `steps` Adam
    /// steps on seeded batches of 128, the step size 3·10⁻³ for two thirds of them and then
    /// falling linearly to 3·10⁻⁴; returns (first loss, last loss, test accuracy, parameters).
    #[cfg(feature = "compressors")]
    fn train(architecture: Architecture, steps: usize) -> (f32, f32, f64, usize) {
        let ((train_x, train_y), (test_x, test_y)) = digits();
        let config = WhiteBoxConfig::new(architecture, 2, 32, 2, 2, 10);
        let mut trainer = WhiteBoxTrainer::new(config, &Device::flex(), 1).expect("a trainer");
        let mut rng = seeded(2);
        let (mut first, mut last) = (f32::NAN, f32::NAN);
        for step in 0..steps {
            let learning_rate =
                crate::schedule::cooled(3e-3, step as u64, steps as u64, 2 * steps as u64 / 3);
            let rows: Vec<usize> = (0..128)
                .map(|_| rng.random_range(0..train_y.len()))
                .collect();
            let images: Vec<f32> = rows
                .iter()
                .flat_map(|&row| train_x[row * PIXELS..(row + 1) * PIXELS].iter().copied())
                .collect();
            let labels: Vec<usize> = rows.iter().map(|&row| train_y[row]).collect();
            let loss = trainer.step(images, &labels, learning_rate);
            if step == 0 {
                first = values(loss)[0];
            } else if step + 1 == steps {
                last = values(loss)[0];
            }
        }
        let accuracy = pollster::block_on(trainer.accuracy(test_x, &test_y)).expect("scores");
        (first, last, accuracy, trainer.parameter_count())
    }

    #[cfg(feature = "compressors")]
    #[test]
    fn crate_learns_the_digits() {
        // 350 steps is the fewest (in steps of 50) that reached 90% on each of 16 seeds tried
        // (the slowest at 0.907, the median 0.93); 300 left two of them below.
        let (first, last, accuracy, parameters) = train(Architecture::Crate, 350);
        println!(
            "CRATE: loss {first:.3} → {last:.3}, accuracy {accuracy:.3}, {parameters} numbers"
        );
        assert!(last < 0.25 * first, "loss {first} → {last}");
        assert!(accuracy >= 0.9, "accuracy {accuracy}");
    }

    #[cfg(feature = "compressors")]
    #[test]
    fn the_transformer_learns_the_digits() {
        // It learns faster: 200 steps reached 91% or more on each of 16 seeds.
        let (first, last, accuracy, parameters) = train(Architecture::Transformer, 200);
        println!(
            "transformer: loss {first:.3} → {last:.3}, accuracy {accuracy:.3}, {parameters} numbers"
        );
        assert!(last < 0.25 * first, "loss {first} → {last}");
        assert!(accuracy >= 0.9, "accuracy {accuracy}");
    }
}
