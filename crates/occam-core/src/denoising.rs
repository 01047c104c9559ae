//! The networks that learn to denoise, on any burn [`Device`]: a multilayer perceptron with
//! SiLU activations, trained with Adam on batches made on the host.
//!
//! The `denoiser` demo feeds it y = x + σε and trains it on ‖x − (y + f(y))‖² (it learns the
//! correction, which Tweedie's formula says is σ² ∇log p(y)); the `diffusion` demo feeds it
//! (x_t, features of t) and trains it on ‖ε − f(x_t, t)‖² (Ho et al. 2020). See
//! [`crate::diffusion`] for the mathematics.

use burn::module::Module;
use burn::nn::{Linear, LinearConfig};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use burn::tensor::TensorData;
use burn::tensor::activation::silu;

/// Frequencies in [`time_features`]: sin and cos of 2ᵏπ t/T for k < this.
pub const TIME_FREQUENCIES: usize = 5;
/// Numbers [`time_features`] gives.
pub const TIME_FEATURES: usize = 2 * TIME_FREQUENCIES;

/// Features of noise level t out of T: sin and cos of 2ᵏπ t/T, k = 0 … 4, so that the network
/// sees the level at several resolutions.
pub fn time_features(t: usize, levels: usize) -> [f32; TIME_FEATURES] {
    let phase = std::f64::consts::PI * t as f64 / levels.max(1) as f64;
    let mut features = [0.0; TIME_FEATURES];
    for k in 0..TIME_FREQUENCIES {
        let angle = phase * f64::from(1u32 << k);
        features[2 * k] = angle.sin() as f32;
        features[2 * k + 1] = angle.cos() as f32;
    }
    features
}

/// A perceptron's sizes: `input` → `hidden` (`layers` times) → `output`.
#[derive(Config, Debug)]
pub struct NetConfig {
    pub input: usize,
    pub hidden: usize,
    pub layers: usize,
    pub output: usize,
}

impl NetConfig {
    /// Parameters drawn on `device` (seed it first to fix them).
    pub fn init(&self, device: &Device) -> Net {
        let mut sizes = vec![self.input];
        sizes.extend(std::iter::repeat_n(self.hidden, self.layers.max(1)));
        sizes.push(self.output);
        Net {
            layers: sizes
                .windows(2)
                .map(|pair| LinearConfig::new(pair[0], pair[1]).init(device))
                .collect(),
        }
    }

    /// Trainable numbers: Σ (inₗ + 1) outₗ over the layers.
    pub fn parameter_count(&self) -> usize {
        let layers = self.layers.max(1);
        (self.input + 1) * self.hidden
            + (layers - 1) * (self.hidden + 1) * self.hidden
            + (self.hidden + 1) * self.output
    }
}

/// f(x) = W_L silu(… silu(W₁ x + b₁) …) + b_L.
///
/// # Shapes
/// - input: `[batch, input]`
/// - output: `[batch, output]`
#[derive(Module, Debug)]
pub struct Net {
    layers: Vec<Linear>,
}

impl Net {
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        self.layers.iter().enumerate().fold(x, |h, (index, layer)| {
            let h = layer.forward(h);
            if index < last { silu(h) } else { h }
        })
    }
}

/// Adam on a [`Net`] with the mean squared error, one host-made batch at a time.
pub struct Trainer {
    model: Net,
    optimizer: ModuleOptimizer,
    /// Where gradients are taken (`device.autodiff()`).
    device: Device,
    /// Where predictions run, without gradients.
    inference: Device,
    config: NetConfig,
}

