//! Minimum description length for curve fitting: polynomials of each degree, each priced as a
//! two-part code, the coefficients at the precision that makes the total shortest plus the
//! residuals coded at the noise level.
//!
//! For degree d the model is d + 1 coefficients in the Legendre basis P₀ … P_d on [−1, 1] (which
//! keeps them of moderate size, where powers of x would need huge cancelling ones). Each is
//! rounded to a grid of step 2^(−b), and the rounded k · 2^(−b) costs the integer code of k
//! ([`crate::programs::integer_bits`]: zigzag, then Elias's gamma); the precision b ∈ 0 … 20
//! costs [`PRECISION_BITS`]. The data are the residuals r of the rounded polynomial, coded with
//! a Gaussian of the noise level σ at a fixed precision τ: −log₂(τ · N(r; 0, σ²)) =
//! log₂(σ√(2π)/τ) + r² / (2σ² ln 2) bits each.

use nalgebra::{DMatrix, DVector};

use crate::programs::integer_bits;

/// Bits that name the precision b (one of 0 … [`MAX_PRECISION`]).
pub const PRECISION_BITS: f64 = 5.0;

/// The finest grid tried: steps of 2^(−20).
pub const MAX_PRECISION: u32 = 20;

/// Precision to which the data are coded (the same for every degree, so it never changes
/// which degree wins).
pub const DATA_PRECISION: f64 = 0.01;

/// The curves the points are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    /// sin 3x.
    Sine,
    /// 2x³ − x.
    Cubic,
    /// −½ below 0, ½ from 0 on.
    Step,
    /// 0.8 x.
    Line,
}

impl Curve {
    pub fn value(self, x: f64) -> f64 {
        match self {
            Self::Sine => (3.0 * x).sin(),
            Self::Cubic => 2.0 * x * x * x - x,
            Self::Step => {
                if x < 0.0 {
                    -0.5
                } else {
                    0.5
                }
            }
            Self::Line => 0.8 * x,
        }
    }
}

/// P₀(x) … P_degree(x), by Bonnet's recurrence (n + 1) P_{n+1} = (2n + 1) x P_n − n P_{n−1}.
pub fn legendre(degree: usize, x: f64) -> Vec<f64> {
    let mut values = vec![1.0, x];
    for n in 1..degree {
        let n_f = n as f64;
        values.push(((2.0 * n_f + 1.0) * x * values[n] - n_f * values[n - 1]) / (n_f + 1.0));
    }
    values.truncate(degree + 1);
    values
}

/// The polynomial with Legendre coefficients `coefficients`, at x.
pub fn evaluate(coefficients: &[f64], x: f64) -> f64 {
    legendre(coefficients.len() - 1, x)
        .iter()
        .zip(coefficients)
        .map(|(p, c)| p * c)
        .sum()
}

/// The least-squares polynomial of `degree` through the points, as Legendre coefficients: the
/// normal equations (AᵀA + λI) c = Aᵀy by a Cholesky factorisation, with λ a 10⁻¹² fraction of
/// AᵀA's mean diagonal, which changes a well-posed fit by nothing visible and keeps one with fewer
/// points than coefficients solvable (near its smallest-norm solution). On [−1, 1] the Legendre
/// basis keeps AᵀA well conditioned where powers of x would not.
pub fn fit(xs: &[f64], ys: &[f64], degree: usize) -> Vec<f64> {
    let design = DMatrix::from_fn(xs.len(), degree + 1, |row, column| {
        legendre(degree, xs[row])[column]
    });
    let mut normal = design.transpose() * &design;
    let ridge = 1e-12 * (normal.trace() / (degree + 1) as f64).max(f64::MIN_POSITIVE);
    for i in 0..=degree {
        normal[(i, i)] += ridge;
    }
    let right = design.transpose() * DVector::from_column_slice(ys);
    normal
        .cholesky()
        .map(|factor| factor.solve(&right).iter().copied().collect())
        .unwrap_or_else(|| vec![0.0; degree + 1])
}

/// Mean squared error of a polynomial on the points.
pub fn mean_squared_error(coefficients: &[f64], xs: &[f64], ys: &[f64]) -> f64 {
    let total: f64 = xs
        .iter()
        .zip(ys)
        .map(|(&x, &y)| (y - evaluate(coefficients, x)).powi(2))
        .sum();
    total / xs.len().max(1) as f64
}

