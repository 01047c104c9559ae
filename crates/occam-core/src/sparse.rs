//! Sparse coding and dictionary learning (Olshausen and Field 1996), on any burn [`Device`].
//!
//! A dictionary holds m atoms a₁ … a_m ∈ R^D (the rows of A, each of norm at most 1). A sample
//! x is described by a code z ∈ R^m with few nonzeros, x ≈ Aᵀz, found by the lasso:
//!
//! min_z  ½‖x − Aᵀz‖² + λ‖z‖₁.
//!
//! FISTA (Beck and Teboulle 2009) solves it: with G = AAᵀ, L ≥ the largest eigenvalue of G and
//! the soft threshold S_τ(v) = sign(v) max(|v| − τ, 0),
//!
//! z_{k+1} = S_{λ/L}(y_k − (G y_k − Ax)/L),  t_{k+1} = (1 + √(1 + 4t_k²))/2,
//! y_{k+1} = z_{k+1} + ((t_k − 1)/t_{k+1}) (z_{k+1} − z_k);
//!
//! ISTA is the same without the momentum (y_k = z_k). At the solution the lasso's optimality
//! (KKT) conditions hold, with r = x − Aᵀz: a_jᵀr = λ sign(z_j) where z_j ≠ 0, |a_jᵀr| ≤ λ where
//! z_j = 0.
//!
//! Dictionary learning alternates: codes for all n samples (rows of X and of Z) by FISTA
//! started from the previous codes, then one projected gradient step on the dictionary for
//!
//! F(A, Z) = (1/n) Σᵢ ½‖xᵢ − Aᵀzᵢ‖² + λ‖zᵢ‖₁,
//!
//! aⱼ ← P(aⱼ − (∇_A F)ⱼ / rⱼ), ∇_A F = Zᵀ(ZA − X)/n, with P scaling each atom back into the
//! unit ball and rⱼ = Σₖ |(ZᵀZ/n)ⱼₖ|. Since diag(r) − ZᵀZ/n is positive semi-definite
//! (Gershgorin), the quadratic with curvature diag(r) lies above F in A, and stepping to its
//! minimum never increases F; each atom gets its own step, long for atoms few codes use.
//! Each sample keeps its new code only if it lowers its term of F, so F never increases from
//! one epoch to the next.

use burn::prelude::*;
use burn::tensor::TensorData;
use rand::RngExt;

use crate::rng::{normal, seeded};

/// Power-iteration steps used to estimate the largest eigenvalue of G.
const POWER_STEPS: usize = 30;
/// Safety margin over the power-iteration estimate of ‖G‖₂ (which approaches it from below).
const LIPSCHITZ_MARGIN: f64 = 1.05;

/// S_τ(v) = sign(v) max(|v| − τ, 0), for a threshold τ on the device ([1, 1], broadcast).
fn soft_threshold(values: Tensor<2>, threshold: Tensor<2>) -> Tensor<2> {
    values.clone().sign() * (values.abs() - threshold).clamp_min(0.0)
}

/// An estimate of the largest eigenvalue of the symmetric PSD `gram` [m, m], times a margin,
/// kept on the device as [1, 1].
fn lipschitz(gram: &Tensor<2>) -> Tensor<2> {
    let [m, _] = gram.dims();
    let mut vector: Tensor<2> = Tensor::ones([m, 1], &gram.device()) / (m.max(1) as f64).sqrt();
    let norm = |v: Tensor<2>| v.powi_scalar(2).sum().sqrt().reshape([1, 1]);
    for _ in 0..POWER_STEPS {
        let image = gram.clone().matmul(vector); // [m, 1]
        vector = image.clone() / norm(image).clamp_min(1e-30);
    }
    norm(gram.clone().matmul(vector)).clamp_min(1e-12) * LIPSCHITZ_MARGIN
}

/// Each sample's lasso objective ½‖x − Aᵀz‖² + λ‖z‖₁. Shape [n, 1].
///
/// # Shapes
/// `data`: [n, D], `atoms`: [m, D], `codes`: [n, m].
pub fn lasso_objectives(
    data: &Tensor<2>,
    atoms: &Tensor<2>,
    codes: &Tensor<2>,
    lambda: f64,
) -> Tensor<2> {
    let residual = data.clone() - codes.clone().matmul(atoms.clone()); // [n, D]
    residual.powi_scalar(2).sum_dim(1) * 0.5 + codes.clone().abs().sum_dim(1) * lambda
}

