//! Seeded randomness: the same seed gives the same draws on every platform (ChaCha8).
//!
//! A coin flip is heads when u < p for u uniform in [0, 1), so P(heads) = p exactly.

use rand::{RngExt, SeedableRng};

/// The generator behind every random draw in occam.
pub type SeededRng = rand::rngs::ChaCha8Rng;

/// A generator fixed by `seed`.
pub fn seeded(seed: u64) -> SeededRng {
    SeededRng::seed_from_u64(seed)
}

/// `n` flips of a coin with P(heads) = p (`true` is heads); p is clamped to [0, 1].
pub fn coin_flips(p: f64, n: usize, rng: &mut SeededRng) -> Vec<bool> {
    let p = p.clamp(0.0, 1.0);
    (0..n).map(|_| rng.random::<f64>() < p).collect()
}

/// `n` values uniform in [low, high).
pub fn uniform(low: f32, high: f32, n: usize, rng: &mut SeededRng) -> Vec<f32> {
    (0..n)
        .map(|_| low + (high - low) * rng.random::<f32>())
        .collect()
}

/// `n` draws of a standard normal variable (Box–Muller: for u₁, u₂ uniform in (0, 1],
/// √(−2 ln u₁) cos(2π u₂) and √(−2 ln u₁) sin(2π u₂) are independent N(0, 1)).
pub fn normal(n: usize, rng: &mut SeededRng) -> Vec<f32> {
    let mut draws = Vec::with_capacity(n + 1);
    while draws.len() < n {
        let radius = (-2.0 * (1.0 - rng.random::<f64>()).ln()).sqrt();
        let angle = std::f64::consts::TAU * rng.random::<f64>();
        draws.push((radius * angle.cos()) as f32);
        draws.push((radius * angle.sin()) as f32);
    }
    draws.truncate(n);
    draws
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_flips_other_seed_other_flips() {
        let a = coin_flips(0.5, 256, &mut seeded(1));
        assert_eq!(a, coin_flips(0.5, 256, &mut seeded(1)));
        assert_ne!(a, coin_flips(0.5, 256, &mut seeded(2)));
    }

    #[test]
    fn certain_coins_and_frequency() {
        assert!(
            coin_flips(1.0, 1000, &mut seeded(3))
                .iter()
                .all(|&heads| heads)
        );
        assert!(
            coin_flips(0.0, 1000, &mut seeded(3))
                .iter()
                .all(|&heads| !heads)
        );
        // 100,000 flips at p = 0.9: the count of heads has standard deviation
        // sqrt(n p (1 − p)) ≈ 95, so 6σ is about 570.
        let heads = coin_flips(0.9, 100_000, &mut seeded(4))
            .iter()
            .filter(|&&heads| heads)
            .count();
        assert!((heads as i64 - 90_000).abs() < 570, "{heads}");
    }

    #[test]
    fn normal_draws_have_mean_zero_and_variance_one() {
        let n = 100_000;
        let draws = normal(n, &mut seeded(5));
        let mean = draws.iter().map(|&x| f64::from(x)).sum::<f64>() / n as f64;
        let variance =
            draws.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / n as f64 - mean * mean;
        // Standard errors: 1/√n ≈ 0.0032 for the mean, √(2/n) ≈ 0.0045 for the variance.
        assert!(mean.abs() < 0.02, "{mean}");
        assert!((variance - 1.0).abs() < 0.03, "{variance}");
        // P(|X| > 1) = 0.3173 for a standard normal.
        let beyond = draws.iter().filter(|x| x.abs() > 1.0).count() as f64 / n as f64;
        assert!((beyond - 0.3173).abs() < 0.01, "{beyond}");
    }
}