/// Bits of one residual r coded with a Gaussian of standard deviation σ at precision τ.
pub fn residual_bits(r: f64, sigma: f64, tau: f64) -> f64 {
    (sigma * (2.0 * std::f64::consts::PI).sqrt() / tau).log2()
        + r * r / (2.0 * sigma * sigma * std::f64::consts::LN_2)
}

/// A degree's two-part code at its best precision.
#[derive(Debug, Clone, PartialEq)]
pub struct TwoPart {
    /// The grid step is 2^(−precision).
    pub precision: u32,
    /// The rounded coefficients.
    pub coefficients: Vec<f64>,
    /// The precision's bits and the rounded coefficients' codes.
    pub model_bits: f64,
    /// The residuals' code.
    pub data_bits: f64,
}

impl TwoPart {
    pub fn total_bits(&self) -> f64 {
        self.model_bits + self.data_bits
    }
}

/// The two-part code of `coefficients` for the points at precision `b`.
pub fn two_part_at(coefficients: &[f64], b: u32, xs: &[f64], ys: &[f64], sigma: f64) -> TwoPart {
    let scale = 2f64.powi(b as i32);
    let steps: Vec<i64> = coefficients
        .iter()
        .map(|c| (c * scale).round().clamp(-1e15, 1e15) as i64)
        .collect();
    let rounded: Vec<f64> = steps.iter().map(|&k| k as f64 / scale).collect();
    let model_bits = PRECISION_BITS
        + steps
            .iter()
            .map(|&k| f64::from(integer_bits(k)))
            .sum::<f64>();
    let data_bits = xs
        .iter()
        .zip(ys)
        .map(|(&x, &y)| residual_bits(y - evaluate(&rounded, x), sigma, DATA_PRECISION))
        .sum();
    TwoPart {
        precision: b,
        coefficients: rounded,
        model_bits,
        data_bits,
    }
}

/// The shortest two-part code of `coefficients` over the precisions 0 … [`MAX_PRECISION`].
pub fn two_part(coefficients: &[f64], xs: &[f64], ys: &[f64], sigma: f64) -> TwoPart {
    (0..=MAX_PRECISION)
        .map(|b| two_part_at(coefficients, b, xs, ys, sigma))
        .min_by(|a, b| a.total_bits().total_cmp(&b.total_bits()))
        .expect("at least one precision")
}

/// Mean squared error of `degree` in `folds`-fold cross-validation: point i is held out in
/// fold i mod `folds`.
pub fn cross_validation(xs: &[f64], ys: &[f64], degree: usize, folds: usize) -> f64 {
    let mut total = 0.0;
    for fold in 0..folds {
        let (train, test): (Vec<usize>, Vec<usize>) =
            (0..xs.len()).partition(|i| i % folds != fold);
        if train.is_empty() || test.is_empty() {
            continue;
        }
        let pick = |from: &[f64], at: &[usize]| at.iter().map(|&i| from[i]).collect::<Vec<_>>();
        let coefficients = fit(&pick(xs, &train), &pick(ys, &train), degree);
        total += test
            .iter()
            .map(|&i| (ys[i] - evaluate(&coefficients, xs[i])).powi(2))
            .sum::<f64>();
    }
    total / xs.len().max(1) as f64
}