/// How the lasso is solved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Solver {
    Ista,
    Fista,
}

/// `iterations` of ISTA or FISTA on the lasso for every row of `data`, from `start`; each row
/// then keeps the better of its start and its result, so no objective increases.
///
/// # Shapes
/// `data`: [n, D], `atoms`: [m, D], `start`: [n, m] → [n, m].
pub fn lasso(
    data: &Tensor<2>,
    atoms: &Tensor<2>,
    start: Tensor<2>,
    lambda: f64,
    iterations: usize,
    solver: Solver,
) -> Tensor<2> {
    let gram = atoms.clone().matmul(atoms.clone().transpose()); // [m, m]
    let correlations = data.clone().matmul(atoms.clone().transpose()); // [n, m]
    let step = lipschitz(&gram).recip(); // [1, 1]
    let threshold = step.clone() * lambda;
    let mut codes = start.clone();
    let mut momentum = start.clone();
    let mut t = 1.0f64;
    for _ in 0..iterations {
        let gradient = momentum.clone().matmul(gram.clone()) - correlations.clone(); // [n, m]
        let next = soft_threshold(momentum - gradient * step.clone(), threshold.clone());
        momentum = match solver {
            Solver::Ista => next.clone(),
            Solver::Fista => {
                let t_next = f64::midpoint(1.0, (1.0 + 4.0 * t * t).sqrt());
                let pull = (t - 1.0) / t_next;
                t = t_next;
                next.clone() + (next.clone() - codes) * pull
            }
        };
        codes = next;
    }
    let is_better = lasso_objectives(data, atoms, &codes, lambda)
        .lower_equal(lasso_objectives(data, atoms, &start, lambda)); // [n, 1]
    start.mask_where(is_better.expand(codes.dims()), codes)
}

/// Where the atoms start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AtomStart {
    /// Random unit vectors (seeded Gaussian directions): whatever structure they end up with
    /// was learned.
    Noise,
    /// Rows of the data drawn at random (seeded), scaled to unit norm: a head start, as k-SVD
    /// and many dictionary learners begin.
    Samples,
}

/// m atoms for data in R^D.
#[derive(Config, Debug)]
pub struct DictionaryConfig {
    pub atoms: usize,
    /// λ, the price of each unit of |z| in the lasso.
    pub lambda: f64,
    /// FISTA iterations for the codes in each epoch.
    #[config(default = 10)]
    pub code_iterations: usize,
    #[config(default = "Solver::Fista")]
    pub solver: Solver,
    #[config(default = "AtomStart::Noise")]
    pub start: AtomStart,
}

impl DictionaryConfig {
    /// Starts with unit atoms as `start` says (seeded), and all codes zero.
    ///
    /// # Shapes
    /// `data`: [n, D], with n ≥ 1.
    pub fn init(&self, data: Tensor<2>, seed: u64) -> DictionaryLearning {
        let [n, dimension] = data.dims();
        let device = data.device();
        let mut rng = seeded(seed);
        let atoms = match self.start {
            AtomStart::Noise => {
                let directions = normal(self.atoms * dimension, &mut rng);
                Tensor::from_data(
                    TensorData::new(directions, [self.atoms, dimension]),
                    &device,
                )
            }
            AtomStart::Samples => {
                let picks: Vec<i32> = (0..self.atoms)
                    .map(|_| rng.random_range(0..n.max(1)) as i32)
                    .collect();
                let picks =
                    Tensor::<1, Int>::from_data(TensorData::new(picks, [self.atoms]), &device);
                data.clone().select(0, picks)
            }
        };
        let atoms = project_to_ball(atoms, true);
        DictionaryLearning {
            codes: Tensor::zeros([n, self.atoms], &device),
            data,
            atoms,
            lambda: self.lambda,
            code_iterations: self.code_iterations,
            solver: self.solver,
            epochs: 0,
        }
    }
}

