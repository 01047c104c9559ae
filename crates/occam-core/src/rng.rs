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
}
