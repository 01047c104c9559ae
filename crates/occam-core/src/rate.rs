//! Coding rates, maximal coding rate reduction (MCR²) and the ReduNet layer, in plain Rust
//! (nalgebra, f64; no burn).
//!
//! **The coding rate.** m features zᵢ ∈ R^d, the columns of Z ∈ R^{d×m}, coded up to a precision
//! ε (a squared error of ε² per sample, ε²/d per coordinate), take about
//!
//! R(Z) = ½ logdet(I_d + α Z Zᵀ),  α = d/(m ε²),
//!
//! nats per sample (Ma et al. 2007). It is the mutual information between a Gaussian with the
//! uncentred second moment Z Zᵀ/m and its copy through additive Gaussian noise of variance ε²/d
//! per coordinate: an upper bound on that Gaussian's rate-distortion function at distortion ε²,
//! which reverse water-filling gives exactly (Cover and Thomas, ch. 10). It measures the volume Z spans: ½ Σᵢ ln(1 + α λᵢ)
//! over the eigenvalues λᵢ of Z Zᵀ, so spreading the same energy over more directions costs
//! more. Only ε² enters; ε must not be 0.
//!
//! **The class rate.** Labels Π split the columns into classes Z_j (m_j columns each); coding
//! each class on its own takes
//!
//! R_c(Z | Π) = Σ_j (m_j / 2m) logdet(I + α_j Z_j Z_jᵀ),  α_j = d/(m_j ε²).
//!
//! **Rate reduction.** ΔR(Z, Π) = R(Z) − R_c(Z | Π) ≥ 0, because α Z Zᵀ = Σ_j γ_j α_j Z_j Z_jᵀ
//! with γ_j = m_j/m summing to 1, and logdet is concave:
//! logdet(Σ_j γ_j (I + α_j Z_j Z_jᵀ)) ≥ Σ_j γ_j logdet(I + α_j Z_j Z_jᵀ). MCR² (Yu, Chan et al.
//! 2020) learns features on the unit sphere that maximise ΔR: the whole set spans as much as it
//! can (expand), each class as little (compress). For given classes the whole-set rate is at
//! most Σ_j ½ logdet(I + α Z_j Z_jᵀ) (det(I + A + B) ≤ det(I + A) det(I + B) for positive
//! semi-definite A, B), with equality exactly when the classes' subspaces are orthogonal; so
//! where d leaves room, the optimum puts the classes on orthogonal subspaces.
//!
//! **The gradient.** d/dZ ½ logdet(I + a Z Zᵀ) = a (I + a Z Zᵀ)⁻¹ Z, so the gradient of ΔR
//! with respect to sample zᵢ of class j is
//!
//! ∂ΔR/∂zᵢ = E zᵢ − γ_j C_j zᵢ,  E = α (I + α Z Zᵀ)⁻¹,  C_j = α_j (I + α_j Z_j Z_jᵀ)⁻¹.
//!
//! (I + α Z Zᵀ)⁻¹ z is the residual of z after ridge regression on the columns of Z: E z is
//! the part of z off the directions the whole set already fills, which ascent adds (expanding
//! the set), and C_j z the part off class j's own span, which ascent subtracts (pulling z onto
//! that span).
//! The matrices inverted are the identity plus a positive semi-definite matrix, so their
//! eigenvalues are ≥ 1: every inverse here is a Cholesky solve, well conditioned.
//!
//! **ReduNet** (Chan, Yu et al. 2022) unrolls projected gradient ascent on ΔR into layers,
//!
//! zᵢ ← zᵢ + η m (E zᵢ − γ_j C_j zᵢ) = zᵢ + η (m E zᵢ − m_j C_j zᵢ), then zᵢ ← zᵢ / ‖zᵢ‖,
//!
//! a step along the gradient of m·ΔR (a sample's own gradient scales as 1/m; the factor m keeps
//! η's meaning whatever the number of points), where each layer's E and C_j are computed from
//! the features entering it: the network is constructed forward, one layer at a time, with no
//! backpropagation ([`ReduLayer`]).
//!
//! **Subspaces.** A class's span is read from its singular values (how many directions hold its
//! energy: [`effective_rank`]) and left singular vectors ([`class_basis`]); two spans are
//! compared by their principal angles θ_k = arccos σ_k(AᵀB) for orthonormal bases A, B
//! ([`principal_angles`]), 0 for a shared direction and π/2 for orthogonal ones.
//!
//! ```
//! use nalgebra::DMatrix;
//! use occam_core::rate::coding_rate;
//! // Z = I₂ at ε = 1: α = 2/(2·1) = 1 and R = ½ ln det(2 I₂) = ln 2.
//! let rate = coding_rate(&DMatrix::identity(2, 2), 1.0);
//! assert!((rate - 2f64.ln()).abs() < 1e-15);
//! ```

use nalgebra::{Cholesky, DMatrix, DVector, Dyn, Matrix, U1, storage::Storage};

use crate::rng::{SeededRng, normal};

/// λ in ReduNet's estimated membership π̂_j(z) ∝ exp(−λ ‖C_j z‖) (the paper's value).
pub const MEMBERSHIP_SHARPNESS: f64 = 500.0;

/// Class means drawn by [`gaussian_classes_on_sphere`] lie on lines at least this far apart.
pub const MEAN_SEPARATION_DEGREES: f64 = 20.0;

/// How many random directions [`gaussian_classes_on_sphere`] tries for each class mean.
const MEAN_ATTEMPTS: usize = 1_000;

/// The scale a = d/(n ε²) of a rate over n samples in R^d.
fn precision_scale(dimension: usize, samples: usize, eps: f64) -> f64 {
    dimension as f64 / (samples as f64 * eps * eps)
}

/// The Cholesky factor of I_d + a Z Zᵀ (`z`: [d, n]). The identity's factor when n = 0, so an
/// empty set costs nothing whatever a is. `None` only when Z or a is not finite: the matrix
/// is then not a valid positive definite one.
fn regularized_gram_factor(z: &DMatrix<f64>, scale: f64) -> Option<Cholesky<f64, Dyn>> {
    let dimension = z.nrows();
    let mut gram = if z.ncols() == 0 {
        DMatrix::zeros(dimension, dimension)
    } else {
        z * z.transpose() * scale // [d, d]
    };
    for i in 0..dimension {
        gram[(i, i)] += 1.0;
    }
    Cholesky::new(gram)
}

/// ½ logdet(I + a Z Zᵀ) = Σᵢ ln Lᵢᵢ for the Cholesky factor L (det = Πᵢ Lᵢᵢ²); NaN when Z or a
/// is not finite.
fn half_log_det(z: &DMatrix<f64>, scale: f64) -> f64 {
    match regularized_gram_factor(z, scale) {
        Some(factor) => factor.l_dirty().diagonal().iter().map(|l| l.ln()).sum(),
        None => f64::NAN,
    }
}

