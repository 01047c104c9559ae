//! Denoising and diffusion on toy data, in plain Rust: the data sets, the exact denoiser of a
//! mixture of low-rank Gaussians, the noise schedule, and the DDPM and DDIM sampler updates.
//!
//! **The optimal denoiser.** For y = x + σε with ε ~ N(0, I), the denoiser with the least
//! squared error is the posterior mean E[x | y]. If x is a mixture Σₖ πₖ N(μₖ, Σₖ) (here each
//! Σₖ = Uₖ diag(sₖ²) Uₖᵀ has low rank: a line, a plane), then y is the mixture
//! Σₖ πₖ N(μₖ, Σₖ + σ²I), and
//!
//! E[x | y] = Σₖ wₖ(y) (μₖ + Σₖ (Σₖ + σ²I)⁻¹ (y − μₖ)),  wₖ(y) ∝ πₖ N(y; μₖ, Σₖ + σ²I):
//!
//! each component projects y towards its subspace (and shrinks it along it), and the weights
//! say which subspace y probably came from.
//!
//! **The forward process.** x_t = αₜ x₀ + σₜ ε with ᾱₜ = Πₛ≤ₜ (1 − βₛ), αₜ = √ᾱₜ and
//! σₜ = √(1 − ᾱₜ), so αₜ² + σₜ² = 1 (Ho et al. 2020, β linear from 10⁻⁴ to 0.02 over
//! T = 1,000 levels). Dividing by αₜ gives x_t/αₜ = x₀ + (σₜ/αₜ) ε: denoising at level t is
//! denoising at noise σₜ/αₜ.
//!
//! **Sampling.** From x_T ~ N(0, I), over levels τ_S > … > τ_1 > τ_0 = 0 (ᾱ = 1 at 0), with a
//! denoiser's estimate x̂₀ of x₀ and ε̂ = (x_t − αₜ x̂₀)/σₜ:
//!
//! x_prev = √ᾱ_prev x̂₀ + √(1 − ᾱ_prev − s²) ε̂ + s z,
//! s² = η² (1 − ᾱ_prev)/(1 − ᾱₜ) · (1 − ᾱₜ/ᾱ_prev),
//!
//! with z ~ N(0, I) fresh: η = 1 is DDPM's ancestral sampler (its posterior q(x_prev | x_t, x̂₀)),
//! η = 0 is DDIM's deterministic one (Song, Meng and Ermon 2021).

use nalgebra::{DMatrix, DVector};
use rand::RngExt;

use crate::rng::{SeededRng, normal};

/// A mixture of Gaussians with low-rank covariances Σₖ = Uₖ diag(sₖ²) Uₖᵀ.
#[derive(Debug, Clone, PartialEq)]
pub struct LowRankMixture {
    pub dimension: usize,
    pub components: Vec<LowRankGaussian>,
}

/// One component: weight π, mean μ, orthonormal directions (the columns of U) and the standard
/// deviation along each.
#[derive(Debug, Clone, PartialEq)]
pub struct LowRankGaussian {
    pub weight: f64,
    pub mean: Vec<f64>,
    pub directions: Vec<Vec<f64>>,
    pub scales: Vec<f64>,
}

impl LowRankGaussian {
    /// Σ = U diag(s²) Uᵀ.
    pub fn covariance(&self, dimension: usize) -> DMatrix<f64> {
        let mut covariance = DMatrix::zeros(dimension, dimension);
        for (direction, scale) in self.directions.iter().zip(&self.scales) {
            let u = DVector::from_column_slice(direction);
            covariance += &u * u.transpose() * scale.powi(2);
        }
        covariance
    }
}

impl LowRankMixture {
    /// The chapter's example in R³: two lines and a plane through the origin, with weights
    /// 0.3, 0.3 and 0.4.
    pub fn lines_and_plane() -> Self {
        let normalize = |v: [f64; 3]| {
            let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
            v.iter().map(|x| x / norm).collect::<Vec<f64>>()
        };
        Self {
            dimension: 3,
            components: vec![
                LowRankGaussian {
                    weight: 0.3,
                    mean: vec![0.0; 3],
                    directions: vec![normalize([0.6, 0.0, 0.8])],
                    scales: vec![1.0],
                },
                LowRankGaussian {
                    weight: 0.3,
                    mean: vec![0.0; 3],
                    directions: vec![normalize([-0.36, 0.48, 0.8])],
                    scales: vec![1.0],
                },
                LowRankGaussian {
                    weight: 0.4,
                    mean: vec![0.0; 3],
                    directions: vec![vec![1.0, 0.0, 0.0], vec![0.0, 1.0, 0.0]],
                    scales: vec![0.8, 0.8],
                },
            ],
        }
    }

