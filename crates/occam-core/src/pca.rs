//! Principal component analysis by subspace iteration, on any burn [`Device`].
//!
//! For n samples xᵢ ∈ R^D (the rows of X) with mean μ, the covariance is
//!
//! C = (1/n) Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ ∈ R^{D×D},
//!
//! and the principal components are its eigenvectors v₁ … v_D, ordered by eigenvalue
//! λ₁ ≥ … ≥ λ_D ≥ 0 (the variance of the data along vⱼ). Keeping k of them describes each sample
//! by k numbers, cⱼ = vⱼᵀ(x − μ); the reconstruction x̂ = μ + Σⱼ≤k cⱼ vⱼ misses exactly
//! Σⱼ>k λⱼ of the total variance, so the fraction explained is
//!
//! EV(k) = (λ₁ + … + λ_k) / (λ₁ + … + λ_D).
//!
//! The eigenvectors are found by subspace (simultaneous) iteration: start from Q₀ = I and repeat
//! Q_{t+1} R_{t+1} = C² Q_t (a QR decomposition). The covariance, its square and the products
//! run on the device; the D×D QR runs on the host (see [`SubspaceIteration::step`]). The
//! first j columns of Q_t span the top-j eigenspace up to an error that shrinks like
//! (λ_{j+1}/λ_j)^{2t}; C² instead of C doubles the pace of each QR. The variances are the Rayleigh
//! quotients qⱼᵀ C qⱼ, and the residual ‖C Q − Q diag(QᵀCQ)‖_F / ‖C‖_F says how far Q is from
//! an eigenbasis (0 for an exact one).

use burn::prelude::*;
use burn::tensor::TensorData;

use crate::read_back as read;

/// Sample mean and covariance of the rows of `x`.
///
/// # Shapes
/// `x`: [n, D] → mean [1, D], covariance [D, D].
pub fn mean_and_covariance(x: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
    let [n, _] = x.dims();
    let mean = x.clone().mean_dim(0); // [1, D]
    let centered = x - mean.clone(); // [n, D]
    let covariance = centered.clone().transpose().matmul(centered) / n.max(1) as f64; // [D, D]
    (mean, covariance)
}

/// Subspace iteration towards the eigenvectors of a symmetric positive semi-definite matrix.
#[derive(Debug, Clone)]
pub struct SubspaceIteration {
    matrix: Tensor<2>,
    squared: Tensor<2>,
    /// Q_t: orthonormal columns, [D, D].
    basis: Tensor<2>,
    iterations: usize,
}

impl SubspaceIteration {
    /// Starts from Q₀ = I.
    pub fn new(matrix: Tensor<2>) -> Self {
        let [dimension, _] = matrix.dims();
        let squared = matrix.clone().matmul(matrix.clone());
        let basis = Tensor::eye(dimension, &matrix.device());
        Self {
            matrix,
            squared,
            basis,
            iterations: 0,
        }
    }

    /// One step: Y = C² Q on the device, then Q ← the orthonormal factor of Y = QR.
    ///
    /// The QR is a hybrid step, as GPU solvers do with small panels: Y is read back and
    /// factorised on the host (nalgebra's Householder QR, in f64). burn's `linalg::qr` on the
    /// device issues some thirty small kernels per column, two thousand per call at D = 64, and
    /// on WebGPU queueing them kept the worker busy for seconds per call; a read-back and a
    /// 64×64 factorisation take about a millisecond.
    pub async fn step(&mut self) -> Result<(), crate::DeviceError> {
        let [dimension, _] = self.basis.dims();
        let product = read(self.squared.clone().matmul(self.basis.clone())).await?;
        let product = nalgebra::DMatrix::from_row_iterator(
            dimension,
            dimension,
            product.iter().map(|&value| f64::from(value)),
        );
        let q = product.qr().q();
        let rows: Vec<f32> = (0..dimension)
            .flat_map(|i| (0..dimension).map(move |j| (i, j)))
            .map(|(i, j)| q[(i, j)] as f32)
            .collect();
        self.basis = Tensor::from_data(
            TensorData::new(rows, [dimension, dimension]),
            &self.matrix.device(),
        );
        self.iterations += 1;
        Ok(())
    }

    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// The Rayleigh quotients qⱼᵀ C qⱼ, in column order. Shape [1, D].
    fn rayleigh_quotients(&self) -> Tensor<2> {
        let image = self.matrix.clone().matmul(self.basis.clone()); // [D, D]
        (self.basis.clone() * image).sum_dim(0) // [1, D]
    }

