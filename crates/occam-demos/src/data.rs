//! The data sets the `pca-sparse` chapter's demos learn from, as rows of pixels in [0, 1].

use occam_core::burn::prelude::{Device, Tensor};
use occam_core::burn::tensor::TensorData;
use occam_core::digits::{Digits, MAX_PIXEL};
use occam_core::rng::{normal, seeded};

use crate::protocol::Images;
use crate::run::DemoError;

/// Images (or points), one row each, with the few shown as samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub width: usize,
    pub height: usize,
    /// `len() × width × height` values, row after row.
    pub pixels: Vec<f32>,
    /// Labels, where the data has them.
    pub labels: Option<Vec<u8>>,
    /// The rows shown as pictures: for digits the first of each class 0 … 9.
    pub samples: Vec<usize>,
}

impl Dataset {
    pub fn dimension(&self) -> usize {
        self.width * self.height
    }

    pub fn len(&self) -> usize {
        self.pixels.len() / self.dimension().max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn row(&self, index: usize) -> &[f32] {
        &self.pixels[index * self.dimension()..(index + 1) * self.dimension()]
    }

    /// All rows as an [n, D] tensor.
    pub fn tensor(&self, device: &Device) -> Tensor<2> {
        Tensor::from_data(
            TensorData::new(self.pixels.clone(), [self.len(), self.dimension()]),
            device,
        )
    }

    /// The rows `range` as a data set of their own (samples re-chosen among them).
    pub fn slice(&self, range: std::ops::Range<usize>) -> Self {
        let (start, dimension) = (range.start, self.dimension());
        let labels = self
            .labels
            .as_ref()
            .map(|labels| labels[range.clone()].to_vec());
        Self {
            width: self.width,
            height: self.height,
            pixels: self.pixels[range.start * dimension..range.end * dimension].to_vec(),
            samples: choose_samples(labels.as_deref(), range.end - start),
            labels,
        }
    }

    /// Captions for the samples: their labels, or their row numbers.
    pub fn captions(&self) -> Vec<String> {
        self.samples
            .iter()
            .map(|&i| match &self.labels {
                Some(labels) => labels[i].to_string(),
                None => format!("#{}", i + 1),
            })
            .collect()
    }

    /// The samples as images named `name`.
    pub fn images(&self, name: &str) -> Images {
        Images {
            name: name.to_owned(),
            width: self.width,
            height: self.height,
            is_signed: self.labels.is_none(),
            captions: self.captions(),
            pixels: self
                .samples
                .iter()
                .flat_map(|&i| self.row(i).iter().copied())
                .collect(),
        }
    }
}

/// The first row of each label 0 … 9, or the first ten rows.
fn choose_samples(labels: Option<&[u8]>, len: usize) -> Vec<usize> {
    match labels {
        Some(labels) => (0..10u8)
            .filter_map(|digit| labels.iter().position(|&label| label == digit))
            .collect(),
        None => (0..len.min(10)).collect(),
    }
}

/// The shipped 8×8 digits, pixels divided by 16 so they run from 0 to 1.
pub fn digits() -> Result<Dataset, DemoError> {
    let digits = Digits::shipped().map_err(|error| DemoError::Invalid(error.to_string()))?;
    let scale = 1.0 / f32::from(MAX_PIXEL);
    Ok(Dataset {
        width: digits.width,
        height: digits.height,
        pixels: digits
            .pixels
            .iter()
            .map(|&p| f32::from(p) * scale)
            .collect(),
        samples: choose_samples(Some(&digits.labels), digits.len()),
        labels: Some(digits.labels),
    })
}

/// `n` points x = U s in R^{width·height}, with U a random orthonormal basis of an
/// r-dimensional subspace (r = `scales.len()`) and sᵢ ~ N(0, scalesᵢ²), drawn from `seed`.
pub fn near_subspace(n: usize, width: usize, height: usize, scales: &[f32], seed: u64) -> Dataset {
    let dimension = width * height;
    let mut rng = seeded(seed);
    // Gram–Schmidt (twice, for accuracy) on Gaussian vectors gives a uniformly random basis.
    let mut basis: Vec<Vec<f32>> = Vec::with_capacity(scales.len());
    for _ in scales {
        let mut vector = normal(dimension, &mut rng);
        for _ in 0..2 {
            for previous in &basis {
                let along: f32 = previous.iter().zip(&vector).map(|(p, v)| p * v).sum();
                vector
                    .iter_mut()
                    .zip(previous)
                    .for_each(|(v, p)| *v -= along * p);
            }
        }
        let norm = vector.iter().map(|v| v * v).sum::<f32>().sqrt();
        vector.iter_mut().for_each(|v| *v /= norm);
        basis.push(vector);
    }
    let latent = normal(n * scales.len(), &mut rng);
    let mut pixels = vec![0.0f32; n * dimension];
    for (i, point) in pixels.chunks_mut(dimension).enumerate() {
        for (j, direction) in basis.iter().enumerate() {
            let coordinate = scales[j] * latent[i * scales.len() + j];
            point
                .iter_mut()
                .zip(direction)
                .for_each(|(x, u)| *x += coordinate * u);
        }
    }
    Dataset {
        width,
        height,
        pixels,
        labels: None,
        samples: choose_samples(None, n),
    }
}

/// `data` plus N(0, σ²) noise on every value (drawn from `seed`; σ = 0 changes nothing).
pub fn with_noise(mut data: Dataset, sigma: f32, seed: u64) -> Dataset {
    if sigma > 0.0 {
        let noise = normal(data.pixels.len(), &mut seeded(seed ^ 0x006e_6f69_7365));
        data.pixels
            .iter_mut()
            .zip(noise)
            .for_each(|(x, e)| *x += sigma * e);
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_scaled_and_samples_are_one_per_class() {
        let data = digits().unwrap();
        assert_eq!((data.len(), data.dimension()), (1_797, 64));
        assert!(data.pixels.iter().all(|&p| (0.0..=1.0).contains(&p)));
        let labels = data.labels.as_ref().unwrap();
        let shown: Vec<u8> = data.samples.iter().map(|&i| labels[i]).collect();
        assert_eq!(shown, (0..10).collect::<Vec<u8>>());
    }

    #[test]
    fn subspace_points_lie_in_the_span_with_the_stated_spread() {
        let data = near_subspace(4_000, 8, 8, &[1.0, 0.5], 3);
        // ‖x‖² = s₁² + s₂² (orthonormal basis), whose mean is 1 + 0.25.
        let mean_square: f64 = (0..data.len())
            .map(|i| {
                data.row(i)
                    .iter()
                    .map(|&v| f64::from(v).powi(2))
                    .sum::<f64>()
            })
            .sum::<f64>()
            / data.len() as f64;
        assert!((mean_square - 1.25).abs() < 0.06, "{mean_square}");
        let noisy = with_noise(data.clone(), 0.1, 3);
        let added: f64 = noisy
            .pixels
            .iter()
            .zip(&data.pixels)
            .map(|(a, b)| f64::from(a - b).powi(2))
            .sum::<f64>()
            / data.pixels.len() as f64;
        assert!((added - 0.01).abs() < 0.0005, "{added}");
    }
}
