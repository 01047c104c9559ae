//! A multilayer perceptron and a small regression it learns: the workload that checks a device.
//!
//! f(x) = W₂ relu(W₁ x + b₁) + b₂, trained with Adam on the mean squared error
//! L = (1/N) Σᵢ ‖f(xᵢ) − yᵢ‖² to fit y = sin(3 x₁) cos(2 x₂) on x ∈ [−1, 1]².
//! The same code runs on any burn [`Device`]: the CPU (`Device::flex()`) or WebGPU.

use burn::module::Module;
use burn::nn::{Linear, LinearConfig, Relu};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;

use crate::rng::{seeded, uniform};

/// A two-layer perceptron's sizes.
#[derive(Config, Debug)]
pub struct MlpConfig {
    pub input: usize,
    pub hidden: usize,
    pub output: usize,
}

impl MlpConfig {
    /// Parameters drawn on `device` (seed it first with `device.seed(..)` to fix them).
    pub fn init(&self, device: &Device) -> Mlp {
        Mlp {
            hidden: LinearConfig::new(self.input, self.hidden).init(device),
            activation: Relu::new(),
            output: LinearConfig::new(self.hidden, self.output).init(device),
        }
    }

    /// The number of trainable parameters: (input + 1) hidden + (hidden + 1) output.
    pub fn parameter_count(&self) -> usize {
        (self.input + 1) * self.hidden + (self.hidden + 1) * self.output
    }
}

/// f(x) = W₂ relu(W₁ x + b₁) + b₂.
///
/// # Shapes
/// - input: `[batch, input]`
/// - output: `[batch, output]`
#[derive(Module, Debug)]
pub struct Mlp {
    hidden: Linear,
    activation: Relu,
    output: Linear,
}

impl Mlp {
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let h = self.activation.forward(self.hidden.forward(x)); // [batch, hidden]
        self.output.forward(h) // [batch, output]
    }
}

/// The regression target y = sin(3 x₁) cos(2 x₂).
pub fn regression_target(x1: f32, x2: f32) -> f32 {
    (3.0 * x1).sin() * (2.0 * x2).cos()
}

/// Trains an [`Mlp`] on a fixed batch of the regression, one Adam step at a time.
pub struct RegressionTrainer {
    model: Mlp,
    optimizer: ModuleOptimizer,
    inputs: Tensor<2>,
    targets: Tensor<2>,
    learning_rate: f64,
}

impl std::fmt::Debug for RegressionTrainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegressionTrainer")
            .field("model", &self.model)
            .finish_non_exhaustive()
    }
}

impl RegressionTrainer {
    /// A model of `hidden` units and a batch of `batch` points, both fixed by `seed`.
    /// Gradients are taken on `device.autodiff()`.
    pub fn new(device: &Device, hidden: usize, batch: usize, seed: u64) -> Self {
        let device = device.clone().autodiff();
        device.seed(seed);
        let model = MlpConfig::new(2, hidden, 1).init(&device);
        let points = uniform(-1.0, 1.0, 2 * batch, &mut seeded(seed));
        let targets: Vec<f32> = points
            .chunks_exact(2)
            .map(|x| regression_target(x[0], x[1]))
            .collect();
        let inputs = Tensor::<1>::from_data(points.as_slice(), &device).reshape([batch, 2]);
        let targets = Tensor::<1>::from_data(targets.as_slice(), &device).reshape([batch, 1]);
        Self {
            model,
            optimizer: AdamConfig::new().init(),
            inputs,
            targets,
            learning_rate: 1e-2,
        }
    }

    /// One Adam step; returns the loss before the step, still on the device (read it back
    /// asynchronously, and only as often as it is shown).
    pub fn step(&mut self) -> Tensor<1> {
        let prediction = self.model.forward(self.inputs.clone()); // [batch, 1]
        let loss = (prediction - self.targets.clone()).powi_scalar(2).mean(); // [1]
        let gradients = GradientsParams::from_grads(loss.backward(), &self.model);
        self.model = self
            .optimizer
            .step(self.learning_rate, self.model.clone(), gradients);
        loss.detach()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_parameter_count() {
        let device = Device::flex();
        let config = MlpConfig::new(2, 16, 3);
        let model = config.init(&device);
        let output = model.forward(Tensor::zeros([5, 2], &device));
        assert_eq!(output.dims(), [5, 3]);
        assert_eq!(model.num_params(), config.parameter_count());
        assert_eq!(config.parameter_count(), 3 * 16 + 17 * 3);
    }

    #[test]
    fn regression_loss_falls_on_the_cpu() {
        let mut trainer = RegressionTrainer::new(&Device::flex(), 32, 128, 5);
        let first: f32 = trainer.step().into_scalar();
        let mut last = first;
        for _ in 0..150 {
            last = trainer.step().into_scalar();
        }
        // The target has variance about ¼ (sin² and cos² average ½ each on this range, roughly),
        // so a first loss near that and a tenth of it after training show it learned.
        assert!(last < 0.1 * first, "loss went from {first} to {last}");
    }
}