    /// ‖C Q − Q diag(QᵀCQ)‖_F / ‖C‖_F, still on the device. Shape [1].
    pub fn residual(&self) -> Tensor<1> {
        let image = self.matrix.clone().matmul(self.basis.clone()); // [D, D]
        let quotients = (self.basis.clone() * image.clone()).sum_dim(0); // [1, D]
        let off = image - self.basis.clone() * quotients; // [D, D]
        let norm = |t: Tensor<2>| t.powi_scalar(2).sum().sqrt();
        norm(off) / norm(self.matrix.clone()).clamp_min(1e-30)
    }

    /// The current estimate, read back (asynchronously, as WebGPU in a browser requires) and
    /// sorted by variance, largest first. Each component's sign is fixed so that its entry of
    /// largest magnitude is positive, so every backend shows the same pictures.
    pub async fn components(&self) -> Result<Components, crate::DeviceError> {
        let [dimension, _] = self.basis.dims();
        let variances = read(self.rayleigh_quotients()).await?;
        let basis = read(self.basis.clone()).await?; // row-major [D, D]: column j is qⱼ
        let mut order: Vec<usize> = (0..dimension).collect();
        order.sort_by(|&a, &b| variances[b].total_cmp(&variances[a]));
        let mut vectors = Vec::with_capacity(dimension * dimension);
        for &column in &order {
            let vector: Vec<f32> = (0..dimension)
                .map(|row| basis[row * dimension + column])
                .collect();
            let largest = vector
                .iter()
                .copied()
                .max_by(|a, b| a.abs().total_cmp(&b.abs()))
                .unwrap_or(1.0);
            let sign = if largest < 0.0 { -1.0 } else { 1.0 };
            vectors.extend(vector.into_iter().map(|value| sign * value));
        }
        Ok(Components {
            dimension,
            // A PSD matrix has no negative variance; rounding can make a zero one slightly so.
            variances: order.iter().map(|&j| variances[j].max(0.0)).collect(),
            vectors,
        })
    }
}

/// Principal components, largest variance first.
#[derive(Debug, Clone, PartialEq)]
pub struct Components {
    pub dimension: usize,
    /// λ₁ ≥ … ≥ λ_D.
    pub variances: Vec<f32>,
    /// v₁, …, v_D, each `dimension` long, one after the other.
    pub vectors: Vec<f32>,
}

impl Components {
    /// Component j (0-based), a unit vector.
    pub fn vector(&self, j: usize) -> &[f32] {
        &self.vectors[j * self.dimension..(j + 1) * self.dimension]
    }

    /// EV(k): the fraction of the total variance in the first k components (1 for no variance).
    pub fn explained_variance(&self, k: usize) -> f64 {
        let total: f64 = self.variances.iter().map(|&v| f64::from(v)).sum();
        if total <= 0.0 {
            return 1.0;
        }
        let kept: f64 = self.variances.iter().take(k).map(|&v| f64::from(v)).sum();
        (kept / total).clamp(0.0, 1.0)
    }

    /// The first k components as the columns of a [D, k] tensor.
    pub fn basis(&self, k: usize, device: &Device) -> Tensor<2> {
        let k = k.min(self.dimension);
        let rows: Tensor<2> = Tensor::from_data(
            TensorData::new(
                self.vectors[..k * self.dimension].to_vec(),
                [k, self.dimension],
            ),
            device,
        );
        rows.transpose()
    }
}

/// Coefficients of the rows of `x` in the columns of `basis`, about `mean`.
///
/// # Shapes
/// `x`: [n, D], `mean`: [1, D], `basis`: [D, k] → [n, k].
pub fn project(x: Tensor<2>, mean: Tensor<2>, basis: Tensor<2>) -> Tensor<2> {
    (x - mean).matmul(basis)
}

