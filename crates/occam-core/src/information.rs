//! Mutual information between a network's inputs X, a layer's activations T and the labels Y,
//! estimated the two ways chapter 6 compares, and the arithmetic of code lengths and bounds.
//!
//! A deterministic network makes T a function of X. With X drawn uniformly from n distinct
//! inputs, the true I(X;T) is then log₂ n whenever the n activations differ (and for continuous
//! inputs it is infinite): what an estimator reports is its own geometry, not a property of
//! learning. The two estimators make that visible.
//!
//! - **Binning** ([`binned_information`]), as Shwartz-Ziv and Tishby (2017) did: each unit's
//!   value is cut into `bins` equal intervals of a fixed range, and T becomes the discrete
//!   pattern of bin indices. Then I(X;T) = H(T) and I(T;Y) = H(T) − H(T | Y), from counts.
//! - **Noise** ([`noisy_information`]), as Goldfeld et al. (2019) argue a deterministic network
//!   needs: the layer is read through a Gaussian channel, T + Z with Z ~ N(0, σ²I). With X
//!   uniform over the n inputs, T + Z is a mixture of n Gaussians, and
//!   I(X; T+Z) = E[log p(y | x) − log p(y)] (the channel's own entropy cancels), which is
//!   estimated by Monte Carlo: draw an input, add noise, compare the density of its own
//!   Gaussian with the mixture's. I(Y; T+Z) likewise, with the class's mixture for p(y | label).
//!
//! All results are in bits.

use std::collections::{BTreeMap, HashMap};

use crate::rng::{SeededRng, normal};
use rand::RngExt;

/// I(X;T) and I(T;Y) of one layer, in bits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Information {
    pub input: f64,
    pub label: f64,
}

/// Entropy in bits of the empirical distribution of `counts` over `total` observations.
fn entropy_of_counts<'a>(counts: impl Iterator<Item = &'a usize>, total: usize) -> f64 {
    let total = total as f64;
    counts
        .filter(|&&count| count > 0)
        .map(|&count| {
            let p = count as f64 / total;
            -p * p.log2()
        })
        .sum()
}

/// I(X;T) and I(T;Y) by binning: `activations` holds one row of `width` values per input,
/// `labels` one class per row; each value is placed in one of `bins` equal intervals of
/// `range` (values outside it go to the first or last). X is uniform over the rows.
///
/// # Panics
/// If `activations` is not `labels.len()` rows of `width`, or `bins` is 0.
pub fn binned_information(
    activations: &[f32],
    width: usize,
    labels: &[usize],
    bins: usize,
    range: (f32, f32),
) -> Information {
    assert!(bins > 0, "at least one bin");
    assert_eq!(activations.len(), width * labels.len(), "one row per label");
    let (low, high) = range;
    let step = (high - low) / bins as f32;
    let bin = |value: f32| -> u16 {
        if step <= 0.0 || value.is_nan() {
            return 0;
        }
        (((value - low) / step).floor().max(0.0) as usize).min(bins - 1) as u16
    };
    // Ordered maps: the entropies' sums then add the same terms in the same order every time,
    // so a run is reproduced to the last bit.
    let mut patterns: BTreeMap<Vec<u16>, usize> = BTreeMap::new();
    let mut by_label: BTreeMap<usize, BTreeMap<Vec<u16>, usize>> = BTreeMap::new();
    for (row, &label) in activations.chunks(width.max(1)).zip(labels) {
        let pattern: Vec<u16> = row.iter().map(|&value| bin(value)).collect();
        *by_label
            .entry(label)
            .or_default()
            .entry(pattern.clone())
            .or_default() += 1;
        *patterns.entry(pattern).or_default() += 1;
    }
    let n = labels.len();
    let h_t = entropy_of_counts(patterns.values(), n);
    let h_t_given_y: f64 = by_label
        .values()
        .map(|class| {
            let size: usize = class.values().sum();
            size as f64 / n as f64 * entropy_of_counts(class.values(), size)
        })
        .sum();
    Information {
        input: h_t,
        label: h_t - h_t_given_y,
    }
}