/// The indices of the columns labelled `class` (labels past the m-th are ignored).
fn class_members(labels: &[usize], samples: usize, class: usize) -> Vec<usize> {
    labels
        .iter()
        .take(samples)
        .enumerate()
        .filter(|&(_, &label)| label == class)
        .map(|(i, _)| i)
        .collect()
}

/// R(Z) = ½ logdet(I_d + d/(m ε²) Z Zᵀ) in nats, by a Cholesky factorisation of the symmetric
/// positive definite matrix: logdet = 2 Σᵢ ln Lᵢᵢ. 0 for m = 0; NaN when Z is not finite.
///
/// # Shapes
/// `z`: `[d, m]`, one column per sample.
pub fn coding_rate(z: &DMatrix<f64>, eps: f64) -> f64 {
    let (dimension, samples) = z.shape();
    if samples == 0 || dimension == 0 {
        return 0.0;
    }
    half_log_det(z, precision_scale(dimension, samples, eps))
}

/// R_c(Z | Π) = Σ_j (m_j / 2m) logdet(I + d/(m_j ε²) Z_j Z_jᵀ) in nats, over classes
/// 0 … `classes` − 1; an empty class adds 0, and a column whose label is ≥ `classes` (or that
/// has no label) belongs to no class and adds nothing.
///
/// # Shapes
/// `z`: `[d, m]`; `labels`: `[m]`.
pub fn class_rate(z: &DMatrix<f64>, labels: &[usize], classes: usize, eps: f64) -> f64 {
    let (dimension, samples) = z.shape();
    if samples == 0 || dimension == 0 {
        return 0.0;
    }
    (0..classes)
        .map(|class| {
            let members = class_members(labels, samples, class);
            if members.is_empty() {
                return 0.0;
            }
            let class_z = z.select_columns(members.iter()); // [d, m_j]
            let scale = precision_scale(dimension, members.len(), eps);
            members.len() as f64 / samples as f64 * half_log_det(&class_z, scale)
        })
        .sum()
}

/// The three rates of MCR², in nats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    /// R(Z): the whole set.
    pub rate: f64,
    /// R_c(Z | Π): the classes, each coded on its own.
    pub class_rate: f64,
    /// ΔR = R − R_c, the rate reduction (≥ 0 when every column has a class).
    pub delta_rate: f64,
}

/// R, R_c and ΔR = R − R_c together (see [`coding_rate`] and [`class_rate`]).
///
/// # Shapes
/// `z`: `[d, m]`; `labels`: `[m]`.
pub fn rates(z: &DMatrix<f64>, labels: &[usize], classes: usize, eps: f64) -> Rates {
    let rate = coding_rate(z, eps);
    let class_rate = class_rate(z, labels, classes, eps);
    Rates {
        rate,
        class_rate,
        delta_rate: rate - class_rate,
    }
}

/// ∂ΔR/∂Z: column i is E zᵢ − γ_j C_j zᵢ with j the label of i, E = α (I + α Z Zᵀ)⁻¹,
/// C_j = α_j (I + α_j Z_j Z_jᵀ)⁻¹, α = d/(m ε²), α_j = d/(m_j ε²), γ_j = m_j/m. (Since
/// γ_j α_j = α, this is α [(I + α Z Zᵀ)⁻¹ zᵢ − (I + α_j Z_j Z_jᵀ)⁻¹ zᵢ].) The inverses are
/// applied by Cholesky solves. A column with no class (label ≥ `classes`) gets E zᵢ alone.
/// NaN everywhere when Z is not finite.
///
/// # Shapes
/// `z`: `[d, m]`; `labels`: `[m]` → `[d, m]`.
pub fn delta_rate_gradient(
    z: &DMatrix<f64>,
    labels: &[usize],
    classes: usize,
    eps: f64,
) -> DMatrix<f64> {
    let (dimension, samples) = z.shape();
    if samples == 0 || dimension == 0 {
        return DMatrix::zeros(dimension, samples);
    }
    let not_finite = || DMatrix::from_element(dimension, samples, f64::NAN);
    let alpha = precision_scale(dimension, samples, eps);
    let Some(whole) = regularized_gram_factor(z, alpha) else {
        return not_finite();
    };
    // E Z − (γ_j C_j zᵢ)ᵢ: the whole's term less each column's class term.
    whole.solve(z) * alpha - class_rate_gradient(z, labels, classes, eps)
}

/// ∂R_c/∂Z: column i is γ_j C_j zᵢ = γ_j α_j (I + α_j Z_j Z_jᵀ)⁻¹ zᵢ with j the label of i
/// (the terms [`delta_rate_gradient`] subtracts); 0 for a column with no class. NaN everywhere
/// when Z is not finite.
///
/// # Shapes
/// `z`: `[d, m]`; `labels`: `[m]` → `[d, m]`.
pub fn class_rate_gradient(
    z: &DMatrix<f64>,
    labels: &[usize],
    classes: usize,
    eps: f64,
) -> DMatrix<f64> {
    let (dimension, samples) = z.shape();
    let mut gradient = DMatrix::zeros(dimension, samples);
    for class in 0..classes {
        let members = class_members(labels, samples, class);
        if members.is_empty() {
            continue;
        }
        let class_z = z.select_columns(members.iter()); // [d, m_j]
        let class_alpha = precision_scale(dimension, members.len(), eps);
        let proportion = members.len() as f64 / samples as f64;
        let Some(factor) = regularized_gram_factor(&class_z, class_alpha) else {
            return DMatrix::from_element(dimension, samples, f64::NAN);
        };
        let compressed = factor.solve(&class_z) * (proportion * class_alpha); // [d, m_j]
        for (k, &i) in members.iter().enumerate() {
            gradient.set_column(i, &compressed.column(k));
        }
    }
    gradient
}

/// Scales every column to unit length, the projection onto the sphere S^{d−1}; a zero column
/// stays zero.
///
/// # Shapes
/// `z`: `[d, m]`, in place.
pub fn normalize_columns(z: &mut DMatrix<f64>) {
    for mut column in z.column_iter_mut() {
        let norm = column.norm();
        if norm > 0.0 {
            column /= norm;
        }
    }
}