/// x̂ = μ + Σⱼ cⱼ vⱼ for each row of coefficients.
///
/// # Shapes
/// `coefficients`: [n, k], `mean`: [1, D], `basis`: [D, k] → [n, D].
pub fn reconstruct(coefficients: Tensor<2>, mean: Tensor<2>, basis: Tensor<2>) -> Tensor<2> {
    coefficients.matmul(basis.transpose()) + mean
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal, seeded};
    use nalgebra::{DMatrix, SymmetricEigen};

    /// n samples in R^D with standard deviations `scales` along a random orthonormal basis.
    fn data_with_spectrum(scales: &[f64], n: usize, seed: u64) -> DMatrix<f64> {
        let dimension = scales.len();
        let mut rng = seeded(seed);
        let gaussian = DMatrix::from_vec(
            dimension,
            dimension,
            normal(dimension * dimension, &mut rng),
        )
        .map(f64::from);
        let rotation = gaussian.qr().q();
        let latent = DMatrix::from_fn(n, dimension, |_, j| scales[j]).component_mul(
            &DMatrix::from_vec(n, dimension, normal(n * dimension, &mut rng)).map(f64::from),
        );
        latent * rotation.transpose()
    }

    fn to_tensor(matrix: &DMatrix<f64>, device: &Device) -> Tensor<2> {
        let rows: Vec<f32> = (0..matrix.nrows())
            .flat_map(|i| (0..matrix.ncols()).map(move |j| matrix[(i, j)] as f32))
            .collect();
        Tensor::from_data(
            TensorData::new(rows, [matrix.nrows(), matrix.ncols()]),
            device,
        )
    }

    fn run(x: &DMatrix<f64>, iterations: usize) -> (Components, f32) {
        let device = Device::flex();
        let (_, covariance) = mean_and_covariance(to_tensor(x, &device));
        let mut iteration = SubspaceIteration::new(covariance);
        for _ in 0..iterations {
            pollster::block_on(iteration.step()).unwrap();
        }
        let residual = iteration.residual().into_scalar();
        (
            pollster::block_on(iteration.components()).unwrap(),
            residual,
        )
    }

    #[test]
    fn components_match_an_independent_eigendecomposition_up_to_sign() {
        let scales = [5.0, 4.0, 3.0, 2.2, 1.5, 1.0, 0.6, 0.3];
        let x = data_with_spectrum(&scales, 2_000, 7);
        let (components, residual) = run(&x, 60);
        assert!(residual < 1e-4, "residual {residual}");

        // The oracle: nalgebra's symmetric eigendecomposition of the same covariance, in f64.
        let n = x.nrows() as f64;
        let mean = x.row_mean();
        let centered = DMatrix::from_fn(x.nrows(), x.ncols(), |i, j| x[(i, j)] - mean[j]);
        let covariance = centered.transpose() * &centered / n;
        let eigen = SymmetricEigen::new(covariance);
        let mut order: Vec<usize> = (0..scales.len()).collect();
        order.sort_by(|&a, &b| eigen.eigenvalues[b].total_cmp(&eigen.eigenvalues[a]));
        for (j, &column) in order.iter().enumerate() {
            let expected = eigen.eigenvectors.column(column);
            let got = components.vector(j);
            let dot: f64 = (0..scales.len())
                .map(|i| expected[i] * f64::from(got[i]))
                .sum();
            assert!(
                dot.abs() > 1.0 - 1e-4,
                "component {j}: |cos| = {}",
                dot.abs()
            );
            let variance = eigen.eigenvalues[column];
            assert!(
                (f64::from(components.variances[j]) - variance).abs() < 1e-4 * variance.max(1.0),
                "variance {j}: {} vs {variance}",
                components.variances[j]
            );
        }
    }

    #[test]
    fn a_noiseless_rank_r_subspace_is_fully_explained_at_k_equals_r() {
        let scales = [3.0, 2.0, 1.0, 0.0, 0.0, 0.0];
        let x = data_with_spectrum(&scales, 500, 11);
        let (components, _) = run(&x, 40);
        let explained = components.explained_variance(3);
        assert!((explained - 1.0).abs() < 1e-5, "EV(3) = {explained}");
        // And short of r, EV(k) is the closed form Σⱼ≤k σⱼ² / Σ σⱼ² up to sampling error.
        let explained = components.explained_variance(1);
        assert!((explained - 9.0 / 14.0).abs() < 0.05, "EV(1) = {explained}");
    }

    #[test]
    fn components_are_orthonormal_and_reconstruction_with_all_is_exact() {
        let x = data_with_spectrum(&[2.0, 1.5, 1.0, 0.5], 300, 3);
        let (components, _) = run(&x, 40);
        for a in 0..4 {
            for b in 0..4 {
                let dot: f32 = components
                    .vector(a)
                    .iter()
                    .zip(components.vector(b))
                    .map(|(p, q)| p * q)
                    .sum();
                let expected = if a == b { 1.0 } else { 0.0 };
                assert!((dot - expected).abs() < 1e-5, "{a}·{b} = {dot}");
            }
        }
        let device = Device::flex();
        let data = to_tensor(&x, &device);
        let (mean, _) = mean_and_covariance(data.clone());
        let basis = components.basis(4, &device);
        let back = reconstruct(
            project(data.clone(), mean.clone(), basis.clone()),
            mean,
            basis,
        );
        let error: f32 = (back - data).abs().max().into_scalar();
        assert!(error < 1e-4, "{error}");
    }
}
