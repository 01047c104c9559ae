//! A multilayer perceptron and a small regression it learns: the workload that checks a device.
//!
//! f(x) = W₂ relu(W₁ x + b₁) + b₂, trained with Adam or plain gradient descent on the mean
//! squared error L = (1/N) Σᵢ ‖f(xᵢ) − yᵢ‖² to fit y = sin(3 x₁) cos(2 x₂) on x ∈ [−1, 1]².
//! The same code runs on any burn [`Device`]: the CPU (`Device::flex()`) or WebGPU.

use burn::module::Module;
use burn::nn::{Linear, Relu};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig};
use burn::prelude::*;

use crate::rng::{seeded, uniform};
use crate::white_box::init_linear;

/// A two-layer perceptron's sizes.
#[derive(Config, Debug)]
pub struct MlpConfig {
    pub input: usize,
    pub hidden: usize,
    pub output: usize,
}

impl MlpConfig {
    /// Parameters on `device`, drawn on the host from `seed` as burn's `Linear` draws them
    /// (uniform in ±1/√fan-in), so that runs side by side cannot disturb each other's draws.
    pub fn init(&self, device: &Device, seed: u64) -> Mlp {
        let rng = &mut seeded(seed);
        Mlp {
            hidden: init_linear(self.input, self.hidden, true, rng, device),
            activation: Relu::new(),
            output: init_linear(self.hidden, self.output, true, rng, device),
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

/// How a [`RegressionTrainer`] turns a gradient into a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stepper {
    /// Adam: each parameter's step is about the step size, scaled by its gradient's running size.
    Adam,
    /// Plain gradient descent: the step size times the gradient. On a quadratic it diverges
    /// once the step size passes 2 / (the largest curvature); the output bias alone has
    /// curvature 2 under the mean squared error, so any step size above 1 cannot settle.
    GradientDescent,
}

/// Trains an [`Mlp`] on a fixed batch of the regression, one optimizer step at a time.
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
    /// A model of `hidden` units and a batch of `batch` points, both fixed by `seed`, trained
    /// by Adam with step size 0.01. Gradients are taken on `device.autodiff()`.
    pub fn new(device: &Device, hidden: usize, batch: usize, seed: u64) -> Self {
        Self::with_stepper(device, hidden, batch, seed, Stepper::Adam, 1e-2)
    }

    /// As [`RegressionTrainer::new`], stepping with `stepper` and step size `learning_rate`.
    pub fn with_stepper(
        device: &Device,
        hidden: usize,
        batch: usize,
        seed: u64,
        stepper: Stepper,
        learning_rate: f64,
    ) -> Self {
        let device = device.clone().autodiff();
        // The weights from a stream of their own, not the one that drew the points.
        let model = MlpConfig::new(2, hidden, 1).init(&device, seed ^ 0x5eed_31a9);
        let points = uniform(-1.0, 1.0, 2 * batch, &mut seeded(seed));
        let targets: Vec<f32> = points
            .chunks_exact(2)
            .map(|x| regression_target(x[0], x[1]))
            .collect();
        let inputs = Tensor::<1>::from_data(points.as_slice(), &device).reshape([batch, 2]);
        let targets = Tensor::<1>::from_data(targets.as_slice(), &device).reshape([batch, 1]);
        Self {
            model,
            optimizer: match stepper {
                Stepper::Adam => AdamConfig::new().init(),
                Stepper::GradientDescent => SgdConfig::new().init(),
            },
            inputs,
            targets,
            learning_rate,
        }
    }

    /// One optimizer step; returns the loss before the step, still on the device (read it back
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
        let model = config.init(&device, 1);
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

    /// Trains `steps` steps, returning the losses read back.
    fn losses(stepper: Stepper, learning_rate: f64, steps: usize) -> Vec<f32> {
        let mut trainer =
            RegressionTrainer::with_stepper(&Device::flex(), 32, 128, 5, stepper, learning_rate);
        (0..steps).map(|_| trainer.step().into_scalar()).collect()
    }

    #[test]
    fn gradient_descent_settles_with_a_small_step_and_blows_up_with_a_large_one() {
        let small = losses(Stepper::GradientDescent, 0.05, 300);
        assert!(small.iter().all(|loss| loss.is_finite()));
        assert!(
            small[299] < 0.5 * small[0],
            "{} to {}",
            small[0],
            small[299]
        );
        // Along the output bias the loss is a parabola of curvature 2, so at step size 3 that
        // coordinate's error is multiplied by |1 − 3·2| = 5 at every step, whatever the rest
        // does: the loss must leave the finite numbers (f32 ends near 3.4·10³⁸) within a few
        // dozen steps.
        let large = losses(Stepper::GradientDescent, 3.0, 200);
        let broke = large.iter().position(|loss| !loss.is_finite());
        assert!(broke.is_some_and(|step| step < 120), "{:?}", &large[..20]);
    }
}