/// One ReduNet layer: the expansion and compression operators of ΔR, built from a set of
/// features and their labels, applied as a step of projected gradient ascent.
///
/// The operators are computed from the data, as ReduNet constructs its layers (no
/// backpropagation): E = α (I + α Z Zᵀ)⁻¹ from the whole set and C_j = α_j (I + α_j Z_j Z_jᵀ)⁻¹
/// from each class. They are kept as the Cholesky factors of I + α Z Zᵀ and I + α_j Z_j Z_jᵀ,
/// and every product with an inverse is a solve.
///
/// # Shapes
/// Built from Z: `[d, m]`; applies to any `[d, n]` with n labels.
#[derive(Debug, Clone)]
pub struct ReduLayer {
    dimension: usize,
    /// d/ε² = m α = m_j α_j: the factor that turns (I + α Z Zᵀ)⁻¹ into m E and
    /// (I + α_j Z_j Z_jᵀ)⁻¹ into m_j C_j.
    step_scale: f64,
    /// The factor of I + α Z Zᵀ; `None` when the features were not finite.
    expansion: Option<Cholesky<f64, Dyn>>,
    /// Per class: α_j and the factor of I + α_j Z_j Z_jᵀ; `None` for a class with no samples
    /// (or features that were not finite).
    compressions: Vec<Option<(f64, Cholesky<f64, Dyn>)>>,
}

impl ReduLayer {
    /// Builds E and every C_j from the features `z` (see [`delta_rate_gradient`] for the
    /// formulas). Labels ≥ `classes` belong to no class.
    ///
    /// # Shapes
    /// `z`: `[d, m]`; `labels`: `[m]`.
    pub fn from_features(z: &DMatrix<f64>, labels: &[usize], classes: usize, eps: f64) -> Self {
        let (dimension, samples) = z.shape();
        let compressions = (0..classes)
            .map(|class| {
                let members = class_members(labels, samples, class);
                if members.is_empty() {
                    return None;
                }
                let class_z = z.select_columns(members.iter()); // [d, m_j]
                let class_alpha = precision_scale(dimension, members.len(), eps);
                regularized_gram_factor(&class_z, class_alpha).map(|factor| (class_alpha, factor))
            })
            .collect();
        Self {
            dimension,
            step_scale: dimension as f64 / (eps * eps),
            expansion: regularized_gram_factor(z, precision_scale(dimension, samples, eps)),
            compressions,
        }
    }

    /// The feature dimension d the layer was built for.
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// zᵢ ← normalize(zᵢ + η (m E zᵢ − m_j C_j zᵢ)) for every column, j the label of i: a step
    /// of size η along the gradient of m·ΔR, then back onto the sphere. The per-sample gradient
    /// of ΔR scales as 1/m (E = α (…)⁻¹ with α = d/(m ε²)); multiplying by m makes the step
    /// (d/ε²) [(I + α Z Zᵀ)⁻¹ − (I + α_j Z_j Z_jᵀ)⁻¹] zᵢ, so η means the same whatever the number
    /// of samples. A column whose class had no samples when the layer was built (or whose label
    /// is ≥ `classes`) is only expanded. All NaN when `z` does not have d rows or the layer was
    /// built from features that were not finite.
    ///
    /// **Choosing η.** At the optimum for d equal classes on orthogonal lines of R^d,
    /// Z Zᵀ = (m/d) I, so (I + α Z Zᵀ)⁻¹ = ε²/(1 + ε²) I, while (I + α_j Z_j Z_jᵀ)⁻¹ is 1 off
    /// class j's line: a sample's component off its line is multiplied by
    /// 1 − η d/(ε² (1 + ε²)). η ≈ ε² (1 + ε²)/d removes it in one step; about twice that makes
    /// the factor −1 and the lines stop attracting. For 2 classes in the plane at ε = 0.5
    /// (η ≈ 0.16 and a limit near 0.35), over eight seeds of [`gaussian_classes_on_sphere`]
    /// with 100 samples per class and spread 0.5, one layer per step: η = 0.1, 0.2 and 0.3
    /// raised ΔR monotonically (up to rounding) to its optimum ln(5/3) ≈ 0.5108, within 10⁻³
    /// after 10–18, 5–9 and 8–14 layers, with the class lines ending orthogonal; η = 0.05 got
    /// there within 30 layers on half the seeds; η = 0.4 and 0.5 stalled near 0.47 and 0.41
    /// with a few samples left on the other class's line.
    ///
    /// # Shapes
    /// `z`: `[d, n]`; `labels`: `[n]` → `[d, n]`.
    pub fn apply(&self, z: &DMatrix<f64>, labels: &[usize], eta: f64) -> DMatrix<f64> {
        let (dimension, samples) = z.shape();
        let not_applicable = || DMatrix::from_element(dimension, samples, f64::NAN);
        let Some(expansion) = &self.expansion else {
            return not_applicable();
        };
        if dimension != self.dimension {
            return not_applicable();
        }
        let step = eta * self.step_scale;
        let mut next = z + expansion.solve(z) * step; // z + η m E z, [d, n]
        for (class, compression) in self.compressions.iter().enumerate() {
            let Some((_, factor)) = compression else {
                continue;
            };
            let members = class_members(labels, samples, class);
            if members.is_empty() {
                continue;
            }
            let class_z = z.select_columns(members.iter()); // [d, n_j]
            let compressed = factor.solve(&class_z) * step; // η m_j C_j Z_j, [d, n_j]
            for (k, &i) in members.iter().enumerate() {
                let mut column = next.column_mut(i);
                column -= compressed.column(k);
            }
        }
        normalize_columns(&mut next);
        next
    }

    /// ReduNet's estimate of which class a sample belongs to when its label is unknown:
    /// π̂_j(z) = exp(−λ ‖C_j z‖) / Σ_k exp(−λ ‖C_k z‖) with λ = [`MEMBERSHIP_SHARPNESS`]
    /// (C_j z is small when z lies in class j's span). A class with no samples gets 0; all
    /// zeros when no class has samples or z does not have d entries.
    ///
    /// # Shapes
    /// `z`: `[d]` → `[classes]`.
    pub fn estimated_membership<S: Storage<f64, Dyn, U1>>(
        &self,
        z: &Matrix<f64, Dyn, U1, S>,
    ) -> Vec<f64> {
        let classes = self.compressions.len();
        if z.nrows() != self.dimension {
            return vec![0.0; classes];
        }
        let z = z.clone_owned();
        let scores: Vec<Option<f64>> = self
            .compressions
            .iter()
            .map(|compression| {
                compression
                    .as_ref()
                    .map(|(alpha, factor)| -MEMBERSHIP_SHARPNESS * alpha * factor.solve(&z).norm())
            })
            .collect();
        let Some(highest) = scores.iter().flatten().copied().reduce(f64::max) else {
            return vec![0.0; classes];
        };
        // Subtracting the highest score before exp keeps the largest term at 1.
        let weights: Vec<f64> = scores
            .iter()
            .map(|score| score.map_or(0.0, |score| (score - highest).exp()))
            .collect();
        let total: f64 = weights.iter().sum();
        weights.iter().map(|weight| weight / total).collect()
    }
}