/// The index of the smallest value (the first of equals).
pub fn argmin(values: &[f64]) -> usize {
    values
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(index, _)| index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legendre_polynomials_match_their_closed_forms() {
        for x in [-1.0, -0.3, 0.0, 0.7, 1.0] {
            let p = legendre(4, x);
            assert_eq!(p.len(), 5);
            let expected = [
                1.0,
                x,
                (3.0 * x * x - 1.0) / 2.0,
                (5.0 * x * x * x - 3.0 * x) / 2.0,
                (35.0 * x.powi(4) - 30.0 * x * x + 3.0) / 8.0,
            ];
            for (got, want) in p.iter().zip(expected) {
                assert!((got - want).abs() < 1e-12, "{x}: {got} {want}");
            }
        }
        assert_eq!(legendre(0, 0.5), vec![1.0]);
    }

    #[test]
    fn a_fit_recovers_a_polynomial_exactly() {
        // y = 2x³ − x is ⁴⁄₅ P₃ + ⅕ P₁ (x³ = (2P₃ + 3P₁)/5).
        let xs: Vec<f64> = (0..9).map(|i| -1.0 + i as f64 / 4.0).collect();
        let ys: Vec<f64> = xs.iter().map(|&x| Curve::Cubic.value(x)).collect();
        let coefficients = fit(&xs, &ys, 3);
        for (got, want) in coefficients.iter().zip([0.0, 0.2, 0.0, 0.8]) {
            assert!((got - want).abs() < 1e-10, "{coefficients:?}");
        }
        assert!(mean_squared_error(&coefficients, &xs, &ys) < 1e-20);
    }

    #[test]
    fn the_two_part_code_of_a_constant_worked_by_hand() {
        // Two points at height 0.4, σ = 0.1: degree 0 fits c₀ = 0.4. Each residual r costs
        // log₂(0.1 · √(2π) / 0.01) = 4.6476… bits plus r² / (2 · 0.01 · ln 2).
        // b = 0: k = 0 (1 bit), model 6 bits, r = 0.4: 11.54 bits more a point, 29.1 in all;
        // b = 1: k = 1 (3 bits), c = ½, model 8 bits, r = 0.1: 0.72 more a point, 9.44 in all;
        // b = 2: k = 2 (5 bits), c = ½ again, model 10 bits; b = 3: k = 3, c = 0.375,
        // model 10 bits, r = 0.025: 10.09; finer grids cost more still. So b = 1.
        let (xs, ys) = ([-1.0, 1.0], [0.4, 0.4]);
        let coefficients = fit(&xs, &ys, 0);
        let per_point = (0.1 * (2.0 * std::f64::consts::PI).sqrt() / 0.01).log2();
        let extra = |r: f64| r * r / (2.0 * 0.01 * std::f64::consts::LN_2);
        let code = two_part(&coefficients, &xs, &ys, 0.1);
        assert_eq!(code.precision, 1);
        assert_eq!(code.coefficients, vec![0.5]);
        assert_eq!(code.model_bits, 8.0);
        assert!((code.data_bits - 2.0 * (per_point + extra(0.1))).abs() < 1e-9);
        let coarse = two_part_at(&coefficients, 0, &xs, &ys, 0.1);
        assert_eq!(coarse.model_bits, 6.0);
        assert!((coarse.data_bits - 2.0 * (per_point + extra(0.4))).abs() < 1e-9);
        let fine = two_part_at(&coefficients, 3, &xs, &ys, 0.1);
        assert_eq!((fine.coefficients[0], fine.model_bits), (0.375, 10.0));
    }

    #[test]
    fn mdl_prefers_the_true_degree_when_the_noise_is_small() {
        let mut rng = crate::rng::seeded(3);
        let noise = crate::rng::normal(40, &mut rng);
        let xs: Vec<f64> = (0..40).map(|i| -1.0 + 2.0 * i as f64 / 39.0).collect();
        let ys: Vec<f64> = xs
            .iter()
            .zip(&noise)
            .map(|(&x, &e)| Curve::Cubic.value(x) + 0.05 * f64::from(e))
            .collect();
        let totals: Vec<f64> = (0..=8)
            .map(|degree| two_part(&fit(&xs, &ys, degree), &xs, &ys, 0.05).total_bits())
            .collect();
        assert_eq!(argmin(&totals), 3, "{totals:?}");
        // The training error only falls with the degree.
        let errors: Vec<f64> = (0..=8)
            .map(|degree| mean_squared_error(&fit(&xs, &ys, degree), &xs, &ys))
            .collect();
        assert!(
            errors.windows(2).all(|pair| pair[1] <= pair[0] + 1e-12),
            "{errors:?}"
        );
        // Cross-validation, noisier, at least sees that a cubic beats every lower degree.
        let cv: Vec<f64> = (0..=8).map(|d| cross_validation(&xs, &ys, d, 5)).collect();
        assert!(cv[3] < cv[0] && cv[3] < cv[1] && cv[3] < cv[2], "{cv:?}");
    }
}