impl std::fmt::Debug for Trainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trainer")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Trainer {
    /// A network of `config`'s sizes on `device`, its parameters fixed by `seed`.
    pub fn new(config: NetConfig, device: &Device, seed: u64) -> Self {
        let training = device.clone().autodiff();
        training.seed(seed);
        Self {
            model: config.init(&training),
            optimizer: AdamConfig::new().init(),
            device: training,
            inference: device.clone(),
            config,
        }
    }

    pub fn config(&self) -> &NetConfig {
        &self.config
    }

    /// One Adam step with step size `learning_rate` on `inputs` (rows of `config.input`) and
    /// `targets` (rows of `config.output`); returns the mean squared error per number before the
    /// step, still on the device.
    pub fn step(&mut self, inputs: Vec<f32>, targets: Vec<f32>, learning_rate: f64) -> Tensor<1> {
        let rows = inputs.len() / self.config.input;
        let inputs = Tensor::from_data(
            TensorData::new(inputs, [rows, self.config.input]),
            &self.device,
        );
        let targets = Tensor::from_data(
            TensorData::new(targets, [rows, self.config.output]),
            &self.device,
        );
        let prediction = self.model.forward(inputs); // [rows, output]
        let loss = (prediction - targets).powi_scalar(2).mean(); // [1]
        let gradients = GradientsParams::from_grads(loss.backward(), &self.model);
        self.model = self
            .optimizer
            .step(learning_rate, self.model.clone(), gradients);
        loss.detach()
    }

    /// f(inputs), without gradients. Shape `[rows, output]`.
    pub fn predict(&self, inputs: Vec<f32>) -> Tensor<2> {
        let rows = inputs.len() / self.config.input;
        let inputs = Tensor::from_data(
            TensorData::new(inputs, [rows, self.config.input]),
            &self.inference,
        );
        self.model.valid().forward(inputs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diffusion::LowRankMixture;
    use crate::rng::{normal, seeded};

    #[test]
    fn shapes_parameters_and_time_features() {
        let device = Device::flex();
        let config = NetConfig::new(3 + TIME_FEATURES, 16, 3, 3);
        let net = config.init(&device);
        assert_eq!(net.forward(Tensor::zeros([7, 13], &device)).dims(), [7, 3]);
        assert_eq!(net.num_params(), config.parameter_count());
        assert_eq!(config.parameter_count(), 14 * 16 + 2 * 17 * 16 + 17 * 3);
        let features = time_features(250, 1_000);
        // 2ᵏπ/4: sin is √½, 1, 0, 0, 0 and cos √½, 0, −1, 1, 1.
        let expected = [
            0.5f32.sqrt(),
            0.5f32.sqrt(),
            1.0,
            0.0,
            0.0,
            -1.0,
            0.0,
            1.0,
            0.0,
            1.0,
        ];
        for (a, b) in features.iter().zip(expected) {
            assert!((a - b).abs() < 1e-6, "{features:?}");
        }
    }

    /// The denoiser of the `denoiser` demo, trained on the mixture at σ = 0.5, on a test set
    /// scored also with the exact posterior mean.
    #[test]
    fn a_trained_denoiser_comes_within_fifteen_percent_of_the_optimum() {
        let (sigma, dimension, batch) = (0.5f32, 3, 256);
        let mixture = LowRankMixture::lines_and_plane();
        let mut rng = seeded(8);
        let mut trainer = Trainer::new(NetConfig::new(3, 64, 2, 3), &Device::flex(), 8);
        let steps = 1_500;
        for step in 0..steps {
            let (clean, _) = mixture.sample(batch, &mut rng);
            let noise = normal(batch * dimension, &mut rng);
            let noisy: Vec<f32> = clean
                .iter()
                .zip(&noise)
                .map(|(x, e)| x + sigma * e)
                .collect();
            let correction: Vec<f32> = noise.iter().map(|e| -sigma * e).collect();
            let rate = 3e-3 * (1.0 - 0.9 * step as f64 / steps as f64);
            trainer.step(noisy, correction, rate);
        }
        let n = 4_000;
        let (clean, _) = mixture.sample(n, &mut seeded(99));
        let noise = normal(n * dimension, &mut seeded(100));
        let noisy: Vec<f32> = clean
            .iter()
            .zip(&noise)
            .map(|(x, e)| x + sigma * e)
            .collect();
        let correction: Vec<f32> = trainer
            .predict(noisy.clone())
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        let learned: Vec<f32> = noisy.iter().zip(&correction).map(|(y, c)| y + c).collect();
        let optimal = mixture
            .denoiser(f64::from(sigma))
            .denoise_all(&noisy, dimension);
        let mse = |estimate: &[f32]| {
            estimate
                .iter()
                .zip(&clean)
                .map(|(a, b)| f64::from(a - b).powi(2))
                .sum::<f64>()
                / n as f64
        };
        let (learned, optimal, none) = (mse(&learned), mse(&optimal), mse(&noisy));
        // Doing nothing costs 3σ² = 0.75 per point. Knowing each point's component would
        // leave σ² Σⱼ sⱼ²/(sⱼ² + σ²) on it: 0.2 on a line, 0.3596 on the plane, 0.2638 on
        // average. The optimum lies between, above the oracle (it must guess the component).
        assert!((none - 0.75).abs() < 0.03, "{none}");
        assert!(
            optimal > 0.2638 && optimal < 0.6 * none,
            "optimal {optimal}"
        );
        assert!(
            learned < 1.15 * optimal,
            "learned {learned}, optimal {optimal}"
        );
    }
}