/// The singular values (descending) and matching left singular vectors (columns) of a matrix;
/// `None` when it is not finite.
fn left_singular_system(matrix: DMatrix<f64>) -> Option<(Vec<f64>, DMatrix<f64>)> {
    let (rows, columns) = matrix.shape();
    if rows == 0 || columns == 0 {
        return Some((Vec::new(), DMatrix::zeros(rows, 0)));
    }
    if !matrix.iter().all(|value| value.is_finite()) {
        return None;
    }
    // max_niter = 0: iterate until convergence, which a finite matrix reaches.
    let svd = matrix.try_svd_unordered(true, false, f64::EPSILON, 0)?;
    let vectors = svd.u?;
    let values = svd.singular_values;
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    Some((
        order.iter().map(|&k| values[k]).collect(),
        vectors.select_columns(order.iter()),
    ))
}

/// The singular values of Z_j, the columns labelled `class`, largest first (min(d, m_j) of
/// them; NaN when Z_j is not finite).
///
/// # Shapes
/// `z`: `[d, m]`; `labels`: `[m]` → `[min(d, m_j)]`.
pub fn class_singular_values(z: &DMatrix<f64>, labels: &[usize], class: usize) -> Vec<f64> {
    let members = class_members(labels, z.ncols(), class);
    let count = z.nrows().min(members.len());
    match left_singular_system(z.select_columns(members.iter())) {
        Some((values, _)) => values,
        None => vec![f64::NAN; count],
    }
}

/// An orthonormal basis of class `class`'s principal subspace: the top r left singular vectors
/// of Z_j, r = min(`rank`, d, m_j) (NaN when Z_j is not finite).
///
/// # Shapes
/// `z`: `[d, m]`; `labels`: `[m]` → `[d, r]`.
pub fn class_basis(z: &DMatrix<f64>, labels: &[usize], class: usize, rank: usize) -> DMatrix<f64> {
    let dimension = z.nrows();
    let members = class_members(labels, z.ncols(), class);
    let rank = rank.min(dimension).min(members.len());
    match left_singular_system(z.select_columns(members.iter())) {
        Some((_, vectors)) => vectors.columns(0, rank).into_owned(),
        None => DMatrix::from_element(dimension, rank, f64::NAN),
    }
}

/// The least r such that the r largest squared singular values hold at least `energy` (clamped
/// to [0, 1]) of Σ σ²: the number of directions a class really spans. At least 1 when any
/// value is nonzero; 0 when all are zero or there are none. The values need not be sorted.
pub fn effective_rank(singular_values: &[f64], energy: f64) -> usize {
    let mut squares: Vec<f64> = singular_values.iter().map(|s| s * s).collect();
    squares.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = squares.iter().sum();
    if total <= 0.0 || total.is_nan() {
        return 0;
    }
    let target = energy.clamp(0.0, 1.0) * total;
    let mut held = 0.0;
    for (r, square) in squares.iter().enumerate() {
        held += square;
        // The partial sums follow the total's own order, so the last one equals it exactly.
        if held >= target {
            return r + 1;
        }
    }
    squares.len()
}

/// The principal angles between the column spaces of `a` and `b`, each with orthonormal
/// columns: θ_k = arccos σ_k(aᵀ b), with σ_k clamped to [0, 1] against rounding, in radians,
/// ascending (min(p, q) of them). Empty when the row counts differ.
///
/// # Shapes
/// `a`: `[d, p]`; `b`: `[d, q]` → `[min(p, q)]`.
pub fn principal_angles(a: &DMatrix<f64>, b: &DMatrix<f64>) -> Vec<f64> {
    if a.nrows() != b.nrows() {
        return Vec::new();
    }
    let count = a.ncols().min(b.ncols());
    match left_singular_system(a.tr_mul(b)) {
        // Descending cosines give ascending angles.
        Some((cosines, _)) => cosines
            .iter()
            .map(|cosine| cosine.clamp(0.0, 1.0).acos())
            .collect(),
        None => vec![f64::NAN; count],
    }
}

/// The index j of the basis U_j (orthonormal columns) that leaves the least residual
/// ‖z − U_j U_jᵀ z‖: the class whose subspace z is nearest. A basis with the wrong number of
/// rows is never chosen; 0 when `bases` is empty.
///
/// # Shapes
/// `z`: `[d]`; each basis `[d, r_j]`.
pub fn nearest_subspace<S: Storage<f64, Dyn, U1>>(
    z: &Matrix<f64, Dyn, U1, S>,
    bases: &[DMatrix<f64>],
) -> usize {
    let residual = |basis: &DMatrix<f64>| {
        if basis.nrows() != z.nrows() {
            return f64::INFINITY;
        }
        let coefficients = basis.tr_mul(z); // [r_j]
        (z - basis * coefficients).norm()
    };
    bases
        .iter()
        .map(residual)
        .enumerate()
        .min_by(|(_, a), (_, b)| a.total_cmp(b))
        .map_or(0, |(j, _)| j)
}

/// A [rows, columns] matrix of independent N(0, 1) entries (column-major draws).
fn gaussian_matrix(rows: usize, columns: usize, rng: &mut SeededRng) -> DMatrix<f64> {
    DMatrix::from_vec(rows, columns, normal(rows * columns, rng)).map(f64::from)
}

/// A direction uniform on the sphere S^{d−1}: a normalised Gaussian vector.
fn random_direction(dimension: usize, rng: &mut SeededRng) -> DVector<f64> {
    let mut direction = DVector::from_vec(normal(dimension, rng)).map(f64::from);
    let norm = direction.norm();
    if norm > 0.0 {
        direction /= norm;
    }
    direction
}

/// `classes` unit directions whose lines are pairwise at least [`MEAN_SEPARATION_DEGREES`]
/// apart (|cos| ≤ cos 20°), by rejection: up to [`MEAN_ATTEMPTS`] random directions per
/// class, keeping the first that fits, or the best-separated when none does.
fn separated_directions(
    classes: usize,
    dimension: usize,
    rng: &mut SeededRng,
) -> Vec<DVector<f64>> {
    let largest_cosine = MEAN_SEPARATION_DEGREES.to_radians().cos();
    let mut means: Vec<DVector<f64>> = Vec::with_capacity(classes);
    for _ in 0..classes {
        let mut best: Option<(f64, DVector<f64>)> = None;
        for _ in 0..MEAN_ATTEMPTS {
            let candidate = random_direction(dimension, rng);
            let closest = means
                .iter()
                .map(|mean| mean.dot(&candidate).abs())
                .fold(0.0, f64::max);
            let is_better = best.as_ref().is_none_or(|(cosine, _)| closest < *cosine);
            if is_better {
                best = Some((closest, candidate));
            }
            if closest <= largest_cosine {
                break;
            }
        }
        if let Some((_, mean)) = best {
            means.push(mean);
        }
    }
    means
}

