//! Entropy, in bits.
//!
//! H(X) = −Σₓ p(x) log₂ p(x): the shortest average length, in bits per symbol, of any code
//! for symbols drawn from p (Shannon 1948). For a coin with P(heads) = p it is the binary entropy
//! h(p) = −p log₂ p − (1 − p) log₂(1 − p), with 0 log 0 = 0.
//!
//! A code built for the wrong distribution q costs the cross-entropy
//! −Σₓ p(x) log₂ q(x) = H(p) + D(p‖q), where D(p‖q) = Σₓ p(x) log₂ (p(x)/q(x)) ≥ 0 is the
//! Kullback–Leibler divergence: the bits per symbol that the wrong model wastes.
//!
//! ```
//! use occam_core::entropy::binary_entropy;
//! assert_eq!(binary_entropy(0.5), 1.0);
//! assert_eq!(binary_entropy(0.0), 0.0);
//! ```

/// −x log₂ x, extended by continuity with 0 at x = 0.
fn neg_x_log2_x(x: f64) -> f64 {
    if x <= 0.0 { 0.0 } else { -x * x.log2() }
}

/// The binary entropy h(p) in bits, for p in [0, 1] (values outside are clamped).
pub fn binary_entropy(p: f64) -> f64 {
    let p = p.clamp(0.0, 1.0);
    neg_x_log2_x(p) + neg_x_log2_x(1.0 - p)
}

/// The entropy in bits of a distribution given by its probabilities (which should sum to 1).
pub fn entropy(probabilities: &[f64]) -> f64 {
    probabilities.iter().copied().map(neg_x_log2_x).sum()
}

/// D(p‖q) in bits between coins with P(heads) = p and q: the extra bits per flip of a code
/// built for q on flips drawn from p. Infinite when q gives probability 0 to an outcome p can
/// produce; p is clamped to [0, 1].
pub fn binary_kl_divergence(p: f64, q: f64) -> f64 {
    let p = p.clamp(0.0, 1.0);
    let term = |a: f64, b: f64| {
        if a <= 0.0 {
            0.0
        } else if b <= 0.0 {
            f64::INFINITY
        } else {
            a * (a / b).log2()
        }
    };
    term(p, q) + term(1.0 - p, 1.0 - q)
}

/// The entropy in bits per symbol of the observed frequencies: H of `counts / Σ counts`.
///
/// It is the code length per symbol of the best static code chosen *after* seeing the data,
/// the yardstick against which an adaptive code's regret is measured. Zero for no data.
pub fn empirical_entropy(counts: &[u64]) -> f64 {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return 0.0;
    }
    let total = total as f64;
    counts
        .iter()
        .map(|&count| neg_x_log2_x(count as f64 / total))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_entropy_matches_closed_forms() {
        // h(1/4) = 2 − (3/4) log₂ 3, computed by hand.
        let expected = 2.0 - 0.75 * 3f64.log2();
        assert!((binary_entropy(0.25) - expected).abs() < 1e-15);
        // Symmetric, zero at the ends, one at the middle.
        assert_eq!(binary_entropy(1.0), 0.0);
        assert!((binary_entropy(0.9) - binary_entropy(0.1)).abs() < 1e-15);
        // h(0.9) to the digits the browser test checks: 0.4689955935892811.
        assert!((binary_entropy(0.9) - 0.468_995_593_589_281_1).abs() < 1e-15);
    }

    #[test]
    fn kl_divergence_is_cross_entropy_minus_entropy() {
        // D(1/2 ‖ 1/4) = ½ log₂ 2 + ½ log₂ (2/3), by hand.
        let expected = 0.5 + 0.5 * (2.0f64 / 3.0).log2();
        assert!((binary_kl_divergence(0.5, 0.25) - expected).abs() < 1e-15);
        assert_eq!(binary_kl_divergence(0.3, 0.3), 0.0);
        assert_eq!(binary_kl_divergence(0.5, 0.0), f64::INFINITY);
        assert_eq!(binary_kl_divergence(0.0, 0.5), 1.0);
        // Cross-entropy H(p) + D(p‖q) = −p log₂ q − (1 − p) log₂(1 − q).
        for (p, q) in [(0.9, 0.5), (0.1, 0.7), (0.99, 0.6)] {
            let cross = -p * f64::log2(q) - (1.0 - p) * f64::log2(1.0 - q);
            assert!((binary_entropy(p) + binary_kl_divergence(p, q) - cross).abs() < 1e-12);
        }
    }

    #[test]
    fn uniform_distribution_has_log2_n_bits() {
        for n in [1usize, 2, 3, 8, 26, 1000] {
            let uniform = vec![1.0 / n as f64; n];
            assert!(
                (entropy(&uniform) - (n as f64).log2()).abs() < 1e-12,
                "n = {n}"
            );
        }
    }

    #[test]
    fn empirical_entropy_of_counts() {
        assert_eq!(empirical_entropy(&[]), 0.0);
        assert_eq!(empirical_entropy(&[0, 0]), 0.0);
        assert_eq!(empirical_entropy(&[7, 0]), 0.0);
        assert_eq!(empirical_entropy(&[5, 5]), 1.0);
        assert!((empirical_entropy(&[1, 3]) - binary_entropy(0.25)).abs() < 1e-15);
    }
}