    /// `n` draws, `dimension` numbers each, with the component each came from.
    pub fn sample(&self, n: usize, rng: &mut SeededRng) -> (Vec<f32>, Vec<usize>) {
        let mut points = Vec::with_capacity(n * self.dimension);
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            let u: f64 = rng.random();
            let mut cumulative = 0.0;
            let index = self
                .components
                .iter()
                .position(|component| {
                    cumulative += component.weight;
                    u < cumulative
                })
                .unwrap_or(self.components.len() - 1);
            let component = &self.components[index];
            let latent = normal(component.scales.len(), rng);
            let mut point = component.mean.clone();
            for ((direction, scale), z) in component
                .directions
                .iter()
                .zip(&component.scales)
                .zip(latent)
            {
                for (value, u) in point.iter_mut().zip(direction) {
                    *value += scale * f64::from(z) * u;
                }
            }
            points.extend(point.iter().map(|&value| value as f32));
            labels.push(index);
        }
        (points, labels)
    }

    /// The posterior mean E[x | x + σε = y], ready to apply at this σ.
    pub fn denoiser(&self, sigma: f64) -> MixtureDenoiser {
        let dimension = self.dimension;
        let parts = self
            .components
            .iter()
            .map(|component| {
                let covariance = component.covariance(dimension);
                let noisy = &covariance + DMatrix::identity(dimension, dimension) * sigma.powi(2);
                let cholesky = noisy
                    .clone()
                    .cholesky()
                    .expect("Σ + σ²I is positive definite for σ > 0");
                let log_det = 2.0 * cholesky.l().diagonal().iter().map(|d| d.ln()).sum::<f64>();
                let inverse = cholesky.inverse();
                Part {
                    log_prior: component.weight.ln() - 0.5 * log_det,
                    mean: DVector::from_column_slice(&component.mean),
                    gain: &covariance * &inverse,
                    precision: inverse,
                }
            })
            .collect();
        MixtureDenoiser { parts }
    }
}

#[derive(Debug, Clone)]
struct Part {
    /// log πₖ − ½ log det(Σₖ + σ²I).
    log_prior: f64,
    mean: DVector<f64>,
    /// (Σₖ + σ²I)⁻¹.
    precision: DMatrix<f64>,
    /// Σₖ (Σₖ + σ²I)⁻¹.
    gain: DMatrix<f64>,
}

/// The exact posterior-mean denoiser of a [`LowRankMixture`] at one noise level.
#[derive(Debug, Clone)]
pub struct MixtureDenoiser {
    parts: Vec<Part>,
}

impl MixtureDenoiser {
    /// wₖ(y), the probability that y came from component k.
    pub fn responsibilities(&self, y: &[f64]) -> Vec<f64> {
        let y = DVector::from_column_slice(y);
        let logits: Vec<f64> = self
            .parts
            .iter()
            .map(|part| {
                let centred = &y - &part.mean;
                part.log_prior - 0.5 * (centred.transpose() * &part.precision * &centred)[(0, 0)]
            })
            .collect();
        let largest = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = logits.iter().map(|logit| (logit - largest).exp()).collect();
        let total: f64 = weights.iter().sum();
        weights.into_iter().map(|weight| weight / total).collect()
    }

    /// E[x | y].
    pub fn denoise(&self, y: &[f64]) -> Vec<f64> {
        let weights = self.responsibilities(y);
        let y = DVector::from_column_slice(y);
        let mut estimate = DVector::zeros(y.len());
        for (part, weight) in self.parts.iter().zip(weights) {
            estimate += (&part.mean + &part.gain * (&y - &part.mean)) * weight;
        }
        estimate.iter().copied().collect()
    }

    /// E[x | y] for many points, `dimension` numbers each.
    pub fn denoise_all(&self, points: &[f32], dimension: usize) -> Vec<f32> {
        points
            .chunks_exact(dimension)
            .flat_map(|y| {
                let y: Vec<f64> = y.iter().map(|&v| f64::from(v)).collect();
                self.denoise(&y).into_iter().map(|v| v as f32)
            })
            .collect()
    }
}