/// `classes` Gaussian clouds projected onto the unit sphere S^{dim−1}: class j's mean μ_j is a
/// random unit direction, each sample is μ_j + spread · N(0, I) normalised to unit length, and
/// the labels run in class order (per_class 0s, then 1s, …).
///
/// The means are drawn uniformly on the sphere but kept on lines at least 20° apart
/// (|μ_jᵀ μ_k| ≤ cos 20°, [`MEAN_SEPARATION_DEGREES`]): rate reduction sees classes as
/// subspaces, to which z and −z belong alike, so two classes with nearly opposite means would
/// start on the same line. Where that many lines do not fit (more than 9 classes in 2-D, 2 or
/// more in 1-D), each mean is the best separated of 1,000 draws instead.
///
/// # Shapes
/// → Z: `[dim, classes · per_class]`, labels: `[classes · per_class]`.
pub fn gaussian_classes_on_sphere(
    classes: usize,
    dim: usize,
    per_class: usize,
    spread: f64,
    rng: &mut SeededRng,
) -> (DMatrix<f64>, Vec<usize>) {
    let samples = classes * per_class;
    let labels: Vec<usize> = (0..classes)
        .flat_map(|class| std::iter::repeat_n(class, per_class))
        .collect();
    if dim == 0 {
        return (DMatrix::zeros(0, samples), labels);
    }
    let means = separated_directions(classes, dim, rng);
    let mut z = DMatrix::zeros(dim, samples);
    for (i, &class) in labels.iter().enumerate() {
        let noise = gaussian_matrix(dim, 1, rng); // [dim, 1]
        let mut column = z.column_mut(i);
        column.copy_from(&(&means[class] + noise * spread));
    }
    normalize_columns(&mut z);
    (z, labels)
}