/// ln Σ exp(values), computed without overflow.
fn log_sum_exp(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let top = values.clone().fold(f64::NEG_INFINITY, f64::max);
    if top == f64::NEG_INFINITY {
        return top;
    }
    top + values.map(|value| (value - top).exp()).sum::<f64>().ln()
}

/// I(X; T+Z) and I(Y; T+Z) for Z ~ N(0, σ²I), by Monte Carlo over `draws` noisy samples (each
/// of a uniformly drawn row), with X uniform over the rows of `activations` (`width` values
/// each) and `labels` their classes.
///
/// # Panics
/// If `activations` is not `labels.len()` rows of `width`, there are no rows, or σ ≤ 0.
pub fn noisy_information(
    activations: &[f32],
    width: usize,
    labels: &[usize],
    sigma: f64,
    draws: usize,
    rng: &mut SeededRng,
) -> Information {
    assert!(sigma > 0.0, "the noise has a positive scale");
    assert!(!labels.is_empty(), "at least one row");
    assert_eq!(activations.len(), width * labels.len(), "one row per label");
    let n = labels.len();
    let rows: Vec<&[f32]> = activations.chunks(width.max(1)).collect();
    let mut class_sizes: HashMap<usize, usize> = HashMap::new();
    for &label in labels {
        *class_sizes.entry(label).or_default() += 1;
    }
    // log of the Gaussian density up to the constant every term shares (it cancels).
    let log_kernel = |y: &[f64], row: &[f32]| -> f64 {
        let squared: f64 = y
            .iter()
            .zip(row)
            .map(|(a, &b)| (a - f64::from(b)).powi(2))
            .sum();
        -squared / (2.0 * sigma * sigma)
    };
    let (mut input, mut label) = (0.0, 0.0);
    let mut y = vec![0.0; width];
    for _ in 0..draws {
        let at = rng.random_range(0..n);
        let noise = normal(width, rng);
        for ((y, &t), z) in y.iter_mut().zip(rows[at]).zip(noise) {
            *y = f64::from(t) + sigma * f64::from(z);
        }
        let all = log_sum_exp(rows.iter().map(|row| log_kernel(&y, row))) - (n as f64).ln();
        let own = log_kernel(&y, rows[at]);
        let class = labels[at];
        let same = log_sum_exp(
            rows.iter()
                .zip(labels)
                .filter(|(_, other)| **other == class)
                .map(|(row, _)| log_kernel(&y, row)),
        ) - (class_sizes[&class] as f64).ln();
        input += own - all;
        label += same - all;
    }
    let to_bits = std::f64::consts::LN_2 * draws.max(1) as f64;
    Information {
        input: input / to_bits,
        label: label / to_bits,
    }
}

/// Occam's bound on the error rate of a classifier described in `code_bits` bits (a prefix
/// code), which made `train_error` (a fraction) on `n` independent examples: with probability
/// at least 1 − δ over the draw of the examples, its true error is at most
/// train_error + √((L ln 2 + ln(1/δ)) / (2n)) (Hoeffding's inequality and a union bound
/// weighted by 2^(−L)).
pub fn occam_bound(train_error: f64, code_bits: f64, n: usize, delta: f64) -> f64 {
    train_error
        + ((code_bits * std::f64::consts::LN_2 + (1.0 / delta).ln()) / (2.0 * n as f64)).sqrt()
}