/// The toy distributions of the chapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toy {
    /// Two lines and a plane in R³ ([`LowRankMixture::lines_and_plane`]).
    Mixture,
    /// Two interleaved half circles in the plane.
    Moons,
    /// A spiral in the plane.
    SwissRoll,
    /// A circle of radius 1.5.
    Ring,
}

impl Toy {
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "mixture" => Some(Self::Mixture),
            "moons" => Some(Self::Moons),
            "swiss-roll" => Some(Self::SwissRoll),
            "ring" => Some(Self::Ring),
            _ => None,
        }
    }

    pub fn dimension(self) -> usize {
        match self {
            Self::Mixture => 3,
            Self::Moons | Self::SwissRoll | Self::Ring => 2,
        }
    }

    /// `n` points, `dimension()` numbers each. The curves have a small thickness (standard
    /// deviation 0.02 across them), so that they are distributions and not sets of measure zero.
    pub fn sample(self, n: usize, rng: &mut SeededRng) -> Vec<f32> {
        const THICKNESS: f64 = 0.02;
        let curve = |rng: &mut SeededRng| -> [f64; 2] {
            let u: f64 = rng.random();
            match self {
                Self::Moons => {
                    let angle = std::f64::consts::PI * u;
                    if rng.random::<bool>() {
                        [1.2 * angle.cos() - 0.6, 1.2 * angle.sin() - 0.3]
                    } else {
                        [0.6 - 1.2 * angle.cos(), 0.3 - 1.2 * angle.sin()]
                    }
                }
                Self::SwissRoll => {
                    // Arc length grows like the angle squared: take the angle as √u so that
                    // points spread evenly along the spiral.
                    let angle = 1.5 * std::f64::consts::PI * (1.0 + 2.0 * u.sqrt());
                    let radius = angle / (4.5 * std::f64::consts::PI) * 2.0;
                    [radius * angle.cos(), radius * angle.sin()]
                }
                _ => {
                    let angle = std::f64::consts::TAU * u;
                    [1.5 * angle.cos(), 1.5 * angle.sin()]
                }
            }
        };
        match self {
            Self::Mixture => LowRankMixture::lines_and_plane().sample(n, rng).0,
            _ => (0..n)
                .flat_map(|_| {
                    let [x, y] = curve(rng);
                    let jitter = normal(2, rng);
                    [
                        (x + THICKNESS * f64::from(jitter[0])) as f32,
                        (y + THICKNESS * f64::from(jitter[1])) as f32,
                    ]
                })
                .collect(),
        }
    }
}

/// The variance-preserving noise schedule: ᾱₜ for t = 0 … T (ᾱ₀ = 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    alpha_bar: Vec<f64>,
}

impl Schedule {
    /// βₜ linear from `first` to `last` over t = 1 … `levels`, ᾱₜ = Πₛ≤ₜ (1 − βₛ).
    pub fn linear(levels: usize, first: f64, last: f64) -> Self {
        let mut alpha_bar = Vec::with_capacity(levels + 1);
        alpha_bar.push(1.0);
        for t in 1..=levels {
            let fraction = if levels > 1 {
                (t - 1) as f64 / (levels - 1) as f64
            } else {
                0.0
            };
            let beta = first + (last - first) * fraction;
            alpha_bar.push(alpha_bar[t - 1] * (1.0 - beta));
        }
        Self { alpha_bar }
    }

    /// Ho et al.'s schedule: 1,000 levels, β from 10⁻⁴ to 0.02.
    pub fn ddpm() -> Self {
        Self::linear(1_000, 1e-4, 0.02)
    }

    /// T, the number of noise levels.
    pub fn levels(&self) -> usize {
        self.alpha_bar.len() - 1
    }

    pub fn alpha_bar(&self, t: usize) -> f64 {
        self.alpha_bar[t]
    }

    /// αₜ = √ᾱₜ, the signal's coefficient.
    pub fn signal(&self, t: usize) -> f64 {
        self.alpha_bar[t].sqrt()
    }

    /// σₜ = √(1 − ᾱₜ), the noise's coefficient.
    pub fn noise(&self, t: usize) -> f64 {
        (1.0 - self.alpha_bar[t]).sqrt()
    }

