//! The discrete cosine transform (DCT-II), the fixed basis JPEG codes each 8×8 tile in.
//!
//! In one dimension, the N basis vectors are
//!
//! b_u(x) = α(u) cos(π (2x + 1) u / (2N)),  α(0) = √(1/N), α(u > 0) = √(2/N),
//!
//! for u, x = 0 … N − 1; they are orthonormal. A W×H image's basis images are the products
//! b_u(x) b_v(y) (W·H of them, also orthonormal): low u, v are smooth, high u, v are fine detail.

/// The 1-D DCT-II basis: vector u is `basis[u * n .. (u + 1) * n]`.
pub fn dct_basis(n: usize) -> Vec<f64> {
    let mut basis = Vec::with_capacity(n * n);
    for u in 0..n {
        let scale = if u == 0 {
            (1.0 / n as f64).sqrt()
        } else {
            (2.0 / n as f64).sqrt()
        };
        for x in 0..n {
            let angle = std::f64::consts::PI * (2 * x + 1) as f64 * u as f64 / (2 * n) as f64;
            basis.push(scale * angle.cos());
        }
    }
    basis
}

/// The 2-D DCT-II basis images of a `width`×`height` image, row-major, ordered by frequency
/// u + v (then v): image (u, v) has pixel (x, y) = b_u(x) b_v(y).
pub fn dct_basis_2d(width: usize, height: usize) -> Vec<Vec<f64>> {
    let across = dct_basis(width);
    let down = dct_basis(height);
    let mut frequencies: Vec<(usize, usize)> = (0..height)
        .flat_map(|v| (0..width).map(move |u| (u, v)))
        .collect();
    frequencies.sort_by_key(|&(u, v)| (u + v, v));
    frequencies
        .into_iter()
        .map(|(u, v)| {
            (0..height)
                .flat_map(|y| {
                    let across = &across;
                    let row = down[v * height + y];
                    (0..width).map(move |x| row * across[u * width + x])
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2d_basis_is_orthonormal() {
        let basis = dct_basis_2d(8, 8);
        assert_eq!(basis.len(), 64);
        for (a, first) in basis.iter().enumerate() {
            for (b, second) in basis.iter().enumerate() {
                let dot: f64 = first.iter().zip(second).map(|(p, q)| p * q).sum();
                let expected = if a == b { 1.0 } else { 0.0 };
                assert!((dot - expected).abs() < 1e-12, "{a}·{b} = {dot}");
            }
        }
    }

    #[test]
    fn first_images_are_flat_then_one_half_cosine() {
        let basis = dct_basis_2d(8, 8);
        // (0, 0): constant 1/8 (its 64 pixels have unit norm).
        assert!(basis[0].iter().all(|&p| (p - 0.125).abs() < 1e-15));
        // (1, 0): along x, √(2/8) cos(π(2x+1)/16); along y, constant √(1/8).
        for x in 0..8 {
            let expected = 0.5
                * (std::f64::consts::PI * (2 * x + 1) as f64 / 16.0).cos()
                * (1.0f64 / 8.0).sqrt();
            assert!((basis[1][x] - expected).abs() < 1e-15);
            assert!((basis[1][8 + x] - expected).abs() < 1e-15);
        }
    }
}