/// Scales each row to norm 1 (`is_sphere`) or to norm at most 1.
fn project_to_ball(atoms: Tensor<2>, is_sphere: bool) -> Tensor<2> {
    let norms = atoms.clone().powi_scalar(2).sum_dim(1).sqrt(); // [m, 1]
    let divisor = if is_sphere {
        norms.clamp_min(1e-12)
    } else {
        norms.clamp_min(1.0)
    };
    atoms / divisor
}

/// Alternating sparse coding and dictionary updates.
///
/// # Shapes
/// data X: [n, D], atoms A: [m, D], codes Z: [n, m].
#[derive(Debug, Clone)]
pub struct DictionaryLearning {
    data: Tensor<2>,
    atoms: Tensor<2>,
    codes: Tensor<2>,
    lambda: f64,
    code_iterations: usize,
    solver: Solver,
    epochs: usize,
}

impl DictionaryLearning {
    /// One epoch: ISTA or FISTA on every code, then a projected gradient step on the atoms.
    pub fn epoch(&mut self) {
        self.codes = lasso(
            &self.data,
            &self.atoms,
            self.codes.clone(),
            self.lambda,
            self.code_iterations,
            self.solver,
        );
        let [n, _] = self.data.dims();
        let scale = 1.0 / n.max(1) as f64;
        let codes_gram = self.codes.clone().transpose().matmul(self.codes.clone()) * scale; // [m, m]
        // Row sums of |ZᵀZ/n|: diag(r) ⪰ ZᵀZ/n, so a step of 1/rⱼ on atom j never raises F.
        let bounds = codes_gram.abs().sum_dim(1).clamp_min(1e-12); // [m, 1]
        let residual = self.codes.clone().matmul(self.atoms.clone()) - self.data.clone(); // [n, D]
        let gradient = self.codes.clone().transpose().matmul(residual) * scale; // [m, D]
        self.atoms = project_to_ball(self.atoms.clone() - gradient / bounds, false);
        self.epochs += 1;
    }

    pub fn epochs(&self) -> usize {
        self.epochs
    }

    pub fn atoms(&self) -> &Tensor<2> {
        &self.atoms
    }

    pub fn codes(&self) -> &Tensor<2> {
        &self.codes
    }

    pub fn lambda(&self) -> f64 {
        self.lambda
    }

    /// F(A, Z), the mean lasso objective. Shape [1].
    pub fn objective(&self) -> Tensor<1> {
        lasso_objectives(&self.data, &self.atoms, &self.codes, self.lambda).mean()
    }

    /// (1/(nD)) ‖X − ZA‖²_F. Shape [1].
    pub fn reconstruction_mse(&self) -> Tensor<1> {
        (self.data.clone() - self.reconstructions())
            .powi_scalar(2)
            .mean()
    }

    /// ZA. Shape [n, D].
    pub fn reconstructions(&self) -> Tensor<2> {
        self.codes.clone().matmul(self.atoms.clone())
    }

    /// The number of nonzero entries of each code. Shape [n, 1].
    pub fn nonzeros(&self) -> Tensor<2> {
        self.codes.clone().not_equal_elem(0.0).float().sum_dim(1)
    }
}

/// The squared errors of the best m-term approximations of `x` in an orthonormal `basis`, for
/// m = 1 ..= `max_terms`: keep the m coefficients bᵀx of largest magnitude, so the error is
/// ‖x‖² minus the sum of their squares.
pub fn best_terms_errors(x: &[f32], basis: &[Vec<f32>], max_terms: usize) -> Vec<f64> {
    let mut squares: Vec<f64> = basis
        .iter()
        .map(|b| {
            let c: f64 = b
                .iter()
                .zip(x)
                .map(|(p, q)| f64::from(*p) * f64::from(*q))
                .sum();
            c * c
        })
        .collect();
    squares.sort_by(|a, b| b.total_cmp(a));
    let mut error: f64 = x.iter().map(|&v| f64::from(v).powi(2)).sum();
    (0..max_terms)
        .map(|m| {
            error -= squares.get(m).copied().unwrap_or(0.0);
            error.max(0.0)
        })
        .collect()
}