/// The prequential (online) code length of a sequence of labels from `classes` classes, in
/// bits: the first `first_block` labels sent uniformly (log₂ `classes` each), then each later
/// label at −log₂ of the probability that a model trained on every earlier block gave it,
/// `probabilities` (Blier and Ollivier 2018).
pub fn prequential_bits(first_block: usize, classes: usize, probabilities: &[f64]) -> f64 {
    first_block as f64 * (classes as f64).log2()
        + probabilities
            .iter()
            .map(|&p| -p.max(f64::MIN_POSITIVE).log2())
            .sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    /// Two units, each at 0.1 or 0.9, in all four combinations equally often; the label is
    /// the first unit. Binned in halves of [0, 1]: four equiprobable patterns, H(T) = 2 bits,
    /// and the label is one bit of it.
    #[test]
    fn binning_a_known_discrete_variable() {
        let mut activations = Vec::new();
        let mut labels = Vec::new();
        for _ in 0..5 {
            for (a, b) in [(0.1, 0.1), (0.1, 0.9), (0.9, 0.1), (0.9, 0.9)] {
                activations.extend([a, b]);
                labels.push(usize::from(a > 0.5));
            }
        }
        let found = binned_information(&activations, 2, &labels, 2, (0.0, 1.0));
        assert!((found.input - 2.0).abs() < 1e-12, "{found:?}");
        assert!((found.label - 1.0).abs() < 1e-12, "{found:?}");
        // One bin sees nothing.
        let found = binned_information(&activations, 2, &labels, 1, (0.0, 1.0));
        assert_eq!((found.input, found.label), (0.0, 0.0));
        // Finer bins cannot see more than the four values there are.
        let found = binned_information(&activations, 2, &labels, 30, (-1.0, 1.0));
        assert!((found.input - 2.0).abs() < 1e-12, "{found:?}");
        // Three patterns with probabilities 1/2, 1/4, 1/4: H = 1.5 bits.
        let activations = [0.1, 0.1, 0.5, 0.9];
        let found = binned_information(&activations, 1, &[0, 0, 1, 1], 3, (0.0, 1.0));
        assert!((found.input - 1.5).abs() < 1e-12, "{found:?}");
        assert!((found.label - 1.0).abs() < 1e-12, "{found:?}");
    }

    /// Through the Gaussian channel: identical rows carry nothing; rows far apart, compared
    /// with σ, carry log₂ n; and a Gaussian input of variance s² carries
    /// ½ log₂(1 + s²/σ²), Shannon's capacity formula.
    #[test]
    fn the_gaussian_channel() {
        let mut rng = seeded(5);
        let same = vec![0.3_f32; 3 * 40];
        let labels: Vec<usize> = (0..40).map(|i| i % 2).collect();
        let found = noisy_information(&same, 3, &labels, 0.5, 400, &mut rng);
        assert!(
            found.input.abs() < 1e-12 && found.label.abs() < 1e-12,
            "{found:?}"
        );

        let far: Vec<f32> = (0..8).map(|i| 100.0 * i as f32).collect();
        let found = noisy_information(&far, 1, &[0, 0, 0, 0, 1, 1, 1, 1], 1.0, 400, &mut rng);
        assert!((found.input - 3.0).abs() < 1e-6, "{found:?}");
        assert!((found.label - 1.0).abs() < 1e-6, "{found:?}");

        let (s, sigma) = (2.0_f64, 1.0_f64);
        let inputs: Vec<f32> = normal(2_000, &mut rng)
            .iter()
            .map(|z| z * s as f32)
            .collect();
        let labels = vec![0; inputs.len()];
        let found = noisy_information(&inputs, 1, &labels, sigma, 4_000, &mut rng);
        let capacity = 0.5 * (1.0 + s * s / (sigma * sigma)).log2();
        assert!(
            (found.input - capacity).abs() < 0.05,
            "{found:?} against {capacity}"
        );
        assert!(
            found.label.abs() < 1e-12,
            "one class: nothing about the label"
        );
    }

    #[test]
    fn occams_bound_by_hand() {
        // 1,000 bits, 10,000 examples, δ = 0.05: √((1000 ln 2 + ln 20) / 20000) = 0.186567…
        let bound = occam_bound(0.02, 1_000.0, 10_000, 0.05);
        assert!((bound - (0.02 + 0.186_567)).abs() < 1e-6, "{bound}");
        // A longer description pays: the bound grows with the code length.
        assert!(occam_bound(0.02, 2_000.0, 10_000, 0.05) > bound);
    }

    #[test]
    fn the_prequential_code_by_hand() {
        // Ten labels of 10 classes sent uniformly, then two at probabilities ½ and ¼.
        let bits = prequential_bits(10, 10, &[0.5, 0.25]);
        assert!(
            (bits - (10.0 * 10f64.log2() + 1.0 + 2.0)).abs() < 1e-12,
            "{bits}"
        );
        assert_eq!(prequential_bits(0, 10, &[1.0, 1.0]), 0.0);
    }
}