/// Classes near `dim`-dimensional subspaces of R^ambient whose overlap is set by `overlap`.
///
/// Class j's subspace has the orthonormal basis U_j = orth(√overlap · S + √(1 − overlap) · V_j)
/// (the Q of a QR factorisation), with S one random [ambient, dim] matrix shared by all
/// classes and V_j one per class, both with N(0, 1) entries. A sample is
/// U_j c + noise · n/√ambient with c ~ N(0, I_dim) and n ~ N(0, I_ambient), so the noise has
/// norm about `noise`. The samples are not normalised (an encoder normalises its outputs).
/// Labels run in class order; `overlap` is clamped to [0, 1] (at 1 all classes share one
/// subspace) and `dim` to `ambient`.
///
/// **The principal angles.** In high ambient dimension n, independent Gaussian matrices are
/// nearly orthogonal: SᵀS ≈ V_jᵀV_j ≈ n I while SᵀV_j and V_jᵀV_k are O(√n). So
/// U_jᵀ U_k ≈ overlap · I + O(1/√n), and every principal angle between two classes' subspaces
/// is about arccos(overlap): near 90° for overlap 0 (independent random subspaces of a large
/// space are nearly orthogonal), 66° at 0.4, 37° at 0.8. The O(1/√n) part only pulls the
/// cosines off 0 at overlap 0: 3 classes of planes in R^400 measure a mean angle of 85.6°,
/// then 67.6° and 38.1° at 0.4 and 0.8 (this module's tests).
///
/// # Shapes
/// → Z: `[ambient, classes · per_class]`, labels: `[classes · per_class]`.
pub fn subspace_mixture(
    classes: usize,
    ambient: usize,
    dim: usize,
    overlap: f64,
    noise: f64,
    per_class: usize,
    rng: &mut SeededRng,
) -> (DMatrix<f64>, Vec<usize>) {
    let samples = classes * per_class;
    let labels: Vec<usize> = (0..classes)
        .flat_map(|class| std::iter::repeat_n(class, per_class))
        .collect();
    let dim = dim.min(ambient);
    if dim == 0 {
        return (DMatrix::zeros(ambient, samples), labels);
    }
    let overlap = overlap.clamp(0.0, 1.0);
    let shared = gaussian_matrix(ambient, dim, rng) * overlap.sqrt(); // √overlap S, [ambient, dim]
    let bases: Vec<DMatrix<f64>> = (0..classes)
        .map(|_| {
            let own = gaussian_matrix(ambient, dim, rng) * (1.0 - overlap).sqrt(); // [ambient, dim]
            (&shared + own).qr().q() // U_j, [ambient, dim]
        })
        .collect();
    let noise_scale = noise / (ambient as f64).sqrt();
    let mut z = DMatrix::zeros(ambient, samples);
    for (class, basis) in bases.iter().enumerate() {
        let coefficients = gaussian_matrix(dim, per_class, rng); // c, [dim, per_class]
        let perturbation = gaussian_matrix(ambient, per_class, rng) * noise_scale; // [ambient, per_class]
        let block = basis * coefficients + perturbation; // [ambient, per_class]
        z.columns_mut(class * per_class, per_class)
            .copy_from(&block);
    }
    (z, labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use nalgebra::SymmetricEigen;

    fn relative_error(got: f64, expected: f64) -> f64 {
        (got - expected).abs() / expected.abs().max(1e-300)
    }

    fn random_orthogonal(dimension: usize, rng: &mut SeededRng) -> DMatrix<f64> {
        gaussian_matrix(dimension, dimension, rng).qr().q()
    }

    #[test]
    fn coding_rate_matches_eigenvalues_and_sylvesters_identity() {
        let (d, m, eps) = (5, 40, 0.5);
        let z = gaussian_matrix(d, m, &mut seeded(1));
        let alpha = d as f64 / (m as f64 * eps * eps);
        let rate = coding_rate(&z, eps);

        // ½ Σᵢ ln(1 + α λᵢ) over the eigenvalues of Z Zᵀ (a symmetric QR iteration, not Cholesky).
        let eigen = SymmetricEigen::new(&z * z.transpose());
        let from_eigenvalues: f64 = eigen
            .eigenvalues
            .iter()
            .map(|lambda| 0.5 * (1.0 + alpha * lambda).ln())
            .sum();
        assert!(
            relative_error(rate, from_eigenvalues) < 1e-10,
            "{rate} vs {from_eigenvalues}"
        );

        // Sylvester: det(I_d + α Z Zᵀ) = det(I_m + α Zᵀ Z), the latter by LU on the m×m side.
        let gram = DMatrix::identity(m, m) + z.transpose() * &z * alpha;
        let from_sylvester = 0.5 * gram.determinant().ln();
        assert!(
            relative_error(rate, from_sylvester) < 1e-10,
            "{rate} vs {from_sylvester}"
        );
        assert_eq!(coding_rate(&DMatrix::zeros(5, 0), eps), 0.0);
    }

    #[test]
    fn rates_are_invariant_under_rotation() {
        let mut rng = seeded(2);
        let (d, per_class, classes, eps) = (6, 15, 3, 0.4);
        let z = gaussian_matrix(d, per_class * classes, &mut rng);
        let labels: Vec<usize> = (0..per_class * classes).map(|i| i % classes).collect();
        let q = random_orthogonal(d, &mut rng);
        let rotated = &q * &z;
        // Q is orthogonal, so a rotation test that could not fail would be a bug in the test.
        assert!((q.transpose() * &q - DMatrix::identity(d, d)).amax() < 1e-12);
        assert!((&rotated - &z).amax() > 0.1);
        let (before, after) = (coding_rate(&z, eps), coding_rate(&rotated, eps));
        assert!(relative_error(after, before) < 1e-12, "{after} vs {before}");
        let before = class_rate(&z, &labels, classes, eps);
        let after = class_rate(&rotated, &labels, classes, eps);
        assert!(relative_error(after, before) < 1e-12, "{after} vs {before}");
    }

    #[test]
    fn orthogonal_classes_add_their_rates_and_overlapping_ones_reduce_less() {
        let mut rng = seeded(3);
        let (d, per_class, classes, eps) = (6, 10, 3, 0.5);
        let m = per_class * classes;
        let alpha = d as f64 / (m as f64 * eps * eps);
        // Class j's coefficients in the plane of its block: [2, per_class] each.
        let coefficients: Vec<DMatrix<f64>> = (0..classes)
            .map(|_| gaussian_matrix(2, per_class, &mut rng))
            .collect();
        let labels: Vec<usize> = (0..m).map(|i| i / per_class).collect();
        let embed = |planes: &[DMatrix<f64>]| {
            let mut z = DMatrix::zeros(d, m);
            for (j, (plane, c)) in planes.iter().zip(&coefficients).enumerate() {
                z.columns_mut(j * per_class, per_class)
                    .copy_from(&(plane * c));
            }
            z
        };
        let axis = |k: usize| DVector::from_fn(d, |i, _| if i == k { 1.0 } else { 0.0 });
        let plane = |a: usize, b: usize| DMatrix::from_columns(&[axis(a), axis(b)]);

        // Classes in the coordinate blocks {e0, e1}, {e2, e3}, {e4, e5}: Z Zᵀ is block diagonal,
        // so R is the sum of the blocks' rates with the whole set's α, each from the closed
        // form det [[1 + αa, αb], [αb, 1 + αc]] = (1 + αa)(1 + αc) − α²b².
        let separate = embed(&[plane(0, 1), plane(2, 3), plane(4, 5)]);
        let expected: f64 = coefficients
            .iter()
            .map(|c| {
                let g = c * c.transpose(); // [2, 2]
                let det = (1.0 + alpha * g[(0, 0)]) * (1.0 + alpha * g[(1, 1)])
                    - (alpha * g[(0, 1)]).powi(2);
                0.5 * det.ln()
            })
            .sum();
        let rate = coding_rate(&separate, eps);
        assert!(
            relative_error(rate, expected) < 1e-12,
            "{rate} vs {expected}"
        );

        // The same classes moved into one shared 3-D space, pairwise sharing an axis. Each
        // class is only rotated (R_c is unchanged), but the whole set fills less volume.
        let overlapping = embed(&[plane(0, 1), plane(1, 2), plane(2, 0)]);
        let apart = rates(&separate, &labels, classes, eps);
        let together = rates(&overlapping, &labels, classes, eps);
        assert!(
            relative_error(together.class_rate, apart.class_rate) < 1e-12,
            "{together:?} vs {apart:?}"
        );
        assert!(
            together.delta_rate < apart.delta_rate - 0.5,
            "{together:?} vs {apart:?}"
        );
        assert!(together.delta_rate > 0.0, "{together:?}");
    }

    #[test]
    fn gradient_matches_central_differences() {
        let mut rng = seeded(4);
        let (d, m, classes, eps) = (3, 12, 3, 0.5);
        let z = gaussian_matrix(d, m, &mut rng);
        let labels: Vec<usize> = (0..m).map(|i| (i * 7) % classes).collect();
        let gradient = delta_rate_gradient(&z, &labels, classes, eps);
        assert_eq!(gradient.shape(), (d, m));
        let delta = |z: &DMatrix<f64>| rates(z, &labels, classes, eps).delta_rate;
        let h = 1e-6;
        let scale = gradient.amax();
        for i in 0..d {
            for k in 0..m {
                let (mut up, mut down) = (z.clone(), z.clone());
                up[(i, k)] += h;
                down[(i, k)] -= h;
                let difference = (delta(&up) - delta(&down)) / (2.0 * h);
                let error = (difference - gradient[(i, k)]).abs()
                    / gradient[(i, k)].abs().max(1e-3 * scale);
                assert!(
                    error < 1e-5,
                    "({i}, {k}): {difference} vs {}",
                    gradient[(i, k)]
                );
            }
        }
    }

    #[test]
    fn class_rate_gradient_matches_central_differences() {
        let mut rng = seeded(5);
        let (d, m, classes, eps) = (3, 12, 3, 0.5);
        let z = gaussian_matrix(d, m, &mut rng);
        let labels: Vec<usize> = (0..m).map(|i| (i * 5) % classes).collect();
        let gradient = class_rate_gradient(&z, &labels, classes, eps);
        let h = 1e-6;
        let scale = gradient.amax();
        for i in 0..d {
            for k in 0..m {
                let (mut up, mut down) = (z.clone(), z.clone());
                up[(i, k)] += h;
                down[(i, k)] -= h;
                let difference = (class_rate(&up, &labels, classes, eps)
                    - class_rate(&down, &labels, classes, eps))
                    / (2.0 * h);
                let error = (difference - gradient[(i, k)]).abs()
                    / gradient[(i, k)].abs().max(1e-3 * scale);
                assert!(
                    error < 1e-5,
                    "({i}, {k}): {difference} vs {}",
                    gradient[(i, k)]
                );
            }
        }
    }

    #[test]
    fn redunet_layers_raise_the_rate_reduction_to_orthogonal_lines() {
        let (classes, eps) = (2, 0.5);
        let (mut z, labels) = gaussian_classes_on_sphere(classes, 2, 100, 0.5, &mut seeded(5));
        assert_eq!(z.shape(), (2, 200));
        // The optimum for two classes of 100 unit vectors in R²: each class on its own line,
        // the lines orthogonal. Then Z Zᵀ = 100 I and α = 2/(200 · 0.25) = 0.04, so
        // R = ½ ln det(5 I) = ln 5; each class has Z_j Z_jᵀ = 100 e eᵀ and α_j = 0.08, so
        // R_c = 2 · (100/400) ln 9 = ln 3. ΔR* = ln(5/3).
        let optimum = (5.0f64 / 3.0).ln();
        let run = |eta: f64, z: &mut DMatrix<f64>| {
            let mut deltas = vec![rates(z, &labels, classes, eps).delta_rate];
            for _ in 0..30 {
                let layer = ReduLayer::from_features(z, &labels, classes, eps);
                *z = layer.apply(z, &labels, eta);
                deltas.push(rates(z, &labels, classes, eps).delta_rate);
            }
            deltas
        };
        let deltas = run(0.1, &mut z);
        println!("ΔR per layer at η = 0.1: {deltas:.5?}");
        assert!(deltas[1] > deltas[0] + 0.01, "{deltas:?}");
        for (layer, pair) in deltas.windows(2).enumerate() {
            assert!(pair[1] >= pair[0] - 1e-12, "layer {layer}: {deltas:?}");
        }
        assert!(
            (deltas[30] - optimum).abs() < 1e-6,
            "{} vs {optimum}",
            deltas[30]
        );
        // The classes end on two orthogonal lines: one singular value each, and their
        // directions at right angles.
        let lines: Vec<DMatrix<f64>> = (0..classes)
            .map(|class| class_basis(&z, &labels, class, 1))
            .collect();
        let cosine = lines[0].tr_mul(&lines[1])[(0, 0)].abs();
        assert!(cosine < 0.01, "|cos| = {cosine}");
        for class in 0..classes {
            let values = class_singular_values(&z, &labels, class);
            assert!(values[1] < 1e-6 * values[0], "class {class}: {values:?}");
        }
        // A layer built from the result tells the classes apart without their labels.
        let layer = ReduLayer::from_features(&z, &labels, classes, eps);
        for (i, &label) in labels.iter().enumerate() {
            let membership = layer.estimated_membership(&z.column(i));
            assert!(membership[label] > 0.99, "sample {i}: {membership:?}");
            assert_eq!(nearest_subspace(&z.column(i), &lines), label);
        }

        // Too long a step. Near the optimum the step multiplies a sample's component off its
        // class line by 1 − η d/(ε²(1 + ε²)) = 1 − 6.4 η and the one along it by
        // 1 + η (d/ε²)(1/5 − 1/9) ≈ 1 + 0.71 η, so the lines attract only for η < 2/(6.4 − 0.71)
        // ≈ 0.35. At η = 0.5 a few samples settle on the other class's line and ΔR stalls.
        let (mut z, _) = gaussian_classes_on_sphere(classes, 2, 100, 0.5, &mut seeded(5));
        let deltas = run(0.5, &mut z);
        println!("ΔR per layer at η = 0.5: {deltas:.5?}");
        assert!(deltas[30] < optimum - 0.05, "{deltas:?}");
    }

    #[test]
    fn principal_angles_nearest_subspace_and_effective_rank() {
        let axis = |k: usize| DVector::from_fn(4, |i, _| if i == k { 1.0 } else { 0.0 });
        let plane = |a: usize, b: usize| DMatrix::from_columns(&[axis(a), axis(b)]);
        // span{e0, e1} and span{e1, e2} share e1, and e0 ⟂ e2.
        let angles = principal_angles(&plane(0, 1), &plane(1, 2));
        assert_eq!(angles.len(), 2);
        assert!(angles[0].abs() < 1e-12, "{angles:?}");
        assert!(
            (angles[1] - std::f64::consts::FRAC_PI_2).abs() < 1e-12,
            "{angles:?}"
        );
        // A rotated basis of the same plane: still all zeros.
        let (c, s) = (0.6, 0.8);
        let turned = DMatrix::from_columns(&[axis(0) * c + axis(1) * s, axis(1) * c - axis(0) * s]);
        for angle in principal_angles(&plane(0, 1), &turned) {
            assert!(angle.abs() < 1e-7, "{angle}");
        }
        // A line at 60° from the e0 axis within span{e0, e3}.
        let line = DMatrix::from_columns(&[axis(0) * 0.5 + axis(3) * 0.75f64.sqrt()]);
        let angles = principal_angles(&line, &plane(0, 1));
        assert!(
            (angles[0] - std::f64::consts::FRAC_PI_3).abs() < 1e-12,
            "{angles:?}"
        );

        let axes: Vec<DMatrix<f64>> = (0..4).map(|k| DMatrix::from_columns(&[axis(k)])).collect();
        let z = DVector::from_vec(vec![0.1, -0.2, 3.0, 0.4]);
        assert_eq!(nearest_subspace(&z, &axes), 2);
        let z = DVector::from_vec(vec![0.0, 0.0, 0.3, -0.5]);
        assert_eq!(nearest_subspace(&z, &axes), 3);
        assert_eq!(nearest_subspace(&z, &[plane(0, 1), plane(2, 3)]), 1);

        // Energies 9, 4, 1, 0 of 14: one value holds 9/14 = 0.643, two 13/14 = 0.929.
        let values = [3.0, 2.0, 1.0, 0.0];
        assert_eq!(effective_rank(&values, 0.6), 1);
        assert_eq!(effective_rank(&values, 0.643), 2);
        assert_eq!(effective_rank(&values, 0.9), 2);
        assert_eq!(effective_rank(&values, 0.93), 3);
        assert_eq!(effective_rank(&values, 1.0), 3);
        assert_eq!(effective_rank(&[1.0, 2.0, 3.0, 0.0], 0.6), 1);
        assert_eq!(effective_rank(&values, 0.0), 1);
        assert_eq!(effective_rank(&[0.0, 0.0], 0.9), 0);
    }

    #[test]
    fn class_basis_spans_the_class() {
        // Class 0 in span{e0, e1} of R³, class 1 on e2: the basis of class 0 at rank 3 has only
        // two columns (its rank is 2 of d = 3 and m_0 = 2), orthonormal and in that plane.
        let z = DMatrix::from_column_slice(3, 3, &[3.0, 4.0, 0.0, 1.0, -1.0, 0.0, 0.0, 0.0, 2.0]);
        let labels = [0, 0, 1];
        let basis = class_basis(&z, &labels, 0, 3);
        assert_eq!(basis.shape(), (3, 2));
        assert!((basis.tr_mul(&basis) - DMatrix::identity(2, 2)).amax() < 1e-12);
        assert!(basis.row(2).amax() < 1e-12, "{basis}");
        // Singular values of [[3, 1], [4, −1]]: σ² are the eigenvalues of ZᵀZ = [[25, −1], [−1, 2]],
        // (27 ± √(23² + 4))/2.
        let root = (23.0f64.powi(2) + 4.0).sqrt();
        let expected = [((27.0 + root) / 2.0).sqrt(), ((27.0 - root) / 2.0).sqrt()];
        let values = class_singular_values(&z, &labels, 0);
        assert_eq!(values.len(), 2);
        for (got, want) in values.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{values:?} vs {expected:?}");
        }
        assert_eq!(class_singular_values(&z, &labels, 1), vec![2.0]);
        assert_eq!(class_basis(&z, &labels, 5, 2).shape(), (3, 0));
    }

    #[test]
    fn subspace_mixture_overlap_sets_the_principal_angles() {
        let (classes, ambient, dim, per_class) = (3, 400, 2, 20);
        let (z, labels) =
            subspace_mixture(classes, ambient, dim, 0.3, 0.1, per_class, &mut seeded(6));
        assert_eq!(z.shape(), (ambient, classes * per_class));
        assert_eq!(labels.len(), classes * per_class);
        assert!(
            labels
                .iter()
                .enumerate()
                .all(|(i, &label)| label == i / per_class)
        );
        // Noise of norm about 0.1 around a plane: per class the signal's energy is about
        // per_class · dim = 40 in two directions, the noise's about per_class · 0.01 = 0.2
        // spread over the rest, so two singular values hold over 95% of it.
        let values = class_singular_values(&z, &labels, 0);
        assert_eq!(effective_rank(&values, 0.95), 2, "{values:?}");

        // Without noise the samples span U_j exactly, so class_basis recovers it. By the
        // function's doc, U_jᵀ U_k = overlap · I + N with N's entries O(1/√ambient) = O(0.05);
        // a singular value moves from `overlap` by at most ‖N‖₂ ≤ ‖N‖_F ≈ 2 · 0.05 (Weyl), and
        // at overlap 0 the singular values, being ≥ 0, sit about that far above 0. So the mean
        // cosine of the principal angles is the overlap within 0.15 (3/√ambient).
        let mut mean_angles = Vec::new();
        for overlap in [0.0, 0.4, 0.8] {
            let (z, labels) = subspace_mixture(
                classes,
                ambient,
                dim,
                overlap,
                0.0,
                per_class,
                &mut seeded(7),
            );
            let bases: Vec<DMatrix<f64>> = (0..classes)
                .map(|class| class_basis(&z, &labels, class, dim))
                .collect();
            let values = class_singular_values(&z, &labels, 0);
            assert!(values[dim] < 1e-10 * values[0], "{values:?}");
            let mut angles = Vec::new();
            for a in 0..classes {
                for b in a + 1..classes {
                    angles.extend(principal_angles(&bases[a], &bases[b]));
                }
            }
            let mean_cosine =
                angles.iter().map(|angle| angle.cos()).sum::<f64>() / angles.len() as f64;
            let mean_angle = angles.iter().sum::<f64>() / angles.len() as f64;
            println!(
                "overlap {overlap}: mean angle {:.1}°, mean cos {mean_cosine:.3}",
                mean_angle.to_degrees()
            );
            assert!(
                (mean_cosine - overlap).abs() < 0.15,
                "{overlap}: {mean_cosine}"
            );
            mean_angles.push(mean_angle);
        }
        assert!(mean_angles[0].to_degrees() > 80.0, "{mean_angles:?}");
        assert!(mean_angles[0] > mean_angles[1] + 0.3, "{mean_angles:?}");
        assert!(mean_angles[1] > mean_angles[2] + 0.3, "{mean_angles:?}");
    }

    #[test]
    fn classes_on_the_sphere_have_unit_samples_and_separated_means() {
        let (classes, per_class) = (5, 50);
        let (z, labels) = gaussian_classes_on_sphere(classes, 3, per_class, 0.05, &mut seeded(8));
        assert_eq!(z.shape(), (3, classes * per_class));
        assert!(
            labels
                .iter()
                .enumerate()
                .all(|(i, &label)| label == i / per_class)
        );
        for column in z.column_iter() {
            assert!((column.norm() - 1.0).abs() < 1e-12);
        }
        // At spread 0.05 a class's average sample points along its mean to within about
        // 0.05/√50 rad, far less than the 1° of slack allowed on the 20° separation of lines.
        let directions: Vec<DVector<f64>> = (0..classes)
            .map(|class| {
                let sum = z.columns(class * per_class, per_class).column_sum();
                &sum / sum.norm()
            })
            .collect();
        for a in 0..classes {
            for b in a + 1..classes {
                let cosine = directions[a].dot(&directions[b]).abs();
                assert!(cosine < 19f64.to_radians().cos(), "{a}, {b}: {cosine}");
            }
        }
        // More classes than 20°-apart lines fit in the plane: still one mean each.
        let (z, labels) = gaussian_classes_on_sphere(12, 2, 3, 0.1, &mut seeded(9));
        assert_eq!((z.shape(), labels.len()), ((2, 36), 36));
    }

    #[test]
    fn degenerate_inputs_give_values_not_panics() {
        let eps = 0.5;
        // No samples, an empty class, labels outside the classes.
        let empty = DMatrix::<f64>::zeros(3, 0);
        assert_eq!(rates(&empty, &[], 2, eps).delta_rate, 0.0);
        assert_eq!(delta_rate_gradient(&empty, &[], 2, eps).shape(), (3, 0));
        let z = gaussian_matrix(3, 6, &mut seeded(10));
        let labels = [0, 0, 0, 2, 2, 2];
        let with_empty_class = class_rate(&z, &labels, 3, eps);
        let without = class_rate(&z, &labels.map(|label| label.min(1)), 2, eps);
        assert!(relative_error(with_empty_class, without) < 1e-12);
        // Columns with no class count in R but in no class: R_c is class 0's share alone,
        // (3/6) · R(Z_0) with Z_0's own α = d/(3 ε²).
        let partly = rates(&z, &[0, 0, 0, 7, 7, 7], 2, eps);
        assert!(relative_error(partly.rate, coding_rate(&z, eps)) < 1e-12);
        let class_zero = 0.5 * coding_rate(&z.columns(0, 3).into_owned(), eps);
        assert!(relative_error(partly.class_rate, class_zero) < 1e-12);
        let layer = ReduLayer::from_features(&z, &labels, 3, eps);
        assert_eq!(layer.dimension(), 3);
        let moved = layer.apply(&z, &[0, 0, 0, 2, 2, 9], 0.1);
        for column in moved.column_iter() {
            assert!((column.norm() - 1.0).abs() < 1e-12);
        }
        let membership = layer.estimated_membership(&z.column(0));
        assert_eq!(membership.len(), 3);
        assert_eq!(membership[1], 0.0);
        assert!((membership.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // The wrong dimension, and features that are not finite.
        assert!(
            layer.apply(&gaussian_matrix(4, 2, &mut seeded(11)), &[0, 0], 0.1)[(0, 0)].is_nan()
        );
        let mut broken = z.clone();
        broken[(1, 1)] = f64::NAN;
        assert!(coding_rate(&broken, eps).is_nan());
        assert!(
            delta_rate_gradient(&broken, &labels, 3, eps)
                .iter()
                .all(|g| g.is_nan())
        );
        assert!(class_singular_values(&broken, &labels, 0)[0].is_nan());
        assert!(
            ReduLayer::from_features(&broken, &labels, 3, eps).apply(&z, &labels, 0.1)[(0, 0)]
                .is_nan()
        );
        let mut zero = z.clone();
        zero.column_mut(2).fill(0.0);
        normalize_columns(&mut zero);
        assert_eq!(zero.column(2).norm(), 0.0);
        assert!((zero.column(0).norm() - 1.0).abs() < 1e-12);
    }
}