/// Orthogonal matching pursuit (Pati, Rezaiifar and Krishnaprasad 1993): the squared errors of
/// greedy m-atom approximations of `x`, for m = 1 ..= `max_terms`. Each step adds the atom most
/// correlated with the residual, then projects x onto the span of all atoms chosen so far
/// (kept as an orthonormal basis by Gram–Schmidt, applied twice for accuracy).
pub fn matching_pursuit_errors(x: &[f32], atoms: &[Vec<f32>], max_terms: usize) -> Vec<f64> {
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
    let atoms: Vec<Vec<f64>> = atoms
        .iter()
        .map(|atom| atom.iter().map(|&v| f64::from(v)).collect())
        .collect();
    let mut residual: Vec<f64> = x.iter().map(|&v| f64::from(v)).collect();
    let mut chosen = vec![false; atoms.len()];
    let mut span: Vec<Vec<f64>> = Vec::new();
    let mut errors = Vec::with_capacity(max_terms);
    for _ in 0..max_terms {
        let best = (0..atoms.len()).filter(|&j| !chosen[j]).max_by(|&a, &b| {
            dot(&atoms[a], &residual)
                .abs()
                .total_cmp(&dot(&atoms[b], &residual).abs())
        });
        if let Some(best) = best {
            chosen[best] = true;
            let mut direction = atoms[best].clone();
            for _ in 0..2 {
                for q in &span {
                    let along = dot(q, &direction);
                    direction
                        .iter_mut()
                        .zip(q)
                        .for_each(|(d, q)| *d -= along * q);
                }
            }
            let norm = dot(&direction, &direction).sqrt();
            // An atom already in the span adds nothing; the error then stays.
            if norm > 1e-9 {
                direction.iter_mut().for_each(|d| *d /= norm);
                let along = dot(&direction, &residual);
                residual
                    .iter_mut()
                    .zip(&direction)
                    .for_each(|(r, d)| *r -= along * d);
                span.push(direction);
            }
        }
        errors.push(dot(&residual, &residual));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal, seeded};

    fn tensor(values: Vec<f32>, rows: usize, columns: usize) -> Tensor<2> {
        Tensor::from_data(TensorData::new(values, [rows, columns]), &Device::flex())
    }

    fn to_vec(tensor: Tensor<2>) -> Vec<f32> {
        tensor.into_data().try_to_vec::<f32>().unwrap()
    }

    /// Checks the lasso's KKT conditions for each row: with r = x − Aᵀz and g = Ar,
    /// g_j = λ sign(z_j) where z_j ≠ 0 and |g_j| ≤ λ where z_j = 0, to within `tolerance`.
    fn worst_kkt_violation(
        data: &[f32],
        atoms: &[f32],
        codes: &[f32],
        n: usize,
        m: usize,
        d: usize,
        lambda: f64,
    ) -> f64 {
        let mut worst = 0.0f64;
        for i in 0..n {
            let residual: Vec<f64> = (0..d)
                .map(|k| {
                    f64::from(data[i * d + k])
                        - (0..m)
                            .map(|j| f64::from(codes[i * m + j]) * f64::from(atoms[j * d + k]))
                            .sum::<f64>()
                })
                .collect();
            for j in 0..m {
                let g: f64 = (0..d)
                    .map(|k| f64::from(atoms[j * d + k]) * residual[k])
                    .sum();
                let z = f64::from(codes[i * m + j]);
                let violation = if z == 0.0 {
                    (g.abs() - lambda).max(0.0)
                } else {
                    (g - lambda * z.signum()).abs()
                };
                worst = worst.max(violation);
            }
        }
        worst
    }

    fn random_problem(n: usize, m: usize, d: usize, seed: u64) -> (Vec<f32>, Vec<f32>) {
        let mut rng = seeded(seed);
        let mut atoms = normal(m * d, &mut rng);
        for atom in atoms.chunks_mut(d) {
            let norm = atom.iter().map(|v| v * v).sum::<f32>().sqrt();
            atom.iter_mut().for_each(|v| *v /= norm);
        }
        (normal(n * d, &mut rng), atoms)
    }

    #[test]
    fn fista_and_ista_solutions_satisfy_the_lasso_optimality_conditions() {
        let (n, m, d, lambda) = (40, 24, 16, 0.3);
        let (data, atoms) = random_problem(n, m, d, 21);
        for (solver, iterations) in [(Solver::Fista, 2_000), (Solver::Ista, 20_000)] {
            let codes = lasso(
                &tensor(data.clone(), n, d),
                &tensor(atoms.clone(), m, d),
                Tensor::zeros([n, m], &Device::flex()),
                lambda,
                iterations,
                solver,
            );
            let codes = to_vec(codes);
            let violation = worst_kkt_violation(&data, &atoms, &codes, n, m, d, lambda);
            // f32 arithmetic: the gradient is known to about 1e-5 of its scale.
            assert!(violation < 1e-3, "{solver:?}: KKT violated by {violation}");
            let nonzeros = codes.iter().filter(|&&z| z != 0.0).count();
            assert!(
                nonzeros > 0 && nonzeros < n * m,
                "{solver:?}: {nonzeros} nonzeros"
            );
        }
    }

    #[test]
    fn a_large_lambda_gives_zero_codes() {
        // λ ≥ max_j |a_jᵀx| makes z = 0 optimal.
        let (n, m, d) = (10, 8, 6);
        let (data, atoms) = random_problem(n, m, d, 4);
        let largest = (0..n)
            .flat_map(|i| (0..m).map(move |j| (i, j)))
            .map(|(i, j)| {
                (0..d)
                    .map(|k| data[i * d + k] * atoms[j * d + k])
                    .sum::<f32>()
                    .abs()
            })
            .fold(0.0f32, f32::max);
        let codes = lasso(
            &tensor(data, n, d),
            &tensor(atoms, m, d),
            Tensor::zeros([n, m], &Device::flex()),
            f64::from(largest) * 1.01,
            200,
            Solver::Fista,
        );
        assert!(to_vec(codes).iter().all(|&z| z == 0.0));
    }

    #[test]
    fn the_dictionary_objective_never_increases_and_atoms_stay_in_the_ball() {
        let (n, d) = (300, 16);
        let data = normal(n * d, &mut seeded(8));
        let mut learning = DictionaryConfig::new(20, 0.2).init(tensor(data, n, d), 3);
        let mut previous = f32::INFINITY;
        for epoch in 0..25 {
            learning.epoch();
            let objective: f32 = learning.objective().into_scalar();
            assert!(
                objective <= previous * (1.0 + 1e-6),
                "epoch {epoch}: {objective} after {previous}"
            );
            previous = objective;
        }
        let norms = to_vec(learning.atoms().clone().powi_scalar(2).sum_dim(1));
        assert!(norms.iter().all(|&norm| norm <= 1.0 + 1e-5), "{norms:?}");
    }

    #[test]
    fn best_terms_in_an_orthonormal_basis_keep_the_largest_coefficients() {
        // In the standard basis the coefficients are x itself.
        let basis: Vec<Vec<f32>> = (0..4)
            .map(|i| (0..4).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
            .collect();
        let errors = best_terms_errors(&[1.0, -3.0, 0.5, 2.0], &basis, 4);
        assert_eq!(errors, vec![5.25, 1.25, 0.25, 0.0]);
    }

    #[test]
    fn matching_pursuit_recovers_a_two_atom_signal_exactly() {
        // x = 2 a₀ − a₂ with unit atoms that are not orthogonal: two steps leave nothing.
        let s = std::f32::consts::FRAC_1_SQRT_2;
        let atoms = vec![vec![1.0, 0.0, 0.0], vec![s, s, 0.0], vec![0.0, s, s]];
        let x: Vec<f32> = (0..3).map(|k| 2.0 * atoms[0][k] - atoms[2][k]).collect();
        let errors = matching_pursuit_errors(&x, &atoms, 3);
        assert!(errors[0] > 0.1, "{errors:?}");
        assert!(errors[1] < 1e-12, "{errors:?}");
        assert!(errors[2] < 1e-12, "{errors:?}");
    }
}