    /// The levels a sampler of `steps` steps visits, from T down, then 0: τᵢ = round(i T / S).
    pub fn sampler_levels(&self, steps: usize) -> Vec<usize> {
        let (levels, steps) = (self.levels(), steps.clamp(1, self.levels()));
        let mut visited: Vec<usize> = (0..=steps)
            .rev()
            .map(|i| ((i * levels) as f64 / steps as f64).round() as usize)
            .collect();
        visited.dedup();
        visited
    }
}

/// Which sampler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sampler {
    /// Ancestral sampling with fresh noise each step (η = 1).
    Ddpm,
    /// The deterministic path (η = 0).
    Ddim,
}

impl Sampler {
    fn eta(self) -> f64 {
        match self {
            Self::Ddpm => 1.0,
            Self::Ddim => 0.0,
        }
    }

    /// One step from level ᾱₜ to ᾱ_prev for one coordinate, given x_t, the estimate x̂₀ and a
    /// standard normal draw z (unused by DDIM).
    pub fn update(self, x_t: f64, x0: f64, alpha_bar: f64, alpha_bar_prev: f64, z: f64) -> f64 {
        let epsilon = (x_t - alpha_bar.sqrt() * x0) / (1.0 - alpha_bar).sqrt().max(1e-12);
        let s2 = self.eta().powi(2) * (1.0 - alpha_bar_prev) / (1.0 - alpha_bar).max(1e-12)
            * (1.0 - alpha_bar / alpha_bar_prev);
        let s2 = s2.clamp(0.0, 1.0 - alpha_bar_prev);
        alpha_bar_prev.sqrt() * x0
            + (1.0 - alpha_bar_prev - s2).max(0.0).sqrt() * epsilon
            + s2.sqrt() * z
    }
}

/// Runs a sampler over `points` (rows of `dimension` numbers, starting as x_T), calling
/// `estimate(x_t, t)` for x̂₀ at each visited level; `visit` sees every intermediate set of
/// points. The same loop serves the exact denoiser here and the network in the worker (which
/// wraps it in its own async loop; see `occam-demos`).
pub fn sample_with(
    schedule: &Schedule,
    sampler: Sampler,
    steps: usize,
    points: &mut [f32],
    rng: &mut SeededRng,
    mut estimate: impl FnMut(&[f32], usize) -> Vec<f32>,
    mut visit: impl FnMut(&[f32]),
) {
    let levels = schedule.sampler_levels(steps);
    visit(points);
    for pair in levels.windows(2) {
        let x0 = estimate(points, pair[0]);
        step_all(schedule, sampler, pair[0], pair[1], points, &x0, rng);
        visit(points);
    }
}

/// One sampler step for every coordinate of `points`, from level `t` to `prev`.
pub fn step_all(
    schedule: &Schedule,
    sampler: Sampler,
    t: usize,
    prev: usize,
    points: &mut [f32],
    x0: &[f32],
    rng: &mut SeededRng,
) {
    let noise = match sampler {
        Sampler::Ddpm => normal(points.len(), rng),
        Sampler::Ddim => vec![0.0; points.len()],
    };
    let (alpha_bar, alpha_bar_prev) = (schedule.alpha_bar(t), schedule.alpha_bar(prev));
    for ((x, &estimate), z) in points.iter_mut().zip(x0).zip(noise) {
        *x = sampler.update(
            f64::from(*x),
            f64::from(estimate),
            alpha_bar,
            alpha_bar_prev,
            f64::from(z),
        ) as f32;
    }
}

/// The exact denoiser of `mixture` at level t of `schedule`: x̂₀ = E[x₀ | x_t] = E[x | y] at
/// y = x_t/αₜ and noise σₜ/αₜ.
pub fn mixture_estimate(
    mixture: &LowRankMixture,
    schedule: &Schedule,
    points: &[f32],
    t: usize,
) -> Vec<f32> {
    let (signal, noise) = (schedule.signal(t), schedule.noise(t));
    let scaled: Vec<f32> = points
        .iter()
        .map(|&x| (f64::from(x) / signal) as f32)
        .collect();
    mixture
        .denoiser(noise / signal)
        .denoise_all(&scaled, mixture.dimension)
}

/// The mean over `points` of the distance to the nearest of `reference` (rows of `dimension`).
pub fn mean_nearest_distance(points: &[f32], reference: &[f32], dimension: usize) -> f64 {
    let count = points.len() / dimension;
    if count == 0 || reference.is_empty() {
        return f64::NAN;
    }
    let total: f64 = points
        .chunks_exact(dimension)
        .map(|point| {
            reference
                .chunks_exact(dimension)
                .map(|other| {
                    point
                        .iter()
                        .zip(other)
                        .map(|(a, b)| f64::from(a - b).powi(2))
                        .sum::<f64>()
                })
                .fold(f64::INFINITY, f64::min)
                .sqrt()
        })
        .sum();
    total / count as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn schedule_coefficients_satisfy_their_identity() {
        let schedule = Schedule::ddpm();
        assert_eq!(schedule.levels(), 1_000);
        // ᾱₜ computed independently, as exp Σ ln(1 − βₛ).
        let mut log_sum = 0.0;
        for t in 1..=1_000 {
            let beta = 1e-4 + (0.02 - 1e-4) * (t - 1) as f64 / 999.0;
            log_sum += (1.0 - beta).ln();
            let alpha_bar = log_sum.exp();
            assert!((schedule.alpha_bar(t) - alpha_bar).abs() < 1e-12 * alpha_bar.max(1e-3));
            let identity = schedule.signal(t).powi(2) + schedule.noise(t).powi(2);
            assert!((identity - 1.0).abs() < 1e-12, "t = {t}: {identity}");
            assert!(schedule.alpha_bar(t) < schedule.alpha_bar(t - 1));
        }
        // At T almost no signal is left: ᾱ_T ≈ 4.0 · 10⁻⁵.
        assert!(
            (schedule.alpha_bar(1_000) - 4.04e-5).abs() < 0.05e-5,
            "{}",
            schedule.alpha_bar(1_000)
        );
        assert_eq!(schedule.sampler_levels(4), vec![1_000, 750, 500, 250, 0]);
        assert_eq!(schedule.sampler_levels(1_000).len(), 1_001);
    }

    #[test]
    fn the_closed_form_posterior_mean_agrees_with_monte_carlo() {
        let mixture = LowRankMixture::lines_and_plane();
        let sigma = 0.5;
        let denoiser = mixture.denoiser(sigma);
        // E[x | y] = E[x p(y | x)] / E[p(y | x)] over x from the mixture, estimated with
        // 400,000 draws, at a few fixed points y.
        let (draws, _) = mixture.sample(400_000, &mut seeded(11));
        for y in [
            [0.3, -0.2, 0.9],
            [1.0, 0.5, 0.1],
            [-0.4, 0.4, 0.6],
            [0.0, 0.0, 0.0],
        ] {
            let (mut weighted, mut total) = ([0.0f64; 3], 0.0f64);
            for x in draws.chunks_exact(3) {
                let distance2: f64 = x
                    .iter()
                    .zip(&y)
                    .map(|(&a, b)| (f64::from(a) - b).powi(2))
                    .sum();
                let likelihood = (-distance2 / (2.0 * sigma * sigma)).exp();
                total += likelihood;
                for (sum, &value) in weighted.iter_mut().zip(x) {
                    *sum += likelihood * f64::from(value);
                }
            }
            let closed = denoiser.denoise(&y);
            for (j, value) in closed.iter().enumerate() {
                let estimate = weighted[j] / total;
                assert!(
                    (value - estimate).abs() < 0.01,
                    "y {y:?}: closed {closed:?}, Monte Carlo {}",
                    estimate
                );
            }
            let weights = denoiser.responsibilities(&y);
            assert!((weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn a_point_on_a_line_far_from_the_rest_is_projected_onto_it() {
        // y on line 1 at distance 3 from the origin: the posterior mean shrinks it by
        // s²/(s² + σ²) along the line and removes nothing else.
        let mixture = LowRankMixture::lines_and_plane();
        let sigma = 0.1;
        let u = &mixture.components[0].directions[0];
        let y: Vec<f64> = u.iter().map(|v| 3.0 * v).collect();
        let expected: Vec<f64> = y.iter().map(|v| v * 1.0 / (1.0 + sigma * sigma)).collect();
        let estimate = mixture.denoiser(sigma).denoise(&y);
        for (a, b) in estimate.iter().zip(&expected) {
            assert!((a - b).abs() < 1e-9, "{estimate:?} vs {expected:?}");
        }
    }

    #[test]
    fn sampling_with_the_exact_denoiser_reproduces_the_mixture() {
        let mixture = LowRankMixture::lines_and_plane();
        let schedule = Schedule::ddpm();
        // Each step uses only the posterior mean of x₀, not the whole posterior, which costs
        // variance at coarse steps: DDPM lost 19% of a line's variance at 100 steps, 3 to 5%
        // at 500; DDIM lost under 6% at 100 and 21% at 25. Hence the step counts.
        for (sampler, steps) in [(Sampler::Ddpm, 500), (Sampler::Ddim, 100)] {
            let n = 4_000;
            let mut rng = seeded(21);
            let mut points = normal(n * 3, &mut rng);
            sample_with(
                &schedule,
                sampler,
                steps,
                &mut points,
                &mut rng,
                |x, t| mixture_estimate(&mixture, &schedule, x, t),
                |_| {},
            );
            // Assign each sample to the component it most probably came from, then compare
            // weights (a proportion of 4,000 has standard error ≤ 0.008) and covariances.
            let assign = mixture.denoiser(0.05);
            let mut members: Vec<Vec<[f64; 3]>> = vec![Vec::new(); 3];
            for x in points.chunks_exact(3) {
                let x = [f64::from(x[0]), f64::from(x[1]), f64::from(x[2])];
                let weights = assign.responsibilities(&x);
                let best = (0..3)
                    .max_by(|&a, &b| weights[a].total_cmp(&weights[b]))
                    .unwrap();
                members[best].push(x);
            }
            for (component, points) in mixture.components.iter().zip(&members) {
                let weight = points.len() as f64 / n as f64;
                assert!(
                    (weight - component.weight).abs() < 0.035,
                    "{sampler:?}: weight {weight} vs {}",
                    component.weight
                );
                let mut covariance = DMatrix::<f64>::zeros(3, 3);
                for x in points {
                    let x = DVector::from_column_slice(x);
                    covariance += &x * x.transpose();
                }
                covariance /= points.len() as f64;
                let expected = component.covariance(3);
                let error = (&covariance - &expected).norm() / expected.norm();
                assert!(
                    error < 0.1,
                    "{sampler:?}: covariance error {error}\n{covariance}\nvs\n{expected}"
                );
            }
        }
    }

    #[test]
    fn a_sampler_step_with_a_perfect_estimate_keeps_the_marginal() {
        // With x₀ known and x_t = αₜ x₀ + σₜ ε, DDIM's step lands exactly on
        // α_prev x₀ + σ_prev ε: the same noise, at the lower level.
        let schedule = Schedule::ddpm();
        let (t, prev, x0, epsilon) = (600, 400, 0.7, -1.3);
        let x_t = schedule.signal(t) * x0 + schedule.noise(t) * epsilon;
        let landed = Sampler::Ddim.update(
            x_t,
            x0,
            schedule.alpha_bar(t),
            schedule.alpha_bar(prev),
            0.0,
        );
        let expected = schedule.signal(prev) * x0 + schedule.noise(prev) * epsilon;
        assert!((landed - expected).abs() < 1e-12);
        // The last step (to level 0) returns the estimate itself, for both samplers.
        for sampler in [Sampler::Ddpm, Sampler::Ddim] {
            let last = sampler.update(x_t, x0, schedule.alpha_bar(t), 1.0, 0.9);
            assert!((last - x0).abs() < 1e-12);
        }
    }

    #[test]
    fn toys_have_their_dimension_and_nearest_distance_is_zero_to_themselves() {
        for name in ["mixture", "moons", "swiss-roll", "ring"] {
            let toy = Toy::from_name(name).unwrap();
            let points = toy.sample(500, &mut seeded(3));
            assert_eq!(points.len(), 500 * toy.dimension());
            assert!(
                points.iter().all(|x| x.is_finite() && x.abs() < 4.0),
                "{name}"
            );
            assert_eq!(
                mean_nearest_distance(&points, &points, toy.dimension()),
                0.0
            );
        }
        // Points on the ring of radius 1.5: nearest distance to {origin} is 1.5 on average.
        let ring = Toy::Ring.sample(2_000, &mut seeded(4));
        let distance = mean_nearest_distance(&ring, &[0.0, 0.0], 2);
        assert!((distance - 1.5).abs() < 0.01, "{distance}");
    }
}
